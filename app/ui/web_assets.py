"""The folder served to the web client: our assets plus an index.html that keeps it offline.

Flet's web client pre-loads Rive's WASM runtime from a public CDN on start, even with
`no_cdn`. There is no network in a hospital basement and we promise to fetch nothing, so the
page we serve carries a Content-Security-Policy that lets the browser load only from this
server: the CDN request is never sent. The index is made from the installed flet-web's own
page at start-up (never a stale copy); Flet serves an `index.html` found in the assets folder
in place of its own and still applies its usual substitutions to it.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from app import resources

__all__ = ["CSP", "prepare_web_assets"]

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self' blob:; "   # a camera shot is read back from a blob: URL (flet-camera on the web)
    "worker-src 'self' blob:; "
    "media-src 'self' blob: mediastream:"
)


def _package_web() -> Path:
    import flet_web

    return Path(flet_web.__file__).parent / "web"


def _package_index() -> Path:
    return _package_web() / "index.html"


def offline_index_html() -> str:
    html = _package_index().read_text("utf-8")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    if '<meta charset="UTF-8">' not in html:
        raise RuntimeError("flet-web's index.html changed: review app/ui/web_assets.py")
    return html.replace('<meta charset="UTF-8">', f'<meta charset="UTF-8">\n  {meta}', 1)


def prepare_web_assets() -> Path:
    """A temporary copy of the shipped assets with the offline index.html, removed at exit.

    A copy, not links: the static server refuses to follow links out of its folder.
    """
    target = Path(tempfile.mkdtemp(prefix="firesweep-web-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    shutil.copytree(resources.assets_dir(), target, dirs_exist_ok=True)
    (target / "index.html").write_text(offline_index_html(), "utf-8")
    _declare_font(target)
    os.environ["FIRESWEEP_WEB_ROOT"] = str(target)   # app/ui/printing.py serves PDFs to print from here
    return target


def _declare_font(target: Path) -> None:
    """List our CJK font in the engine's font manifest, as Flet does for its bundled Roboto.

    `page.fonts` alone loads the font only after the first screen is drawn, and a few widgets
    keep what they measured with the fallback (an outlined field's label notch, a segmented
    button's widths): glyphs end up clipped or one to a line. The engine loads the fonts of
    `assets/FontManifest.json` before its first frame. Flet reads this file from our folder
    when it exists (and still appends its own Roboto entry).
    """
    manifest = json.loads((_package_web() / "assets" / "FontManifest.json").read_text("utf-8"))
    # manifest paths are relative to assets/: "../" names the file page.fonts loads too, so the
    # browser fetches it once and caches it for both
    manifest.append({"family": resources.FONT_FAMILY, "fonts": [{"asset": f"../{resources.font_asset()}"}]})
    (target / "assets").mkdir(exist_ok=True)
    (target / "assets" / "FontManifest.json").write_text(json.dumps(manifest), "utf-8")
