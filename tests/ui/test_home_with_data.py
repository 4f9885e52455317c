"""The home screen shows the campaign's figures from real data, in both languages."""

from __future__ import annotations

import re

import pytest

from app.demo import build_demo
from tests.ui.conftest import by_id, open_app, start_app, stop_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "label"), [("zh-CN", "已逾期"), ("en", "Overdue")])
def test_home_shows_hazard_counts_and_drafts(tmp_path, page, lang, label):
    data = tmp_path / "data"
    summary = build_demo(data, "small", seed=1)
    app = start_app(data, tmp_path / "app.log", lang=lang)
    try:
        open_app(page, app.url, expect="count-overdue")
        card = by_id(page, "count-overdue")
        text = card.get_attribute("aria-label") or card.text_content() or ""
        assert label in text
        assert int(re.search(r"\d+", text).group()) > 0   # the demo ends with overdue hazards
        assert summary.drafts > 0
    finally:
        stop_app(app)
