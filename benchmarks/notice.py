"""The notice PDF for 10 hazards with 20 photos: warm, in a fresh process, and naive reportlab."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import build
from app.documents.notice_pdf import render_notice
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.domain.notice import Signature
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services import photos as photo_service

from .common import Row, measure, summary
from .photo_pipeline import twelve_megapixel_jpeg

SIGNATURES = notice_service.Signatures((Signature("王喆"), Signature("张伟")), Signature("李堃"))
FRESH = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from app.bootstrap import build
from app.domain.notice import Signature
from app.services import notices
signatures = notices.Signatures((Signature("王喆"), Signature("张伟")), Signature("李堃"))
notices.issue_notice(build(Path(sys.argv[1])), sys.argv[2], signatures)
print(time.perf_counter() - started)
"""


def _inspection(ctx, original: bytes) -> str:
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SPOT_CHECK, ["王喆", "张伟"])
    area = inspection_service.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层")
    for item in ctx.catalog.checklist("inpatient_ward").items[:10]:
        inspection_service.record_response(ctx, inspection.id, area.id, item.id, Verdict.FAIL)
        hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, item.id)
        for n in range(2):
            photo_service.add_hazard_photo(ctx, hazard.id, original, f"IMG_{n}.jpg")
    return inspection.id


def run() -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-notice-"))
    try:
        original = twelve_megapixel_jpeg()
        ctx = build(tmp / "data", FixedClock(dt.datetime(2026, 7, 10, 2, tzinfo=dt.UTC)))
        waiting = [_inspection(ctx, original) for _ in range(7)]
        naive_content = notice_service.preview_content(ctx, waiting[0], SIGNATURES)
        warm = summary(measure(lambda: notice_service.issue_notice(ctx, waiting.pop(), SIGNATURES), 5))
        fresh = float(subprocess.run([sys.executable, "-c", FRESH, str(tmp / "data"), waiting.pop()],
                                     capture_output=True, text=True, check=True).stdout) * 1000
        start = time.perf_counter()
        render_notice(naive_content, lambda sha: original)   # the 12 MP originals, as a naive app would
        naive = (time.perf_counter() - start) * 1000
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        Row("notice PDF, 10 hazards / 20 photos, warm", *warm, "12 MP originals", naive, "≤ 500 ms"),
        Row("notice PDF, 10 hazards / 20 photos, fresh process (imports included)", fresh, fresh, target="≤ 2000 ms"),
    ]
