"""An import's photo and PDF files, copied into the store: by a process of its own when they are many.

The merge of a bundle's records is Python; copying its files is reading, hashing and writing.
A bundle with many megabytes of files has them copied by a child process (`store.pack_copy`,
which says why and what it measured) while this one merges the records, on the other core.
A small bundle, or where no child can be started (Android and iOS run Python embedded, without
an interpreter to start; Windows cannot hand a child open files), copies them here first: a
thread would only fight the records for the interpreter lock (also measured there).
"""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from types import TracebackType
from typing import Protocol

from app.domain.errors import BundleRejected, StorageFull
from app.domain.repository import ByteSink
from app.store import child_job
from app.store.blob_packs import PACK_SUFFIX, PackWriter
from app.store.blobs import PACKS
from app.store.bundle_file import VerifiedBundle

from .context import Context

__all__ = ["FileCopy"]


class Counted(Protocol):
    """Where the copy reports how many files it adds (an import's summary)."""

    files_added: int


def _fileno(sink: ByteSink | None) -> int | None:
    try:
        return sink.fileno() if sink is not None else None   # type: ignore[attr-defined]
    except (AttributeError, io.UnsupportedOperation):
        return None


class FileCopy:
    """The bundle's files the store lacks, copied into one pack file per store (see `blob_packs`:
    one file created per import, not one per photo); the files it has already are hashed too.
    Every file's bytes are checked against its name on the way: a mismatch refuses the bundle.
    A child's copy is waited for when the block is left without an error and stopped when it is
    left with one; either way a refusal removes the staged packs, and the transaction around it
    discards the rest."""

    def __init__(self, ctx: Context, bundle: VerifiedBundle, summary: Counted):
        self._ctx, self._bundle, self._summary = ctx, bundle, summary
        self._stack = contextlib.ExitStack()
        self._child: child_job.ChildJob | None = None

    def __enter__(self) -> FileCopy:
        stored = {"photos": self._ctx.photo_store().finder(), "pdfs": self._ctx.pdf_store().finder()}
        wanted: dict[str, list[tuple[str, str]]] = {}
        present: list[tuple[str, str]] = []
        for (store, sha), (_, suffix) in self._bundle.files.items():
            if stored[store](sha):
                present.append((store, sha))
            else:
                wanted.setdefault(store, []).append((sha, suffix))
        with self._stack as stack:
            name = uuid.uuid4().hex
            packs = {store: stack.enter_context(self._ctx.repo.staged_file(f"{store}/{PACKS}/{name}{PACK_SUFFIX}"))
                     for store in wanted}
            self._summary.files_added = sum(len(files) for store, files in wanted.items() if packs[store])
            job = self._child_job(wanted, present, packs)
            if job is None:
                self._copy_here(wanted, present, packs)
            else:
                fds = (job["source"], *(pack["fd"] for pack in job["packs"]))
                self._child = child_job.ChildJob("app.store.pack_copy", job, fds)
            self._stack = stack.pop_all()
        return self

    def _child_job(self, wanted: dict[str, list[tuple[str, str]]], present: list[tuple[str, str]],
                   packs: dict[str, ByteSink | None]) -> dict | None:
        """What a child would copy, or None when this process should copy (see the module)."""
        manifest_files = self._bundle.manifest["files"]
        size = sum(manifest_files.get(self._bundle.files[key][0], {}).get("size", 0) for key in self._bundle.files)
        if size < child_job.CHILD_MIN_BYTES or not child_job.can_start():
            return None
        job: dict = {"source": self._bundle.fileno(), "parent": os.getpid(), "packs": [], "check": []}
        for store, files in wanted.items():
            fd = _fileno(packs[store])
            entries = [self._bundle.stored_entry(store, sha, suffix if fd is not None else "") for sha, suffix in files]
            if None in entries:
                return None
            if fd is None:   # (the store has the pack already: only checked)
                job["check"] += entries
            else:
                job["packs"].append({"fd": fd, "entries": entries})
        checked = [self._bundle.stored_entry(store, sha, "") for store, sha in present]
        if None in checked:
            return None
        job["check"] += checked
        return job

    def _copy_here(self, wanted: dict[str, list[tuple[str, str]]], present: list[tuple[str, str]],
                   packs: dict[str, ByteSink | None]) -> None:
        bundle = self._bundle
        for store, files in wanted.items():
            sink = packs[store]
            pack = PackWriter(sink) if sink is not None else None
            for sha, suffix in files:
                if pack is None:
                    bundle.check_file(store, sha)
                    continue
                pack.begin()
                bundle.copy_file(store, sha, pack)
                pack.end(sha, suffix)
            if pack is not None:
                pack.finish()
        for store, sha in present:   # kept already: still refused if its bytes are not its name
            bundle.check_file(store, sha)

    def _child_outcome(self) -> None:
        """Wait for the child; raise what a copy here would have raised."""
        assert self._child is not None
        answer = self._child.outcome()
        if answer.get("ok"):
            return
        if answer["reason"] == "storage_full":
            raise StorageFull(str(self._ctx.repo.root))
        if answer["reason"] == "os_error":
            raise OSError(answer.get("message", ""))
        detail = {"entry": answer["entry"], **({"message": answer["message"]} if answer.get("message") else {})}
        raise BundleRejected(self._bundle.name, answer["reason"], **detail)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._child is not None:
            if exc is None:   # the records merged: the files must have too, or nothing is kept
                try:
                    self._child_outcome()
                except BaseException as failed:
                    self._stack.__exit__(type(failed), failed, failed.__traceback__)
                    raise
            else:
                self._child.stop()
        self._stack.__exit__(exc_type, exc, tb)
