"""Recording a response and opening the data at unit-year, against stock one-file TinyDB."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from app.bootstrap import build
from app.domain.model import InspectionKind, Verdict
from app.services import inspections as inspection_service
from app.store.codec import to_doc
from app.store.readonly import scan

from .common import Row, measure, peak_rss_mb, summary
from .workloads import records_only_copy, workload

RESPONSES = 300
BASELINE_INSERTS = 8


def one_file_baseline(source: Path, folder: Path) -> Path:
    """Every record of the store in one stock TinyDB JSON file, as a naive app would keep it."""
    snapshot = scan(source)
    path = folder / "everything.json"
    everything = {**snapshot.records, "audit": snapshot.audit}
    tables = {kind: {str(n): to_doc(r) for n, r in enumerate(records, 1)} for kind, records in everything.items()}
    path.write_text(json.dumps(tables, ensure_ascii=False))
    return path


def record_responses(data: Path) -> list[float]:
    ctx = build(data)
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    areas = [inspection_service.add_area(ctx, inspection.id, c.id, f"区域{n}")
             for n, c in enumerate(ctx.catalog.checklists)]
    jobs = [(a, item.id) for a in areas for item in ctx.catalog.checklist(a.checklist_id).items]
    samples = []
    for n in range(RESPONSES):
        area, item = jobs[n % len(jobs)]
        start = time.perf_counter()
        inspection_service.record_response(ctx, inspection.id, area.id, item, Verdict.PASS if n % 9 else Verdict.FAIL)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def open_fresh(data: Path) -> tuple[float, float]:
    """(median ms, peak RSS MB) of a fresh process opening the data up to the home screen's figures."""
    code = ("import resource, time; t=time.perf_counter(); from app.bootstrap import build; "
            "from app.services.campaign_status import home_summary; "
            f"home_summary(build(__import__('pathlib').Path({str(data)!r}))); "
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    runs = sorted(tuple(map(float, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                 check=True).stdout.split())) for _ in range(3))
    return runs[1][0] * 1000, runs[1][1]


def open_baseline(path: Path) -> float:
    code = (f"import time; t=time.perf_counter(); from tinydb import TinyDB; db=TinyDB({str(path)!r}); "
            "[db.table(n).all() for n in db.tables()]; print(time.perf_counter()-t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    return sorted(runs)[1] * 1000


def run() -> list[Row]:
    unit_year = workload("unit-year")
    rows = []
    scratch = records_only_copy(unit_year)
    folder = Path(tempfile.mkdtemp(prefix="firesweep-baseline-"))
    try:
        samples = record_responses(scratch)
        rss = peak_rss_mb()
        # before the baseline is built: a child inherits its parent's peak RSS across exec on Linux
        opened, opened_rss = open_fresh(unit_year)
        median, _ = summary(samples)
        p99 = sorted(samples)[int(0.99 * (len(samples) - 1))]
        baseline_file = one_file_baseline(unit_year, folder)
        with TinyDB(baseline_file) as db:   # stock JSONStorage: rewrites the whole file per insert
            doc = {"id": "x", "verdict": "pass", "note": ""}
            base = summary(measure(lambda: db.table("response").insert(dict(doc)), BASELINE_INSERTS, warmup=1))
        rows.append(Row(f"record one response, durable, unit-year (p99 {p99:.1f} ms)", median, p99,
                        "one-file TinyDB", base[0], "p50 ≤ 5, p99 ≤ 20 ms, ≥ 100×", rss))
        rows.append(Row("open the data at unit-year (fresh process → home figures)", opened, opened,
                        "one-file TinyDB open", open_baseline(baseline_file), "≤ 1000 ms", opened_rss))
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return rows
