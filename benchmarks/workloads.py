"""Deterministic workloads from `firesweep demo`, built once and kept in benchmarks/.work/."""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

from app import demo
from app.demo import build_demo

WORK = Path(__file__).resolve().parent / ".work"


def _demo_version() -> str:
    """A digest of the demo's code: a workload built by an older demo is built again."""
    sources = sorted(Path(demo.__file__).parent.glob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]


def workload(scale: str, seed: int = 1) -> Path:
    """The data directory of a demo scale, built on first use (unit-year ~4 min of CPU, bureau over 50 min)."""
    target = WORK / f"{scale}-seed{seed}-{_demo_version()}"
    done = target / ".complete"
    if not done.exists():
        for old in WORK.glob(f"{scale}-seed{seed}*"):     # built by an older demo, or interrupted
            shutil.rmtree(old, ignore_errors=True)
        print(f"building the {scale} workload (once)…", file=sys.stderr, flush=True)
        build_demo(target, scale, seed)
        done.write_text("ok")
    return target


def records_only_copy(source: Path) -> Path:
    """A scratch copy of a store's records (not its photos), for benchmarks that write."""
    scratch = Path(tempfile.mkdtemp(prefix="firesweep-bench-"))
    shutil.copytree(source, scratch / "data", ignore=shutil.ignore_patterns("photos", "pdfs", ".complete"))
    return scratch / "data"
