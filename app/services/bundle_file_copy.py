"""An import's photo and PDF files, copied into the store on a thread of their own.

The merge of a bundle's records is Python; copying its files is reading, hashing and writing,
C code that lets go of the interpreter. Run side by side they overlap on two cores: the files
of a unit's campaign (a few hundred MB) are in while its records are still being merged.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Protocol

from app.domain.repository import ByteSink
from app.store.blob_packs import PACK_SUFFIX, PackWriter
from app.store.blobs import PACKS
from app.store.bundle_file import VerifiedBundle

from .context import Context

__all__ = ["FileCopy"]


class Counted(Protocol):
    """Where the copy reports how many files it adds (an import's summary)."""

    files_added: int


class FileCopy:
    """The bundle's files the store lacks, copied into one pack file per store (see `blob_packs`:
    one file created per import, not one per photo) on a thread of their own; the files it has
    already are hashed there too. Every file's bytes are checked against its name on the way
    (`VerifiedBundle.copy_file`): leaving the block waits for the copy, and a mismatch then
    refuses the bundle; leaving it with an error stops the copy. Either way the staged packs
    are removed and the transaction around it discards the rest."""

    def __init__(self, ctx: Context, bundle: VerifiedBundle, summary: Counted):
        self._ctx, self._bundle, self._summary = ctx, bundle, summary
        self._stack = contextlib.ExitStack()
        self._stop = threading.Event()

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
            pool = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="files"))   # exits first: waits
            self._copying = pool.submit(self._copy, wanted, present, packs)
            self._stack = stack.pop_all()
        return self

    def _copy(self, wanted: dict[str, list[tuple[str, str]]], present: list[tuple[str, str]],
              packs: dict[str, ByteSink | None]) -> None:
        bundle = self._bundle
        for store, files in wanted.items():
            sink = packs[store]
            pack = PackWriter(sink) if sink is not None else None
            for sha, suffix in files:
                if self._stop.is_set():
                    return
                if pack is None:
                    bundle.check_file(store, sha)
                    continue
                pack.begin()
                bundle.copy_file(store, sha, pack)
                pack.end(sha, suffix)
            if pack is not None:
                pack.finish()
        for store, sha in present:   # kept already: still refused if its bytes are not its name
            if self._stop.is_set():
                return
            bundle.check_file(store, sha)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:   # the records merged: the files must have too, or nothing is kept
            try:
                self._copying.result()
            except BaseException as failed:
                self._stack.__exit__(type(failed), failed, failed.__traceback__)
                raise
        else:
            self._stop.set()
        self._stack.__exit__(exc_type, exc, tb)
