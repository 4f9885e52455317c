"""Authority in the real web client: a tablet asks to join (request downloaded and shown as a QR code),
an enrolled unit tablet checks a photo of a printed notice (核验: authentic), and finds listing
(挂牌督办) left to the bureau, with the line that says so.

Screenshots go where `screenshot_path` says (docs/screenshots/enrollment-*.png, verify-notice-*.png,
refused-action-*.png with `FIRESWEEP_SCREENSHOTS=docs/screenshots`).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.domain.model import Severity
from app.domain.notice import Signature
from app.media.qr_scan import read_qr_codes
from app.services import authority, hazards, notices
from app.services.notices import Signatures
from tests.integration.authority_world import enrolled
from tests.integration.sync_world import device, walk
from tests.ui.conftest import by_id, open_app, reveal, screenshot_path, start_app, stop_app

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def shot(page, name: str) -> Path:
    page.wait_for_timeout(800)   # the canvas paints a little after the accessibility tree
    path = screenshot_path(name)
    page.screenshot(path=str(path))
    return path


def says(page, identifier: str, text: str, timeout: int = 60_000) -> None:
    page.wait_for_function(
        "([id, text]) => { const e = document.querySelector(`[flt-semantics-identifier=\"${id}\"]`);"
        " return !!e && (e.textContent + (e.getAttribute('aria-label') || '')).includes(text); }",
        arg=[identifier, text], timeout=timeout)


def page_says(page, text: str, timeout: int = 60_000) -> None:
    """Some control on screen says `text` (in its text or its accessible label)."""
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('flt-semantics-host *')].some("
        "e => (e.getAttribute('aria-label') || '').includes(text) || (e.textContent || '').includes(text))",
        arg=text, timeout=timeout)


def type_into(page, identifier: str, text: str) -> None:
    box = by_id(page, identifier).get_by_role("textbox")
    box.click()   # Flutter ignores input into a field that has not been focused
    box.fill(text)


def _notice_page(unit, where: Path) -> tuple[str, Path]:
    """A self-check notice issued on the unit's tablet, page 1 rendered as a scan at 150 dpi."""
    inspection, _area, _found = walk(unit, failures=1)
    notice = notices.issue_notice(unit, inspection.id, Signatures((Signature(unit.actor),), Signature("科室负责人")))
    (where / "notice.pdf").write_bytes(notices.notice_pdf(unit, notice.id))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(where / "notice.pdf"),
                    str(where / "notice-page")], check=True)
    return notice.number, where / "notice-page.png"


def test_join_request_qr_then_a_notice_photo_is_authentic_and_listing_is_left_to_the_bureau(page, tmp_path):
    fresh = device(tmp_path / "fresh", actor="李秀兰")
    world = enrolled(tmp_path / "w")
    unit = world.units["u01"]
    number, scan = _notice_page(unit, tmp_path)
    _inspection, _area, [major] = walk(unit, failures=1, photo=False)
    hazards.update_hazard(unit, major.id, deadline=unit.today() + dt.timedelta(days=200))
    hazards.update_hazard(unit, major.id, severity=Severity.MAJOR)

    # a tablet never enrolled: works alone; asks to join U05, gets the file and sees the code
    app = start_app(fresh.repo.root, tmp_path / "fresh.log")
    try:
        open_app(page, app.url + "/settings", expect="screen-settings")
        says(page, "enroll-status", "独立工作")
        reveal(page, "request-unit").click()
        page.get_by_role("button", name="U05 示例市第二人民医院").click()
        type_into(page, "request-label", "保卫科 李秀兰 的平板")
        with page.expect_download(timeout=60_000) as download:
            reveal(page, "request-join").click()
        content = Path(download.value.path()).read_bytes()
        request = authority.read_request(content)
        assert (request.unit, request.label) == ("U05", "保卫科 李秀兰 的平板")
        qr = reveal(page, "request-code-qr")
        shot(page, "enrollment-request.png")
        qr_png = tmp_path / "qr.png"
        qr.screenshot(path=str(qr_png))
        assert read_qr_codes(qr_png.read_bytes()) == [content.decode()]   # the code on screen reads back
    finally:
        stop_app(app)

    # the enrolled unit tablet: its certificate in Settings, then 核验 of the printed notice
    app = start_app(unit.repo.root, tmp_path / "unit.log")
    try:
        open_app(page, app.url + "/settings", expect="screen-settings")
        says(page, "enroll-status", "单位保卫处（科）设备")
        reveal(page, "enroll-install")   # the whole certificate above it is on screen
        shot(page, "enrollment-unit.png")

        open_app(page, app.url + "/verify", expect="screen-verify")
        with page.expect_file_chooser() as chooser:
            by_id(page, "verify-photo").click()
        chooser.value.set_files(str(scan))
        page_says(page, "真实有效", timeout=120_000)
        page_says(page, number)
        page_says(page, "待整改 · 整改期限")
        shot(page, "verify-notice-authentic.png")

        forged = json.dumps({**json.loads(read_qr_codes(scan.read_bytes())[0]), "h": "0" * 64})
        type_into(page, "verify-paste", forged)
        reveal(page, "verify-text").click()
        page_says(page, "不可信")
        reveal(page, "verdict")
        shot(page, "verify-notice-forged.png")

        open_app(page, f"{app.url}/h/{major.id}", expect="screen-hazard-detail")
        says(page, "missing-flag-listed", "挂牌督办由局保卫处办理")
        assert by_id(page, "flag-listed").count() == 0
        reveal(page, "missing-flag-listed")
        shot(page, "refused-action-unit.png")
    finally:
        stop_app(app)

    # the bureau's device: sign requests, the enrolled devices
    app = start_app(world.bureau.repo.root, tmp_path / "bureau.log")
    try:
        open_app(page, app.url + "/settings", expect="screen-settings")
        says(page, "enroll-status", "局保卫处设备")
        reveal(page, "enroll-devices")
        says(page, "enroll-devices", "已登记设备（2）")
        shot(page, "enrollment-bureau.png")
    finally:
        stop_app(app)
