"""Chinese on the main screens reads back as itself (OCR) at 800×1280, and a broken font is caught.

The README's "隐患与相机" screenshot once showed inked but wrong or half-drawn glyphs: the page was
cross-origin isolated, so the client ran multi-threaded skwasm, whose threads share Skia's glyph
cache unguarded (flutter/flutter#190039); `firesweep app` now serves CanvasKit. Counting ink cannot
see a wrong glyph; reading the text back can. Labels are the app's own strings (the zh-CN catalog),
so the check follows the wording.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from app import resources
from app.bootstrap import build
from app.domain.model import InspectionKind, Verdict
from app.i18n import Translator
from app.services import hazards, inspections
from tests.ui.conftest import by_id, open_app, screenshot_path, start_app, stop_app
from tests.ui.ocr import missing_labels, require_ocr

pytestmark = pytest.mark.browser

T = Translator("zh-CN")
WARD = "inpatient_ward"
RAIL = 98      # px: the navigation rail and its divider at 800 px wide, read as a column of its own


def a_failed_item(data: Path) -> tuple[str, str]:
    """One self-check with a failed ward item and its hazard: the route of its form, and the item's text."""
    ctx = build(data, actor="王喆")
    inspection = inspections.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspections.add_area(ctx, inspection.id, WARD, "住院部3号楼5层")
    item = ctx.catalog.checklist(WARD).items[1]
    inspections.record_response(ctx, inspection.id, area.id, item.id, Verdict.FAIL)
    hazards.raise_hazard(ctx, inspection.id, area.id, item.id)
    return f"/i/{inspection.id}/a/{area.id}/{item.id}/hazard", item.text("zh-CN")


# screen: (the navigation hook that opens it, the control that says it is drawn, catalog keys to read back)
SCREENS = {
    # (the rail's 12 px 设置 reads as 设垩 however drawn: the settings screen's title stands for it)
    "home": ("nav-home", "app-title", ["app.title", "app.subtitle", "ui_nav.home", "ui_nav.new", "ui_nav.ledger",
                                       "ui_nav.reports", "ui_nav.sync"]),
    "new": ("nav-new", "screen-new", ["ui_new.no_unit", "ui_new.inspectors", "ui_new.date"]),
    "ledger": ("nav-ledger", "screen-ledger", ["ui_ledger.title"]),
    "reports": ("nav-reports", "screen-reports", ["ui_reports.title", "ui_reports.monthly_title",
                                                  "ui_reports.summary_title", "ui_reports.ledger_title"]),
    "sync": ("nav-sync", "screen-sync", ["ui_sync.title", "ui_sync.export_title"]),
    "settings": ("nav-settings", "screen-settings", ["ui_settings.title", "ui_device.inspector_title",
                                                     "ui_device.pin_title", "ui_device.data_title"]),
}
HAZARD_KEYS = ["ui_hazard.title", "ui_hazard.deadline", "ui_hazard.severity", "ui_hazard.responsible",
               "ui_hazard.measures", "ui_hazard.add_photo"]


def shoot(page, name: str) -> Path:
    page.wait_for_timeout(800)            # the canvas paints a little after the accessibility tree
    path = screenshot_path(f"ocr-{name}.png")
    page.screenshot(path=str(path))
    return path


def test_chinese_on_the_main_screens_reads_back_as_itself(tmp_path, page):
    require_ocr()
    page.set_default_timeout(60_000)
    route, item_text = a_failed_item(tmp_path / "data")
    app = start_app(tmp_path / "data", tmp_path / "app.log")
    problems = {}
    try:
        open_app(page, app.url + route, expect="screen-hazard")
        # the item's wording is long body text at 15 px: the kind of line that broke
        labels = [T(k) for k in HAZARD_KEYS] + [item_text[:12]]
        missing, read = missing_labels(shoot(page, "hazard"), labels, RAIL, left=False)
        if missing:
            problems["hazard"] = (missing, read)
        for name, (nav, drawn, keys) in SCREENS.items():
            by_id(page, nav).first.click()
            by_id(page, drawn).first.wait_for()
            # the rail is the same on every screen: read once, on home
            missing, read = missing_labels(shoot(page, name), [T(k) for k in keys], RAIL, left=name == "home")
            if missing:
                problems[name] = (missing, read)
    finally:
        stop_app(app)
    assert not [u for u in page.requests.urls if "skwasm" in u], "the client must run on CanvasKit"
    assert not problems, "\n".join(f"{screen}: missing {m}; read {r!r}" for screen, (m, r) in problems.items())


def scrambled_font(target: Path) -> None:
    """The bundled font with every ideograph drawn as its neighbour's glyph: square, inked, wrong."""
    font = TTFont(resources.font_path(), lazy=True)
    for table in font["cmap"].tables:
        cjk = sorted(cp for cp in table.cmap if 0x4E00 <= cp <= 0x9FFF)
        glyphs = [table.cmap[cp] for cp in cjk]
        table.cmap.update(zip(cjk, glyphs[1:] + glyphs[:1], strict=True))
    font.save(target)


def test_the_ocr_check_fails_on_a_broken_font(tmp_path, page, monkeypatch):
    require_ocr()
    page.set_default_timeout(60_000)
    broken = tmp_path / "resources"
    shutil.copytree(resources.checklists_dir(), broken / "checklists")
    shutil.copytree(resources.assets_dir(), broken / "assets")
    scrambled_font(broken / "assets" / resources.font_asset())
    monkeypatch.setenv("FIRESWEEP_RESOURCES", str(broken))
    app = start_app(tmp_path / "data", tmp_path / "app.log")
    try:
        open_app(page, app.url, expect="app-title")
        labels = [T(k) for k in SCREENS["home"][2]]
        missing, read = missing_labels(shoot(page, "home-broken-font"), labels, RAIL)
    finally:
        stop_app(app)
    assert missing == labels, f"a scrambled font still read back {set(labels) - set(missing)}: {read!r}"
