"""Who issues a document of record, and how its numbers (文号) are written.

Every document of record has an issuing body: a unit's security office (保卫处/科) issues its
self-check notices to its own departments; the bureau's security division issues spot-check notices
to units; the campaign's leading-group office (专项行动领导小组办公室, seated in the bureau's security
division by the campaign plan) issues the circular. Each body numbers its documents in its own
series, per year: `prefix〔year〕serial号`.

Number style: GB/T 9704-2012 §7.2.4 — year in hexagonal brackets 〔〕, serial with no leading zeros
and no 第 (示卫消整〔2026〕12号). Numbers issued before this rule (示卫消整〔2026〕第0012号) are still
read back by `parse_number`, so existing stores keep their history.

Two devices of one issuer never hand out the same number offline: each enrolled device holds its
own block of serials (`NumberBlock`, from its certificate) and numbers only inside it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "IssuerKind", "Issuer", "NumberBlock", "FULL_BLOCK", "format_number", "parse_number", "next_serial",
    "unit_short_name", "default_unit_prefix",
]


class IssuerKind(StrEnum):
    UNIT_SECURITY = "unit_security"       # 单位保卫处（科）: self-check notices to its departments
    BUREAU_SECURITY = "bureau_security"   # 局保卫处: spot-check notices to units
    CAMPAIGN_OFFICE = "campaign_office"   # 专项行动领导小组办公室: the circular


@dataclass(frozen=True)
class Issuer:
    """An issuing body: its name as printed, its number prefix, and what its seal and signer say."""

    kind: IssuerKind
    name: str               # e.g. 示例市第一中心医院保卫处
    prefix: str             # e.g. 第一中心医院保消
    unit: str = ""          # the unit code of a unit's office; "" for the bureau's bodies
    seal: str = ""          # the text of the seal stamped in the seal area (盖章处); the name if empty
    signer_title: str = ""  # who signs for it, e.g. 保卫处负责人

    @property
    def seal_text(self) -> str:
        return self.seal or self.name


@dataclass(frozen=True)
class NumberBlock:
    """The serials one device may use, in every year: first..last inclusive."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last:
            raise ValueError(f"bad number block {self.first}..{self.last}")

    def __contains__(self, serial: object) -> bool:
        return isinstance(serial, int) and self.first <= serial <= self.last

    def overlaps(self, other: NumberBlock) -> bool:
        return self.first <= other.last and other.first <= self.last


FULL_BLOCK = NumberBlock(1, 999_999)   # a device that was never enrolled numbers alone

_NUMBER = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕第?(?P<serial>\d+)号$")


def format_number(prefix: str, year: int, serial: int) -> str:
    """文号 in GB/T 9704 style: prefix〔year〕serial号, no padding, no 第."""
    if not 1 <= serial <= FULL_BLOCK.last:
        raise ValueError(f"serial {serial} out of range")
    return f"{prefix}〔{year}〕{serial}号"


@functools.lru_cache(maxsize=1 << 16)
def parse_number(number: str) -> tuple[str, int, int] | None:
    """(prefix, year, serial) of a document number in either style, or None if it is not one.

    Cached: the next number is found by reading every number issued (`next_serial`), so a
    bureau's demo issuing ~6,500 notices parsed ~20 million of them without it.
    """
    found = _NUMBER.match(number.strip())
    if found is None:
        return None
    return found["prefix"], int(found["year"]), int(found["serial"])


def next_serial(used: list[str], prefix: str, year: int, block: NumberBlock) -> int | None:
    """The next free serial of `prefix` in `year` inside `block`, or None when the block is used up.

    Only serials inside the block count: numbers other devices used in their own blocks never
    push this device's series forward, and this device never steps into theirs.
    """
    mine = [p[2] for p in map(parse_number, used) if p and p[0] == prefix and p[1] == year and p[2] in block]
    serial = max(mine, default=block.first - 1) + 1
    return serial if serial in block else None


def unit_short_name(name_zh: str, city: str = "示例市") -> str:
    """A unit's name without the city it is in (示例市第一中心医院 → 第一中心医院)."""
    return name_zh[len(city):] if city and name_zh.startswith(city) and len(name_zh) > len(city) else name_zh


def default_unit_prefix(name_zh: str) -> str:
    """The self-check notice prefix of a unit that was given none at enrollment (第一中心医院保消)."""
    return f"{unit_short_name(name_zh)}保消"
