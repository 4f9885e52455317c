"""An export's photo and PDF files, written into the bundle: by a process of its own when they are many.

With many megabytes of files, a child (`store.zip_copy`, which says why and what it measured)
writes them as zip entries into a temporary file while this process writes the records; they
are appended when the records are in. Otherwise, or where no child can be started
(`child_job.can_start`), they are written here, after the records, as before.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from app.store import child_job
from app.store.bundle_file import BundleWriter

from .context import Context

__all__ = ["ExportFiles"]


class ExportFiles:
    """`files` ((store, sha256) pairs) into `writer`: started on entering (in a child, if it is
    worth one), in the bundle after `finish`, which returns how many were found and written.
    A file the store lacks is left out, as before. Leaving with an error stops the child."""

    def __init__(self, ctx: Context, writer: BundleWriter, files: list[tuple[str, str]], folder: Path,
                 progress: Callable[[float], None] | None = None):
        self._ctx, self._writer, self._files, self._folder = ctx, writer, files, folder
        self._progress = progress
        self._child: child_job.ChildJob | None = None
        self._part: IO[bytes] | None = None
        self._located: list[tuple[str, str, tuple[Path, int, int, str]]] = []
        self._found: list[tuple[str, str, str, int]] = []

    def __enter__(self) -> ExportFiles:
        stores = {"photos": self._ctx.photo_store(), "pdfs": self._ctx.pdf_store()}
        self._located = [(store, sha, where) for store, sha in self._files
                         if (where := stores[store].locate(sha)) is not None]
        if sum(where[2] for _, _, where in self._located) < child_job.CHILD_MIN_BYTES or not child_job.can_start():
            return self
        rows = []
        for store, sha, (path, offset, length, suffix) in self._located:
            self._found.append((store, sha, suffix, length))
            rows.append([f"files/{store}/{sha}{suffix}", str(path), offset, length])
        self._part = tempfile.TemporaryFile(dir=self._folder)
        job = {"parent": os.getpid(), "out": self._part.fileno(), "files": rows}
        self._child = child_job.ChildJob("app.store.zip_copy", job, (self._part.fileno(),))
        return self

    def finish(self) -> int:
        if self._child is None:
            return self._write_here()
        answer = self._child.outcome()
        self._child = None
        if not answer.get("ok"):   # what writing them here would raise: an OSError (a full disk's errno kept)
            raise OSError(answer.get("errno") or 0,
                          f"writing the bundle's files: {answer['reason']} {answer.get('entry', '')}".strip())
        assert self._part is not None
        entries = [(store, sha, suffix, length, crc, offset, digest)
                   for (store, sha, suffix, length), (digest, crc, offset) in zip(self._found, answer["written"],
                                                                                  strict=True)]
        self._writer.add_written_files(self._part, entries)
        return len(entries)

    def _write_here(self) -> int:
        for n, (store, sha, (path, offset, length, suffix)) in enumerate(self._located):
            if self._progress:
                self._progress(0.1 + 0.85 * n / len(self._located))
            with path.open("rb") as source:
                source.seek(offset)
                self._writer.add_file(store, sha, suffix, source.read(length))
        return len(self._located)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._child is not None:
            self._child.stop()
        if self._part is not None:
            self._part.close()
