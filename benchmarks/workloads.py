"""Deterministic workloads from `firesweep demo`, built once and kept in benchmarks/.work/."""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app import demo

WORK = Path(__file__).resolve().parent / ".work"


def _demo_version() -> str:
    """A digest of the demo's code: a workload built by an older demo is built again."""
    sources = sorted(Path(demo.__file__).parent.glob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]


@dataclass(frozen=True)
class BuildCost:
    """What building a workload cost when it was built (kept in its `.complete` file)."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def workload(scale: str, seed: int = 1) -> Path:
    """The data directory of a demo scale, built on first use (unit-year ~4 min of CPU, bureau longer)."""
    target = WORK / f"{scale}-seed{seed}-{_demo_version()}"
    done = target / ".complete"
    if not done.exists():
        for old in WORK.glob(f"{scale}-seed{seed}*"):     # built by an older demo, or interrupted
            shutil.rmtree(old, ignore_errors=True)
        print(f"building the {scale} workload (once)…", file=sys.stderr, flush=True)
        done.write_text(json.dumps(_build(target, scale, seed).__dict__))
    return target


def _build(target: Path, scale: str, seed: int) -> BuildCost:
    """`firesweep demo` as a user runs it, in a process of its own: its time, CPU and memory are its own."""
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", "from app.cli import main; raise SystemExit(main())", "demo",
                    "--data", str(target), "--scale", scale, "--seed", str(seed)], check=True, stdout=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return BuildCost(time.perf_counter() - start, cpu, after.ru_maxrss / 1024)   # the largest child: this one


def build_cost(scale: str, seed: int = 1) -> BuildCost | None:
    """What the current workload cost to build, if that was recorded (None for a hand-made one)."""
    done = WORK / f"{scale}-seed{seed}-{_demo_version()}" / ".complete"
    try:
        return BuildCost(**json.loads(done.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def records_only_copy(source: Path) -> Path:
    """A scratch copy of a store's records (not its photos), for benchmarks that write."""
    scratch = Path(tempfile.mkdtemp(prefix="firesweep-bench-"))
    shutil.copytree(source, scratch / "data", ignore=shutil.ignore_patterns("photos", "pdfs", ".complete"))
    return scratch / "data"
