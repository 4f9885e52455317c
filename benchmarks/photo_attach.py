"""Attaching a 12 MP JPEG in the browser: file chosen → its thumbnail on the hazard form.

The real thing end to end: `firesweep app` serving a demo data set, Debian's headless Chromium,
the hazard form of a failed item, a 4000×3000 camera-like JPEG (~5 MB) given to the form's file
chooser. The clock (the page's own) starts when the file is handed to the chooser (the moment a
user's choice lands) and stops when the new thumbnail's node (`photo-N`) is in the page's
accessibility tree, which Flutter builds in the same frame as the picture. Between the two:
the picker's result to the server, the client reading the file and the signed upload (PUT
through `web_guard`), the server reading it, `add_hazard_photo` (decode, stamp, encodes, blob
store, durable save) and the form's update to the client.

The browser is driven over a bare DevTools connection (`bare_chromium`), as no user's browser
is: Playwright turns on DevTools' network capture, and Chromium then copies the 4.9 MB upload
to it (a loopback PUT took 640–1,190 ms that way, 50–95 ms without). The file is given a second
after the chooser opened, as a person would (the button's ripple is over by then); earlier
sessions set it at once and measured the ripple's frames too. One row keeps that old way
(Playwright, file set at once) so the earlier figures can be compared.

Baseline, in the same run and the same browser: the same attach as it was before this benchmark
(`naive_ingest`: a full-frame stamp, then every file derived from the full-size stamped photo
and encoded and stored one after the other; the upload's percentage repainted from its first
step; the upload's end learnt from the browser's own "100%" event; flet-web's stock loader, so
CanvasKit draws through WebGL even when WebGL is software), served by this module as a
subprocess (`python -m benchmarks.photo_attach naive PORT DATA`).

Wall time on a shared machine says as much about the neighbours as about the app, so two more
rows give the CPU each side spent per attach (the app's process tree, and the browser's
processes), read from /proc. A last row is the floor of any change on this page: a tap on a
severity segment → its new state drawn (one server round trip, one frame), with no photo.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import ExifTags, Image

from .common import Row, summary

REPEAT = 7          # measured attaches per server, after one unmeasured warm-up
CHOOSING = 1.0      # s between the chooser opening and the file given: a person takes longer
FLOOR_TAPS = 8      # severity taps measured for the floor row
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WIDTH, HEIGHT = 4000, 3000
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def camera_jpeg(path: Path) -> Path:
    """A 4000×3000 JPEG that compresses like a phone photo (fine noise on smooth shapes): ~5 MB."""
    base = Image.effect_noise((WIDTH // 2, HEIGHT // 2), 24).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    fine = Image.effect_noise((WIDTH, HEIGHT), 20)
    ramp = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    image = Image.merge("RGB", (Image.blend(base, fine, 0.6), Image.blend(ramp, fine, 0.3),
                                Image.blend(ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT), fine, 0.6)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Camera", "12MP"
    exif[ExifTags.Base.Orientation] = 1
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return path


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: its parent, its name and the CPU seconds it has used (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            name = raw[raw.index("(") + 1:raw.rindex(")")]
            fields = raw.rsplit(")", 1)[1].split()
            found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return found


def cpu_seconds(root: int, leave_out: set[int] = frozenset(), names: tuple[str, ...] = ()) -> float:
    """CPU seconds used so far by `root` and its descendants, without the trees under `leave_out`
    and, when `names` is given, counting only processes with one of those names."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _name, _cpu) in table.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid in leave_out or pid not in table:
            continue
        if not names or table[pid][1] in names:
            total += table[pid][2]
        stack += children.get(pid, [])
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data: Path, log: Path, naive: bool, stock_loader: bool = False) -> tuple[subprocess.Popen, str]:
    """`firesweep app` on a free port; `naive`: the attach as it was; `stock_loader`: today's app
    with flet-web's own loader (WebGL even where it is software), for `renderer_ab`."""
    port = _free_port()
    variant = "naive" if naive else "stock-loader" if stock_loader else ""
    command = ([sys.executable, "-m", "benchmarks.photo_attach", variant, str(port), str(data)] if variant else
               [sys.executable, "-m", "app", "app", "--port", str(port), "--data", str(data)])
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               env={**os.environ, "FIRESWEEP_LANG": "zh-CN"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited: {log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the app did not start in 60 s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


FORM = '[flt-semantics-identifier="add-photo"]'
SEGMENT = '[flt-semantics-identifier="severity"] > flt-semantics:nth-child({n})[aria-current="true"]'


def _open_form(page, url: str) -> None:
    """Load the client, switch its accessibility tree on, wait for the hazard form (Playwright page)."""
    page.goto(url, timeout=120_000)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=120_000)
    for _ in range(20):
        page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")
        try:
            page.wait_for_selector(FORM, state="attached", timeout=3_000)
            return
        except Exception:   # the click landed before Flutter listened: click again
            continue
    raise RuntimeError(f"{url}: the hazard form never showed its photo button")


def _open_bare_form(page, url: str) -> None:
    """`_open_form` through the bare DevTools connection."""
    page.goto(url)
    page.wait_for("flt-semantics-placeholder")
    for _ in range(20):
        page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")
        try:
            page.wait_for(FORM, timeout=3)
            return
        except TimeoutError:   # the click landed before Flutter listened: click again
            continue
    raise RuntimeError(f"{url}: the hazard form never showed its photo button")


@dataclass
class Attach:
    """One attach: wall milliseconds, and the CPU milliseconds the server and the browser spent on it."""

    wall_ms: float
    server_ms: float
    browser_ms: float


def _attach(page, photo: Path, index: int, server: int, browser: int) -> Attach:
    """A person's choice: chooser opened, a file given a moment later → thumbnail `photo-<index>` drawn."""
    chooser = page.open_chooser(FORM)
    time.sleep(CHOOSING)
    page.watch_for(f'[flt-semantics-identifier="photo-{index}"]')
    cpu_before = cpu_seconds(server), cpu_seconds(browser)
    started = page.set_file(chooser, photo)
    wall = page.seen() - started
    cpu_after = cpu_seconds(server), cpu_seconds(browser)
    return Attach(wall, (cpu_after[0] - cpu_before[0]) * 1000, (cpu_after[1] - cpu_before[1]) * 1000)


def _settle(browser: int, most: float = 30.0) -> None:
    """Until the browser's processes are idle (under 10% of a core over half a second): a fresh
    page compiles CanvasKit's WebAssembly and the client's JS for seconds in the background."""
    deadline = time.monotonic() + most
    before = cpu_seconds(browser)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(browser)
        if now - before < 0.05:
            return
        before = now


def _floor(page) -> list[float]:
    """Milliseconds from a tap on a severity segment to the segment drawn as chosen, both ways in turn."""
    samples = []
    for n in range(FLOOR_TAPS + 1):
        segment = 2 - n % 2                   # 重大, then 一般, …
        page.watch_for(SEGMENT.format(n=segment))
        started = page.tap(f'[flt-semantics-identifier="severity"] > flt-semantics:nth-child({segment})')
        samples.append(page.seen() - started)
        time.sleep(0.5)                       # the segment's ripple is over before the next tap
    return samples[1:]


def _attach_playwright(page, photo: Path, index: int, server: int) -> float:
    """The attach as earlier sessions measured it: Playwright, the file set as soon as the chooser opened."""
    with page.expect_file_chooser() as chooser:
        page.locator(FORM).click()
    started = time.perf_counter()
    chooser.value.set_files(str(photo))
    page.locator(f'[flt-semantics-identifier="photo-{index}"]').wait_for(state="attached", timeout=120_000)
    return (time.perf_counter() - started) * 1000


def _hazard_route(data: Path) -> tuple[str, int]:
    """The hazard form of an open hazard raised from a failed item, and how many photos it has."""
    from app.bootstrap import build
    from app.domain.model import HazardStatus
    from app.services.photos import photos_of

    ctx = build(data)
    hazard = next(h for h in ctx.repo.hazards("U01") if h.item_id and h.status is HazardStatus.OPEN)
    return (f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard",
            len(photos_of(ctx, hazard.id, hazard.unit)))


@dataclass
class Session:
    attaches: list[Attach]
    floor_ms: list[float]


def _session(browser, data: Path, route: str, first: int, photo: Path, naive: bool, log: Path,
             floor: bool = False) -> Session:
    process, url = _serve(data, log, naive)
    page = browser.new_page(800, 1280)
    try:
        _open_bare_form(page, url + route)
        _settle(browser.process.pid)
        samples = [_attach(page, photo, first + n, process.pid, browser.process.pid) for n in range(REPEAT + 1)]
        # the first one warms the server's imports and fonts
        return Session(samples[1:], _floor(page) if floor else [])
    finally:
        page.close()
        _stop(process)


def _playwright_session(chromium: str, data: Path, route: str, first: int, photo: Path, log: Path) -> list[float]:
    from playwright.sync_api import sync_playwright

    process, url = _serve(data, log, False)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_context(viewport={"width": 800, "height": 1280}).new_page()
                page.set_default_timeout(120_000)
                _open_form(page, url + route)
                return [_attach_playwright(page, photo, first + n, process.pid) for n in range(REPEAT + 1)][1:]
            finally:
                browser.close()
    finally:
        _stop(process)


def run() -> list[Row]:
    from app.demo import build_demo

    from .bare_chromium import BareChromium

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("photo_attach needs Debian's chromium (scripts/system-deps.sh installs it)")
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-attach-"))
    try:
        data = tmp / "data"
        build_demo(data, "small")
        photo = camera_jpeg(tmp / "IMG_0001.jpg")
        size = photo.stat().st_size
        route, first = _hazard_route(data)
        twin = shutil.copytree(data, tmp / "data-as-it-was")   # the baseline starts from the same photos
        third = shutil.copytree(data, tmp / "data-playwright")
        browser = BareChromium(chromium, CHROMIUM_FLAGS)
        try:
            now = _session(browser, data, route, first, photo, False, tmp / "app.log", floor=True)
            naive = _session(browser, twin, route, first, photo, True, tmp / "naive.log", floor=True)
        finally:
            browser.close()
        driven = _playwright_session(chromium, third, route, first, photo, tmp / "playwright.log")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    label = f"browser: attach a 12 MP JPEG ({size / 1e6:.1f} MB)"
    return [
        Row(f"{label}, file chosen → thumbnail", *summary([a.wall_ms for a in now.attaches]), "as it was",
            summary([a.wall_ms for a in naive.attaches])[0], "≤ 500 ms"),
        Row(f"{label}: server CPU", *summary([a.server_ms for a in now.attaches]), "as it was",
            summary([a.server_ms for a in naive.attaches])[0]),
        Row(f"{label}: Chromium CPU", *summary([a.browser_ms for a in now.attaches]), "as it was",
            summary([a.browser_ms for a in naive.attaches])[0]),
        Row(f"{label}, driven by Playwright as before (DevTools copies the upload; file set during the ripple)",
            *summary(driven)),
        Row("browser: floor, a tap → its new state drawn (severity segment: a server round trip, one frame)",
            *summary(now.floor_ms), "as it was", summary(naive.floor_ms)[0]),
    ]


def stamp_full_frame(image: Image.Image, lines: list[str]) -> Image.Image:
    """`app.media.stamp.stamp` as it was: the whole photo converted to RGBA and blended."""
    from PIL import ImageDraw

    from app.media import stamp

    stamped = image.convert("RGB")
    band = stamp.band_height(stamped.height)
    size = max(12, band // (len(lines) + 1))
    overlay = Image.new("RGBA", stamped.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, stamped.height - band, stamped.width, stamped.height), fill=(0, 0, 0, 170))
    font = stamp._font(size)
    y = stamped.height - band + (band - size * len(lines) - size // 3 * (len(lines) - 1)) // 2
    for line in lines:
        text = line
        while draw.textlength(text, font=font) > stamped.width - 2 * size and len(text) > 4:
            text = text[:-2] + "…"
        draw.text((size, y), text, font=font, fill=(255, 255, 255, 255))
        y += size + size // 3
    return Image.alpha_composite(stamped.convert("RGBA"), overlay).convert("RGB")


def naive_ingest(ctx, data, name, unit, owner, owner_id, place, settings):
    """`app.services.photos._ingest` as it was: a full-frame stamp, then four files in turn, each
    derived from the full-size stamped photo, encoded and stored one after the other."""
    from app.domain.model import Photo
    from app.media import pipeline
    from app.services import photos
    from app.services.context import new_meta, save

    processed = pipeline.process(data, name, keep_gps=settings.keep_gps)
    meta = new_meta(ctx, unit)
    stamped = stamp_full_frame(processed.image, photos._stamp_lines(ctx, unit, place, meta["id"][:8]))
    blobs = photos._blobs(ctx)
    photo = Photo(
        **meta,
        sha256=blobs.put(pipeline.encode_jpeg(stamped, processed.exif), ".jpg"),
        thumb_sha256=blobs.put(pipeline.thumbnail(stamped), ".jpg"),
        print_sha256=blobs.put(pipeline.thumbnail(stamped, pipeline.PRINT_SIDE), ".jpg"),
        unstamped_sha256=(
            blobs.put(pipeline.encode_jpeg(processed.image, processed.exif), ".jpg") if settings.keep_unstamped else ""
        ),
        owner=owner, owner_id=owner_id, taken_by=ctx.actor, original_name=Path(name).name[:200],
        original_size=len(data), width=stamped.width, height=stamped.height, taken_at=pipeline.taken_at(processed.exif),
    )
    return save(ctx, photo, None, "create")


def _stock_loader() -> None:
    """Serve flet-web's `flutter_bootstrap.js` as shipped: CanvasKit through WebGL, software or not."""
    from app.ui import web_assets

    web_assets.bootstrap_js = lambda: (web_assets._package_web() / "flutter_bootstrap.js").read_text("utf-8")


def _serve_stock_loader(port: str, data: str) -> int:
    from app import cli

    _stock_loader()
    return cli.main(["app", "--port", port, "--data", data])


def _serve_naive(port: str, data: str) -> int:
    """`firesweep app` with the attach as it was (the baseline's server): the ingest above, the
    upload's percentage shown from its first step, the end of an upload learnt from the
    browser's "100%" only, and flet-web's stock loader (WebGL even when it is software)."""
    from app import cli
    from app.services import photos
    from app.ui import web_guard
    from app.ui.widgets import photo_input

    photos._ingest = naive_ingest
    _stock_loader()
    photo_input.QUIET_UPLOAD = 0
    web_guard.watch_upload = lambda _name, _answered: lambda: None
    return cli.main(["app", "--port", port, "--data", data])


if __name__ == "__main__" and sys.argv[1:2] == ["naive"]:
    raise SystemExit(_serve_naive(*sys.argv[2:4]))
if __name__ == "__main__" and sys.argv[1:2] == ["stock-loader"]:
    raise SystemExit(_serve_stock_loader(*sys.argv[2:4]))
