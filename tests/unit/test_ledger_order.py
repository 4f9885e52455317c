"""The ledger's order, page by page, is the rule "overdue first, then by deadline" (issue 19 made
the page pick from the hazards instead of sorting them all; the order must not move)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import lifecycle
from app.domain.model import HazardStatus
from app.services import hazards as hazard_service
from tests.unit.factories import SHANGHAI_NOON, TODAY, build_hazard, make_context

_STATUSES = [HazardStatus.OPEN, HazardStatus.RECTIFYING, HazardStatus.RECTIFIED, HazardStatus.VERIFIED]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-20, 20), st.integers(0, 5), st.sampled_from(_STATUSES)), max_size=60),
    st.integers(1, 7),
)
def test_pages_put_together_are_the_whole_ledger_in_its_order(rows, page_size):
    ctx = make_context()
    made = []
    with ctx.repo.transaction():
        for n, (days, minutes, status) in enumerate(rows):
            hazard = build_hazard(id=f"h{n:03d}", status=status, deadline=TODAY + dt.timedelta(days=days),
                                  created_at=SHANGHAI_NOON - dt.timedelta(minutes=minutes))
            ctx.repo.save_hazard(hazard)
            made.append(hazard)
    expected = sorted(made, key=lambda h: (not lifecycle.is_overdue(h, TODAY), h.deadline, h.created_at, h.id))
    pages = []
    for number in range(len(made) // page_size + 2):   # one page past the end is empty
        page = hazard_service.ledger(ctx, page=number, page_size=page_size)
        assert page.total == len(made)
        pages += page.items
    assert [h.id for h in pages] == [h.id for h in expected]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5), st.sampled_from(list(HazardStatus)), st.booleans()), max_size=30))
def test_overdue_among_is_is_overdue_for_each_hazard(rows):
    """The ledger's one-pass rule keeps the rule `is_overdue` states, hazard by hazard, both halves."""
    made = [build_hazard(id=f"h{n}", status=status, deleted=deleted, deadline=TODAY + dt.timedelta(days=days))
            for n, (days, status, deleted) in enumerate(rows)]
    late = [lifecycle.is_overdue(h, TODAY) for h in made]
    assert lifecycle.overdue_among(made, TODAY) == [h for h, is_late in zip(made, late, strict=True) if is_late]
    assert lifecycle.overdue_among(made, TODAY, overdue=False) == [
        h for h, is_late in zip(made, late, strict=True) if not is_late]
