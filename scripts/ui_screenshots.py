"""Screenshots of every screen of the app, driven in headless Chromium like the browser tests.

    .venv/bin/python scripts/ui_screenshots.py                       # 800×1280 into docs/screenshots
    .venv/bin/python scripts/ui_screenshots.py --size 390x844 --out /tmp/phone

The home and ledger show the small demo data set; the other screens a new inspection made on
the spot (one area, a failed item with a photo, signatures on the pad).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.demo import build_demo  # noqa: E402
from app.media.synthetic import sample_photo  # noqa: E402
from tests.ui.conftest import CHROMIUM_FLAGS, by_id, open_app, start_app, stop_app  # noqa: E402
from tests.ui.test_walkthrough import draw_signature, type_into, wait_position  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="800x1280")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="zh-CN")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="firesweep-shots-"))
    build_demo(work / "data", "small", seed=1)
    photo = work / "corridor.jpg"
    photo.write_bytes(sample_photo(7, 1600, 1200))
    app = start_app(work / "data", work / "app.log", lang=args.lang)

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            page = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True).new_page()

            def shot(name: str) -> None:
                page.wait_for_timeout(800)   # the canvas paints a little after the semantics tree
                page.screenshot(path=str(args.out / f"{name}.png"))
                print("wrote", args.out / f"{name}.png")

            open_app(page, app.url)
            by_id(page, "app-title").wait_for(timeout=60_000)
            shot("home")

            by_id(page, "new-inspection").click()
            type_into(page, "unit-search", "人民医院" if args.lang == "zh-CN" else "People")
            page.locator('[flt-semantics-identifier^="unit-U"]').first.click()
            type_into(page, "inspectors", "王喆、李秀兰")
            shot("new-inspection")
            by_id(page, "start-inspection").click()

            by_id(page, "type-inpatient_ward").click()
            type_into(page, "area-name", "住院部3号楼5层")
            by_id(page, "add-area-ok").click()
            wait_position(page, 1, 12)
            by_id(page, "verdict-pass").click()
            wait_position(page, 2, 12)
            by_id(page, "verdict-pass").click()
            wait_position(page, 3, 12)
            shot("walkthrough")
            by_id(page, "verdict-fail").click()
            by_id(page, "screen-hazard").wait_for(timeout=15_000)
            with page.expect_file_chooser() as chooser:
                by_id(page, "add-photo").click()
            chooser.value.set_files(str(photo))
            by_id(page, "photo-0").wait_for(timeout=30_000)
            shot("hazard-form")
            by_id(page, "save-hazard").click()
            wait_position(page, 4, 12)
            by_id(page, "back-to-areas").click()
            by_id(page, "area-0").wait_for(timeout=15_000)
            shot("areas")

            by_id(page, "to-review").click()
            by_id(page, "screen-review").wait_for(timeout=15_000)
            draw_signature(page, "sign-inspector-0")
            draw_signature(page, "sign-inspector-1")
            type_into(page, "receiver-name", "赵敏")
            draw_signature(page, "sign-receiver")
            shot("notice")
            by_id(page, "issue-notice").click()
            by_id(page, "download-notice-0").wait_for(timeout=30_000)
            shot("notice-issued")

            by_id(page, "nav-ledger").click()
            by_id(page, "ledger-0").wait_for(timeout=15_000)
            shot("ledger")
            by_id(page, "nav-settings").click()
            by_id(page, "screen-settings").wait_for(timeout=15_000)
            shot("settings")
            browser.close()
    finally:
        stop_app(app)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
