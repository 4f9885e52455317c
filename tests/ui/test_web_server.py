"""The real `firesweep app` answers only its own page (issue #21).

A page from another site in the same browser must not open a session (Origin), a DNS-rebinding
page must get nothing (Host), and an upload URL seen once must not work for anyone else. The
client itself, on either loopback spelling, must still load, walk, upload and download.
"""

from __future__ import annotations

import asyncio
import http.client
import urllib.parse
from dataclasses import replace
from pathlib import Path

import pytest
import websockets

from app.bootstrap import build
from app.domain.model import Verdict
from app.services import hazards, inspections, photos
from app.ui.web_guard import CLIENT_COOKIE
from tests.ui.conftest import by_id, open_app, start_app, stop_app
from tests.ui.test_walkthrough import (
    WARD,
    draft_with_answers,
    jpeg,
)
from tests.ui.test_walkthrough import (
    test_a_walk_through_ends_in_a_downloaded_notice_and_a_ledger_entry as walk_and_download,
)


def request(port: int, method: str, path: str, host: str, headers: dict | None = None,
            body: bytes | None = None, address: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection(address, port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        for name, value in {"Host": host, **(headers or {}), "Content-Length": str(len(body or b""))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def client_cookie(port: int) -> str:
    """What a browser gets on loading the page: its client cookie."""
    _, headers, _ = request(port, "GET", "/", f"127.0.0.1:{port}")
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie.startswith(f"{CLIENT_COOKIE}=")
    return cookie


async def ws_status(port: int, origin: str, host: str | None = None, cookie: str = "",
                    address: str = "127.0.0.1") -> int:
    headers = {"Cookie": cookie} if cookie else {}
    if host:
        headers["Host"] = host
    try:
        async with websockets.connect(f"ws://{address}:{port}/ws", origin=origin, additional_headers=headers,
                                      open_timeout=30):
            return 101
    except websockets.InvalidStatus as refused:
        return refused.response.status_code


@pytest.fixture
def app_port(tmp_path: Path):
    app = start_app(tmp_path / "data", tmp_path / "app.log")
    yield int(app.url.rsplit(":", 1)[1])
    stop_app(app)


def test_a_websocket_from_another_sites_page_is_refused(app_port):
    cookie = client_cookie(app_port)
    assert asyncio.run(ws_status(app_port, "http://evil.example", cookie=cookie)) == 403
    assert asyncio.run(ws_status(app_port, f"http://evil.example:{app_port}", cookie=cookie)) == 403
    assert asyncio.run(ws_status(app_port, "null", cookie=cookie)) == 403
    # our own page, on either loopback spelling, still connects
    assert asyncio.run(ws_status(app_port, f"http://127.0.0.1:{app_port}", cookie=cookie)) == 101
    assert asyncio.run(ws_status(app_port, f"http://localhost:{app_port}", cookie=cookie)) == 101


def test_a_request_naming_another_host_gets_no_data(app_port):
    for host in (f"evil.example:{app_port}", "evil.example", f"127.0.0.1:{app_port + 1}"):
        status, headers, body = request(app_port, "GET", "/", host)
        assert status == 421 and b"<html" not in body.lower() and "set-cookie" not in headers
        status, _, body = request(app_port, "GET", "/assets/FontManifest.json", host)
        assert status == 421 and b"family" not in body
    cookie = client_cookie(app_port)
    own = f"http://127.0.0.1:{app_port}"
    assert asyncio.run(ws_status(app_port, own, host=f"evil.example:{app_port}", cookie=cookie)) == 403
    status, headers, body = request(app_port, "GET", "/", f"localhost:{app_port}")
    assert status == 200 and b"<html" in body.lower()
    assert "access-control-allow-origin" not in {k.lower() for k in headers}   # no other origin may read it


def test_the_field_kit_adds_its_lan_address_and_nothing_else(tmp_path):
    lan = "127.0.0.2"   # a loopback alias stands in for the hotspot address: nothing leaves this machine
    app = start_app(tmp_path / "data", tmp_path / "app.log", "--field-kit", "--host", lan)
    port = int(app.url.rsplit(":", 1)[1])
    try:
        assert request(port, "GET", "/", f"{lan}:{port}", address=lan)[0] == 200
        for host in (f"evil.example:{port}", f"127.0.0.1:{port}", f"localhost:{port}", f"{lan}:{port + 1}"):
            assert request(port, "GET", "/", host, address=lan)[0] == 421, host   # on the LAN socket
        assert request(port, "GET", "/", f"{lan}:{port}")[0] == 421               # on loopback
        assert request(port, "GET", "/", f"127.0.0.1:{port}")[0] == 200
        _, headers, _ = request(port, "GET", "/", f"{lan}:{port}", address=lan)
        cookie = headers["set-cookie"].split(";")[0]
        assert asyncio.run(ws_status(port, f"http://{lan}:{port}", cookie=cookie, address=lan)) == 101
        for origin in ("http://evil.example", f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            assert asyncio.run(ws_status(port, origin, cookie=cookie, address=lan)) == 403, origin
        # an unpaired tablet cannot upload, even with a well-formed signed-looking URL
        status = request(port, "PUT", "/upload?f=a/b.jpg&e=2099-01-01T00%3A00%3A00%2B00%3A00&s=0",
                         f"{lan}:{port}", {"Cookie": cookie}, b"x", address=lan)[0]
        assert status == 403
    finally:
        stop_app(app)


@pytest.mark.browser
def test_the_client_on_localhost_walks_uploads_and_downloads_a_notice(tmp_path, page):
    """The whole walk of test_walkthrough, served and opened as http://localhost:PORT."""
    page.set_default_timeout(60_000)
    app = start_app(tmp_path / "data", tmp_path / "app.log")
    on_localhost = replace(app, url=app.url.replace("127.0.0.1", "localhost"))
    downloads: list[str] = []
    page.on("download", lambda d: downloads.append(d.url))
    try:
        walk_and_download(on_localhost, page, tmp_path)
    finally:
        stop_app(app)
    refused = [(url, status) for url, status in page.requests.responses if status in (403, 421)]
    assert refused == []
    # the notice came out of the session's own WebSocket: no URL on the server to fetch it again
    assert downloads and all(url.startswith(("blob:", "data:")) for url in downloads)


@pytest.mark.browser
def test_an_upload_url_seen_once_fails_from_another_client(tmp_path, page):
    page.set_default_timeout(60_000)
    data = tmp_path / "data"
    inspection_id, area_id, _ = draft_with_answers(data, answered=0)
    ctx = build(data, actor="王喆")
    item = ctx.catalog.checklist(WARD).items[0].id
    inspections.record_response(ctx, inspection_id, area_id, item, Verdict.FAIL)
    hazard = hazards.raise_hazard(ctx, inspection_id, area_id, item)
    app = start_app(data, tmp_path / "app.log")
    port = int(app.url.rsplit(":", 1)[1])
    host = f"127.0.0.1:{port}"
    jpeg(tmp_path / "socket.jpg")
    seen: dict[str, object] = {}

    def intercept(route) -> None:
        """Another client replays the URL before the page's own PUT goes out."""
        url = urllib.parse.urlsplit(route.request.url)
        target = f"{url.path}?{url.query}"
        seen["url"] = target
        seen["stranger"] = request(port, "PUT", target, host, body=b"not the photo")[0]
        seen["other_cookie"] = request(port, "PUT", target, host, {"Cookie": client_cookie(port)},
                                       body=b"not the photo")[0]
        route.continue_()

    try:
        page.route("**/upload?*", intercept)
        open_app(page, f"{app.url}/i/{inspection_id}/a/{area_id}/{item}/hazard")
        by_id(page, "screen-hazard").wait_for(timeout=60_000)
        with page.expect_file_chooser() as chooser:
            by_id(page, "add-photo").click()
        chooser.value.set_files(str(tmp_path / "socket.jpg"))
        by_id(page, "photo-0").wait_for(timeout=60_000)
        # the page's own client, once more with the same URL: the ticket is spent
        own = next(c for c in page.context.cookies() if c["name"] == CLIENT_COOKIE)
        again = request(port, "PUT", seen["url"], host, {"Cookie": f"{CLIENT_COOKIE}={own['value']}"},
                        body=b"not the photo")[0]
    finally:
        stop_app(app)
    assert (seen["stranger"], seen["other_cookie"], again) == (403, 403, 403)
    assert len(photos.photos_of(build(data), hazard.id)) == 1    # the page's own photo, and only it
