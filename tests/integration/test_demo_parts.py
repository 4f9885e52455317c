"""A demo built in parts, side by side in processes of their own, is one whole store: the same as
if the parts had run one after the other here, with no number or rev given twice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app import bootstrap
from app.cli import main
from app.demo import DemoSummary, build_demo
from app.demo import build as demo_build
from app.domain.issuers import parse_number
from app.domain.model import Flag, HazardStatus, Severity
from app.services import hazards, issuers, notices, qr_codes
from app.services.integrity import verify_data
from tests.integration.pdf_tools import rasterize
from tests.integration.test_demo import all_hazards, content, open_demo


@pytest.fixture(scope="module")
def in_parts(tmp_path_factory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("parts") / "data"
    assert bootstrap.can_start_process(), "these tests are about parts built in processes of their own"
    return path, build_demo(path, "small", seed=1, parts=2)


def test_a_build_in_parts_is_one_whole_store(in_parts):
    path, summary = in_parts
    assert verify_data(path).problems == []
    ctx = open_demo(path, summary)
    found = all_hazards(ctx)
    assert {h.status for h in found} == set(HazardStatus)
    assert {h.severity for h in found} == set(Severity)
    assert {f for h in found for f in h.flags} == set(Flag)
    assert summary.hazards == len(found) and summary.inspections == len(ctx.repo.inspections())
    assert summary.by_status == {s.value: sum(h.status is s for h in found) for s in HazardStatus}
    assert {i.unit for i in ctx.repo.inspections()} == {"U01", "U02", "U03"}
    assert sorted(p.name for p in path.parent.iterdir()) == ["data", "data-tablets"], "no part is left beside it"


def test_each_part_numbers_the_bureaus_notices_in_a_block_of_its_own(in_parts):
    path, summary = in_parts
    ctx = open_demo(path, summary)
    issued = [n for n in ctx.repo.notices() if not n.deleted]
    assert len({n.number for n in issued}) == len(issued)
    bureau = issuers.bureau_office(ctx).prefix
    serials = {n.number: parse_number(n.number)[2] for n in issued if parse_number(n.number)[0] == bureau}
    first = [s for s in serials.values() if s <= demo_build.PART_SERIALS]
    second = [s for s in serials.values() if demo_build.PART_SERIALS < s <= 2 * demo_build.PART_SERIALS]
    assert first and second and len(first) + len(second) == len(serials)
    assert min(second) == demo_build.PART_SERIALS + 1
    units_own = {}   # a unit's own series is issued by one part alone: it starts at 1 in either part
    for n in issued:
        prefix, _, serial = parse_number(n.number)
        if prefix != bureau:
            units_own[prefix] = min(serial, units_own.get(prefix, serial))
    assert len(units_own) == 3 and set(units_own.values()) == {1}
    # part 1 signed its notices' QR codes with the store's own device key: a scan of the page verifies
    number = next(n for n, s in serials.items() if s == min(second))
    notice = next(n for n in issued if n.number == number)
    page = io.BytesIO()
    rasterize(notices.notice_pdf(ctx, notice.id), dpi=150).save(page, "PNG")
    verdict = qr_codes.verify_notice_image(ctx, page.getvalue())
    assert verdict.authentic and verdict.reason == "ok" and verdict.claim.number == number, verdict


def test_no_rev_is_given_twice_and_new_writes_go_above_every_part(in_parts):
    path, summary = in_parts
    ctx = open_demo(path, summary)
    records = [*ctx.repo.inspections(), *all_hazards(ctx), *ctx.repo.notices(), *ctx.repo.photos()]
    revs = [(r.device, r.rev) for r in records]
    assert len(set(revs)) == len(revs)
    assert {device for device, _ in revs} == {ctx.repo.device_id}
    hazard = next(h for h in all_hazards(ctx) if h.status is HazardStatus.OPEN)
    with ctx.repo.transaction():
        changed = hazards.update_hazard(ctx, hazard.id, measures="临时加装灭火器")
    assert changed.rev > max(rev for _, rev in revs)


def test_the_content_does_not_depend_on_where_the_parts_ran(in_parts, tmp_path, monkeypatch, capsys):
    path, summary = in_parts
    monkeypatch.setattr(bootstrap, "can_start_process", lambda: False)   # every part in this process
    assert main(["--lang", "en", "demo", "--data", str(tmp_path / "here"), "--parts", "2"]) == 0
    assert f"Done: 3 units, {summary.inspections} inspections" in capsys.readouterr().out
    assert content(open_demo(tmp_path / "here", summary)) == content(open_demo(path, summary))


def test_the_cli_refuses_a_number_of_parts_it_cannot_build_in(tmp_path, capsys):
    assert main(["--lang", "en", "demo", "--data", str(tmp_path / "data"), "--parts", "0"]) == 2
    assert "--parts" in (err := capsys.readouterr().err) and "a whole number from 1 to 36" in err
    assert main(["demo", "--data", str(tmp_path / "data"), "--parts", "两"]) == 2
    assert "应为 1 到 36 之间的整数" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_a_part_that_fails_fails_the_build_and_leaves_no_part_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(bootstrap, "can_start_process", lambda: False)

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(demo_build, "build_part", broken)
    with pytest.raises(OSError):
        build_demo(tmp_path / "data", "small", seed=1, parts=2)
    assert [p.name for p in tmp_path.iterdir()] == ["data"]
