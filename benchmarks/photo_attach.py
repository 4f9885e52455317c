"""Attaching a 12 MP JPEG in the browser: file chosen → its thumbnail on the hazard form.

The real thing end to end: `firesweep app` serving a demo data set, Debian's headless Chromium
driven by Playwright, the hazard form of a failed item, a 4000×3000 camera-like JPEG (~5 MB) set
on the form's file input. The clock starts when the file is handed to the input (the moment a
user's choice lands) and stops when the new thumbnail's node (`photo-N`) is in the page's
accessibility tree, which Flutter builds in the same frame as the picture. Between the two:
the picker's result to the server, the signed upload (PUT through `web_guard`), the server
reading it, `add_hazard_photo` (decode, stamp, encodes, blob store, durable save) and the
form's update to the client.

Baseline, in the same run and the same browser: the same attach as it was before this benchmark
(`naive_ingest`: a full-frame stamp, then every file derived from the full-size stamped photo
and encoded and stored one after the other; the upload's percentage repainted from its first
step; the upload's end learnt from the browser's own "100%" event), served by this module as a
subprocess (`python -m benchmarks.photo_attach naive PORT DATA`).

Wall time on a shared machine says as much about the neighbours as about the app, so two more
rows give the CPU each side spent per attach (the app's process tree, and this browser's
Chromium processes), read from /proc.
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


def _serve(data: Path, log: Path, naive: bool) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = ([sys.executable, "-m", "benchmarks.photo_attach", "naive", str(port), str(data)] if naive else
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


def _open_form(page, url: str) -> None:
    """Load the client, switch its accessibility tree on, wait for the hazard form."""
    page.goto(url, timeout=120_000)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=120_000)
    for _ in range(20):
        page.evaluate("document.querySelector('flt-semantics-placeholder')?.click()")
        try:
            page.wait_for_selector('[flt-semantics-identifier="add-photo"]', state="attached", timeout=3_000)
            return
        except Exception:   # the click landed before Flutter listened: click again
            continue
    raise RuntimeError(f"{url}: the hazard form never showed its photo button")


@dataclass
class Attach:
    """One attach: wall milliseconds, and the CPU milliseconds the server and the browser spent on it."""

    wall_ms: float
    server_ms: float
    browser_ms: float


def _attach(page, photo: Path, index: int, server: int) -> Attach:
    """File set on the picker's input → thumbnail `photo-<index>` in the page."""
    with page.expect_file_chooser() as chooser:
        page.locator('[flt-semantics-identifier="add-photo"]').click()
    cpu_before = cpu_seconds(server), cpu_seconds(os.getpid(), {server}, ("chromium",))
    started = time.perf_counter()
    chooser.value.set_files(str(photo))
    page.locator(f'[flt-semantics-identifier="photo-{index}"]').wait_for(state="attached", timeout=120_000)
    wall = (time.perf_counter() - started) * 1000
    cpu_after = cpu_seconds(server), cpu_seconds(os.getpid(), {server}, ("chromium",))
    return Attach(wall, (cpu_after[0] - cpu_before[0]) * 1000, (cpu_after[1] - cpu_before[1]) * 1000)


def _hazard_route(data: Path) -> tuple[str, int]:
    """The hazard form of an open hazard raised from a failed item, and how many photos it has."""
    from app.bootstrap import build
    from app.domain.model import HazardStatus
    from app.services.photos import photos_of

    ctx = build(data)
    hazard = next(h for h in ctx.repo.hazards("U01") if h.item_id and h.status is HazardStatus.OPEN)
    return (f"/i/{hazard.inspection_id}/a/{hazard.area_id}/{hazard.item_id}/hazard",
            len(photos_of(ctx, hazard.id, hazard.unit)))


def _session(browser, data: Path, route: str, first: int, photo: Path, naive: bool, log: Path) -> list[Attach]:
    process, url = _serve(data, log, naive)
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        _open_form(page, url + route)
        samples = [_attach(page, photo, first + n, process.pid) for n in range(REPEAT + 1)]
        return samples[1:]   # the first one warms the server's imports and fonts
    finally:
        context.close()
        _stop(process)


def run() -> list[Row]:
    from playwright.sync_api import sync_playwright

    from app.demo import build_demo

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
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                now = _session(browser, data, route, first, photo, False, tmp / "app.log")
                naive = _session(browser, twin, route, first, photo, True, tmp / "naive.log")
            finally:
                browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    label = f"browser: attach a 12 MP JPEG ({size / 1e6:.1f} MB)"
    return [
        Row(f"{label}, file chosen → thumbnail", *summary([a.wall_ms for a in now]), "as it was",
            summary([a.wall_ms for a in naive])[0], "≤ 500 ms"),
        Row(f"{label}: server CPU", *summary([a.server_ms for a in now]), "as it was",
            summary([a.server_ms for a in naive])[0]),
        Row(f"{label}: Chromium CPU", *summary([a.browser_ms for a in now]), "as it was",
            summary([a.browser_ms for a in naive])[0]),
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


def _serve_naive(port: str, data: str) -> int:
    """`firesweep app` with the attach as it was (the baseline's server): the ingest above, the
    upload's percentage shown from its first step, and the end of an upload learnt from the
    browser's "100%" only."""
    from app import cli
    from app.services import photos
    from app.ui import web_guard
    from app.ui.widgets import photo_input

    photos._ingest = naive_ingest
    photo_input.QUIET_UPLOAD = 0
    web_guard.watch_upload = lambda _name, _answered: lambda: None
    return cli.main(["app", "--port", port, "--data", data])


if __name__ == "__main__" and sys.argv[1:2] == ["naive"]:
    raise SystemExit(_serve_naive(*sys.argv[2:4]))
