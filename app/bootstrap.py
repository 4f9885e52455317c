"""Wiring, once, at start-up: catalog + repository + clock → the services' `Context`."""

from __future__ import annotations

from pathlib import Path

from app.domain.clock import Clock, SystemClock
from app.services import catalog as catalog_service
from app.services.context import Context
from app.store.blobs import BlobStore
from app.store.tinystore import TinyRepository

__all__ = ["build"]


def build(data_dir: Path, clock: Clock | None = None, actor: str = "inspector",
          checklists: Path | None = None) -> Context:
    """Open (creating if needed) the data directory and return the services' context."""
    data_dir = Path(data_dir)
    return Context(
        repo=TinyRepository.open(data_dir),
        photos=BlobStore(data_dir / "photos"),
        catalog=catalog_service.load(checklists),
        clock=clock or SystemClock(),
        actor=actor,
    )
