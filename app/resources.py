"""Where the read-only files the app ships with live.

A built app's bundle is read-only, so these are found relative to the package and only read;
everything the app writes goes to the data directory (`app.datadir`).
`FIRESWEEP_RESOURCES` points elsewhere (a bureau's own checklists) without editing the install.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["root", "checklists_dir", "assets_dir", "font_path", "song_font_path", "FONT_FAMILY", "SONG_FAMILY"]

FONT_FAMILY = "FiresweepCJK"
_FONT_FILE = "fonts/FiresweepCJK.ttf"
SONG_FAMILY = "FiresweepSong"           # documents of record: a Song face, GB 2312 only (assets/fonts/README.md)
_SONG_FILE = "fonts/FiresweepSong.ttf"


def root() -> Path:
    """The folder holding `checklists/` and `assets/` (the project root in a checkout)."""
    override = os.environ.get("FIRESWEEP_RESOURCES")
    return Path(override) if override else Path(__file__).resolve().parent.parent


def checklists_dir() -> Path:
    return root() / "checklists"


def assets_dir() -> Path:
    return root() / "assets"


def font_path() -> Path:
    """The bundled CJK TrueType font used by the UI, PDFs and photo stamps."""
    return assets_dir() / _FONT_FILE


def song_font_path() -> Path:
    """The Song (Ming) face the documents of record are set in; it falls back to `font_path()`."""
    return assets_dir() / _SONG_FILE


def font_asset() -> str:
    """The font's path relative to `assets_dir()`, as the Flet client loads it."""
    return _FONT_FILE
