"""A busy hospital's year, exported and imported into an empty data directory, arrives whole.

Slow (building the year takes a minute or more), so it runs when FIRESWEEP_SLOW=1 (`make test-slow`);
the same round trip on small data runs in every suite (test_sync.py).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from app.bootstrap import build
from app.demo import build_demo
from app.domain.clock import FixedClock
from app.services import hazards as hazard_service
from app.services import sync
from app.services.integrity import verify_data
from tests.integration.sync_world import state

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("FIRESWEEP_SLOW") != "1", reason="slow: set FIRESWEEP_SLOW=1"),
    pytest.mark.timeout(3600),           # a year of data is built first
]


def test_unit_year_round_trip_verifies_and_gives_an_identical_ledger(tmp_path):
    source = tmp_path / "hospital"
    demo = build_demo(source, "unit-year", seed=1)
    # one day for both sides: the demo opens on its own date, the bureau's (real) data on today's
    clock = FixedClock(dt.datetime.combine(demo.today, dt.time(4), tzinfo=dt.UTC))
    hospital = build(source, clock=clock)
    bundle = tmp_path / "year.fsb"
    sync.export_bundle(hospital, bundle, full=True)

    bureau = build(tmp_path / "bureau", clock=clock)
    summary = sync.import_bundle(bureau, bundle)
    assert summary.new > 30_000 and summary.files_added > 6_000
    assert verify_data(bureau.repo.root).problems == []
    assert state(bureau) == state(hospital)
    ledger = [(h.id, h.status, h.deadline) for h in hazard_service.ledger(bureau, page_size=10_000).items]
    assert ledger == [(h.id, h.status, h.deadline) for h in hazard_service.ledger(hospital, page_size=10_000).items]
