"""Reports and Sync in the real web client: a report downloads, a bundle uploads and imports.

The bundle travels the way a user's would: chosen in the browser's file chooser, uploaded to
the server (`firesweep app` serves an upload folder), verified and merged. Screenshots of both
screens at tablet and phone size go to docs/screenshots/.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from app.bootstrap import build
from app.services import photos, sync
from tests.integration.pdf_tools import pdf_text, squash
from tests.integration.sync_world import device, walk
from tests.ui.conftest import by_id, open_app, screenshot_path, start_app, stop_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 800, "height": 1280}


@pytest.fixture(autouse=True)
def patient(page):
    page.set_default_timeout(60_000)


def shot(page, name: str) -> None:
    page.wait_for_timeout(800)   # the canvas paints a little after the accessibility tree
    page.screenshot(path=str(screenshot_path(name)))


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


def noise_photo() -> bytes:
    """A photo JPEG cannot shrink (random pixels): a few of them make a bundle of many megabytes."""
    image = Image.frombytes("RGB", (2000, 1500), os.urandom(2000 * 1500 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def big_bundle(root: Path, out: Path) -> Path:
    """A tablet's bundle over 16 MB: too big to travel inside one websocket message."""
    tablet = device(root, actor="李堃")
    _, _, hazards = walk(tablet, unit="U02", photo=False, failures=3)
    for n in range(5):
        photos.add_hazard_photo(tablet, hazards[n % 3].id, noise_photo(), f"photo-{n}.jpg")
    sync.export_bundle(build(root), out, full=True)
    assert out.stat().st_size > 16 * 1024**2
    return out


def test_a_report_downloads_and_a_big_bundle_uploads_and_imports(tmp_path, page):
    office = tmp_path / "office"
    walk(device(office), unit="U01")
    unit_name = build(office).catalog.units.get("U01").name_zh
    tablet_dir = tmp_path / "tablet"
    bundle = big_bundle(tablet_dir, tmp_path / "from-tablet.fsb")
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

        # Sync: this office's own bundle downloads ...
        open_app(page, f"{app.url}/sync")
        by_id(page, "screen-sync").wait_for(timeout=60_000)
        with page.expect_download(timeout=120_000) as download:
            by_id(page, "export-bundle").click()
        with zipfile.ZipFile(download.value.path()) as exported:
            assert "manifest.json" in exported.namelist()
        assert download.value.suggested_filename.endswith(".fsb")

        # ... and the tablet's big bundle is chosen, uploaded, verified and merged
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
    assert set(build(tablet_dir).photos.all()) <= set(build(office).photos.all())
