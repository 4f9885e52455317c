"""The browser harness itself: a tab whose renderer hangs while the app starts is replaced.

Under load, Flutter's web client sometimes leaves its renderer spinning (seen in CI: the run hung
until it was killed). `open_app` must notice within bounded time and go on in a fresh page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.ui.conftest import RENDERER_CRASHED, by_id, open_app

pytestmark = pytest.mark.browser

# The first page spins for ever the moment the accessibility placeholder is clicked: the hang seen in CI.
SPIN_ON_PLACEHOLDER_CLICK = """
document.addEventListener('click', (event) => {
  if (event.target && event.target.tagName === 'FLT-SEMANTICS-PLACEHOLDER') { while (true) {} }
}, true);
"""


def test_a_tab_whose_renderer_hangs_is_replaced_and_the_screen_comes(served_app, page):
    page.page.add_init_script(SPIN_ON_PLACEHOLDER_CLICK)       # only on this first page
    open_app(page, served_app.url + "/settings", expect="screen-settings")
    assert page.renewals == 1
    assert by_id(page, "screen-settings").count() == 1


def test_a_renderer_that_spins_mid_test_is_killed_and_the_call_fails_at_once(served_app, page, browser):
    watch = browser.renderer_watch
    open_app(page, served_app.url + "/settings", expect="screen-settings")
    # Shorten the window only now: loading the client under load can itself take a core for 6 s.
    watch.window = 6                                          # seconds, instead of the run's 45
    before = len(watch.killed)
    page.evaluate("setTimeout(() => { while (true) {} }, 0)")
    with pytest.raises(PlaywrightError, match="|".join(RENDERER_CRASHED)):
        page.wait_for_function("() => false", timeout=120_000)   # in-page polling: only the kill ends it
    assert watch.killed[before:], "the call ended, but not because the watchdog killed the renderer"
