"""`firesweep demo`: a realistic, deterministic data set built through the services, on real TinyDB files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import bootstrap
from app.cli import main
from app.demo import DemoSummary, build_demo
from app.demo.enrollment import TABLETS, tablets_dir
from app.domain.authority import Role
from app.domain.clock import FixedClock
from app.domain.errors import Forbidden, InvalidInput
from app.domain.model import Flag, HazardStatus, InspectionKind, Severity
from app.services import authority, hazards, inspections
from app.services.context import Context
from app.services.integrity import verify_data


def open_demo(path: Path, summary: DemoSummary) -> Context:
    noon = dt.datetime.combine(summary.today, dt.time(4), tzinfo=dt.UTC)
    return bootstrap.build(path, clock=FixedClock(noon))


def all_hazards(ctx: Context):
    return hazards.ledger(ctx, page_size=100_000).items


def content(ctx: Context) -> tuple[list, list]:
    """What the same seed must reproduce, ids aside."""
    visits = sorted((i.unit, i.date, i.kind.value, i.inspectors, i.status.value, len(i.source_hazards))
                    for i in ctx.repo.inspections())
    found = sorted((h.unit, h.description, h.status.value, h.deadline, h.severity.value, h.flags, h.responsible,
                    str(h.funds)) for h in all_hazards(ctx))
    return visits, found


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "data"
    return path, build_demo(path, "small", seed=1)


def test_small_demo_has_hazards_in_every_status_severity_and_flag(small):
    path, summary = small
    ctx = open_demo(path, summary)
    found = all_hazards(ctx)
    assert {h.status for h in found} == set(HazardStatus)
    assert {h.severity for h in found} == set(Severity)
    assert {f for h in found for f in h.flags} == set(Flag)
    assert summary.hazards == len(found) and 20 <= len(found) <= 80
    assert summary.by_status == {s.value: sum(h.status is s for h in found) for s in HazardStatus}
    assert summary.inspections == len(ctx.repo.inspections()) == 10 and summary.units == 3


def test_small_demo_obeys_the_campaign_rules(small):
    path, summary = small
    ctx = open_demo(path, summary)
    visits = ctx.repo.inspections()
    assert all(len(i.inspectors) >= 2 for i in visits if i.kind is InspectionKind.SPOT_CHECK)
    assert {i.kind for i in visits} == set(InspectionKind)
    campaign = ctx.catalog.campaign
    assert all(campaign.start <= i.date <= campaign.end for i in visits)
    answered = failed = 0
    for visit in visits:
        for area in inspections.area_progress(ctx, visit.id):
            assert area.answered == area.total, area.area.name   # every item of the checklist answered
            answered, failed = answered + area.answered, failed + area.failed
    assert answered == summary.responses and 0.05 <= failed / answered <= 0.15
    for hazard in all_hazards(ctx):
        assert hazard.responsible or hazard.status is HazardStatus.OPEN
        if hazard.status is HazardStatus.VERIFIED:
            assert hazard.verifications[-1].passed and hazard.verifications[-1].by != hazard.rectification.by
        if hazard.status is HazardStatus.DEFERRED:
            assert 2 <= len(hazard.deferral.plan) <= 3 and hazard.deferral.temporary_measures


def test_same_seed_builds_the_same_content(small, tmp_path):
    path, summary = small
    again = build_demo(tmp_path / "again", "small", seed=1)
    assert again == summary
    assert content(open_demo(tmp_path / "again", again)) == content(open_demo(path, summary))
    other = build_demo(tmp_path / "other", "small", seed=2)
    assert content(open_demo(tmp_path / "other", other)) != content(open_demo(path, summary))


def test_a_directory_with_inspections_is_refused_and_left_alone(small):
    path, summary = small
    with pytest.raises(InvalidInput) as refused:
        build_demo(path, "small", seed=3)
    assert refused.value.reason == "not_empty"
    assert len(open_demo(path, summary).repo.inspections()) == summary.inspections


def test_cli_builds_and_prints_the_summary(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path / "zh")]) == 0
    out = capsys.readouterr().out
    assert "10 次检查" in out and "已复查销号" in out and "2026-10-31" in out
    assert main(["--lang", "en", "demo", "--data", str(tmp_path / "en"), "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Done: 3 units, 10 inspections" in out and "verified" in out


def test_cli_refuses_a_directory_with_inspections(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "demo", "--data", str(tmp_path)]) == 2
    assert "already holds inspections" in capsys.readouterr().err


def test_small_demo_passes_verify_with_real_photo_files(small):
    path, _ = small
    report = verify_data(path)
    assert report.problems == []
    assert report.photos_checked > 40 and report.records["photo"] > 40


def test_a_demo_opens_on_its_own_date_and_real_data_on_todays(small, tmp_path):
    path, summary = small
    demo = bootstrap.build(path)                          # no clock given: what the app and CLI do
    assert demo.today() == summary.today
    first = demo.now()
    assert demo.now() >= first                            # time still flows inside the demo's day
    assert bootstrap.build(tmp_path / "real").today() == dt.datetime.now(dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=8))).date()


def test_the_demo_is_the_bureaus_enrolled_device_with_unit_tablets_beside_it(small, tmp_path, capsys):
    path, summary = small
    bureau = open_demo(path, summary)
    assert authority.state(bureau).role is Role.BUREAU and (path / "keys" / "campaign_ed25519.pem").exists()
    folders = sorted(p.name for p in tablets_dir(path).iterdir())
    assert folders == sorted(t.name for t in TABLETS)
    tablet = open_demo(tablets_dir(path) / "U01-A", summary)
    assert authority.role_of(tablet) == (Role.UNIT, "U01")
    units = {i.unit for i in tablet.repo.inspections()}
    assert units == {"U01"}, "a unit's tablet holds its own unit's records only"
    hazard = next(h for h in all_hazards(tablet) if h.status is HazardStatus.OPEN)
    with pytest.raises(Forbidden):
        hazards.set_flag(tablet, hazard.id, Flag.LISTED)
    # `enroll sign` works on the demo's own folder: it holds the campaign key
    assert main(["enroll", "request", "--data", str(tmp_path / "new"), "--unit", "U03", "--out",
                 str(tmp_path / "r.json")]) == 0
    assert main(["enroll", "sign", str(tmp_path / "r.json"), "--data", str(path), "--out",
                 str(tmp_path / "c.json")]) == 0
    assert "U03" in capsys.readouterr().out
