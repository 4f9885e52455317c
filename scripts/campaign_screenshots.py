"""Screenshots of the home reminders and the campaign dashboard (/campaign), in headless Chromium.

    .venv/bin/python scripts/campaign_screenshots.py [--out docs/screenshots]

Builds the small demo (36 units' paperwork, three units' inspections) and shoots each screen at
1280×800 and 390×844: the home screen, the dashboard top, its table, and one unit's duties (a late
unit with its submit buttons; a unit with a submission awaiting the bureau's decision).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from app.demo import build_demo  # noqa: E402
from tests.ui.conftest import CHROMIUM_FLAGS, by_id, open_app, start_app, stop_app  # noqa: E402

SIZES = ((1280, 800), (390, 844))
UNITS = (("late-unit", "U24 示例市卫生监督所"), ("review", "U35 示例市卫生职业学院"))


def _choose(page, text: str, width: int, height: int) -> None:
    """Pick a unit in the dropdown, then scroll to the end of its duties."""
    by_id(page, "campaign-unit").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    by_id(page, "campaign-unit").click()
    page.wait_for_timeout(800)
    item = page.get_by_role("menuitem", name=text)
    if item.count() == 0:
        item = page.get_by_text(text, exact=True)
    item.last.scroll_into_view_if_needed()
    item.last.click()
    page.wait_for_timeout(1200)
    page.mouse.move(width // 2, height // 2)
    for _ in range(8):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(150)
    page.mouse.move(width - 5, height - 100)   # no hover tooltip in the picture


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="firesweep-campaign-"))
    build_demo(work / "data", "small", seed=1)
    app = start_app(work / "data", work / "app.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for width, height in SIZES:
                page = browser.new_context(viewport={"width": width, "height": height}).new_page()

                def shot(name: str, page=page, size=f"{width}x{height}") -> None:
                    page.wait_for_timeout(1000)   # the canvas paints a little after the semantics tree
                    path = args.out / f"campaign-{name}-{size}.png"
                    page.screenshot(path=str(path))
                    print("wrote", path)

                open_app(page, app.url)
                by_id(page, "home-reminders").wait_for(timeout=60_000)
                shot("home")
                by_id(page, "open-campaign").click()
                by_id(page, "campaign-title").wait_for(timeout=60_000)
                page.mouse.move(width - 5, 5)   # off the bar chart: no hover tooltip in the picture
                shot("dashboard")
                page.mouse.move(width // 2, height // 2)
                page.mouse.wheel(0, 700 if width > 600 else 900)
                shot("table")
                for name, text in UNITS:
                    _choose(page, text, width, height)
                    shot(name)
                page.close()
    finally:
        stop_app(app)


if __name__ == "__main__":
    main()
