"""Why the browser benchmarks do not use Playwright for timing: a 4.9 MB PUT with and without it.

    .venv/bin/python -m benchmarks.devtools_put_probe

A tiny local server gives a page that PUTs a photo-sized body (4,879,539 bytes, what the
benchmark's 12 MP JPEG is) five times and reports the times back. The same Chromium loads it
twice: alone (a DevTools port open, no client), then driven by Playwright, which turns on
DevTools' network capture for its pages. Measured 2026-12-07 on the shared 2-core machine:
50–95 ms alone, 640–1,190 ms with Playwright. Not part of `make bench` (it measures the harness).
"""

from __future__ import annotations

import http.server
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time

SIZE = 4_879_539
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = f"""<!doctype html><html><body><script>
(async () => {{
  const body = new Uint8Array({SIZE});
  for (let i = 0; i < body.length; i += 4096) body[i] = i & 255;
  const times = [];
  for (let n = 0; n < 5; n++) {{
    const t0 = performance.now();
    await fetch('/put?n=' + n, {{method: 'PUT', body}});
    times.push(Math.round(performance.now() - t0));
  }}
  await fetch('/result?ms=' + times.join(','));
  document.title = 'done';
}})();
</script></body></html>"""


def _server(results: list[str]) -> socketserver.ThreadingMixIn:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *_args) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/result"):
                results.append(self.path.split("=", 1)[1])
            body = PAGE.encode() if self.path == "/" else b"ok"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_PUT(self) -> None:
            left = int(self.headers["Content-Length"])
            while left:
                left -= len(self.rfile.read(min(left, 1 << 20)))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium")
    results: list[str] = []
    server = _server(results)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    profile = tempfile.mkdtemp(prefix="put-probe-")
    alone = subprocess.Popen([chromium, *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={profile}", url],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not results and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        alone.terminate()
        alone.wait()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"Chromium alone: PUT of {SIZE:,} bytes, ms: {results[-1] if results else 'no answer'}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("document.title === 'done'", timeout=60_000)
        finally:
            browser.close()
    print(f"driven by Playwright: PUT of {SIZE:,} bytes, ms: {results[-1]}")
    server.shutdown()


if __name__ == "__main__":
    main()
