"""Laws of the merge, on real stores: for random histories on three devices, importing their
bundles in any order, any number of times, gives identical stores, and nothing acknowledged is lost.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.model import InspectionKind, Verdict
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import sync
from tests.integration.sync_world import device, state

NAMES = ("王喆", "李堃", "张伟")

operation = st.one_of(
    st.tuples(st.just("raise"), st.integers(0, 2), st.sampled_from(["U01", "U02"])),
    st.tuples(st.just("assign"), st.integers(0, 2), st.text("甲乙丙丁戊", min_size=1, max_size=4)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 2)),
)


def raise_one(ctx, unit: str):
    inspection = inspection_service.start_inspection(ctx, unit, InspectionKind.SELF_CHECK, [ctx.actor])
    area = inspection_service.add_area(ctx, inspection.id, "basement", "地下一层")
    inspection_service.record_response(ctx, inspection.id, area.id, "bs-01", Verdict.FAIL)
    return hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-01")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(operation, min_size=3, max_size=10), repeats=st.integers(1, 2))
def test_merge_is_order_free_idempotent_and_loses_nothing(history, repeats):
    root = Path(tempfile.mkdtemp())
    try:
        devices = [device(root / f"d{i}", actor=NAMES[i]) for i in range(3)]
        acknowledged = []   # every hazard version a service returned: the user saw it saved
        for op, who, arg in history:
            ctx = devices[who]
            if op == "raise":
                acknowledged.append(raise_one(ctx, arg))
            elif op == "assign":
                known = [h for h in ctx.repo.hazards() if not h.deleted]
                if known:
                    acknowledged.append(hazard_service.update_hazard(ctx, known[0].id, responsible=arg))
            elif who != arg:
                bundle = root / f"sync-{len(acknowledged)}-{who}-{arg}.fsb"
                sync.export_bundle(devices[arg], bundle, full=True)
                sync.import_bundle(ctx, bundle)
        bundles = []
        for i, ctx in enumerate(devices):
            bundles.append(root / f"final-{i}.fsb")
            sync.export_bundle(ctx, bundles[-1], full=True)

        results = []
        for n, order in enumerate(itertools.permutations(bundles)):
            fresh = device(root / f"merge-{n}")
            for bundle in order:
                for _ in range(repeats):
                    sync.import_bundle(fresh, bundle)
            results.append(state(fresh))
        assert all(r == results[0] for r in results), "import order changed the result"

        merged = results[0]["records"]["hazard"]
        for version in acknowledged:
            kept = merged[version.id]
            assert (kept["rev"], kept["device"]) >= (version.rev, version.device), "an acknowledged change was lost"

        for ctx in devices:   # every device converges on the same state once it has seen all bundles
            for bundle in bundles:
                sync.import_bundle(ctx, bundle)
            assert state(ctx) == results[0]
    finally:
        shutil.rmtree(root, ignore_errors=True)
