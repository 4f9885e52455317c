"""An export's photo and PDF files, written as zip entries by a process of its own.

Why: an export's records are Python (decoded, encoded, compressed), its files are reading,
hashing and writing. In a unit-month's export (6,956 records, 37 MB of files, session 10) the
files were 255 of its 460 ms. Here a child (`child_job`) writes them, each as a stored zip entry
(local header, then the bytes), into a temporary file while the exporter writes the records into
the bundle; the exporter then appends that file to the bundle and lists its entries in the zip's
directory (`BundleWriter.add_written_files`).

Each entry is exactly what `zipfile.ZipFile.writestr` writes for it (`stored_info` makes its
`ZipInfo` on both sides), so the bundle is the same either way. The child answers, per file, the
SHA-256 and CRC-32 of its bytes and where its entry starts; the manifest lists the SHA-256 as
before.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
import zlib

from app.store.child_job import parent_gone, serve

__all__ = ["DATE", "stored_info"]

DATE = (2026, 1, 1, 0, 0, 0)   # every entry's date: a bundle's bytes do not depend on the clock
_CHUNK = 1 << 20


def stored_info(name: str, size: int, crc: int) -> zipfile.ZipInfo:
    """The `ZipInfo` of a stored entry as `writestr` leaves it once written (versions, flags, mode)."""
    info = zipfile.ZipInfo(name, date_time=DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o600 << 16
    info.flag_bits = 0
    info.file_size = info.compress_size = size
    info.CRC = crc
    info.FileHeader(False)   # (sets the versions the directory records, as writing the header does)
    return info


def _run(job: dict) -> dict[str, object]:
    written: list[list] = []
    sources: dict[str, int] = {}
    offset = 0
    try:
        with os.fdopen(job["out"], "wb", buffering=_CHUNK, closefd=False) as out:
            for name, path, start, length in job["files"]:
                if parent_gone(job["parent"]):   # the export was killed: nobody will read this
                    raise SystemExit(3)
                if path not in sources:
                    sources[path] = os.open(path, os.O_RDONLY)
                data = os.pread(sources[path], length, start)
                if len(data) != length:
                    return {"reason": "short_read", "entry": name}
                info = stored_info(name, length, zlib.crc32(data))
                header = info.FileHeader(False)
                out.write(header)
                out.write(data)
                written.append([hashlib.sha256(data).hexdigest(), info.CRC, offset])
                offset += len(header) + length
    except OSError as exc:
        return {"reason": "os_error", "errno": exc.errno, "message": str(exc)[:200]}
    finally:
        for fd in sources.values():
            os.close(fd)
    return {"ok": True, "written": written}


if __name__ == "__main__":
    sys.exit(serve(_run))
