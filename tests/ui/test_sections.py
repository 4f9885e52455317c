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
