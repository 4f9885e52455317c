"""The navigation lights the section a screen belongs to (issue 17: photo and re-check were wrong)."""

from __future__ import annotations

import pytest

from app.ui import routes


@pytest.mark.parametrize(("route", "section"), [
    ("/photo/p1", "new"),                      # from the hazard form of a walk-through
    ("/photo/p1?from=detail", "ledger"),       # from a hazard opened in the ledger
    ("/i/x/recheck", "ledger"),
    ("/recheck?unit=U01", "ledger"),
    ("/i/x/a/y/z/hazard", "new"),
    ("/h/abc", "ledger"),
    ("/campaign", "reports"),
    ("/", "home"),
])
def test_each_screen_lights_its_own_section(route, section):
    assert routes.section_of(route) == section


def test_a_name_is_kept_on_one_line_and_a_long_text_still_wraps():
    from app.ui.widgets.common import WORD_JOINER, names_line, whole

    assert whole("李秀兰") == f"李{WORD_JOINER}秀{WORD_JOINER}兰"
    assert whole("李秀兰").replace(WORD_JOINER, "") == "李秀兰"
    assert names_line(["王喆", "李秀兰"]).replace(WORD_JOINER, "") == "王喆、李秀兰"
    assert WORD_JOINER not in whole("这是一段很长的整改措施说明文字需要换行")
