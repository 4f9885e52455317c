"""Bureau scale: the ledger page over 36 units, merging 36 unit bundles, re-importing one."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from app.bootstrap import build
from app.demo.simulation import PARTS
from app.domain import lifecycle
from app.domain.issuers import next_serial, parse_number
from app.domain.model import Severity
from app.services import hazards as hazard_service
from app.services import notices, sync
from app.services.issuers import number_block

from .common import Row, measure, peak_rss_mb, summary
from .sync_bundles import naive_import
from .workloads import build_cost, workload


def _ledger_rows(bureau: Path) -> list[Row]:
    ctx = build(bureau)
    hazard_service.ledger(ctx)   # warm the caches as the app does on its first ledger view
    page = summary(measure(lambda: hazard_service.ledger(ctx, severity=Severity.MAJOR, overdue=True), 15))
    full = summary(measure(lambda: hazard_service.ledger(ctx), 15))
    rss = peak_rss_mb()

    def naive() -> None:   # every hazard decoded from every file, filtered and sorted, each time
        hazard_service.ledger(build(bureau), severity=Severity.MAJOR, overdue=True)

    base = summary(measure(naive, 3, warmup=0))

    def stock_tinydb() -> None:   # what the first view reads, as stock TinyDB reads it (nothing decoded)
        for path in sorted(bureau.glob("units/*/hazards/*.json")):
            TinyDB(path).table("hazard").all()

    stock = summary(measure(stock_tinydb, 3, warmup=0))

    def sort_all() -> None:   # the page as it was made before: every hazard sorted, then sliced
        today = ctx.today()
        hazards = [h for h in ctx.repo.hazards() if not h.deleted]
        hazards.sort(key=lambda h: (not lifecycle.is_overdue(h, today), h.deadline, h.created_at, h.id))
        hazards[:50]

    sorted_all = summary(measure(sort_all, 15))
    return [
        Row("ledger page at bureau (major + overdue, first 50)", *page, "re-read every file", base[0], "≤ 100 ms",
            rss),
        Row("ledger page at bureau (no filter, first 50)", *full, "sort every hazard", sorted_all[0], "≤ 20 ms", rss),
        Row("first ledger view after opening the bureau's store (every hazard file read and decoded)", *base,
            "stock TinyDB reading the hazard tables", stock[0]),
    ]


def _numbering_rows(bureau: Path) -> list[Row]:
    """The next notice number in the busiest series at the bureau: the store's used numbers against
    decoding every notice and parsing every number, as issuing did before (`next_serial` on a list)."""
    ctx = build(bureau)
    start = time.perf_counter()
    numbers = [n.number for n in ctx.repo.notices()]   # the baseline's first pass, cold: decodes them all
    decode_all_cold = (time.perf_counter() - start) * 1000
    series = [p[:2] for p in map(parse_number, numbers) if p]
    prefix, year = max(set(series), key=series.count)
    fresh = build(bureau)
    start = time.perf_counter()
    notices._next_number(fresh, prefix, year)
    cold = (time.perf_counter() - start) * 1000
    warm = summary(measure(lambda: notices._next_number(fresh, prefix, year), 30))
    block = number_block(ctx, prefix)

    def naive() -> None:   # the decoded notices are cached; every number is parsed again, each time
        next_serial([n.number for n in ctx.repo.notices()], prefix, year, block)

    base = summary(measure(naive, 15))
    return [
        Row(f"next notice number at bureau ({len(numbers):,} notices), warm", *warm,
            "decode and parse every notice", base[0]),
        Row("… the first after opening the store", cold, cold, "decode and parse every notice, cold", decode_all_cold),
    ]


def _merge_all(bundles: list[Path], target: Path) -> tuple[float, int, float]:
    """Import every bundle into a new store: (seconds, records new, peak RSS MB of this process)."""
    merged = build(target)
    start = time.perf_counter()
    records = sum(sync.import_bundle(merged, b).new for b in bundles)
    return time.perf_counter() - start, records, peak_rss_mb()


def _ledger_times(store: Path) -> tuple[tuple[float, float], tuple[float, float], float]:
    """The ledger page (no filter; major + overdue) in a store opened afresh, warm, and the RSS."""
    ctx = build(store)
    hazard_service.ledger(ctx)
    full = summary(measure(lambda: hazard_service.ledger(ctx), 15))
    major = summary(measure(lambda: hazard_service.ledger(ctx, severity=Severity.MAJOR, overdue=True), 15))
    return full, major, peak_rss_mb()


def _in_fresh_process(work, *args):
    """Run `work` in a spawned process: its peak memory is its own, not this one's."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(work, args)


# Units merged into one bureau store, for the scale model (docs/performance.md). 72 (only with
# FIRESWEEP_BENCH_72=1: it builds a second bureau workload) is the 36 units twice: a second,
# independent simulation of the campaign (seed 2) merged on top of the first, so every unit holds
# two campaigns' records: the volume of 72 units, in 36 units' folders.
SCALE_STEPS = (9, 18, 36, 72)


def _unit_bundles(store: Path, tmp: Path, tag: str) -> list[Path]:
    """What each unit's tablet would send: its whole campaign, one bundle per unit."""
    source = build(store)
    bundles = []
    for unit in source.catalog.units.units:
        out = tmp / f"{tag}-{unit.code}.fsb"
        sync.export_bundle(source, out, full=True, unit=unit.code)
        bundles.append(out)
    return bundles


def _merge_rows(bureau: Path, tmp: Path) -> list[Row]:
    bundles = _unit_bundles(bureau, tmp, "a")
    steps = [n for n in SCALE_STEPS if n <= 36 or os.environ.get("FIRESWEEP_BENCH_72") == "1"]
    if 72 in steps:
        bundles += _unit_bundles(workload("bureau", seed=2), tmp, "b")
    os.sync()   # the exports' gigabytes on disk now: not charged to the first merge's own sync
    rows = []
    for units in steps:
        chosen = bundles[:units]
        size_mb = sum(b.stat().st_size for b in chosen) / 1e6
        target = tmp / f"merge-{units}"
        seconds, records, rss = _in_fresh_process(_merge_all, chosen, target)
        full, major, ledger_rss = _in_fresh_process(_ledger_times, target)
        rows += [
            Row(f"scale model: merge {units} unit bundles ({records:,} records, {size_mb:,.0f} MB)",
                seconds * 1000, seconds * 1000, target="≤ 60 s at 36" if units == 36 else "", rss_mb=rss),
            Row(f"scale model: ledger page at {units} units, no filter", *full, target="≤ 20 ms", rss_mb=ledger_rss),
            Row(f"scale model: ledger page at {units} units, major + overdue", *major, target="≤ 100 ms"),
        ]
        if units != 36:
            shutil.rmtree(target, ignore_errors=True)
    bundles = bundles[:36]
    merged = build(tmp / "merge-36")
    again = summary(measure(lambda: sync.import_bundle(merged, bundles[0]), 3, warmup=0))

    naive_dir = tmp / "naive"
    naive_dir.mkdir()
    start = time.perf_counter()
    for b in bundles:
        naive_import(b, naive_dir)
    base = time.perf_counter() - start
    whole = next(r for r in rows if r.figure.startswith("scale model: merge 36"))
    return [
        *rows,
        Row(whole.figure.replace("scale model: merge", "merge").replace(")", ") into an empty bureau store"),
            whole.median_ms, whole.p95_ms, "stock TinyDB, nothing checked", base * 1000, "≤ 60 s, ≤ 300 MB",
            whole.rss_mb),
        Row(f"re-import an already imported unit bundle ({bundles[0].stat().st_size / 1e6:.0f} MB)", *again,
            target="≤ 1000 ms", rss_mb=peak_rss_mb()),
    ]


def _build_row() -> Row:
    """`firesweep demo --scale bureau`, as long as it took when this workload was built."""
    cost = build_cost("bureau")
    if cost is None:
        return Row("firesweep demo --scale bureau: not recorded (workload built by hand)", 0, 0, target="≤ 5 min")
    return Row(f"firesweep demo --scale bureau, in {PARTS['bureau']} parts ({cost.cpu_seconds:,.0f} s of CPU; "
               "RSS: its largest process)", cost.seconds * 1000, cost.seconds * 1000, target="≤ 5 min on 2 cores",
               rss_mb=cost.peak_rss_mb)


def run() -> list[Row]:
    bureau = workload("bureau")
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-bureau-"))
    try:
        return [_build_row(), *_ledger_rows(bureau), *_numbering_rows(bureau), *_merge_rows(bureau, tmp)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
