"""Issuing a notice end to end: numbered, frozen, rendered, reprinted identically, verified."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from app.bootstrap import build
from app.cli import main
from app.domain.clock import FixedClock
from app.domain.errors import InvalidInput
from app.domain.model import InspectionKind, Severity, Verdict
from app.domain.notice import Refusal, Signature
from app.media.signature import render_signature
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services import photos as photo_service
from app.services.integrity import verify_data
from tests.integration.pdf_tools import pdf_text, qpdf_check, rasterize, squash
from tests.integration.photo_fixtures import jpeg

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


def signatures(*names: str, receiver: str = "李堃") -> notice_service.Signatures:
    pad = render_signature([[(0.1, 0.5), (0.4, 0.2), (0.7, 0.6), (0.9, 0.4)]])
    return notice_service.Signatures(tuple(Signature(n, pad) for n in names), Signature(receiver, pad))


@pytest.fixture
def spot_check(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U03", InspectionKind.SPOT_CHECK, ["王喆", "张伟"])
    area = inspection_service.add_area(ctx, inspection.id, "substation", "门诊楼地下一层配电室")
    for item in ("ss-01", "ss-03"):
        inspection_service.record_response(ctx, inspection.id, area.id, item, Verdict.FAIL)
    first = hazard_service.raise_hazard(ctx, inspection.id, area.id, "ss-01", severity=Severity.MAJOR,
                                        deadline=dt.date(2026, 7, 20))
    second = hazard_service.raise_hazard(ctx, inspection.id, area.id, "ss-03", deadline=dt.date(2026, 8, 5))
    for hazard in (first, second):
        photo_service.add_hazard_photo(ctx, hazard.id, jpeg(800, 600), "p.jpg")
    return ctx, inspection, first, second


def test_issued_notice_reads_back_with_number_unit_hazards_and_deadlines(spot_check):
    ctx, inspection, first, second = spot_check
    notice = notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟"))
    assert notice.number == "示卫消整〔2026〕1号"
    pdf = notice_service.notice_pdf(ctx, notice.id)
    text = squash(pdf_text(pdf))
    unit_name = ctx.catalog.units.get("U03").name_zh
    for expected in (notice.number, unit_name, squash(first.description), squash(second.description),
                     "2026年7月20日", "2026年8月5日", "重大隐患", "回执", "王喆", "李堃"):
        assert expected in text, expected
    qpdf_check(pdf)
    page = rasterize(pdf).convert("L")
    assert sum(1 for p in page.get_flattened_data() if p < 128) > 5000
    assert inspection_service.get_inspection(ctx, inspection.id).status.value == "completed"


def test_notice_is_frozen_against_later_hazard_edits_and_reprints_identically(spot_check, tmp_path, capsys):
    ctx, inspection, first, _ = spot_check
    out1, out2 = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert main(["notice", "--data", str(ctx.repo.root), "--inspection", inspection.id, "--receiver", "李堃",
                 "--out", str(out1)]) == 0
    hazard_service.update_hazard(ctx, first.id, description="改过的描述")
    assert main(["notice", "--data", str(ctx.repo.root), "--inspection", inspection.id, "--out", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    assert "改过的描述" not in squash(pdf_text(out2.read_bytes()))
    assert "已重印" in capsys.readouterr().out


def test_serials_count_up_per_year_and_a_correction_is_a_new_version(spot_check):
    ctx, inspection, first, _ = spot_check
    notice = notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟"))
    hazard_service.update_hazard(ctx, first.id, description="更正后的隐患描述")
    corrected = notice_service.correct_notice(ctx, notice.id, signatures("王喆", "张伟"))
    assert corrected.number == "示卫消整〔2026〕2号"
    assert (corrected.version, corrected.supersedes) == (2, notice.id)
    text = squash(pdf_text(notice_service.notice_pdf(ctx, corrected.id)))
    assert "更正后的隐患描述" in text and notice.number in text
    assert notice_service.notice_pdf(ctx, notice.id) != notice_service.notice_pdf(ctx, corrected.id)


def test_a_spot_check_notice_needs_two_inspectors_and_some_hazards(spot_check, tmp_path):
    ctx, inspection, *_ = spot_check
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, inspection.id, signatures("王喆"))
    assert caught.value.reason == "two_inspectors"
    empty = inspection_service.start_inspection(ctx, "U03", InspectionKind.SELF_CHECK, ["王喆"])
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, empty.id, signatures("王喆"))
    assert caught.value.reason == "no_hazards"
    assert ctx.repo.notices() == []


def test_verify_reports_an_altered_notice_pdf(spot_check):
    ctx, inspection, *_ = spot_check
    notice = notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟"))
    assert verify_data(ctx.repo.root).problems == []
    [pdf] = list((ctx.repo.root / "pdfs").glob("??/*.pdf"))
    pdf.write_bytes(pdf.read_bytes().replace(b"/Producer", b"/Produker"))
    kinds = {p.kind for p in verify_data(ctx.repo.root).problems}
    assert kinds == {"notice_pdf_hash_mismatch"}
    assert notice.pdf_sha256 in pdf.name


def test_every_inspector_of_a_spot_check_signs_and_the_receiver_is_not_one_of_them(spot_check):
    ctx, inspection, *_ = spot_check
    for people, receiver, reason in (
        (("王喆",), "李堃", "two_inspectors"),
        (("王喆", "王喆"), "李堃", "signed_twice"),
        (("王喆", "赵六"), "李堃", "not_on_team"),
        (("王喆", "张伟"), "张伟", "receiver_is_inspector"),
        (("王喆", "张伟"), "", "required"),
    ):
        with pytest.raises(InvalidInput) as caught:
            notice_service.issue_notice(ctx, inspection.id, signatures(*people, receiver=receiver))
        assert caught.value.reason == reason
    assert ctx.repo.notices("U03") == []                 # nothing issued by a refused attempt


def test_a_spot_check_with_three_inspectors_prints_all_three(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U03", InspectionKind.SPOT_CHECK, ["王喆", "张伟", "刘洋"])
    area = inspection_service.add_area(ctx, inspection.id, "substation", "门诊楼地下一层配电室")
    inspection_service.record_response(ctx, inspection.id, area.id, "ss-01", Verdict.FAIL)
    hazard = hazard_service.raise_hazard(ctx, inspection.id, area.id, "ss-01", deadline=dt.date(2026, 7, 20))
    photo_service.add_hazard_photo(ctx, hazard.id, jpeg(800, 600), "p.jpg")
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟"))
    assert caught.value.reason == "every_inspector_signs"
    notice = notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟", "刘洋"))
    text = squash(pdf_text(notice_service.notice_pdf(ctx, notice.id)))
    assert all(name in text for name in ("王喆", "张伟", "刘洋", "李堃"))
    assert ctx.catalog.campaign.issuer_zh in text and "示例市" in text and "请你单位" in text and "我处" in text
    # the row: the item's own requirement, not a generic line
    assert "整改要求：配电室、变压器室的门向外开启" in text and "按期整改到位，消除隐患" not in text


def test_a_receiver_who_refuses_is_recorded_with_a_witness_and_the_time(spot_check):
    ctx, inspection, *_ = spot_check
    pad = render_signature([[(0.1, 0.5), (0.9, 0.4)]])
    refused = notice_service.Signatures((Signature("王喆", pad), Signature("张伟", pad)), Signature("李堃"),
                                        Refusal(Signature("张伟"), CLOCK.now()))
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, inspection.id, refused)
    assert (caught.value.field, caught.value.reason) == ("witness", "witness_not_independent")
    refused = replace(refused, refusal=Refusal(Signature("孙建国", pad), CLOCK.now()))
    notice = notice_service.issue_notice(ctx, inspection.id, refused)
    text = squash(pdf_text(notice_service.notice_pdf(ctx, notice.id)))
    assert "李堃拒绝签收" in text and "见证人（签名）" in text and "孙建国" in text
    assert "拒签时间：2026年7月10日14:00" in text
    assert notice.snapshot["refusal"]["witness"]["name"] == "孙建国"


def test_a_fix_on_the_day_prints_at_once_and_a_major_flag_prints_as_possibly_major(spot_check):
    ctx, inspection, _, second = spot_check
    hazard_service.update_hazard(ctx, second.id, deadline=inspection.date)
    notice = notice_service.issue_notice(ctx, inspection.id, signatures("王喆", "张伟"))
    text = squash(pdf_text(notice_service.notice_pdf(ctx, notice.id)))
    assert "立即改正" in text
    assert "【可能构成重大火灾隐患】" in text and "【重大隐患】" not in text
