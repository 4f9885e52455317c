"""Units (直属单位): the hospitals and institutes the bureau supervises, read from data."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from .errors import ConfigInvalid

__all__ = ["Unit", "UnitRoster", "parse_units"]

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class Unit:
    code: str
    name_zh: str
    name_en: str
    type: str
    address_zh: str
    contact_name: str
    contact_phone: str
    beds: int

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class UnitRoster:
    bureau_zh: str
    bureau_en: str
    sample: bool
    units: tuple[Unit, ...]

    def get(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def bureau(self, lang: str) -> str:
        return self.bureau_en if lang == "en" else self.bureau_zh


def parse_units(text: str, path: str) -> UnitRoster:
    """Validate `units.toml`; raise `ConfigInvalid` naming the unit and what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigInvalid(path, str(exc)) from None
    units: list[Unit] = []
    seen: set[str] = set()
    fields = Unit.__dataclass_fields__
    for index, raw in enumerate(data.get("units", [])):
        label = raw.get("code", f"#{index + 1}")
        missing = sorted(set(fields) - set(raw))
        unknown = sorted(set(raw) - set(fields))
        if missing or unknown:
            raise ConfigInvalid(path, f"unit {label}: missing {missing} unknown {unknown}")
        if not _CODE.match(str(raw["code"])) or raw["code"] in seen:
            raise ConfigInvalid(path, f"unit {label}: code must be unique, like U01")
        if type(raw["beds"]) is not int or raw["beds"] < 0:
            raise ConfigInvalid(path, f"unit {label}: beds must be a whole number ≥ 0")
        seen.add(raw["code"])
        units.append(Unit(**raw))
    if not units:
        raise ConfigInvalid(path, "no [[units]]")
    return UnitRoster(
        bureau_zh=str(data.get("bureau_zh", "")), bureau_en=str(data.get("bureau_en", "")),
        sample=bool(data.get("sample", False)), units=tuple(units),
    )
