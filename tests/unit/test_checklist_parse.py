"""The checklist parser names the file, line, item and reason of every problem."""

from __future__ import annotations

import pytest

from app.domain.checklist import parse_checklist
from app.domain.errors import ChecklistInvalid

GOOD = """\
schema = 1
id = "demo_room"
version = "1"
prefix = "dr"
name_zh = "演示间"
name_en = "Demo room"
icon = "BED"
order = 1

[[items]]
id = "dr-01"
text_zh = "安全出口畅通"
text_en = "Exits clear"
hazard_zh = "安全出口堵塞"
hazard_en = "Exit blocked"
basis = "《中华人民共和国消防法》第二十八条"
major_hint = true
major_reason_zh = "安全出口被封堵属综合判定要素"
major_reason_en = "A sealed exit is a composite criterion"
photo_required = true
period_days = 0

[[items]]
id = "dr-02"
text_zh = "灭火器在有效期内"
text_en = "Extinguishers in date"
hazard_zh = "灭火器过期"
hazard_en = "Extinguisher out of date"
basis = "GB 25201-2010《建筑消防设施的维护管理》第5.2.1条"
major_hint = false
photo_required = false
period_days = 7
"""


def problems_of(text: str) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(ChecklistInvalid) as caught:
        parse_checklist(text, "demo.toml")
    return [(p.reason, p.line, p.item) for p in caught.value.problems]


def test_good_checklist_parses_with_items_and_hash():
    checklist = parse_checklist(GOOD, "demo.toml")
    assert [i.id for i in checklist.items] == ["dr-01", "dr-02"]
    assert checklist.item("dr-02").period_days == 7
    assert len(checklist.sha256) == 64
    assert parse_checklist(GOOD + "\n", "demo.toml").sha256 != checklist.sha256


def test_toml_syntax_error_names_the_line():
    broken = GOOD.replace('version = "1"', 'version = "1')
    [(reason, line, _)] = problems_of(broken)
    assert reason == "toml_syntax"
    assert line == 3


def test_duplicate_item_id_is_reported_at_the_second_item():
    assert problems_of(GOOD.replace('id = "dr-02"', 'id = "dr-01"')) == [("duplicate_item_id", 24, "dr-01")]


def test_missing_chinese_text_is_reported():
    assert problems_of(GOOD.replace('text_zh = "灭火器在有效期内"', 'text_zh = "Extinguishers"')) == [
        ("no_chinese", 25, "dr-02")
    ]


def test_missing_field_names_the_item():
    assert problems_of(GOOD.replace('hazard_en = "Exit blocked"\n', "")) == [("missing_key", 10, "dr-01")]


def test_unknown_field_is_reported_at_its_line():
    assert problems_of(GOOD.replace("period_days = 7", "period_days = 7\ncolour = 1")) == [
        ("unknown_key", 33, "dr-02")
    ]


@pytest.mark.parametrize("period", ["-1", "366", "1.5", '"7"'])
def test_bad_period_is_reported(period):
    assert problems_of(GOOD.replace("period_days = 7", f"period_days = {period}")) == [
        ("bad_period", 32, "dr-02")
    ]


def test_every_problem_in_a_file_is_listed_at_once():
    text = GOOD.replace('id = "dr-02"', 'id = "dr-01"').replace("major_hint = false", 'major_hint = "no"')
    text = text.replace("schema = 1", "schema = 2")
    reasons = {reason for reason, _, _ in problems_of(text)}
    assert reasons == {"bad_schema", "duplicate_item_id", "not_boolean"}


def test_item_id_must_carry_the_prefix():
    assert problems_of(GOOD.replace('id = "dr-02"', 'id = "xx-02"')) == [("bad_item_id", 24, "xx-02")]


def test_a_checklist_without_items_is_refused():
    head = GOOD.split("[[items]]")[0]
    reasons = [reason for reason, _, _ in problems_of(head)]
    assert reasons == ["missing_key", "no_items"]
