"""Findings, major-hazard reasons and clause-level basis: the parser's rules, with file and line."""

from __future__ import annotations

import pytest

from app.domain.checklist import chosen_findings, parse_checklist, uncited_documents
from app.domain.checklist_toml import render_checklist
from app.domain.errors import ChecklistInvalid

HEAD = """\
# 演示间 / Demo room
schema = 1
id = "demo_room"
version = "1"
prefix = "dr"
name_zh = "演示间"
name_en = "Demo room"
icon = "BED"
order = 1
"""
ITEM = """
[[items]]
id = "dr-01"
text_zh = "灭火器完好有效"
text_en = "Extinguishers in order"
hazard_zh = "灭火器缺失、失压或过期"
hazard_en = "Extinguisher missing, discharged or expired"
basis = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）第二十九条"
major_hint = false
photo_required = true
period_days = 7

[[items.findings]]
id = "dr-01-missing"
text_zh = "灭火器缺失"
text_en = "Extinguisher missing"
requirement_zh = "补齐灭火器"
requirement_en = "Provide the extinguisher"
deadline_days = 3

[[items.findings]]
id = "dr-01-pressure"
text_zh = "灭火器失压"
text_en = "Extinguisher lost pressure"
requirement_zh = "更换失压灭火器"
requirement_en = "Replace it"
deadline_days = 0
"""
GOOD = HEAD + ITEM


def problems_of(text: str) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(ChecklistInvalid) as caught:
        parse_checklist(text, "demo.toml")
    return [(p.reason, p.line, p.item) for p in caught.value.problems]


def test_findings_parse_in_order_and_are_chosen_by_id():
    item = parse_checklist(GOOD, "demo.toml").item("dr-01")
    assert [f.id for f in item.findings] == ["dr-01-missing", "dr-01-pressure"]
    assert item.finding("dr-01-pressure").deadline_days == 0
    assert [f.id for f in chosen_findings(item, ["dr-01-pressure", "dr-01-missing"])] == [
        "dr-01-missing", "dr-01-pressure"]
    with pytest.raises(KeyError):
        chosen_findings(item, ["dr-01-nothing"])


def test_the_canonical_text_of_a_canonical_file_is_itself():
    assert render_checklist(parse_checklist(GOOD, "demo.toml")) == GOOD


def test_a_finding_id_without_its_item_prefix_is_refused_at_its_line():
    assert problems_of(GOOD.replace('id = "dr-01-pressure"', 'id = "xx-pressure"')) == [
        ("bad_finding_id", 31, "dr-01")]


def test_a_duplicate_finding_id_is_refused():
    assert problems_of(GOOD.replace("dr-01-pressure", "dr-01-missing")) == [("duplicate_finding_id", 31, "dr-01")]


def test_a_finding_without_a_requirement_is_refused():
    text = GOOD.replace('requirement_zh = "更换失压灭火器"\n', "")
    assert problems_of(text) == [("missing_key", 30, "dr-01")]


def test_a_finding_deadline_out_of_range_is_refused():
    assert problems_of(GOOD.replace("deadline_days = 0", "deadline_days = 400")) == [("bad_period", 36, "dr-01")]


def test_a_major_hint_needs_its_reason_in_both_languages():
    text = GOOD.replace("major_hint = false", "major_hint = true")
    # both reasons missing, and no finding is major although the item says so
    assert problems_of(text) == [("major_without_reason", 18, "dr-01")] * 2 + [("major_hint_mismatch", 18, "dr-01")]


def test_a_major_finding_makes_the_item_major_and_needs_a_reason():
    major = 'deadline_days = 0\nmajor_hint = true\nmajor_reason_zh = "系统不能运行"\nmajor_reason_en = "System down"\n'
    text = GOOD.replace("deadline_days = 0\n", major)
    assert problems_of(text) == [("major_hint_mismatch", 18, "dr-01")]
    fixed = text.replace("major_hint = false", 'major_hint = true\nmajor_reason_zh = "系统不能运行"\n'
                                               'major_reason_en = "System down"')
    item = parse_checklist(fixed, "demo.toml").item("dr-01")
    assert item.major_hint and item.finding("dr-01-pressure").major_reason("en") == "System down"


def test_a_basis_without_article_or_clause_needs_a_note():
    text = GOOD.replace("第二十九条", "")
    assert problems_of(text) == [("basis_without_clause", 17, "dr-01")]
    noted = text.replace("major_hint = false", 'note = "条号未能核实"\nmajor_hint = false')
    assert parse_checklist(noted, "demo.toml").item("dr-01").note == "条号未能核实"


@pytest.mark.parametrize(("basis", "uncited"), [
    ("《中华人民共和国消防法》第二十八条", []),
    ("GB 50016-2014（2018年版）《建筑设计防火规范》第5.5.24条", []),
    ("GB 35181-2025《重大火灾隐患判定规则》第6章", ["GB 35181-2025《重大火灾隐患判定规则》第6章"]),
    ("WS 308-2019《医疗机构消防安全管理》；《消防法》第十六条", ["WS 308-2019《医疗机构消防安全管理》"]),
    ("《医疗机构消防安全管理九项规定》（2020年版）第二项", ["《医疗机构消防安全管理九项规定》（2020年版）第二项"]),
])
def test_uncited_documents_are_those_without_article_or_clause(basis, uncited):
    assert uncited_documents(basis) == uncited
