"""A hazard raised from one chosen finding prints only that finding on the notice (pdftotext).

The notice names the place in its opening sentence and the hazard's area column; the description
itself never repeats it.
"""

from __future__ import annotations

import datetime as dt

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.domain.notice import Signature
from app.media.signature import render_signature
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services import photos as photo_service
from tests.integration.pdf_tools import pdf_text, squash
from tests.integration.photo_fixtures import jpeg

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


def test_the_notice_says_only_the_finding_chosen_and_the_location_once(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U03", InspectionKind.SPOT_CHECK, ["王喆", "张伟"])
    place = "住院部3号楼5层东侧"
    area = inspection_service.add_area(ctx, inspection.id, "inpatient_ward", place)
    inspection_service.record_response(ctx, inspection.id, area.id, "iw-12", Verdict.FAIL)
    hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, "iw-12", findings=["iw-12-pressure"])
    photo_service.add_hazard_photo(ctx, hazard.id, jpeg(800, 600), "p.jpg")
    pad = render_signature([[(0.1, 0.5), (0.4, 0.2), (0.7, 0.6), (0.9, 0.4)]])
    signatures = notice_service.Signatures((Signature("王喆", pad), Signature("张伟", pad)), Signature("李堃", pad))
    notice = notice_service.issue_notice(ctx, inspection.id, signatures)

    text = squash(pdf_text(notice_service.notice_pdf(ctx, notice.id)))
    assert squash("灭火器压力指针在红区（失压）") in text
    compound = ctx.catalog.checklist("inpatient_ward").item("iw-12").hazard_zh
    assert squash(compound) not in text
    for other in ("过期", "被遮挡", "报废", "消火栓箱"):
        assert other not in text, other
    assert text.count(squash("灭火器压力指针在红区（失压）")) == 1
    assert squash(place + "灭火器") not in text   # the area is its own column, not repeated in the description
