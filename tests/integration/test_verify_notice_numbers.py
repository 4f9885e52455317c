"""`firesweep verify` finds two notices with one number from one issuer (issue 14).

Two tablets of one hospital issue offline; each counts its serials alone, so both hand out
第一中心医院保消〔2026〕1号. Once one tablet's bundle is merged into the other's store, the number names
two documents, and verify must say so (exit 1) instead of calling the data sound.
"""

from __future__ import annotations

import json

import pytest

from app.domain.notice import Signature
from app.services import notices as notice_service
from tests.integration.cli_world import pin_clock, run
from tests.integration.sync_world import device, walk

NUMBER = "第一中心医院保消〔2026〕1号"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    pin_clock(monkeypatch)


def issue_on_new_tablet(root, inspector: str):
    ctx = device(root, actor=inspector)
    inspection, _area, _hazards = walk(ctx, "U01", failures=1)
    signatures = notice_service.Signatures((Signature(inspector),), Signature("李堃"))
    return notice_service.issue_notice(ctx, inspection.id, signatures)


@pytest.fixture
def merged(tmp_path, capsys):
    first = issue_on_new_tablet(tmp_path / "tablet-a", "王喆")
    second = issue_on_new_tablet(tmp_path / "tablet-b", "付红梅")
    assert first.number == second.number == NUMBER
    assert first.snapshot["issuer"] == second.snapshot["issuer"]   # the hospital's own 保卫处, both times
    assert run(capsys, "verify", "--data", str(tmp_path / "tablet-a")).code == 0   # alone, each is sound
    bundle = tmp_path / "b.zip"
    assert run(capsys, "export", "--data", str(tmp_path / "tablet-b"), "--full", "--out", str(bundle)).code == 0
    assert run(capsys, "import", "--data", str(tmp_path / "tablet-a"), str(bundle)).code == 0
    return tmp_path / "tablet-a", first, second


def test_verify_reports_one_number_on_two_notices_of_one_issuer(merged, capsys):
    root, first, second = merged
    result = run(capsys, "verify", "--data", str(root), "--json")
    assert result.code == 1
    problems = [p for p in json.loads(result.out)["problems"] if p["kind"] == "duplicate_notice_number"]
    assert problems == [{"kind": "duplicate_notice_number",
                         "where": ", ".join(f"notice/{i}" for i in sorted((first.id, second.id))),
                         "detail": f"{NUMBER} {first.snapshot['issuer']}"}]
    text = run(capsys, "verify", "--data", str(root))
    assert text.code == 1
    assert "同一发文单位的两份整改通知书使用了同一文号" in text.out and NUMBER in text.out
    english = run(capsys, "--lang", "en", "verify", "--data", str(root))
    assert "two rectification notices of one issuer carry the same number" in english.out


def test_the_next_notice_after_the_merge_takes_a_fresh_number(merged, capsys):
    """The merged store counts on from the highest serial it holds: the duplicate does not grow."""
    root, _first, _second = merged
    again = issue_on_new_tablet(root, "王喆")
    assert again.number == "第一中心医院保消〔2026〕2号"
    result = json.loads(run(capsys, "verify", "--data", str(root), "--json").out)
    assert [p["kind"] for p in result["problems"]] == ["duplicate_notice_number"]
