"""Routes are the single source of truth for where the user is (and survive a reload).

    /                                home
    /new                             new inspection
    /i/<inspection>                  areas of an inspection
    /i/<inspection>/a/<area>/<item>  walk-through at one item
    /i/<inspection>/a/<area>/<item>/hazard   the hazard form of a failed item
    /i/<inspection>/review           review and issue the notice
    /ledger, /settings
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Route", "parse", "home", "new", "areas", "walk", "hazard", "review", "ledger", "settings", "SECTIONS"]

SECTIONS = ("home", "new", "ledger", "settings")   # the navigation rail / bar, in order


@dataclass(frozen=True)
class Route:
    name: str                                   # home, new, areas, walk, hazard, review, ledger, settings
    params: dict[str, str] = field(default_factory=dict)

    @property
    def section(self) -> str:
        """Which navigation destination is lit: the inspection screens belong to 'new'."""
        return self.name if self.name in SECTIONS else "new"


def parse(route: str) -> Route:
    path = (route or "/").split("?")[0].strip("/")
    parts = [p for p in path.split("/") if p]
    if not parts:
        return Route("home")
    if parts in (["new"], ["ledger"], ["settings"]):
        return Route(parts[0])
    if parts[0] == "i" and len(parts) >= 2:
        ids = {"inspection": parts[1]}
        rest = parts[2:]
        if not rest:
            return Route("areas", ids)
        if rest == ["review"]:
            return Route("review", ids)
        if rest[0] == "a" and len(rest) == 3:
            return Route("walk", {**ids, "area": rest[1], "item": rest[2]})
        if rest[0] == "a" and len(rest) == 4 and rest[3] == "hazard":
            return Route("hazard", {**ids, "area": rest[1], "item": rest[2]})
    return Route("home")


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


def ledger() -> str:
    return "/ledger"


def settings() -> str:
    return "/settings"
