"""`firesweep app`: serve the UI to a browser on this machine, offline (or a native window)."""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

from app import resources
from app.datadir import ENV_VAR, demo_data_dir, resolve_data_dir
from app.domain.errors import InvalidInput
from app.i18n import Translator

from . import field_kit
from .common import EXIT_BAD_INPUT, EXIT_OK, add_data_option

DEFAULT_PORT = 8550


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("app", help="启动应用 / launch the app")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--host", default=None,
                        help="127.0.0.1 (default: this machine only); with --field-kit, the LAN address to serve on")
    parser.add_argument("--field-kit", action="store_true",
                        help="also serve tablets on this machine's LAN address; each pairs with a code first")
    add_data_option(parser)
    parser.add_argument("--demo", action="store_true", help="use the demo data set (created on first run)")
    parser.add_argument("--desktop", action="store_true",
                        help="native window instead of the browser (downloads its client on first use)")
    parser.set_defaults(handler=run)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def run(args: argparse.Namespace, t: Translator) -> int:
    import flet as ft  # only this command needs the UI toolkit

    from app.main import main as ui_main

    lan = field_kit.check_host(args.host, args.field_kit)   # refuses a network address without --field-kit
    if lan and args.desktop:   # tablets reach the web server; a native window has none
        raise InvalidInput("serve_host", "field_kit_needs_browser")
    data_dir = demo_data_dir() if args.demo else resolve_data_dir(args.data)
    if args.demo and not (data_dir / "units").exists():
        from app.demo import build_demo

        build_demo(data_dir, "small")   # first run: the demo data set is made once, then kept
        print(t("cli.demo_created", path=data_dir))
    os.environ[ENV_VAR] = str(data_dir)
    os.environ.setdefault("FIRESWEEP_LANG", t.lang)
    if args.demo:
        os.environ["FIRESWEEP_DEMO"] = "1"
    print(t("cli.data_dir", path=data_dir))
    if args.desktop:
        ft.run(ui_main, assets_dir=str(resources.assets_dir()))
        return EXIT_OK
    if not all(_port_free(host, args.port) for host in ("127.0.0.1", *([lan] if lan else []))):
        print(t("cli.port_in_use", port=args.port), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(t("cli.serving", host="127.0.0.1", port=args.port), flush=True)
    uploads = _private_upload_dir()
    try:
        _serve_web(ui_main, args.port, uploads, lan, t)
    finally:
        shutil.rmtree(uploads, ignore_errors=True)
    return EXIT_OK


def _serve_web(ui_main, port: int, uploads: Path, lan: str | None, t: Translator) -> None:
    """Flet's own FastAPI app (what `ft.run` serves) behind `WebGuard`, on uvicorn as Flet runs it.

    `ft.run` offers no hook for middleware, so the app is built with `flet_web.fastapi.app` (the
    factory `ft.run` itself uses, here also given the upload secret so sessions sign their own
    upload URLs) and wrapped before it is served.
    """
    import flet_web.fastapi as flet_fastapi
    import uvicorn
    from flet.controls.types import WebRenderer
    from flet.utils import open_in_browser
    from flet.utils.platform_utils import is_linux_server

    from app.ui import web_guard
    from app.ui.web_assets import prepare_web_assets

    url = f"http://127.0.0.1:{port}" + ("/field-kit" if lan else "")   # the laptop opens the pairing panel
    flet_app = flet_fastapi.app(
        ui_main,
        assets_dir=str(prepare_web_assets()),
        upload_dir=str(uploads),
        secret_key=os.environ["FLET_SECRET_KEY"],
        no_cdn=True,  # the client must not fetch CanvasKit or fonts: there is no network
        # CanvasKit lays out and paints text on one thread. Flet's server makes the page cross-origin
        # isolated, so `auto` picks multi-threaded skwasm, whose two threads share Skia's glyph
        # cache unguarded (flutter/flutter#190039): glyphs came out broken or missing and the
        # renderer sometimes span at 100% CPU under load.
        web_renderer=WebRenderer.CANVAS_KIT,
    )
    outer = flet_fastapi.FastAPI(   # its lifespan starts and stops Flet's session manager
        on_startup=[lambda: None if is_linux_server() else open_in_browser(url)],
        docs_url=None, redoc_url=None, openapi_url=None)
    outer.mount("/", flet_app)
    kit: dict[str, Any] = {"lan": lan, "admit": field_kit.start(lan, port, t)} if lan else {}
    guard = web_guard.WebGuard(outer, port, **kit)
    web_guard.install(guard)
    config = uvicorn.Config(guard, port=port, ws="websockets-sansio", log_level="warning")
    uvicorn.Server(config).run(sockets=[_listen(host, port) for host in ("127.0.0.1", *([lan] if lan else []))])


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on one address: loopback for this machine, and the LAN address in field-kit
    mode (two sockets, never 0.0.0.0, so no other network the laptop is on reaches the app)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _private_upload_dir() -> Path:
    """Where photos and bundles are uploaded (a websocket message over 16 MB is dropped): a fresh
    0700 temporary directory, never served back (Flet only accepts PUTs into it, signed with a key
    made for this run). Photos are checked against their own limit before they are sent."""
    from app.services.bundle_transfer import MAX_BUNDLE_BYTES
    from app.ui.uploads import UPLOAD_DIR_ENV

    uploads = Path(tempfile.mkdtemp(prefix="firesweep-uploads-"))
    os.environ[UPLOAD_DIR_ENV] = os.environ["FLET_UPLOAD_DIR"] = str(uploads)
    os.environ.setdefault("FLET_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("FLET_MAX_UPLOAD_SIZE", str(MAX_BUNDLE_BYTES))   # the server stops a bigger body
    return uploads
