"""Run the benchmarks and print one table: `python -m benchmarks [photo_pipeline …]`.

Each benchmark module runs in a process of its own, so its peak memory (RSS) is its own and
one module's caches do not flatter the next one's figures.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import platform
import subprocess
import sys

from .common import Row, peak_rss_mb, print_table

ALL = ["photo_pipeline", "photo_attach", "storage", "notice", "sync_bundles", "bureau"]
CHILD = "FIRESWEEP_BENCH_CHILD"


def _child(name: str) -> int:
    rows = importlib.import_module(f"benchmarks.{name}").run()
    print(json.dumps({"rows": [dataclasses.asdict(r) for r in rows], "rss": peak_rss_mb()}))
    return 0


def _run(name: str) -> tuple[list[Row], float]:
    print(f"running {name}…", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "benchmarks", name], env={**os.environ, CHILD: "1"},
                          stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return [Row(**r) for r in result["rows"]], result["rss"]


def main(names: list[str]) -> int:
    if os.environ.get(CHILD):
        return _child(names[0])
    unknown = [n for n in names if n not in ALL]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ALL)}", file=sys.stderr)
        return 2
    rows, memory = [], []
    for name in names or ALL:
        found, rss = _run(name)
        rows += found
        memory.append(f"{name} {rss:.0f} MB")
    print(f"firesweep benchmarks on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print_table(rows)
    print("peak RSS per benchmark (target ≤ 300 MB): " + ", ".join(memory))
    return 0


if __name__ == "__main__":   # not when a spawned worker process imports this module
    raise SystemExit(main(sys.argv[1:]))
