"""The folder served to the web client: our assets plus an index.html that keeps it offline.

Flet's web client pre-loads Rive's WASM runtime from a public CDN on start, even with
`no_cdn`. There is no network in a hospital basement and we promise to fetch nothing, so the
page we serve carries a Content-Security-Policy that lets the browser load only from this
server: the CDN request is never sent. The index is made from the installed flet-web's own
page at start-up (never a stale copy); Flet serves an `index.html` found in the assets folder
in place of its own and still applies its usual substitutions to it.

The loader (`flutter_bootstrap.js`) is made the same way, with one addition: on a browser whose
WebGL is drawn in software (SwiftShader or Mesa's llvmpipe: no GPU, or a blocklisted one, as on
an old ward PC or a headless test machine), CanvasKit is told to rasterise on the CPU itself.
Through software WebGL every frame is drawn by an emulated GPU in another process and read
back into the page (`createImageBitmap` of the whole canvas). On this GPU-less 2-core machine
(`python -m benchmarks.renderer_ab`, seven interleaved rounds, 2026-12-07) a tap's answer on the
hazard form was drawn in 118–150 ms instead of 158–240 ms (median of each round) and the browser
spent less CPU; with a dozen thumbnails on the form the tap was faster in four rounds, the same
in one and slower in two (noise on a shared machine); a photo's attach was the same. A real GPU keeps WebGL.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from app import resources

__all__ = ["CSP", "SOFTWARE_GL", "prepare_web_assets"]

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


# Renderer names (WEBGL_debug_renderer_info) of WebGL drawn without a GPU.
SOFTWARE_GL = ("SwiftShader", "llvmpipe", "softpipe", "Software Rasterizer")
_LOAD_CALL = "_flutter.loader.load({"
_CPU_ONLY_WHEN_SOFTWARE_GL = """// firesweep (app/ui/web_assets.py): CPU raster where WebGL is software anyway
(() => {
  try {
    const probe = document.createElement("canvas");
    const gl = probe.getContext("webgl2") || probe.getContext("webgl");
    const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
    const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
    if (SOFTWARE_GL.some((soft) => name.includes(soft))) {
      flutterConfig.canvasKitForceCpuOnly = true;
    }
    const lose = gl && gl.getExtension("WEBGL_lose_context");
    if (lose) lose.loseContext();   // the probe's context is not kept
  } catch (e) {
    // no verdict: Flutter chooses as it always does
  }
})();
""".replace("SOFTWARE_GL", json.dumps(list(SOFTWARE_GL)))


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


def bootstrap_js() -> str:
    """The installed flet-web's `flutter_bootstrap.js`, choosing CPU raster on software WebGL."""
    script = (_package_web() / "flutter_bootstrap.js").read_text("utf-8")
    if script.count(_LOAD_CALL) != 1 or "var flutterConfig" not in script:
        raise RuntimeError("flet-web's flutter_bootstrap.js changed: review app/ui/web_assets.py")
    return script.replace(_LOAD_CALL, _CPU_ONLY_WHEN_SOFTWARE_GL + "\n" + _LOAD_CALL, 1)


def prepare_web_assets() -> Path:
    """A temporary copy of the shipped assets with the offline index.html, removed at exit.

    A copy, not links: the static server refuses to follow links out of its folder.
    """
    target = Path(tempfile.mkdtemp(prefix="firesweep-web-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    shutil.copytree(resources.assets_dir(), target, dirs_exist_ok=True)
    (target / "index.html").write_text(offline_index_html(), "utf-8")
    (target / "flutter_bootstrap.js").write_text(bootstrap_js(), "utf-8")   # served before flet-web's own
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
