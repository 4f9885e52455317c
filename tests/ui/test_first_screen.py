"""The app starts offline and shows its Chinese title in the bundled font."""

from __future__ import annotations

import pytest

from tests.ui.conftest import by_id, open_app
from tests.ui.glyphs import advance_ratio

pytestmark = pytest.mark.browser


def test_first_screen_shows_the_chinese_title_offline(served_app, page, tmp_path):
    open_app(page, served_app.url)
    title = by_id(page, "app-title")
    title.wait_for(timeout=30_000)
    assert "火灾隐患排查" in (title.text_content() or title.get_attribute("aria-label") or "")

    page.wait_for_timeout(800)  # the canvas paints shortly after the semantics tree
    shot = tmp_path / "first.png"
    page.screenshot(path=str(shot))

    assert page.requests.external() == [], "the client must fetch nothing from the internet"
    font = [r for r in page.requests.responses if r[0].endswith("/fonts/FiresweepCJK.ttf")]
    assert font and font[0][1] == 200, "the bundled font was not served"

    # Glyphs, not tofu: ideographs are square, a missing-glyph box is half as wide.
    assert advance_ratio(shot, title.bounding_box(), chars=len("火灾隐患排查")) > 0.8
