"""Wiring, once, at start-up: catalog + repository + clock → the services' `Context`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.domain.clock import Clock, DatedClock, SystemClock
from app.services import catalog as catalog_service
from app.services import checklist_versions, settings
from app.services.context import Context
from app.store import child_job, parts
from app.store.atomic import deferred_sync
from app.store.blobs import BlobStore
from app.store.tinystore import TinyRepository, bulk_cache

__all__ = ["build", "bulk_build", "new_part", "join_parts", "can_start_process"]


def build(data_dir: Path, clock: Clock | None = None, actor: str = "inspector",
          checklists: Path | None = None) -> Context:
    """Open (creating if needed) the data directory and return the services' context.

    With no `clock` given, a demo data set is opened on its own date (`settings.demo_as_of`).
    """
    data_dir = Path(data_dir)
    ctx = Context(
        repo=TinyRepository.open(data_dir),
        photos=BlobStore(data_dir / "photos"),
        pdfs=BlobStore(data_dir / "pdfs"),
        catalog=checklist_versions.with_store_versions(catalog_service.load(checklists), data_dir),
        clock=clock or SystemClock(),
        actor=actor,
    )
    as_of = settings.demo_as_of(ctx) if clock is None else None
    if as_of is not None:
        ctx.clock = DatedClock(as_of)
    return ctx


@contextmanager
def bulk_build() -> Iterator[None]:
    """Writes inside are made durable all at once on leaving, not file by file: for building a
    whole new data set in one go (the demo), where a power cut means building it again anyway.
    Every write is still atomic (temp file and rename) and every transaction all-or-nothing."""
    with deferred_sync(), bulk_cache():   # and more files kept parsed: see `tinystore.bulk_cache`
        yield


def new_part(ctx: Context, folder: Path, index: int) -> Path:
    """A data directory in which a process of its own builds part `index` (1, 2…) of `ctx`'s new
    data set, as the same device: its notices are signed with the same key (made here if new)."""
    from app.services.sync import device_key  # here: starting the app needs none of sync's imports
    device_key(ctx)
    return parts.prepare_part(ctx.repo, folder, index)


def join_parts(data_dir: Path, folders: list[Path]) -> None:
    """Move the parts built in `folders` into `data_dir` (see `store.parts`); reopen it afterwards."""
    parts.join_parts(Path(data_dir), folders)


def can_start_process() -> bool:
    """Whether this app may start Python processes of its own (not on a phone, nor a frozen build)."""
    return child_job.can_start()
