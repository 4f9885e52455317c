"""Two app sessions (two browser tabs) on one shared context write at once, while a third thread
ingests photos the way `ui.slow` does: no answer, photo or audit event is lost, and `verify`
passes. (tests/integration/test_concurrent_writers.py covers threads and processes on the
services; this drives the real screens.)

Each tab is a real Flet page on its own event loop in its own thread, clicking "pass" through
every item of its own area, as fast as it can.
"""

from __future__ import annotations

import datetime as dt
import threading

from app.domain.model import InspectionKind, Verdict
from app.services import hazards, inspections, photos
from app.services.integrity import verify_data
from app.ui.shell import context_for
from tests.integration.photo_fixtures import jpeg
from tests.ui.inprocess import click, open_page, run

WARD = "inpatient_ward"


def test_two_tabs_and_a_photo_thread_writing_at_once_lose_nothing(tmp_path, monkeypatch):
    root = tmp_path / "data"
    monkeypatch.setenv("FIRESWEEP_DATA", str(root))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    ctx = context_for(root)   # the context every tab of this process shares
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"], dt.date(2026, 7, 10))
    areas = [inspections.add_area(ctx, inspection.id, WARD, f"住院部{n}层") for n in (1, 2)]
    inspections.record_response(ctx, inspection.id, areas[0].id, "iw-01", Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection.id, areas[0].id, "iw-01")
    items = [i.id for i in ctx.catalog.checklist(WARD).items]
    errors: list[BaseException] = []

    def tab(area_id: str) -> None:
        async def body() -> None:
            page, client = await open_page(f"/i/{inspection.id}/a/{area_id}/{items[1]}")
            for _ in items[1:]:
                await click(page, client, "verdict-pass")
        try:
            run(body)
        except BaseException as error:   # surfaced below, with the thread's name
            errors.append(error)

    def photographer() -> None:
        try:
            for n in range(4):
                photos.add_hazard_photo(ctx, hazard.id, jpeg(180 + n, 120), f"{n}.jpg")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=tab, args=(a.id,)) for a in areas] + [threading.Thread(target=photographer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors

    fresh = context_for.__wrapped__(root)   # a fresh read from disk, not the shared caches
    for area in areas:
        answered = {r.item_id: r.verdict for r in fresh.repo.responses(inspection.id) if r.area_id == area.id}
        assert {i for i, v in answered.items() if v is Verdict.PASS} == set(items[1:]), area.name
    assert len(fresh.repo.get_hazard(hazard.id).photos) == 4
    creates = [e for e in fresh.repo.audit() if e.entity == "response" and e.action == "create"]
    assert len(creates) == 2 * (len(items) - 1) + 1   # every answer by both tabs left its event
    assert verify_data(root).problems == []
