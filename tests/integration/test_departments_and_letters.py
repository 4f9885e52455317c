"""Departments route self-check notices and group hazards; responsibility letters as real PDFs."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.errors import InvalidInput, NotFound
from app.domain.model import InspectionKind, Severity
from app.domain.notice import Signature
from app.services import departments as dept_service
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services.responsibility import letter_content, responsibility_letter_pdf
from tests.integration.pdf_tools import fonts, pdf_text, qpdf_check, rasterize, squash

START = dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def unit(tmp_path):
    """U01's self-check: a ward of 心内科 (two hazards, one major, with responsible and funds) and
    the kitchen of 营养膳食科 (one hazard)."""
    ctx = build(tmp_path / "data", FixedClock(START), actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    ward = inspection_service.add_area(ctx, inspection.id, "inpatient_ward", "住院部3号楼5层", department="心内科")
    kitchen = inspection_service.add_area(ctx, inspection.id, "canteen_kitchen", "食堂操作间", department="营养膳食科")
    h1 = hazard_service.raise_hazard(ctx, inspection.id, ward.id, description="病房内私拉电线为电动车充电",
                                     severity=Severity.MAJOR, responsible="张喆", measures="拆除私拉电线，设集中充电点",
                                     funds="12000", deadline=dt.date(2026, 7, 31))
    hazard_service.raise_hazard(ctx, inspection.id, ward.id, description="疏散走道堆放杂物", responsible="李秀兰",
                                measures="清理杂物", funds="0", deadline=dt.date(2026, 7, 15))
    hazard_service.raise_hazard(ctx, inspection.id, kitchen.id, description="排油烟管道油垢未清洗",
                                responsible="王建国", measures="委托专业单位清洗", funds="3500.50",
                                deadline=dt.date(2026, 7, 20))
    return ctx, inspection, h1


def test_a_self_check_issues_one_notice_per_department_from_the_security_office(unit):
    ctx, inspection, _ = unit
    signed = notice_service.Signatures((Signature("王喆"),), Signature("张主任"))
    assert notice_service.notice_recipients(ctx, inspection.id) == ["心内科", "营养膳食科"]
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, inspection.id, signed)
    assert caught.value.reason == "choose_recipient"
    ward = notice_service.issue_notice(ctx, inspection.id, signed, recipient="心内科")
    assert ward.recipient == "心内科" and len(ward.hazard_ids) == 2
    text = squash(pdf_text(notice_service.notice_pdf(ctx, ward.id)))
    assert "示例市第一中心医院保卫处" in text and "心内科：" in text and "营养膳食科" not in text
    assert "请你科（部门）" in text and "请你单位" not in text and "我处检查人员" in text
    assert "保卫处（科）负责人（签名）" in text and "被检查部门签收人" in text
    kitchen = notice_service.issue_notice(ctx, inspection.id, signed)     # the one department left
    assert kitchen.recipient == "营养膳食科" and kitchen.number != ward.number
    # the unit office's own series, GB/T 9704 style: no 第, no zero padding
    assert (ward.number, kitchen.number) == ("第一中心医院保消〔2026〕1号", "第一中心医院保消〔2026〕2号")
    assert ward.number in text
    assert notice_service.notice_recipients(ctx, inspection.id) == []


def test_the_security_office_never_issues_a_notice_to_itself(unit):
    ctx, inspection, _ = unit
    own = inspection_service.add_area(ctx, inspection.id, "fire_control_room", "消防控制室", department="保卫处")
    hazard_service.raise_hazard(ctx, inspection.id, own.id, description="值班记录不全", deadline=dt.date(2026, 7, 20))
    assert "保卫处" not in notice_service.notice_recipients(ctx, inspection.id)
    with pytest.raises(InvalidInput) as caught:
        notice_service.issue_notice(ctx, inspection.id, notice_service.Signatures((Signature("王喆"),),
                                                                                  Signature("张主任")), "保卫处")
    assert caught.value.reason == "own_office"


def test_a_spot_check_notice_goes_from_the_bureau_to_the_unit(unit):
    ctx, inspection, _ = unit
    spot = inspection_service.start_inspection(ctx, "U01", InspectionKind.SPOT_CHECK, ["李堃", "赵立新"])
    hazards = [h for h in ctx.repo.hazards("U01") if h.inspection_id == inspection.id]
    issuer, recipient = dept_service.notice_routing(ctx, spot, hazards)
    assert (issuer, recipient) == (ctx.catalog.campaign.issuer_zh, "示例市第一中心医院")


def test_hazards_are_counted_and_listed_by_department(unit):
    ctx, _, _ = unit
    assert dept_service.departments(ctx, "U01") == ["心内科", "营养膳食科"]
    ctx.clock.advance(days=8)   # 07-18: the 07-15 hazard is overdue
    figures = {f.department: f for f in dept_service.department_figures(ctx, "U01")}
    assert (figures["心内科"].found, figures["心内科"].overdue) == (2, 1)
    assert (figures["营养膳食科"].found, figures["营养膳食科"].overdue) == (1, 0)
    listed = hazard_service.ledger(ctx, department="营养膳食科").items
    assert [h.description for h in listed] == ["排油烟管道油垢未清洗"]


def test_a_unit_letter_lists_every_hazard_with_person_measures_funds_and_deadline(unit):
    ctx, _, _ = unit
    pdf = responsibility_letter_pdf(ctx, "U01")
    qpdf_check(pdf)
    text = squash(pdf_text(pdf))
    for expected in ("消防安全责任书", "甲方：示例市卫生健康委员会", "乙方：示例市第一中心医院",
                     "病房内私拉电线为电动车充电",
                     "张喆", "拆除私拉电线", "12,000.00", "2026年7月31日", "排油烟管道油垢未清洗", "3,500.50",
                     "15,500.50", "负责人签字", "整改责任人签字", "待整改火灾隐患3处"):
        assert expected in text, expected
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)              # 年月日 throughout, as the rest
    assert all(f["emb"] == "yes" for f in fonts(pdf))


def test_a_letter_counts_only_what_is_still_to_rectify_as_the_ledger_does(unit):
    ctx, _, h1 = unit
    hazard_service.rectify(ctx, h1.id, "已拆除私拉电线", ("e" * 64,))
    content = letter_content(ctx, "U01")
    open_now = [h for h in ctx.repo.hazards("U01") if h.status.value not in ("rectified", "verified")]
    assert len(content.lines) == len(open_now) == 2
    text = squash(pdf_text(responsibility_letter_pdf(ctx, "U01")))
    assert "待整改火灾隐患2处" in text and "病房内私拉电线为电动车充电" not in text


def test_a_department_letter_covers_only_that_departments_hazards(unit):
    ctx, _, _ = unit
    content = letter_content(ctx, "U01", "营养膳食科")
    assert (content.party_a, content.party_b) == ("示例市第一中心医院", "营养膳食科")
    text = squash(pdf_text(responsibility_letter_pdf(ctx, "U01", "营养膳食科")))
    assert "排油烟管道油垢未清洗" in text and "病房内私拉电线" not in text and "待整改火灾隐患1处" in text


def test_a_letter_renders_the_same_bytes_for_the_same_content_and_looks_like_a_page(unit, tmp_path):
    ctx, _, _ = unit
    pdf = responsibility_letter_pdf(ctx, "U01")
    assert responsibility_letter_pdf(ctx, "U01") == pdf
    page = rasterize(pdf, dpi=60)
    assert page.width < page.height   # portrait A4
    page.save(tmp_path / "letter.png")


def test_a_letter_for_an_unknown_unit_is_refused(unit):
    ctx, _, _ = unit
    with pytest.raises(NotFound):
        letter_content(ctx, "U99")
