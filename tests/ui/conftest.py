"""Browser end-to-end fixtures: the real `firesweep app` server and Debian's headless Chromium.

The app runs as a subprocess exactly as a user starts it; Playwright drives Chromium with
the flags that keep it quiet on a closed network. Flutter paints to a canvas, so tests turn on
the accessibility tree and find controls by role, text or `flt-semantics-identifier`.
"""

from __future__ import annotations

import faulthandler
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import flet as ft
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import require_tool
from tests.ui.renderer_watch import RendererWatch

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
]
TABLET_PORTRAIT = {"width": 800, "height": 1280}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServedApp:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log: Path


# Apps the running test started: their logs go into its failure report.
_started: list[ServedApp] = []


def start_app(data_dir: Path, log: Path, *extra: str, lang: str = "zh-CN") -> ServedApp:
    port = free_port()
    env = {**os.environ, "FIRESWEEP_LANG": lang}
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "app", "--port", str(port), "--data", str(data_dir), *extra],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited: {log.read_text(errors='replace')}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                app = ServedApp(f"http://127.0.0.1:{port}", data_dir, process, log)
                _started.append(app)
                return app
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("app did not start in 30 s")


def stop_app(app: ServedApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(10)
    except subprocess.TimeoutExpired:
        app.process.kill()


@pytest.fixture
def served_app(tmp_path: Path) -> Iterator[ServedApp]:
    app = start_app(tmp_path / "data", tmp_path / "app.log")
    yield app
    stop_app(app)


@pytest.fixture(autouse=True)
def _forget_started_apps() -> Iterator[None]:
    _started.clear()
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test reports the end of each app log it started: what the server saw."""
    report = yield
    if report.failed:
        for app in _started:
            try:
                tail = app.log.read_text(errors="replace")[-4000:]
            except OSError as error:
                tail = str(error)
            report.sections.append((f"app log {app.url} ({report.when})", tail))
        browser = getattr(item, "funcargs", {}).get("browser")
        killed = getattr(getattr(browser, "renderer_watch", None), "killed", [])
        if killed:
            report.sections.append(("renderer watch", f"killed spinning renderer(s) {killed}"))
    return report


TEARDOWN_LIMIT = 120   # s; a Chromium that will not close must not hold the whole run


@pytest.fixture
def browser():
    """A Chromium of the test's own, with its own Playwright driver.

    Under load on CI a renderer of the Flutter client sometimes spins for ever and the calls into
    its page never return (the run hung until it was killed). A `RendererWatch` kills such a
    renderer, which Playwright then reports as a crash; a fresh browser per test (about a second)
    keeps anything else that wedges to its own test, which pytest-timeout fails. Closing is
    guarded too: if it does not finish in TEARDOWN_LIMIT the process dumps every thread's stack
    and exits rather than hang.
    """
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    marker = f"--firesweep-test-browser={uuid.uuid4().hex}"     # finds this browser's renderers
    with sync_playwright() as pw, RendererWatch(marker) as watch:
        instance = pw.chromium.launch(executable_path=chromium, args=[*CHROMIUM_FLAGS, marker], timeout=60_000)
        instance.renderer_watch = watch
        yield instance
        faulthandler.dump_traceback_later(TEARDOWN_LIMIT, exit=True)
        instance.close()                  # and with it every context a test opened
    faulthandler.cancel_dump_traceback_later()


# A renderer the watch killed shows up as one of these in the test that was using it.
RENDERER_CRASHED = ["Target crashed", "Page crashed"]


def pytest_collection_modifyitems(items) -> None:
    """A browser test whose renderer hung (killed by the watch: a crash) runs once more, from scratch."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=RENDERER_CRASHED))


@dataclass
class Requests:
    """Every URL the page asked for, to prove nothing left this machine."""

    urls: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    responses: list[tuple[str, int]] = field(default_factory=list)

    def external(self) -> list[str]:
        """Requests to anywhere but this server that the page's CSP did not stop before sending."""
        return [
            u for u in self.urls
            if not u.startswith(("http://127.0.0.1", "data:", "blob:")) and self.failed.get(u) != "csp"
        ]


class Tab:
    """A browser tab that `open_app` can replace when Chromium's renderer for it hangs.

    Under load the Flutter web client sometimes leaves its renderer spinning at full CPU (seen
    about once per run of the browser tests on two busy cores); every later call into that page
    then waits. `open_app` takes only bounded steps, and when one fails (a timeout, or the crash of
    a renderer `RendererWatch` killed) it throws this tab's context away and opens a fresh one
    with the same options. Tests hold the Tab, whose
    attributes are the current page's, so they go on with the new page.
    """

    def __init__(self, browser, **options) -> None:
        self._browser, self._options = browser, options
        self._timeout: float | None = None
        self.requests = Requests()
        self.renewals = 0
        self._open()

    def _open(self) -> None:
        self.context = self._browser.new_context(**self._options)
        self.page = self.context.new_page()
        if self._timeout is not None:
            self.page.set_default_timeout(self._timeout)
        requests = self.requests
        self.page.on("request", lambda r: requests.urls.append(r.url))
        self.page.on("response", lambda r: requests.responses.append((r.url, r.status)))
        self.page.on("requestfailed", lambda r: requests.failed.__setitem__(r.url, r.failure or ""))

    def set_default_timeout(self, timeout: float) -> None:
        self._timeout = timeout
        self.page.set_default_timeout(timeout)

    def renew(self) -> None:
        """A new context and page in place of a hung one (closing the context ends its renderer)."""
        self.renewals += 1
        self.context.close()
        self._open()

    def __getattr__(self, name: str):
        return getattr(self.page, name)


@pytest.fixture
def page(browser) -> Tab:
    return Tab(browser, viewport=TABLET_PORTRAIT, accept_downloads=True)


# Every screen shows one of these once its own controls are in the accessibility tree.
SCREEN_MARKERS = ", ".join(f'[flt-semantics-identifier{m}]' for m in (
    '^="screen-"', '="app-title"', '="item-position"', '="error"'))

# Clicks the placeholder that turns Flutter's accessibility tree on, inside a call that Playwright
# can time out (a bare `evaluate` has no timeout and never returns from a hung renderer).
_CLICK_PLACEHOLDER = "() => { document.querySelector('flt-semantics-placeholder')?.click(); return true; }"


class RendererHung(Exception):
    """A bounded step into the page timed out: the renderer is not answering."""


def open_app(tab: Tab, url: str, timeout_ms: int = 60_000, expect: str | None = None, attempts: int = 3) -> None:
    """Load the Flet web client in `tab` and switch its accessibility tree on.

    On a busy machine a click on the placeholder can land before Flutter listens for it and is
    lost; so click until the tree shows a node (the placeholder goes away once it is on). Under
    load the tree sometimes comes on with the frame but never gets the screen's own controls, and
    sometimes the renderer hangs; so wait for the screen (`expect`, else any screen's marker) and,
    when it does not come, start again in a fresh page, up to `attempts` times.
    """
    wanted = f'[flt-semantics-identifier="{expect}"]' if expect else SCREEN_MARKERS
    for attempt in range(1, attempts + 1):
        try:
            _load(tab, url, timeout_ms)
            tab.locator(wanted).first.wait_for(state="attached", timeout=timeout_ms // 2)
            return
        except (PlaywrightError, RendererHung) as error:     # a timeout, or a renderer the watch killed
            if attempt == attempts:
                raise AssertionError(f"{url} did not show its screen in {attempts} attempts: {error}") from error
            tab.renew()


def _load(tab: Tab, url: str, timeout_ms: int) -> None:
    tab.goto(url, timeout=timeout_ms)
    tab.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout_ms)
    for _ in range(10):
        try:
            tab.wait_for_function(_CLICK_PLACEHOLDER, timeout=10_000)
        except PlaywrightTimeout as error:
            raise RendererHung(str(error)) from error
        try:
            tab.wait_for_selector("[flt-semantics-identifier]", state="attached", timeout=3_000)
            return
        except PlaywrightTimeout:
            continue
    raise RendererHung("the accessibility tree never came on")


def screenshot_path(name: str) -> Path:
    """Where a browser test saves a screenshot: a temporary folder, so a test run never rewrites the
    checkout; `FIRESWEEP_SCREENSHOTS=docs/screenshots` refreshes the README's pictures instead."""
    folder = Path(os.environ.get("FIRESWEEP_SCREENSHOTS") or Path(tempfile.gettempdir()) / "firesweep-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def by_id(page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def reveal(page, identifier: str, attempts: int = 12):
    """Scroll the Flutter view until the control is wholly on screen, and return its locator.

    Playwright's own scroll-into-view moves the DOM, not Flutter's scrollables, so a control below
    the fold (on a phone, or after a photo grew the card above it) stays "outside of the viewport".
    A wheel over the middle of the screen scrolls the view the way a user's finger would.
    """
    target = by_id(page, identifier).first
    target.wait_for()
    view = page.viewport_size
    for _ in range(attempts):
        box = target.bounding_box()
        if box and box["y"] >= 0 and box["y"] + box["height"] <= view["height"]:
            return target
        step = box["y"] + box["height"] / 2 - view["height"] / 2 if box else view["height"] / 2
        page.mouse.move(view["width"] / 2, view["height"] / 2)
        page.mouse.wheel(0, step)
        page.wait_for_timeout(300)
    raise AssertionError(f"{identifier} never came into view: {target.bounding_box()} in {view}")


@pytest.fixture
def saved(monkeypatch) -> dict[str, bytes]:
    """What the app hands to `FilePicker.save_file` (a download in the browser), by file name."""
    files: dict[str, bytes] = {}

    async def save_file(self, dialog_title=None, file_name=None, src_bytes=None, **_kwargs):
        files[file_name] = src_bytes

    monkeypatch.setattr(ft.FilePicker, "save_file", save_file)
    return files
