"""CanvasKit on the CPU against CanvasKit through software WebGL, in turns, on this machine's Chromium.

    .venv/bin/python -m benchmarks.renderer_ab [ROUNDS]

`app/ui/web_assets.py` makes the client rasterise on the CPU where WebGL is software. This
checks that choice where it applies (headless Chromium here has only SwiftShader): each round
serves the same demo data twice, with our loader and with flet-web's stock one, and measures
on the hazard form a tap's answer (severity segment → drawn) before any photo is added, a
photo's attach (as `photo_attach` does), and the tap again with the photos on the form. The two
loaders take turns so a neighbour's load falls on both. Not part of `make bench`.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from . import photo_attach as pa
from .bare_chromium import BareChromium

ATTACHES = 5


def _round(browser: BareChromium, demo: Path, photo: Path, tmp: Path, stock: bool) -> str:
    data = shutil.copytree(demo, tmp / f"data-{'stock' if stock else 'ours'}-{len(list(tmp.iterdir()))}")
    route, first = pa._hazard_route(data)
    process, url = pa._serve(data, tmp / "app.log", False, stock_loader=stock)
    page = browser.new_page(800, 1280)
    try:
        pa._open_bare_form(page, url + route)
        pa._settle(browser.process.pid)
        bare = pa._floor(page)
        attaches = [pa._attach(page, photo, first + n, process.pid, browser.process.pid)
                    for n in range(ATTACHES + 1)][1:]
        full = pa._floor(page)
    finally:
        page.close()
        pa._stop(process)
    name = "stock loader (WebGL)" if stock else "ours (CPU raster)  "
    wall = statistics.median(a.wall_ms for a in attaches)
    cpu = statistics.median(a.browser_ms for a in attaches)
    return (f"{name}: tap {statistics.median(bare):4.0f} ms, attach {wall:4.0f} ms (Chromium CPU {cpu:4.0f} ms),"
            f" tap with photos {statistics.median(full):4.0f} ms  (medians)")


def main(rounds: int) -> None:
    from app.demo import build_demo

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium")
    tmp = Path(tempfile.mkdtemp(prefix="renderer-ab-"))
    browser = BareChromium(chromium, pa.CHROMIUM_FLAGS)
    try:
        demo = tmp / "demo"
        build_demo(demo, "small")
        photo = pa.camera_jpeg(tmp / "IMG_0001.jpg")
        for n in range(rounds):
            for stock in (n % 2 == 1, n % 2 == 0):   # who goes first alternates too
                print(f"round {n + 1}: {_round(browser, demo, photo, tmp, stock)}", flush=True)
    finally:
        browser.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if sys.argv[1:] else 3)
