"""Browser end-to-end fixtures: the real `firesweep app` server and Debian's headless Chromium.

The app runs as a subprocess exactly as a user starts it; Playwright drives Chromium with
the flags that keep it quiet on a closed network. Flutter paints to a canvas, so tests turn on
the accessibility tree and find controls by role, text or `flt-semantics-identifier`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import require_tool

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
                return ServedApp(f"http://127.0.0.1:{port}", data_dir, process, log)
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


@pytest.fixture(scope="session")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


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


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport=TABLET_PORTRAIT, accept_downloads=True)
    tab = context.new_page()
    tab.requests = Requests()
    tab.on("request", lambda r: tab.requests.urls.append(r.url))
    tab.on("response", lambda r: tab.requests.responses.append((r.url, r.status)))
    tab.on("requestfailed", lambda r: tab.requests.failed.__setitem__(r.url, r.failure or ""))
    yield tab
    context.close()


# Every screen shows one of these once its own controls are in the accessibility tree.
SCREEN_MARKERS = ", ".join(f'[flt-semantics-identifier{m}]' for m in (
    '^="screen-"', '="app-title"', '="item-position"', '="error"'))


def open_app(page, url: str, timeout_ms: int = 60_000, expect: str | None = None) -> None:
    """Load the Flet web client and switch its accessibility tree on.

    On a busy machine a click on the placeholder can land before Flutter listens for it and is
    lost; so click until the tree shows a node (the placeholder goes away once it is on).
    Under load the tree sometimes comes on with the frame (navigation) but never gets the
    screen's own controls; so wait for the screen (`expect`, else any screen's marker) and load
    the page once more if it does not come.
    """
    wanted = f'[flt-semantics-identifier="{expect}"]' if expect else SCREEN_MARKERS
    _load(page, url, timeout_ms)
    try:
        page.locator(wanted).first.wait_for(state="attached", timeout=timeout_ms // 3)
    except PlaywrightTimeout:
        _load(page, url, timeout_ms)
        if expect:
            page.locator(wanted).first.wait_for(state="attached", timeout=timeout_ms)


def _load(page, url: str, timeout_ms: int) -> None:
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout_ms)
    for _ in range(20):
        page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")
        try:
            page.wait_for_selector("[flt-semantics-identifier]", state="attached", timeout=3_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError("the accessibility tree never came on")


def by_id(page, identifier: str):
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')
