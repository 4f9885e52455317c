"""Field-kit pairing: which browsers on the hotspot may reach the data, and the code that admits one.

A tablet on the laptop's hotspot is a stranger until someone holding it types the short code shown
on the laptop (or scans its QR). The code is single use: after a tablet pairs a new one is drawn,
so a code read over a shoulder later admits nobody. Wrong codes are counted: after `TRIES` the code
is drawn again and pairing pauses for `PAUSE_S`, so guessing six digits takes months, not minutes.

A `Pairing` binds a browser (by a hash of its client cookie, never the cookie itself) to the
inspector who paired it. Revoking one ends that browser's access at its next request or action.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from .errors import InvalidInput

__all__ = ["Pairing", "PairingCode", "CODE_DIGITS", "TRIES", "PAUSE_S", "NAME_MAX"]

CODE_DIGITS = 6
TRIES = 5            # wrong codes before a new code and a pause
PAUSE_S = 30.0
NAME_MAX = 40


@dataclass(frozen=True)
class Pairing:
    id: str                     # short, for the laptop's list and `firesweep pairings revoke`
    inspector: str
    client_hash: str            # sha-256 of the browser's client cookie
    device: str                 # what the browser says it is (user agent, shortened), to tell tablets apart
    paired_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class PairingCode:
    """The one code that admits the next tablet; `on_new(code)` hears every new code (the terminal).

    Not thread-safe on its own: the server calls it from its event loop only.
    """

    def __init__(self, clock: Callable[[], float], on_new: Callable[[str], None] = lambda _code: None):
        self._clock = clock
        self._on_new = on_new
        self._wrong = 0
        self._paused_until = 0.0
        self.code = ""
        self.renew()

    def renew(self) -> str:
        """Draw a new code (never the one just shown, so an old code is always dead)."""
        old = self.code
        while self.code == old:
            self.code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        self._wrong = 0
        self._on_new(self.code)
        return self.code

    def paused_for(self) -> float:
        """Seconds until codes are accepted again (0: now)."""
        return max(0.0, self._paused_until - self._clock())

    def redeem(self, entered: str) -> None:
        """Accept `entered` once (then a new code is drawn), or raise `InvalidInput` saying why."""
        wait = self.paused_for()
        if wait > 0:
            raise InvalidInput("pairing_code", "pairing_paused", seconds=int(wait) + 1)
        if not secrets.compare_digest((entered or "").strip().encode(), self.code.encode()):
            self._wrong += 1
            if self._wrong >= TRIES:
                self._paused_until = self._clock() + PAUSE_S
                self.renew()
            raise InvalidInput("pairing_code", "pairing_code_wrong")
        self.renew()


def check_inspector(name: str) -> str:
    """The inspector's name as given, or `InvalidInput` when it is empty or too long."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("pairing_inspector", "required")
    if len(name) > NAME_MAX:
        raise InvalidInput("pairing_inspector", "too_long", max=NAME_MAX)
    return name
