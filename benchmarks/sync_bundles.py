"""Export and import of a unit-month bundle; merging 36 unit bundles; re-importing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.domain.clock import local_date
from app.services import sync
from app.services.sync import _all_records

from .common import Row
from .workloads import workload

MONTH = (2026, 10)


def _month_start_vector(ctx) -> dict[str, int]:
    """What a peer that received everything up to the month's start would have acknowledged."""
    start = dt.date(*MONTH, 1)
    vector: dict[str, int] = {}
    for records in _all_records(ctx).values():
        for r in records:
            if local_date(r.updated_at) < start and r.rev > vector.get(r.device, -1):
                vector[r.device] = r.rev
    return vector


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run() -> list[Row]:
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-sync-"))
    try:
        unit_year = build(workload("unit-year"))
        target = build(tmp / "empty")   # the peer: it has acknowledged everything before the month
        with unit_year.repo.transaction():
            unit_year.repo.save_peer({"id": target.repo.device_id, "vector": _month_start_vector(unit_year)})
        bundle = tmp / "month.fsb"
        seconds, summary = _timed(lambda: sync.export_bundle(unit_year, bundle, to=target.repo.device_id))
        records = sum(summary.counts.values())
        photo_mb = sum(info.file_size for info in __import__("zipfile").ZipFile(bundle).infolist()
                       if info.filename.startswith("files/")) / 1e6
        rows.append(Row(f"export unit-month bundle: {records} records, {photo_mb:.0f} MB files "
                        f"→ {records / seconds:,.0f} rec/s, {photo_mb / seconds:,.0f} MB/s",
                        seconds * 1000, seconds * 1000, target="≥ 20,000 rec/s, ≥ 50 MB/s"))
        seconds, _ = _timed(lambda: sync.import_bundle(target, bundle))
        rows.append(Row(f"import it into an empty store → {records / seconds:,.0f} rec/s, "
                        f"{photo_mb / seconds:,.0f} MB/s", seconds * 1000, seconds * 1000,
                        target="≥ 20,000 rec/s, ≥ 50 MB/s"))
        seconds, _ = _timed(lambda: sync.import_bundle(target, bundle))
        rows.append(Row("re-import the same bundle", seconds * 1000, seconds * 1000, target="≤ 1000 ms"))

        bureau = build(workload("bureau"))
        bundles = []
        for unit in bureau.catalog.units.units:
            out = tmp / f"{unit.code}.fsb"
            sync.export_bundle(bureau, out, full=True, unit=unit.code)
            bundles.append(out)
        merged = build(tmp / "bureau-merge")
        seconds, _ = _timed(lambda: [sync.import_bundle(merged, b) for b in bundles])
        rows.append(Row("merge 36 unit bundles into an empty bureau store", seconds * 1000, seconds * 1000,
                        target="≤ 60 s"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows
