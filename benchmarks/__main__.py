"""Run the benchmarks and print one table: `python -m benchmarks [photo_pipeline …]`."""

from __future__ import annotations

import importlib
import platform
import sys

from .common import peak_rss_mb, print_table

ALL = ["photo_pipeline", "storage", "sync_bundles", "notice"]


def main(names: list[str]) -> int:
    rows = []
    for name in names or ALL:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"running {name}…", file=sys.stderr, flush=True)
        rows += module.run()
    print(f"firesweep benchmarks on {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print_table(rows)
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    return 0


raise SystemExit(main(sys.argv[1:]))
