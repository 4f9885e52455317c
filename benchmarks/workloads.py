"""Deterministic workloads from `firesweep demo`, built once and kept in benchmarks/.work/."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from app.services.demo import build_demo

WORK = Path(__file__).resolve().parent / ".work"


def workload(scale: str, seed: int = 1) -> Path:
    """The data directory of a demo scale, built on first use (unit-year ~1 min, bureau ~20 min)."""
    target = WORK / f"{scale}-seed{seed}"
    done = target / ".complete"
    if not done.exists():
        shutil.rmtree(target, ignore_errors=True)
        print(f"building the {scale} workload (once)…", file=sys.stderr, flush=True)
        build_demo(target, scale, seed)
        done.write_text("ok")
    return target


def records_only_copy(source: Path) -> Path:
    """A scratch copy of a store's records (not its photos), for benchmarks that write."""
    scratch = Path(tempfile.mkdtemp(prefix="firesweep-bench-"))
    shutil.copytree(source, scratch / "data", ignore=shutil.ignore_patterns("photos", "pdfs", ".complete"))
    return scratch / "data"
