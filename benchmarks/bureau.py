"""Bureau scale: the ledger page over 36 units, merging 36 unit bundles, re-importing one."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.domain.model import Severity
from app.services import hazards as hazard_service
from app.services import sync

from .common import Row, measure, peak_rss_mb, summary
from .sync_bundles import naive_import
from .workloads import workload


def _ledger_rows(bureau: Path) -> list[Row]:
    ctx = build(bureau)
    hazard_service.ledger(ctx)   # warm the caches as the app does on its first ledger view
    page = summary(measure(lambda: hazard_service.ledger(ctx, severity=Severity.MAJOR, overdue=True), 15))
    full = summary(measure(lambda: hazard_service.ledger(ctx), 15))
    rss = peak_rss_mb()

    def naive() -> None:   # every hazard decoded from every file, filtered and sorted, each time
        hazard_service.ledger(build(bureau), severity=Severity.MAJOR, overdue=True)

    base = summary(measure(naive, 3, warmup=0))
    return [
        Row("ledger page at bureau (major + overdue, first 50)", *page, "re-read every file", base[0], "≤ 100 ms",
            rss),
        Row("ledger page at bureau (no filter, first 50)", *full, target="≤ 100 ms", rss_mb=rss),
    ]


def _merge_all(bundles: list[Path], target: Path) -> tuple[float, int, float]:
    """Import every bundle into a new store: (seconds, records new, peak RSS MB of this process)."""
    merged = build(target)
    start = time.perf_counter()
    records = sum(sync.import_bundle(merged, b).new for b in bundles)
    return time.perf_counter() - start, records, peak_rss_mb()


def _merge_rows(bureau: Path, tmp: Path) -> list[Row]:
    source = build(bureau)
    bundles = []
    for unit in source.catalog.units.units:   # what each unit's tablet would send: its whole campaign
        out = tmp / f"{unit.code}.fsb"
        sync.export_bundle(source, out, full=True, unit=unit.code)
        bundles.append(out)
    size_mb = sum(b.stat().st_size for b in bundles) / 1e6
    # In a fresh process: its peak memory is the merge's own, not this one's ledger and exports.
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        seconds, records, rss = pool.apply(_merge_all, (bundles, tmp / "bureau-merge"))
    merged = build(tmp / "bureau-merge")
    again = summary(measure(lambda: sync.import_bundle(merged, bundles[0]), 3, warmup=0))

    naive_dir = tmp / "naive"
    naive_dir.mkdir()
    start = time.perf_counter()
    for b in bundles:
        naive_import(b, naive_dir)
    base = time.perf_counter() - start
    return [
        Row(f"merge 36 unit bundles ({records:,} records, {size_mb:,.0f} MB) into an empty bureau store",
            seconds * 1000, seconds * 1000, "stock TinyDB, nothing checked", base * 1000, "≤ 60 s", rss),
        Row(f"re-import an already imported unit bundle ({bundles[0].stat().st_size / 1e6:.0f} MB)", *again,
            target="≤ 1000 ms", rss_mb=peak_rss_mb()),
    ]


def run() -> list[Row]:
    bureau = workload("bureau")
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-bureau-"))
    try:
        return _ledger_rows(bureau) + _merge_rows(bureau, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
