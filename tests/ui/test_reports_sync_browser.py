"""Reports and Sync in the real web client: a report downloads, a bundle uploads and imports.

The bundle travels the way a user's would: chosen in the browser's file chooser, uploaded to
the server (`firesweep app` serves an upload folder), verified and merged. Screenshots of both
screens at tablet and phone size go to docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bootstrap import build
from app.services import sync
from tests.integration.pdf_tools import pdf_text, squash
from tests.integration.sync_world import device, walk
from tests.ui.conftest import by_id, open_app, start_app, stop_app

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 800, "height": 1280}


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def shot(page, name: str) -> None:
    page.wait_for_timeout(800)   # the canvas paints a little after the accessibility tree
    page.screenshot(path=str(SHOTS / name))


def says(page, identifier: str, text: str, timeout: int = 30_000) -> None:
    """Wait until the hook's text or any accessible label in it contains `text`.

    Flutter puts a hook's label on its first semantic child (a selectable text becomes a
    textarea with an aria-label), so look at every label under the hook, not only its own.
    """
    page.wait_for_function(
        """([id, text]) => {
            const node = document.querySelector(`[flt-semantics-identifier="${id}"]`);
            if (!node) return false;
            const labelled = [node, ...node.querySelectorAll('[aria-label]')];
            const labels = labelled.map(e => e.getAttribute('aria-label') || '');
            return (labels.join(' ') + ' ' + node.textContent).includes(text);
        }""", arg=[identifier, text], timeout=timeout)


def test_a_report_downloads_and_a_bundle_uploads_and_imports(tmp_path, page):
    office = tmp_path / "office"
    walk(device(office), unit="U01")
    unit_name = build(office).catalog.units.get("U01").name_zh
    tablet_dir = tmp_path / "tablet"
    walk(device(tablet_dir, actor="李堃"), unit="U02", failures=3)
    bundle = tmp_path / "from-tablet.fsb"
    sync.export_bundle(build(tablet_dir), bundle, full=True)
    incoming = {h.id for h in build(tablet_dir).repo.hazards()}

    app = start_app(office, tmp_path / "app.log")
    try:
        # Reports: the monthly report of U01 (the latest month) downloads as a real PDF
        open_app(page, f"{app.url}/reports")
        by_id(page, "screen-reports").wait_for(timeout=60_000)
        shot(page, "reports-tablet.png")
        with page.expect_download(timeout=120_000) as download:
            by_id(page, "generate-monthly").click()
        pdf = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename.startswith("monthly-U01-")
        assert pdf.startswith(b"%PDF") and unit_name in squash(pdf_text(pdf))
        by_id(page, "message-banner").wait_for(timeout=30_000)

        # Sync: the tablet's bundle is chosen, uploaded, verified and merged
        open_app(page, f"{app.url}/sync")
        by_id(page, "screen-sync").wait_for(timeout=60_000)
        with page.expect_file_chooser() as chooser:
            by_id(page, "import-bundles").click()
        chooser.value.set_files(str(bundle))
        says(page, "import-result-0", "from-tablet.fsb：新增", timeout=120_000)
        says(page, "import-result-0", "冲突 0")
        says(page, "device-0", "首次使用时信任")
        shot(page, "sync-tablet.png")

        page.set_viewport_size(PHONE)
        shot(page, "sync-phone.png")
        open_app(page, f"{app.url}/reports")
        by_id(page, "screen-reports").wait_for(timeout=60_000)
        shot(page, "reports-phone.png")
        page.set_viewport_size(TABLET)
    finally:
        stop_app(app)
    merged = {h.id for h in build(office).repo.hazards()}
    assert incoming and incoming <= merged
