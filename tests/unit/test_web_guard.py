"""The web server's gatekeeping rules, without a server: names, origins and upload tickets."""

from __future__ import annotations

from app.ui.web_guard import CLIENT_COOKIE, UploadTickets, ViewTickets, WebGuard, allowed_hosts


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_served_names_are_loopback_and_the_configured_host_with_our_port_only():
    assert allowed_hosts(8550) == {"127.0.0.1:8550", "localhost:8550"}
    assert allowed_hosts(8550, ["192.168.43.1"]) == {"127.0.0.1:8550", "localhost:8550", "192.168.43.1:8550"}
    assert "0.0.0.0:8550" not in allowed_hosts(8550, ["0.0.0.0"])


def test_an_upload_ticket_serves_its_own_client_once():
    tickets = UploadTickets(clock=Clock())
    tickets.issue("client-a", "f1/photo.jpg", 60)
    assert not tickets.claim("client-b", "f1/photo.jpg")     # another browser: refused, ticket kept
    assert not tickets.claim(None, "f1/photo.jpg")
    assert tickets.claim("client-a", "f1/photo.jpg")
    assert not tickets.claim("client-a", "f1/photo.jpg")     # a replay by its own client too


def test_an_upload_ticket_expires_and_an_unissued_name_is_refused():
    clock = Clock()
    tickets = UploadTickets(clock=clock)
    tickets.issue("client-a", "f1/photo.jpg", 60)
    clock.now += 61
    assert not tickets.claim("client-a", "f1/photo.jpg")
    assert not tickets.claim("client-a", "never/issued.jpg")


def test_a_printed_copy_is_readable_by_its_own_browser_only_and_not_after_it_expires():
    clock = Clock()
    views = ViewTickets(clock=clock)
    views.issue("client-a", "/print/abc.pdf", 600)
    assert views.allows("client-a", "/print/abc.pdf")
    assert views.allows("client-a", "/print/abc.pdf"), "the PDF viewer may fetch it twice"
    assert not views.allows("client-b", "/print/abc.pdf")
    assert not views.allows(None, "/print/abc.pdf")
    assert not views.allows("client-a", "/print/other.pdf")
    clock.now += 601
    assert not views.allows("client-a", "/print/abc.pdf")


async def test_the_guard_refuses_a_print_url_to_another_browser():
    served = []

    async def app(scope, receive, send):
        served.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"%PDF"})

    guard = WebGuard(app, 8550)
    guard.views.issue("a" * 40, "/print/x.pdf", 600)
    sent = []

    async def send(message):
        sent.append(message)

    async def call(cookie: str) -> int:
        sent.clear()
        headers = [(b"host", b"127.0.0.1:8550"), (b"cookie", f"{CLIENT_COOKIE}={cookie}".encode())]
        await guard({"type": "http", "path": "/print/x.pdf", "method": "GET", "headers": headers,
                     "server": ("127.0.0.1", 8550), "query_string": b""}, None, send)
        return sent[0]["status"]

    assert await call("b" * 40) == 403 and served == []
    assert await call("a" * 40) == 200 and served == ["/print/x.pdf"]
