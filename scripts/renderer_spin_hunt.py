"""Hunt the Chromium renderer spin that the browser tests guard against, and take its JS stack.

    .venv/bin/python scripts/renderer_spin_hunt.py [--loads N] [--seconds S]

Loads the app (small demo data) page after page in headless Chromium, turning the accessibility
tree on as the tests do. A thread watches the browser's renderers; one that burns a core for 20 s
is paused through the DevTools protocol (`Debugger.pause`) and its JS call stack is written to
renderer-spin-stack.txt before it is killed. 240 loads of four screens never spun (2026-11-30):
the spin seen in CI needs taps or navigation inside a page, which is what to add next.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from app.demo import build_demo  # noqa: E402
from tests.ui.conftest import CHROMIUM_FLAGS, start_app, stop_app  # noqa: E402
from tests.ui.renderer_watch import RendererWatch  # noqa: E402

PORT = 9339
MARKER = "--firesweep-spin-hunt"
ROUTES = ["/", "/ledger", "/settings", "/reports"]
CLICK = "() => { document.querySelector('flt-semantics-placeholder')?.click(); return true; }"


class Debuggers:
    """A DevTools connection with the debugger on, to every page, opened while the page still answers:
    a renderer busy in JS can be paused (V8 interrupts it) but no longer takes `Debugger.enable`."""

    def __init__(self) -> None:
        self.sockets: dict[str, object] = {}
        self.lock = threading.Lock()          # attached from the main thread, used from the watch's

    def attach_new(self) -> None:
        with self.lock:
            self._attach_new()

    def _attach_new(self) -> None:
        for target in json.load(urllib.request.urlopen(f"http://127.0.0.1:{PORT}/json")):
            if target.get("type") != "page" or target["id"] in self.sockets:
                continue
            try:
                ws = connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=5)
                ws.send(json.dumps({"id": 1, "method": "Debugger.enable"}))
                ws.recv(timeout=5)
                self.sockets[target["id"]] = ws
            except Exception:   # a page closing as we look: the next round tries again
                continue

    def stack(self, out: Path) -> bool:
        """Pause every page; write the frames of the first that reports being paused."""
        with self.lock:
            sockets = list(self.sockets.values())
        for ws in sockets:
            try:
                ws.send(json.dumps({"id": 2, "method": "Debugger.pause"}))
                deadline = time.time() + 10
                while time.time() < deadline:
                    message = json.loads(ws.recv(timeout=10))
                    if message.get("method") == "Debugger.paused":
                        lines = [f"{f['functionName'] or '<anon>'} @ {f['url'].rsplit('/', 1)[-1]}:"
                                 f"{f['location']['lineNumber']}:{f['location'].get('columnNumber')}"
                                 for f in message["params"]["callFrames"]]
                        out.write_text("\n".join(lines) + "\n")
                        return True
            except Exception:
                continue
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=900)
    parser.add_argument("--out", type=Path, default=Path("renderer-spin-stack.txt"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="firesweep-spin-"))
    build_demo(work / "data", "small", seed=1)
    app = start_app(work / "data", work / "app.log")
    found = threading.Event()
    debuggers = Debuggers()

    def spinning(pid: int) -> None:
        print("spinning renderer", pid, "- stack written" if debuggers.stack(args.out) else "- no stack", flush=True)
        found.set()

    start = time.time()
    try:
        with sync_playwright() as pw, RendererWatch(MARKER, window=20, before_kill=spinning):
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=[*CHROMIUM_FLAGS, MARKER, f"--remote-debugging-port={PORT}"])
            for n in range(args.loads):
                if found.is_set() or time.time() - start > args.seconds:
                    break
                context = browser.new_context(viewport={"width": 800, "height": 1280})
                page = context.new_page()
                try:
                    page.goto(app.url + ROUTES[n % len(ROUTES)], timeout=60_000)
                    debuggers.attach_new()            # while the page still answers
                    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
                    page.wait_for_function(CLICK, timeout=30_000)
                    page.wait_for_selector("[flt-semantics-identifier]", state="attached", timeout=30_000)
                except Exception as error:   # a spin shows up here as a crash once the watch kills it
                    print(n, type(error).__name__, str(error)[:120], flush=True)
                finally:
                    context.close()
                if n % 10 == 0:
                    print("load", n, round(time.time() - start), "s", flush=True)
            browser.close()
    finally:
        stop_app(app)
    print("spin found" if found.is_set() else "no spin", flush=True)


if __name__ == "__main__":
    main()
