"""Bundles as files a screen can hand over: export to bytes with a telling name, who this device is.

`app.services.sync` writes a bundle to a path; a browser can only receive bytes, so the Sync
screen exports into a temporary folder, reads the file back and lets the folder go.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.store.bundle_file import MAX_BUNDLE_BYTES

from .context import Context
from .sync import ExportSummary, export_bundle

__all__ = ["BundleFile", "this_device", "export_bytes", "bundle_name", "MAX_BUNDLE_BYTES"]


@dataclass(frozen=True)
class BundleFile:
    name: str
    content: bytes
    summary: ExportSummary

    @property
    def records(self) -> int:
        return sum(self.summary.counts.values())


def this_device(ctx: Context) -> str:
    """This installation's device id: what a peer sees as the sender of our bundles."""
    return ctx.repo.device_id


def bundle_name(ctx: Context, to: str = "", unit: str | None = None) -> str:
    """firesweep-<from>-<to or full>[-<unit>]-<UTC time>.fsb: sortable, and says who it is for."""
    parts = ["firesweep", this_device(ctx)[:8], to[:8] if to else "full", *([unit] if unit else []),
             f"{ctx.now():%Y%m%d-%H%M%S}"]
    return "-".join(parts) + ".fsb"


def export_bytes(ctx: Context, to: str = "", full: bool = False, photos: bool = True, unit: str | None = None,
                 progress: Callable[[float], None] | None = None) -> BundleFile:
    """`export_bundle` into a temporary folder, returned as bytes (the folder is removed)."""
    name = bundle_name(ctx, to, unit)
    with tempfile.TemporaryDirectory(prefix="firesweep-export-") as folder:
        out = Path(folder) / name
        summary = export_bundle(ctx, out, to=to, full=full, photos=photos, unit=unit, progress=progress)
        return BundleFile(name, out.read_bytes(), summary)
