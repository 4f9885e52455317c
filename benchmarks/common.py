"""Timing helpers and the results table shared by every benchmark."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    figure: str
    median_ms: float
    p95_ms: float
    baseline: str = ""
    baseline_ms: float | None = None
    target: str = ""
    rss_mb: float | None = None   # the process's peak RSS once this figure was measured, before its baseline

    @property
    def ratio(self) -> str:
        if not self.baseline_ms:
            return ""
        return f"{self.baseline_ms / self.median_ms:.1f}× faster" if self.median_ms else ""


def measure(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB.

    Linux's VmHWM belongs to the process's own memory map; getrusage's ru_maxrss survives
    exec, so a spawned worker would report its parent's peak at the moment it was forked.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(rows: list[Row]) -> None:
    header = ("figure", "median ms", "p95 ms", "baseline", "baseline ms", "ratio", "target", "RSS MB")
    table = [header] + [
        (r.figure, f"{r.median_ms:.1f}", f"{r.p95_ms:.1f}", r.baseline,
         f"{r.baseline_ms:.1f}" if r.baseline_ms is not None else "", r.ratio, r.target,
         f"{r.rss_mb:.0f}" if r.rss_mb is not None else "")
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
