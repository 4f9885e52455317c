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

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "IssuerKind", "Issuer", "NumberBlock", "FULL_BLOCK", "format_number", "parse_number", "next_serial",
    "UsedNumbers",
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


def parse_number(number: str) -> tuple[str, int, int] | None:
    """(prefix, year, serial) of a document number in either style, or None if it is not one.

    Not cached: numbering reads the store's `UsedNumbers`, where each number is parsed once, when
    it is stored or first read, not every stored number on every issue.
    """
    found = _NUMBER.match(number.strip())
    if found is None:
        return None
    return found["prefix"], int(found["year"]), int(found["serial"])


class UsedNumbers:
    """The document numbers a store holds, by series (prefix, year): all numbering needs to know.

    Every number ever stored counts, deleted or voided notices included: a number once used stays
    used. A multiset: two copies of one number (two devices never enrolled, numbering alone) are
    two entries, and forgetting one keeps the other. Strings that are not numbers are ignored.
    Repositories keep one up to date as notices are saved (`Repository.used_numbers`), so the next
    number costs a lookup, not a pass over every notice of the campaign.
    """

    def __init__(self, numbers: Iterable[str] = ()):
        self._series: dict[tuple[str, int], list[int]] = {}   # serials used, sorted, repeats kept
        self.update(numbers)

    def add(self, number: str) -> None:
        parsed = parse_number(number)
        if parsed is not None:
            bisect.insort(self._series.setdefault(parsed[:2], []), parsed[2])

    def update(self, numbers: Iterable[str]) -> None:
        for number in numbers:
            self.add(number)

    def discard(self, number: str) -> None:
        """Forget one copy of `number` (a stored notice replaced or rolled back); no error if absent."""
        parsed = parse_number(number)
        serials = self._series.get(parsed[:2]) if parsed is not None else None
        if parsed is None or serials is None:
            return
        at = bisect.bisect_left(serials, parsed[2])
        if at < len(serials) and serials[at] == parsed[2]:
            del serials[at]
            if not serials:
                del self._series[parsed[:2]]

    def highest(self, prefix: str, year: int | None = None, block: NumberBlock = FULL_BLOCK) -> int | None:
        """The highest serial used with `prefix` in `year` (any year when None) inside `block`, or None."""
        found = None
        for (series_prefix, series_year), serials in self._series.items():
            if series_prefix != prefix or (year is not None and series_year != year):
                continue
            at = bisect.bisect_right(serials, block.last)
            if at and serials[at - 1] >= block.first:
                found = max(found or 0, serials[at - 1])
        return found

    def __len__(self) -> int:
        return sum(len(s) for s in self._series.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UsedNumbers) and self._series == other._series

    __hash__ = None   # type: ignore[assignment]   # changes as numbers are added

    def __copy__(self) -> UsedNumbers:
        copied = UsedNumbers()
        copied._series = {k: list(v) for k, v in self._series.items()}
        return copied

    def __repr__(self) -> str:
        return f"UsedNumbers({len(self)} numbers in {len(self._series)} series)"


def next_serial(used: UsedNumbers | Iterable[str], prefix: str, year: int, block: NumberBlock) -> int | None:
    """The next free serial of `prefix` in `year` inside `block`, or None when the block is used up.

    Only serials inside the block count: numbers other devices used in their own blocks never
    push this device's series forward, and this device never steps into theirs. `used`: the
    store's `UsedNumbers`, or the numbers themselves.
    """
    index = used if isinstance(used, UsedNumbers) else UsedNumbers(used)
    serial = (index.highest(prefix, year, block) or block.first - 1) + 1
    return serial if serial in block else None


def unit_short_name(name_zh: str, city: str = "示例市") -> str:
    """A unit's name without the city it is in (示例市第一中心医院 → 第一中心医院)."""
    return name_zh[len(city):] if city and name_zh.startswith(city) and len(name_zh) > len(city) else name_zh


def default_unit_prefix(name_zh: str) -> str:
    """The self-check notice prefix of a unit that was given none at enrollment (第一中心医院保消)."""
    return f"{unit_short_name(name_zh)}保消"
