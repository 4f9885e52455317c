"""A hazard from a failed item is a draft until saved; moving the answer off 不合格 withdraws it.

One rule in the services (`record_response`, `save_item_hazard`, `cancel_failed_answer`), used
by the walk-through, the hazard form and the CLI alike.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.model import Severity, Verdict
from app.services import campaign_status, form_drafts, hazards, inspections, queries
from tests.unit.factories import TODAY, make_area, make_context

ITEM = "eo-06"


def failed_item(ctx, previous: Verdict | None = None):
    area = make_area(ctx, location_type="emergency_outpatient")
    if previous is not None:
        inspections.record_response(ctx, area.inspection_id, area.id, ITEM, previous)
    inspections.record_response(ctx, area.inspection_id, area.id, ITEM, Verdict.FAIL)
    return area


def live_hazards(ctx) -> list:
    return [h for h in ctx.repo.hazards() if not h.deleted]


def save(ctx, area, **changes):
    fields = {"description": "灭火器被杂物遮挡", "deadline": TODAY + dt.timedelta(days=3),
              "severity": Severity.GENERAL, "responsible": "李秀兰", "measures": "清理杂物", **changes}
    return hazards.save_item_hazard(ctx, area.inspection_id, area.id, ITEM, **fields)


def test_a_fail_answer_alone_raises_no_hazard_and_the_draft_is_prefilled_but_not_stored():
    ctx = make_context()
    area = failed_item(ctx)
    draft = hazards.draft_hazard(ctx, area.inspection_id, area.id, ITEM)
    assert draft.description == ctx.catalog.checklist("emergency_outpatient").item(ITEM).hazard_zh
    assert live_hazards(ctx) == []
    assert campaign_status.home_summary(ctx).open == 0


def test_saving_the_form_raises_the_hazard_once_and_saving_again_updates_it():
    ctx = make_context()
    area = failed_item(ctx)
    first = save(ctx, area)
    again = save(ctx, area, measures="移走纸箱")
    assert first.id == again.id and again.measures == "移走纸箱" and again.responsible == "李秀兰"
    assert [h.id for h in live_hazards(ctx)] == [first.id]
    assert campaign_status.home_summary(ctx).open == 1


def test_saving_a_hazard_for_an_item_not_answered_fail_is_refused_and_changes_nothing():
    ctx = make_context()
    area = make_area(ctx, location_type="emergency_outpatient")
    inspections.record_response(ctx, area.inspection_id, area.id, ITEM, Verdict.PASS)
    with pytest.raises(InvalidInput) as refused:
        save(ctx, area)
    assert refused.value.reason == "not_failed"
    assert live_hazards(ctx) == []


@pytest.mark.parametrize("verdict", [Verdict.PASS, Verdict.NOT_APPLICABLE])
def test_changing_the_answer_away_from_fail_withdraws_its_hazard_with_an_audited_reason(verdict):
    ctx = make_context()
    area = failed_item(ctx)
    hazard = save(ctx, area)
    inspections.record_response(ctx, area.inspection_id, area.id, ITEM, verdict)
    assert live_hazards(ctx) == []
    assert campaign_status.home_summary(ctx).open == 0
    assert hazards.ledger(ctx).total == 0
    withdrawn = [e for e in ctx.repo.audit() if e.entity_id == hazard.id and e.action == "withdraw"]
    assert len(withdrawn) == 1 and "改判" in withdrawn[0].note
    assert queries.hazard_for_item(ctx, area.inspection_id, area.id, ITEM) is None


def test_answering_fail_again_keeps_the_hazard():
    ctx = make_context()
    area = failed_item(ctx)
    hazard = save(ctx, area)
    inspections.record_response(ctx, area.inspection_id, area.id, ITEM, Verdict.FAIL, note="仍然遮挡")
    assert [h.id for h in live_hazards(ctx)] == [hazard.id]


def test_a_hazard_on_an_issued_notice_is_not_withdrawn_by_a_new_answer_and_nothing_changes(monkeypatch):
    ctx = make_context()
    area = failed_item(ctx)
    hazard = save(ctx, area)

    class Issued:
        deleted, hazard_ids = False, (hazard.id,)

    monkeypatch.setattr(ctx.repo, "notices", lambda unit=None: [Issued()])
    before = list(ctx.repo.audit())
    with pytest.raises(IllegalTransition):
        inspections.record_response(ctx, area.inspection_id, area.id, ITEM, Verdict.PASS)
    assert list(ctx.repo.audit()) == before
    assert queries.answers_of_area(ctx, area.inspection_id, area.id)[ITEM].verdict is Verdict.FAIL


@pytest.mark.parametrize("previous", [None, Verdict.PASS])
def test_cancelling_an_unsaved_draft_returns_the_answer_to_what_it_was(previous):
    ctx = make_context()
    area = failed_item(ctx, previous)
    inspections.cancel_failed_answer(ctx, area.inspection_id, area.id, ITEM, previous)
    answers = queries.answers_of_area(ctx, area.inspection_id, area.id)
    assert (answers[ITEM].verdict if ITEM in answers else None) is previous
    assert live_hazards(ctx) == []


def test_cancelling_a_draft_whose_photo_stored_the_hazard_withdraws_it():
    ctx = make_context()
    area = failed_item(ctx)
    hazard = save(ctx, area)     # what the draft's first photo does
    inspections.cancel_failed_answer(ctx, area.inspection_id, area.id, ITEM, None)
    assert live_hazards(ctx) == []
    assert any(e.entity_id == hazard.id and e.action == "withdraw" and "取消" in e.note for e in ctx.repo.audit())
    # answering fail again starts a fresh draft, with no hazard behind it
    inspections.record_response(ctx, area.inspection_id, area.id, ITEM, Verdict.FAIL)
    assert queries.hazard_for_item(ctx, area.inspection_id, area.id, ITEM) is None


def test_a_form_draft_keeps_what_was_typed_until_discarded():
    ctx = make_context()
    form_drafts.keep_draft(ctx, "hazard:x", {"description": "甲", "measures": "乙"})
    form_drafts.keep_draft(ctx, "hazard:x", {"measures": "丙"})
    assert form_drafts.load_draft(ctx, "hazard:x") == {"description": "甲", "measures": "丙"}
    assert form_drafts.load_draft(ctx, "hazard:y") == {}
    form_drafts.discard_draft(ctx, "hazard:x")
    assert form_drafts.load_draft(ctx, "hazard:x") == {}
