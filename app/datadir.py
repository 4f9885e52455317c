"""Where the app keeps its data: `--data DIR`, else `FIRESWEEP_DATA`, else the app's own storage.

The app's own storage is, in a Flet-built Android or iOS app, the private folder Flet names in
`FLET_APP_STORAGE_DATA` (the only place such an app may write: its bundle is read-only, and
platformdirs knows no Android); elsewhere the OS user-data directory. The demo data set lives in
its own directory (`<that>/demo`) so it never mixes with real inspection records.

Temporary files (an import's unpacked bundle, an export being assembled) go where Python's
`tempfile` puts them; in a built app that is `FLET_APP_STORAGE_TEMP`, since Android has no /tmp.
`FIRESWEEP_DEMO_DATA` names another demo directory: `make run` points it inside the checkout, so
each checkout has a demo of its own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["resolve_data_dir", "demo_data_dir", "use_app_storage_temp", "ENV_VAR", "DEMO_ENV_VAR",
           "APP_STORAGE_DATA", "APP_STORAGE_TEMP"]

ENV_VAR = "FIRESWEEP_DATA"
DEMO_ENV_VAR = "FIRESWEEP_DEMO_DATA"
APP_STORAGE_DATA = "FLET_APP_STORAGE_DATA"   # set by a Flet-built app (and `flet run`)
APP_STORAGE_TEMP = "FLET_APP_STORAGE_TEMP"


def _user_dir() -> Path:
    storage = os.environ.get(APP_STORAGE_DATA)
    return Path(storage) if storage else Path(user_data_dir("firesweep", appauthor=False))


def resolve_data_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """The real data directory, by precedence flag > environment > the app's own storage."""
    chosen = flag or os.environ.get(ENV_VAR)
    return Path(chosen).expanduser().resolve() if chosen else _user_dir() / "data"


def demo_data_dir() -> Path:
    chosen = os.environ.get(DEMO_ENV_VAR)
    return Path(chosen).expanduser().resolve() if chosen else _user_dir() / "demo"


def use_app_storage_temp() -> None:
    """Point `tempfile` at `FLET_APP_STORAGE_TEMP` when Flet names one and nothing else was chosen."""
    storage = os.environ.get(APP_STORAGE_TEMP)
    if storage and not any(os.environ.get(v) for v in ("TMPDIR", "TEMP", "TMP")):
        Path(storage).mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = storage
