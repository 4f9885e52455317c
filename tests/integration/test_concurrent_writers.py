"""Concurrent writers never corrupt the store or lose a write.

Two app sessions in one process (two browser tabs) share one context; a second process (a CLI
import while the app is open) has its own repository on the same directory.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.services import catalog as catalog_service
from app.services import inspections as inspection_service
from app.services.context import Context
from app.services.integrity import verify_data
from app.store.tinystore import TinyRepository

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC))
ROUNDS = 30


def context(root) -> Context:
    return Context(repo=TinyRepository.open(root), catalog=catalog_service.load(), clock=CLOCK, actor="王喆")


def setup(root):
    ctx = context(root)
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    areas = [inspection_service.add_area(ctx, inspection.id, "basement", f"地下{n}层") for n in range(4)]
    return ctx, inspection, areas


def answer_all(ctx: Context, inspection_id: str, area_id: str) -> None:
    items = [i.id for i in ctx.catalog.checklist("basement").items]
    for round_ in range(ROUNDS):
        item = items[round_ % len(items)]
        inspection_service.record_response(ctx, inspection_id, area_id, item, Verdict.FAIL, note=f"第{round_}次")


def _process_writer(root, inspection_id, area_id):
    answer_all(context(root), inspection_id, area_id)


def expected_notes(ctx, inspection_id, area_id) -> dict[str, str]:
    return {r.item_id: r.note for r in ctx.repo.responses(inspection_id) if r.area_id == area_id}


def test_two_sessions_in_one_process_and_a_second_process_lose_nothing(tmp_path):
    root = tmp_path / "data"
    ctx, inspection, areas = setup(root)
    other_repo_ctx = context(root)  # a second repository in this process, like a second app instance
    process = multiprocessing.get_context("fork").Process(
        target=_process_writer, args=(root, inspection.id, areas[3].id)
    )
    threads = [
        threading.Thread(target=answer_all, args=(ctx, inspection.id, areas[0].id)),
        threading.Thread(target=answer_all, args=(ctx, inspection.id, areas[1].id)),
        threading.Thread(target=answer_all, args=(other_repo_ctx, inspection.id, areas[2].id)),
    ]
    process.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    process.join(60)
    assert process.exitcode == 0

    fresh = context(root)
    items = fresh.catalog.checklist("basement").items
    last_round_of = {item.id: max(r for r in range(ROUNDS) if r % len(items) == i) for i, item in enumerate(items)}
    for area in areas:
        notes = expected_notes(fresh, inspection.id, area.id)
        assert notes == {item: f"第{last}次" for item, last in last_round_of.items()}, area.name
    assert len(fresh.repo.responses(inspection.id)) == 4 * len(items)  # one response per item, never two
    updates = [e for e in fresh.repo.audit() if e.entity == "response"]
    assert len(updates) == 4 * ROUNDS  # every write left its audit event: none was lost
    assert verify_data(root).problems == []
