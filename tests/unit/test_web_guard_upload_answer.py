"""The guard tells a session that its upload was answered, without waiting for the browser's word."""

from __future__ import annotations

from app.ui import web_guard
from app.ui.web_guard import CLIENT_COOKIE, WebGuard

CLIENT = "a" * 40


def put(name: str) -> dict:
    headers = [(b"host", b"127.0.0.1:8550"), (b"cookie", f"{CLIENT_COOKIE}={CLIENT}".encode())]
    return {"type": "http", "path": "/upload", "method": "PUT", "headers": headers,
            "server": ("127.0.0.1", 8550), "query_string": f"f={name}&e=x&s=y".encode()}


async def test_the_watcher_hears_the_status_once_the_handler_has_answered():
    events: list[str] = []

    async def flet(scope, receive, send):
        events.append("file written and closed")
        status = 200 if "good" in scope["query_string"].decode() else 413
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        if message["type"] == "http.response.start":
            events.append(f"answered {message['status']}")

    guard = WebGuard(flet, 8550)
    web_guard.install(guard)
    try:
        heard: dict[str, int] = {}
        for name in ("u1/good.jpg", "u2/huge.jpg"):
            guard.tickets.issue(CLIENT, name, 60)
            web_guard.watch_upload(name, lambda status, name=name: heard.__setitem__(name, status))
            await guard(put(name), None, send)
        assert heard == {"u1/good.jpg": 200, "u2/huge.jpg": 413}
        assert events == ["file written and closed", "answered 200", "file written and closed", "answered 413"]

        forget = web_guard.watch_upload("u3/refused.jpg", lambda status: heard.__setitem__("u3", status))
        await guard(put("u3/refused.jpg"), None, send)          # no ticket: refused before Flet's handler
        assert "u3" not in heard and events[-1] == "answered 403"
        forget()
        assert guard.watchers == {}
    finally:
        web_guard.install(None)


def test_without_a_guard_nobody_is_told_and_forgetting_is_harmless():
    web_guard.install(None)
    forget = web_guard.watch_upload("u1/photo.jpg", lambda status: None)
    forget()
