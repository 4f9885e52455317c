"""Every shipped checklist validates; the catalog covers every location the campaign names."""

from __future__ import annotations

import re

import pytest

from app import resources
from app.services import catalog
from app.store.catalog_files import checklist_paths

SHIPPED = checklist_paths(resources.checklists_dir())
LOCATIONS = {
    "emergency_outpatient": "门急诊", "inpatient_ward": "住院部", "canteen_kitchen": "食堂/厨房",
    "basement": "地下室", "hazardous_chemicals_store": "危险化学品库", "pharmacy_store": "中心药站/药库",
    "substation": "变配电室", "refrigeration_plant": "制冷机房", "fire_control_room": "消防控制室",
    "fire_pump_room": "消防泵房", "alarm_valve_room": "报警阀室", "shared_fire_facilities": "公共消防设施",
    "safety_management": "消防安全管理",
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


def test_catalog_covers_the_thirteen_locations_in_order():
    loaded = catalog.load()
    assert {c.id: c.name_zh for c in loaded.checklists} == LOCATIONS
    assert [c.order for c in loaded.checklists] == sorted(c.order for c in loaded.checklists)


def test_units_are_36_and_marked_as_sample_data():
    roster = catalog.load().units
    assert len(roster.units) == 36
    assert roster.sample is True
    assert len({u.code for u in roster.units}) == 36


def test_icons_exist_in_flet():
    import flet as ft

    for checklist in catalog.load().checklists:
        assert hasattr(ft.Icons, checklist.icon), checklist.icon
