"""What the local web server lets in: its own page, on its own names, and uploads it asked for.

`firesweep app` serves the client on 127.0.0.1, which keeps other machines out but not other web
pages open in the same browser. Flet 1.0.5's server answers any `Host` and accepts a WebSocket from
any `Origin`, and its signed upload URL works for whoever holds it until it expires. This ASGI
layer, wrapped around Flet's own FastAPI app, stops three things:

- **Another site speaking the client protocol.** A WebSocket upgrade is accepted only when its
  `Origin` is the page we serve (`http://` + one of our host names): a page from `evil.example`
  cannot open a session and read hazards, names and photos through it (refused with 403).
- **DNS rebinding.** Every request must name us in `Host` (127.0.0.1 or localhost, and in field-kit
  mode the LAN address tablets use, each with our port): a rebinding page sends
  its own name and gets 421 with no data. Flet's blanket `Access-Control-Allow-Origin: *` is taken
  off responses so no other origin may read even the static files.
- **A replayed upload URL.** Each browser gets an unguessable client cookie (HttpOnly,
  SameSite=Strict). A session's upload URL is registered here as a ticket for that client, used
  once and short-lived (`issue_upload`); a PUT from any other client, a second PUT, or a PUT for a
  name never issued is refused with 403 before Flet's handler writes a byte. Downloads need no
  URL: the bytes of a notice travel inside the session's own WebSocket and the browser saves them
  from memory, so there is nothing on the server to fetch twice.

In field-kit mode the server also listens on the laptop's LAN address. A request that came in on
that socket must name the LAN address (and a WebSocket come from the page served there), and its
uploads are refused unless its client is paired (`admit`); what a session shows is decided by the
UI (`app/ui/pairing.py`), which learns the client and the socket from `current_caller()`.
"""

from __future__ import annotations

import contextvars
import re
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

__all__ = ["CLIENT_COOKIE", "Caller", "WebGuard", "allowed_hosts", "current_caller", "current_client", "install",
           "issue_upload", "issue_view", "watch_upload", "VIEW_PREFIX"]

CLIENT_COOKIE = "firesweep_client"
_CLIENT_FORMAT = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
VIEW_PREFIX = "/print/"   # served copies made for one browser (app/ui/printing.py)

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]

@dataclass(frozen=True)
class Caller:
    client: str | None      # the browser's client cookie
    lan: bool               # came in on the field kit's LAN socket (a tablet), not on loopback


_caller: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("firesweep_caller", default=None)


def current_caller() -> Caller | None:
    """Who sent what is being handled: Flet runs `main` and every event inside its WebSocket's task,
    so this is the connection's own browser, also after a reconnect."""
    return _caller.get()


def current_client() -> str | None:
    caller = _caller.get()
    return caller.client if caller else None


def allowed_hosts(port: int, names: Iterable[str] = ()) -> frozenset[str]:
    """`Host` values we answer to: our port on the loopback names and on each extra name."""
    wanted = {*LOOPBACK_NAMES, *(n.lower() for n in names if n and n not in ("0.0.0.0", "::"))}
    return frozenset(f"{name}:{port}" for name in wanted)


@dataclass
class _Ticket:
    client: str
    expires: float


@dataclass
class UploadTickets:
    """Upload names a session asked for, each usable once, by its own client, until it expires."""

    clock: Callable[[], float] = time.monotonic
    _tickets: dict[str, _Ticket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, client: str, name: str, seconds: float) -> None:
        with self._lock:
            now = self.clock()
            for stale in [n for n, t in self._tickets.items() if t.expires <= now]:
                del self._tickets[stale]
            self._tickets[name] = _Ticket(client, now + seconds)

    def claim(self, client: str | None, name: str) -> bool:
        """True once for the client the name was issued to, before it expires; the ticket is spent
        by any attempt from its own client, so a URL that failed cannot be tried again."""
        with self._lock:
            ticket = self._tickets.get(name)
            if ticket is None or client is None or not secrets.compare_digest(ticket.client, client):
                return False
            del self._tickets[name]
            return ticket.expires > self.clock()


@dataclass
class ViewTickets:
    """Served copies a session made for its own browser (a notice opened for printing): readable by
    that client only, until they expire (the browser's PDF viewer may fetch one more than once)."""

    clock: Callable[[], float] = time.monotonic
    _tickets: dict[str, _Ticket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, client: str, path: str, seconds: float) -> None:
        with self._lock:
            self._tickets[path] = _Ticket(client, self.clock() + seconds)

    def allows(self, client: str | None, path: str) -> bool:
        with self._lock:
            ticket = self._tickets.get(path)
            return (ticket is not None and client is not None and secrets.compare_digest(ticket.client, client)
                    and ticket.expires > self.clock())


class WebGuard:
    """ASGI middleware: Host and Origin checks, the client cookie, and single-use upload tickets."""

    def __init__(self, app: ASGIApp, port: int, lan: str | None = None, upload_path: str = "/upload",
                 admit: Callable[[str | None], bool] = lambda _client: True):
        self.app = app
        self.lan = lan                  # field kit: the LAN address tablets use
        self.hosts = {False: allowed_hosts(port), True: frozenset({f"{lan}:{port}"} if lan else ())}
        self.origins = {lan: frozenset(f"http://{h}" for h in hosts) for lan, hosts in self.hosts.items()}
        self.upload_path = upload_path
        self.tickets = UploadTickets()
        self.views = ViewTickets()
        self.admit = admit              # field kit: is this tablet's client paired?
        self.watchers: dict[str, Callable[[int], None]] = {}   # upload name → told the status answered

    async def __call__(self, scope: Scope, receive, send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        lan = self.on_lan(scope)
        if headers.get("host", "").lower() not in self.hosts[lan]:
            await _refuse(kind, send, 421, b"misdirected request")
            return
        client = _client_of(headers)
        origin = headers.get("origin")
        if kind == "websocket":
            if origin not in self.origins[lan] or client is None:
                await _refuse(kind, send, 403, b"forbidden")
                return
            token = _caller.set(Caller(client, lan))
            try:
                await self.app(scope, receive, send)
            finally:
                _caller.reset(token)
            return
        if origin is not None and origin not in self.origins[lan] and scope["method"] not in ("GET", "HEAD"):
            await _refuse(kind, send, 403, b"forbidden")
            return
        if scope["path"] == self.upload_path:
            if not self._upload_allowed(scope, client):
                await _refuse(kind, send, 403, b"forbidden")
                return
            await self._upload(scope, receive, _with_client_cookie(send, None if client else _new_client()))
            return
        if scope["path"].startswith(VIEW_PREFIX) and not self.views.allows(client, scope["path"]):
            await _refuse(kind, send, 403, b"forbidden")   # a printed notice: only for the browser it was made for
            return
        await self.app(scope, receive, _with_client_cookie(send, None if client else _new_client()))

    async def _upload(self, scope: Scope, receive, send) -> None:
        """Flet's upload handler, then the status it answered to whoever watches this upload.

        Flet's handler answers once the file is written and closed, so the session can go on
        from here instead of waiting for the browser to relay its own "100%" (a round trip
        through the client's event loop: 0.1 s, and up to a second on a busy tablet).
        """
        answered = {"status": 0}

        async def noting(message: dict) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            watcher = self.watchers.pop(_upload_name(scope), None)
            if watcher is not None:
                watcher(answered["status"])

    def _upload_allowed(self, scope: Scope, client: str | None) -> bool:
        if self.on_lan(scope) and not self.admit(client):
            return False
        return self.tickets.claim(client, _upload_name(scope))

    def on_lan(self, scope: Scope) -> bool:
        """The request came in on the field kit's LAN socket (not on this machine's loopback)."""
        server = scope.get("server") or ("", 0)
        return self.lan is not None and server[0] == self.lan


_installed: WebGuard | None = None


def install(guard: WebGuard | None) -> None:
    """Make `guard` the one `issue_upload` registers with (done once, by `firesweep app`)."""
    global _installed
    _installed = guard


def installed() -> WebGuard | None:
    return _installed


def issue_view(client: str | None, path: str, seconds: float) -> None:
    """Let this session's browser (only) read a served copy at `path` for a while (no guard: nothing)."""
    if _installed is not None and client is not None:
        _installed.views.issue(client, path, seconds)


def issue_upload(client: str | None, name: str, seconds: float) -> None:
    """Register an upload name for this session's client (no guard, e.g. in-process tests: nothing)."""
    if _installed is not None and client is not None:
        _installed.tickets.issue(client, name, seconds)


def watch_upload(name: str, answered: Callable[[int], None]) -> Callable[[], None]:
    """Have `answered(status)` called once the upload `name` was answered (Flet's handler has then
    written and closed the file); returns what forgets the watch. No guard installed: never called."""
    guard = _installed
    if guard is None:
        return lambda: None
    guard.watchers[name] = answered

    def forget() -> None:
        guard.watchers.pop(name, None)

    return forget


def _upload_name(scope: Scope) -> str:
    return parse_qs(scope.get("query_string", b"").decode("latin-1")).get("f", [""])[0]


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _client_of(headers: dict[str, str]) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:   # a malformed cookie header: treat as a client without our cookie
        return None
    morsel = jar.get(CLIENT_COOKIE)
    return morsel.value if morsel is not None and _CLIENT_FORMAT.match(morsel.value) else None


def _new_client() -> str:
    return secrets.token_urlsafe(32)


def _with_client_cookie(send, new_client: str | None):
    """`send` that takes Flet's `Access-Control-Allow-Origin: *` off and sets a new client cookie."""

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"access-control-allow-origin"]
            if new_client:
                cookie = f"{CLIENT_COOKIE}={new_client}; Path=/; HttpOnly; SameSite=Strict"
                headers.append((b"set-cookie", cookie.encode("latin-1")))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _refuse(kind: str, send, status: int, body: bytes) -> None:
    if kind == "websocket":   # closing before accepting: the server answers the upgrade with 403
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
