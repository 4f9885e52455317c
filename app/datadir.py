"""Where the app keeps its data: `--data DIR`, else `FIRESWEEP_DATA`, else the OS user-data dir.

The demo data set lives in its own directory (`FIRESWEEP_DEMO_DATA`, else `<user data>/demo`)
so it never mixes with real inspection records; `make run` points it inside the checkout, so
each checkout has a demo of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

__all__ = ["resolve_data_dir", "demo_data_dir", "ENV_VAR", "DEMO_ENV_VAR"]

ENV_VAR = "FIRESWEEP_DATA"
DEMO_ENV_VAR = "FIRESWEEP_DEMO_DATA"


def _user_dir() -> Path:
    return Path(user_data_dir("firesweep", appauthor=False))


def resolve_data_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """The real data directory, by precedence flag > environment > OS default."""
    chosen = flag or os.environ.get(ENV_VAR)
    return Path(chosen).expanduser().resolve() if chosen else _user_dir() / "data"


def demo_data_dir() -> Path:
    chosen = os.environ.get(DEMO_ENV_VAR)
    return Path(chosen).expanduser().resolve() if chosen else _user_dir() / "demo"
