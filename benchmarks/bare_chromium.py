"""Headless Chromium driven over a bare DevTools connection: the page, the mouse and a file, nothing else.

Why not Playwright here: Playwright switches on the DevTools `Network` domain for every page, and
Chromium then copies each request's body to the client. A photo's upload is a 4.9 MB PUT, and
with Playwright attached it took 640–1,190 ms on loopback against 50–95 ms in the same Chromium
with no client watching (`python -m benchmarks.devtools_put_probe`, 2026-12-07): the harness, not the app, was most of
"Chromium's second". This client enables only `Page` (for the file chooser) and uses `Runtime`,
`Input`, `DOM` and `Emulation` commands, which cost nothing between them; the page itself notes
the moment a node appears, so the clock does not depend on polling.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

__all__ = ["BareChromium", "BarePage"]

# finds a node by CSS in the page and in every open shadow root (Flutter keeps some of its DOM in one)
_FIND = """(sel) => { const walk = (root) => { const hit = root.querySelector(sel); if (hit) return hit;
  for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) { const h = walk(el.shadowRoot);
  if (h) return h; } } return null; }; return walk(document); }"""


class BarePage:
    """One tab, attached through the browser's connection with a session id (flat protocol)."""

    def __init__(self, browser: BareChromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session

    def send(self, method: str, params: dict | None = None, timeout: float = 120) -> dict:
        return self.browser.send(method, params, self.session, timeout)

    def goto(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression: str, await_promise: bool = False, timeout: float = 120) -> Any:
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": await_promise}, timeout)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"page script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def call(self, function: str, *args: Any, await_promise: bool = False, timeout: float = 120) -> Any:
        """`function` (JS source) applied to JSON arguments in the page."""
        return self.evaluate(f"({function})(...{json.dumps(list(args))})", await_promise, timeout)

    def wait_for(self, selector: str, timeout: float = 120) -> None:
        """Until a node matching `selector` is in the page (polled: only for setting up, never timed)."""
        deadline = time.monotonic() + timeout
        while self.call(f"(s) => !!({_FIND})(s)", selector) is not True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{selector} never appeared")
            time.sleep(0.05)

    def click(self, selector: str) -> None:
        """A real (trusted) mouse click in the middle of the node: a file chooser needs a user gesture."""
        box = self.call(f"(s) => {{ const e = ({_FIND})(s); if (!e) return null; e.scrollIntoView({{block: 'center'}});"
                        " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }",
                        selector)
        if box is None:
            raise LookupError(f"{selector}: not in the page")
        x, y = box
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def watch_for(self, selector: str) -> None:
        """Start noting (in the page) the moment `selector` appears; `seen()` waits for it."""
        self.call(f"""(s) => {{ const find = {_FIND};
            window.__bareSeen = new Promise((done) => {{
              if (find(s)) {{ done(performance.now()); return; }}
              const watch = new MutationObserver(() => {{
                if (find(s)) {{ watch.disconnect(); done(performance.now()); }} }});
              watch.observe(document, {{subtree: true, childList: true, attributes: true}});
            }}); }}""", selector)

    def seen(self, timeout: float = 120) -> float:
        return self.evaluate("window.__bareSeen", await_promise=True, timeout=timeout)

    def open_chooser(self, selector: str) -> int:
        """Click `selector`, which opens a file chooser: the chooser's input node, to give a file to.

        A page that has just drawn its form may not listen yet: the click is tried again then."""
        for _ in range(6):
            self.browser.events.clear()
            self.click(selector)
            try:
                return self.browser.wait_event("Page.fileChooserOpened", self.session, timeout=5)["backendNodeId"]
            except TimeoutError:
                continue
        raise TimeoutError(f"{selector}: no file chooser opened")

    def set_file(self, chooser: int, path: Path) -> float:
        """Hand `path` to an open chooser: the page's clock just before (one round trip earlier)."""
        started = self.evaluate("performance.now()")
        self.send("DOM.setFileInputFiles", {"files": [str(path)], "backendNodeId": chooser})
        return started

    def tap(self, selector: str) -> float:
        """Click `selector`: the page's clock just before the press."""
        started = self.evaluate("performance.now()")
        self.click(selector)
        return started

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


class BareChromium:
    """Debian's Chromium started with a DevTools port, and one websocket to the browser target."""

    def __init__(self, executable: str, flags: list[str]):
        self.profile = Path(tempfile.mkdtemp(prefix="bare-chromium-"))
        self.process = subprocess.Popen([executable, *flags, "--remote-debugging-port=0",
                                         f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = self._devtools_url()
        self.ws = connect(url, max_size=None, open_timeout=30)
        self.next_id = 0
        self.events: list[dict] = []

    def _devtools_url(self) -> str:
        deadline = time.monotonic() + 60
        assert self.process.stderr is not None
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if found := re.search(r"DevTools listening on (ws://\S+)", line):
                return found.group(1)
            if not line and self.process.poll() is not None:
                break
        self.close()
        raise RuntimeError("chromium did not open its DevTools port")

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 120) -> dict:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while True:
            answer = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def wait_event(self, method: str, session: str | None = None, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event["params"]
            self.events.append(json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))))

    def new_page(self, width: int, height: int) -> BarePage:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = BarePage(self, target, session)
        page.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                         "deviceScaleFactor": 1, "mobile": False})
        page.send("Page.enable")
        page.send("Page.setInterceptFileChooserDialog", {"enabled": True})
        return page

    def close(self) -> None:
        with contextlib.suppress(Exception):   # already gone: the process is stopped below all the same
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
