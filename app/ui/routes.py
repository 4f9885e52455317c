"""Routes are the single source of truth for where the user is (and survive a reload).

    /                                home
    /new                             new inspection
    /i/<inspection>                  areas of an inspection
    /i/<inspection>/a/<area>/<item>  walk-through at one item
    /i/<inspection>/a/<area>/<item>/hazard   the hazard form of a failed item
    /i/<inspection>/review           review and issue the notice
    /i/<inspection>/recheck          a follow-up (回头看): pass or fail each rectified hazard
    /recheck                         start a follow-up: choose the unit (?unit=<code> preselects one)
    /h/<hazard>                      one hazard: detail, timeline, photos, actions
    /photo/<photo>                   one photo: preview and annotate
    /verify                          核验: check a printed notice from a photo or its QR text
    /ledger, /reports, /sync, /campaign, /settings
    /field-kit                       the laptop's field-kit panel: pairing code, QR, pairings
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

__all__ = [
    "Route", "parse", "home", "new", "areas", "walk", "hazard", "review", "recheck", "start_recheck",
    "hazard_detail", "photo", "ledger", "reports", "sync", "campaign", "settings", "SECTIONS", "query",
    "verify_notice", "section_of",
]

SECTIONS = ("home", "new", "ledger", "reports", "sync", "settings")   # the navigation rail / bar, in order
# a screen outside the navigation lights the destination it belongs to: a re-check follows up the
# ledger's rectified hazards; a photo belongs to the walk-through unless opened from the hazard detail
_OWNER = {"hazard_detail": "ledger", "photo": "new", "campaign": "reports", "recheck": "ledger",
          "start_recheck": "ledger", "field_kit": "settings", "verify_notice": "home"}
_PLAIN = ("new", "ledger", "reports", "sync", "campaign", "settings")


@dataclass(frozen=True)
class Route:
    name: str                                   # the screen: app/ui/<name>.py
    params: dict[str, str] = field(default_factory=dict)

    @property
    def section(self) -> str:
        """Which navigation destination is lit: the inspection screens belong to 'new'."""
        return self.name if self.name in SECTIONS else _OWNER.get(self.name, "new")


def parse(route: str) -> Route:
    path = (route or "/").split("?")[0].strip("/")
    parts = [p for p in path.split("/") if p]
    if not parts:
        return Route("home")
    if len(parts) == 1 and parts[0] in _PLAIN:
        return Route(parts[0])
    if parts == ["recheck"]:
        return Route("start_recheck")
    if parts == ["field-kit"]:
        return Route("field_kit")
    if parts == ["verify"]:
        return Route("verify_notice")
    if parts[0] == "h" and len(parts) == 2:
        return Route("hazard_detail", {"hazard": parts[1]})
    if parts[0] == "photo" and len(parts) == 2:
        return Route("photo", {"photo": parts[1]})
    if parts[0] == "i" and len(parts) >= 2:
        ids = {"inspection": parts[1]}
        rest = parts[2:]
        if not rest:
            return Route("areas", ids)
        if rest == ["review"]:
            return Route("review", ids)
        if rest == ["recheck"]:
            return Route("recheck", ids)
        if rest[0] == "a" and len(rest) == 3:
            return Route("walk", {**ids, "area": rest[1], "item": rest[2]})
        if rest[0] == "a" and len(rest) == 4 and rest[3] == "hazard":
            return Route("hazard", {**ids, "area": rest[1], "item": rest[2]})
    return Route("home")


def section_of(route: str) -> str:
    """The navigation destination to light for `route` (the query can say where a screen came from)."""
    parsed = parse(route)
    if parsed.name == "photo" and query(route).get("from") == "detail":
        return "ledger"
    return parsed.section


def home() -> str:
    return "/"


def new() -> str:
    return "/new"


def areas(inspection_id: str) -> str:
    return f"/i/{inspection_id}"


def walk(inspection_id: str, area_id: str, item_id: str) -> str:
    return f"/i/{inspection_id}/a/{area_id}/{item_id}"


def hazard(inspection_id: str, area_id: str, item_id: str) -> str:
    return f"/i/{inspection_id}/a/{area_id}/{item_id}/hazard"


def review(inspection_id: str) -> str:
    return f"/i/{inspection_id}/review"


def recheck(inspection_id: str) -> str:
    return f"/i/{inspection_id}/recheck"


def start_recheck(unit: str | None = None) -> str:
    return "/recheck" + (f"?{urlencode({'unit': unit})}" if unit else "")


def query(route: str) -> dict[str, str]:
    """The `?a=b` part of a route as a dict (screens take ids from the path; this is for hints)."""
    _, _, text = (route or "").partition("?")
    return dict(parse_qsl(text))


def hazard_detail(hazard_id: str) -> str:
    return f"/h/{hazard_id}"


def photo(photo_id: str) -> str:
    return f"/photo/{photo_id}"


def ledger(filters: dict[str, str] | None = None) -> str:
    """The ledger; its filters (`app.ui.screens.ledger`) ride in the query string so a reload keeps them."""
    kept = {k: v for k, v in (filters or {}).items() if v}
    return "/ledger" + (f"?{urlencode(kept)}" if kept else "")


def reports() -> str:
    return "/reports"


def sync() -> str:
    return "/sync"


def campaign() -> str:
    return "/campaign"


def settings() -> str:
    return "/settings"


def verify_notice() -> str:
    return "/verify"
