"""Every shipped checklist validates; the catalog covers every location the campaign names."""

from __future__ import annotations

import re

import pytest

from app import resources
from app.domain.checklist import parse_checklist, uncited_documents
from app.domain.checklist_toml import render_checklist
from app.services import catalog
from app.store.catalog_files import checklist_paths

SHIPPED = checklist_paths(resources.checklists_dir())
LOCATIONS = {
    "emergency_outpatient": "门急诊", "inpatient_ward": "住院部", "canteen_kitchen": "食堂/厨房",
    "basement": "地下室", "hazardous_chemicals_store": "危险化学品库", "pharmacy_store": "中心药站/药库",
    "substation": "变配电室", "refrigeration_plant": "制冷机房", "fire_control_room": "消防控制室",
    "fire_pump_room": "消防泵房", "alarm_valve_room": "报警阀室", "shared_fire_facilities": "公共消防设施",
    "safety_management": "消防安全管理",
    # issue 16: where hospital fires start or spread, beyond the campaign plan's twelve
    "central_oxygen": "中心供氧站", "hyperbaric_oxygen": "高压氧舱",
    "operating_icu": "手术部与重症监护室", "generator_room": "柴油发电机房及储油间",
    "fire_elevator_refuge": "消防电梯与避难层（间）", "laboratory_pathology": "检验科、实验室与病理科",
    "records_archive": "病案室与档案室", "data_room": "信息机房与数据中心", "boiler_gas_room": "锅炉房与燃气调压间",
    "ebike_charging": "电动自行车及电动汽车充电场所", "construction_zone": "施工及装修改造区域",
}
# Each area issue 16 names, and words one of the catalog's location types must carry for it.
AREAS = {
    "central oxygen supply": ("供氧",), "hyperbaric oxygen": ("高压氧舱",),
    "operating suites": ("手术",), "ICUs": ("重症监护",), "diesel generator room and its fuel": ("柴油发电机", "储油"),
    "fire elevators": ("消防电梯",), "refuge floors or rooms": ("避难层",), "laboratories": ("实验室",),
    "pathology": ("病理",), "medical-record rooms": ("病案",), "archive rooms": ("档案",),
    "IT and data rooms": ("机房",),
    "boiler rooms": ("锅炉",), "gas pressure-regulating rooms": ("调压",), "e-bike charging": ("电动自行车", "充电"),
    "EV charging": ("电动汽车",), "construction or renovation zones": ("施工", "装修"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")
RULE = re.compile(r"《[^》]+》|GB[ /T]*\d+|WS \d+")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_checklist_validates_with_enough_bilingual_items(path):
    loaded, problems = catalog.check_files([path])
    assert problems == []
    [(_, checklist)] = loaded
    assert len(checklist.items) >= 8
    for item in checklist.items:
        assert RULE.search(item.basis), f"{item.id} cites no rule"
        assert not CJK.search(item.text_en + item.hazard_en), f"{item.id} English text has Chinese in it"


def test_catalog_covers_the_locations_in_order():
    loaded = catalog.load()
    assert {c.id: c.name_zh for c in loaded.checklists} == LOCATIONS
    assert len(loaded.checklists) >= 24
    assert [c.order for c in loaded.checklists] == sorted(c.order for c in loaded.checklists)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_area_where_hospital_fires_start_has_a_checklist_of_eight_items(area):
    names = [(c.name_zh, len(c.items)) for c in catalog.load().checklists]
    found = [(name, n) for name, n in names if all(word in name for word in AREAS[area])]
    assert found, f"no location type for {area}"
    assert all(n >= 8 for _, n in found)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_basis_cites_article_or_clause_or_says_why_not(path):
    [(_, checklist)] = catalog.check_files([path])[0]
    for item in checklist.items:
        missing = uncited_documents(item.basis)
        assert not missing or item.note, f"{item.id}: {missing} without a clause and no note"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_files_are_in_canonical_form(path):
    """So that a spreadsheet round trip gives the same bytes, and the pinned hash depends on content only."""
    text = path.read_text("utf-8")
    assert render_checklist(parse_checklist(text, str(path))) == text


def test_the_oxygen_checklist_covers_tank_manifold_and_cylinder_store():
    texts = " ".join(i.text_zh for i in catalog.load().checklist("central_oxygen").items)
    for place in ("液氧储罐", "汇流排", "氧气瓶库"):
        assert place in texts, place


def test_major_hints_always_carry_a_reason_and_agree_with_their_findings():
    for checklist in catalog.load().checklists:
        for item in checklist.items:
            assert not item.major_hint or (item.major_reason_zh and item.major_reason_en), item.id
            if item.findings:
                assert item.major_hint == any(f.major_hint for f in item.findings), item.id


def test_units_are_36_and_marked_as_sample_data():
    roster = catalog.load().units
    assert len(roster.units) == 36
    assert roster.sample is True
    assert len({u.code for u in roster.units}) == 36


def test_icons_exist_in_flet():
    import flet as ft

    for checklist in catalog.load().checklists:
        assert hasattr(ft.Icons, checklist.icon), checklist.icon


def test_frequencies_are_numbers_not_vague_words():
    """Issue 16: "按制度频次" and "迅速" said nothing checkable; the texts give the numbers."""
    for checklist in catalog.load().checklists:
        for item in checklist.items:
            assert "按制度频次" not in item.text_zh and "迅速" not in item.text_zh, item.id
    management = catalog.load().checklist("safety_management")
    assert "每月至少" in management.item("sm-04").text_zh
    assert "3分钟" in management.item("sm-11").text_zh
    assert "夜间至少巡查2次" in catalog.load().checklist("inpatient_ward").item("iw-01").text_zh


def test_lighting_signs_and_door_closers_are_hinted_alike():
    """Issue 16: a broken door closer was a possible major hazard while failed escape lighting and
    exit signs were not. GB 35181 treats all three alike (a damage-rate criterion): so do we."""
    kinds = {"unlit": "exit sign unlit", "off": "escape lighting off", "closer": "fire door closer broken"}
    seen = set()
    for checklist in catalog.load().checklists:
        for item in checklist.items:
            for finding in item.findings:
                slug = finding.id.removeprefix(item.id + "-")
                if slug in kinds:
                    seen.add(slug)
                    assert finding.major_hint and finding.major_reason_zh, finding.id
    assert seen == set(kinds)
    ward = catalog.load().checklist("emergency_outpatient")
    assert ward.item("eo-03").major_hint and ward.item("eo-04").major_hint and ward.item("eo-06").major_hint
