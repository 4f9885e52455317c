"""The field kit (issue #18, item 2) in the real client: tablets pair before they reach anything.

`firesweep app --field-kit --host 127.0.0.2` stands in for a laptop on its hotspot: 127.0.0.2 is a
loopback alias, so no traffic leaves this machine. Each browser context is one tablet; the pairing
code is read where a user reads it, in the terminal the app prints to (its log here).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bootstrap import build
from app.domain.model import InspectionKind
from app.services import inspections, notices, photos
from tests.integration.test_notices import signatures
from tests.ui.conftest import TABLET_PORTRAIT, Tab, by_id, open_app, screenshot_path, start_app, stop_app
from tests.ui.ledger_data import WARD, evidence_jpeg, seed

pytestmark = pytest.mark.browser

LAN = "127.0.0.2"
SECRET_WORDS = ("私拉电线", "安全出口指示灯", "住院部", "心内科", "王喆")   # what the seeded records say


def field_kit(data: Path, log: Path):
    app = start_app(data, log, "--field-kit", "--host", LAN)
    port = int(app.url.rsplit(":", 1)[1])
    return app, port, f"http://{LAN}:{port}"


def codes(log: Path) -> list[str]:
    return re.findall(r"配对码：(\d{6})", log.read_text(errors="replace"))


def next_code(log: Path, used: set[str]) -> str:
    """The code the terminal shows now (a new one appears after each pairing)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fresh = [c for c in codes(log) if c not in used]
        if fresh:
            used.add(fresh[-1])
            return fresh[-1]
        time.sleep(0.2)
    raise AssertionError(f"no new pairing code in the terminal: {codes(log)}")


def tablet(browser) -> Tab:
    tab = Tab(browser, viewport=TABLET_PORTRAIT, accept_downloads=True)
    tab.set_default_timeout(60_000)
    return tab


def pair(tab: Tab, url: str, code: str, inspector: str, scanned: bool = False) -> None:
    """Pair as a user does: type the code, or open the QR's link (the code is then filled in)."""
    open_app(tab, f"{url}/pair/{code}" if scanned else url, expect="screen-pairing")
    fields = (("pair-inspector", inspector),) if scanned else (("pair-code", code), ("pair-inspector", inspector))
    fill_form(tab, fields)


def fill_form(tab: Tab, fields) -> None:
    """Type into each field and submit. Right after the form is drawn Flutter can drop a fill that
    came before the field took focus, so each value is read back and typed again if it is missing."""
    for ident, text in fields:
        box = by_id(tab, ident).get_by_role("textbox")
        for _ in range(3):
            box.click()
            box.fill(text)
            tab.wait_for_timeout(200)
            if box.input_value() == text:
                break
        assert box.input_value() == text, ident
    by_id(tab, "pair-submit").click()


def page_text(tab: Tab) -> str:
    return tab.evaluate("document.body.innerText + ' ' + Array.from(document.querySelectorAll('[aria-label]'))"
                        ".map(e => e.getAttribute('aria-label')).join(' ')")


def wait_position(tab: Tab, n: int, total: int) -> None:
    tab.wait_for_function(
        "([id, text]) => document.querySelector(`[flt-semantics-identifier=\"${id}\"]`)?.textContent === text",
        arg=["item-position", f"{n}/{total}"], timeout=60_000)


def draft(data: Path, inspector: str, place: str) -> tuple[str, str, str]:
    ctx = build(data, actor=inspector)
    inspection = inspections.start_inspection(ctx, "U02", InspectionKind.SELF_CHECK, [inspector])
    area = inspections.add_area(ctx, inspection.id, WARD, place)
    return inspection.id, area.id, ctx.catalog.checklist(WARD).items[0].id


def cli(*args: str, data: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "app", *args, "--data", str(data)], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


def test_two_paired_tablets_each_walk_and_save_and_an_unpaired_one_reaches_nothing(tmp_path, browser):
    data = tmp_path / "data"
    seed(data)
    ctx = build(data, actor="王喆")
    [wires] = [h for h in ctx.repo.hazards("U01") if "私拉电线" in h.description]
    photo = photos.add_hazard_photo(ctx, wires.id, evidence_jpeg(), "wires.jpg")
    notice = notices.issue_notice(ctx, wires.inspection_id, signatures("王喆"))
    pdf = notices.notice_pdf(ctx, notice.id)
    walks = {"张伟": draft(data, "张伟", "门诊楼1层"), "李秀兰": draft(data, "李秀兰", "门诊楼2层")}
    app, _port, url = field_kit(data, tmp_path / "app.log")
    used: set[str] = set()
    try:
        tabs = {}
        for scanned, inspector in enumerate(walks):
            tab = tablet(browser)
            pair(tab, url, next_code(tmp_path / "app.log", used), inspector, scanned=bool(scanned))
            by_id(tab, "nav-home").first.wait_for()          # paired: the app, not the pairing form
            tabs[inspector] = tab
        for inspector, (inspection_id, area_id, item) in walks.items():   # both open at once, one store
            open_app(tabs[inspector], f"{url}/i/{inspection_id}/a/{area_id}/{item}", expect="item-position")
        for n in (1, 2):
            for tab in tabs.values():
                wait_position(tab, n, 12)
                by_id(tab, "verdict-pass").click()
        for tab in tabs.values():
            wait_position(tab, 3, 12)
        tabs["张伟"].wait_for_timeout(500)
        tabs["张伟"].screenshot(path=str(screenshot_path("field-kit-tablet-walk.png")))

        # a tablet that never paired: the pairing form on every route, and no record by any URL
        stranger = tablet(browser)
        routes = ["/", "/ledger", f"/h/{wires.id}", f"/i/{wires.inspection_id}/review", f"/photo/{photo.id}",
                  "/reports", "/sync", "/settings", "/field-kit"]
        for route in routes:
            open_app(stranger, url + route, expect="screen-pairing")
            stranger.wait_for_timeout(1000)
            shown = page_text(stranger)
            assert "平板配对" in shown and not [w for w in SECRET_WORDS if w in shown], (route, shown)
            if route == "/":
                stranger.screenshot(path=str(screenshot_path("field-kit-pairing-tablet.png")))
                fill_form(stranger, (("pair-code", "12345"), ("pair-inspector", "陌生人")))   # codes have 6 digits
                stranger.wait_for_function("document.body.innerText.includes('配对码不正确')", timeout=30_000)
        files = [f"/photos/{photo.sha256}", f"/photos/{photo.sha256}.jpg", f"/pdfs/{notice.pdf_sha256}",
                 f"/pdfs/{notice.pdf_sha256}.pdf", "/store.json", "/units/U01/store.json", "/upload",
                 "/assets/../store.json", f"/{data}/store.json"]
        secret_bytes = [pdf[:64], ctx.photos.read(photo.sha256)[:64] if ctx.photos else b"\xff\xd8",
                        "私拉电线".encode()]
        for path in files:
            response = stranger.request.get(url + path)
            body = response.body()
            assert not [s for s in secret_bytes if s in body], path
        refused = stranger.request.put(f"{url}/upload?f=x/y.jpg&e=2099-01-01T00:00:00%2B00:00&s=00", data=b"x")
        assert refused.status == 403
    finally:
        stop_app(app)

    ctx = build(data)
    for inspector, (inspection_id, _area, _item) in walks.items():
        answered = sum(p.answered for p in inspections.area_progress(ctx, inspection_id))
        assert answered == 2, inspector
        # each tablet acted as the inspector it was paired for
        actors = {e.actor for r in ctx.repo.responses(inspection_id) for e in ctx.repo.audit_of(r)}
        assert actors == {inspector}


def test_a_revoked_tablet_is_locked_out_at_its_next_action(tmp_path, browser):
    data = tmp_path / "data"
    walks = {"张伟": draft(data, "张伟", "门诊楼1层"), "李秀兰": draft(data, "李秀兰", "门诊楼2层")}
    app, port, url = field_kit(data, tmp_path / "app.log")
    used: set[str] = set()
    try:
        tabs = {}
        for inspector, (inspection_id, area_id, item) in walks.items():
            tab = tablet(browser)
            pair(tab, url, next_code(tmp_path / "app.log", used), inspector)
            by_id(tab, "nav-home").first.wait_for()
            open_app(tab, f"{url}/i/{inspection_id}/a/{area_id}/{item}", expect="item-position")
            wait_position(tab, 1, 12)
            tabs[inspector] = tab
        listed = json.loads(cli("pairings", "--json", data=data))
        ids = {p["inspector"]: p["id"] for p in listed if p["active"]}
        assert set(ids) == set(walks)

        # one revoked on the command line, in another terminal
        cli("pairings", "revoke", ids["张伟"], data=data)
        by_id(tabs["张伟"], "verdict-pass").click()
        by_id(tabs["张伟"], "screen-pairing").wait_for(timeout=30_000)
        assert by_id(tabs["张伟"], "item-position").count() == 0

        # the other on the laptop's own panel
        laptop = tablet(browser)
        open_app(laptop, f"http://127.0.0.1:{port}/field-kit", expect="screen-field-kit")
        by_id(laptop, "pair-code-shown").wait_for()
        assert codes(tmp_path / "app.log")[-1] in page_text(laptop)
        row = next(i for i in range(2) if "李秀兰" in (by_id(laptop, f"pairing-{i}").get_attribute("aria-label") or ""))
        by_id(laptop, f"revoke-{row}").click()
        by_id(laptop, "message-banner").wait_for()
        laptop.wait_for_timeout(500)
        laptop.screenshot(path=str(screenshot_path("field-kit-laptop.png")))
        by_id(tabs["李秀兰"], "verdict-pass").click()
        by_id(tabs["李秀兰"], "screen-pairing").wait_for(timeout=30_000)
        shown = page_text(tabs["李秀兰"])
        assert "门诊楼" not in shown and "item-position" not in shown

        # the locked-out tablet pairs again, in the same page, with the laptop's next code
        fill_form(tabs["李秀兰"], (("pair-code", next_code(tmp_path / "app.log", used)), ("pair-inspector", "李秀兰")))
        wait_position(tabs["李秀兰"], 1, 12)          # back in the app, where it was
    finally:
        stop_app(app)
    ctx = build(data)
    for inspector, (inspection_id, _area, _item) in walks.items():
        assert sum(p.answered for p in inspections.area_progress(ctx, inspection_id)) == 0, inspector
    listed = json.loads(cli("pairings", "--json", data=data))
    assert sorted((p["inspector"], p["active"]) for p in listed) == \
        [("张伟", False), ("李秀兰", False), ("李秀兰", True)]
