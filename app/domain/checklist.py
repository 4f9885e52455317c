"""Checklists (检查表): one per location type, versioned, validated before use.

A checklist file is TOML (format in `checklists/README.md`). Parsing is pure: it takes the
file's text and name and returns a `Checklist` or raises `ChecklistInvalid` listing *every*
problem, with the line where it can be found, so a bureau editor fixes a file in one pass.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from .errors import ChecklistInvalid, ChecklistProblem

__all__ = ["ChecklistItem", "Checklist", "parse_checklist", "SCHEMA"]

SCHEMA = 1
MAX_PERIOD_DAYS = 365

_CHECKLIST_KEYS = {"schema", "id", "version", "prefix", "name_zh", "name_en", "icon", "order", "items"}
_ITEM_REQUIRED = {
    "id", "text_zh", "text_en", "hazard_zh", "hazard_en", "basis",
    "major_hint", "photo_required", "period_days",
}
_ITEM_OPTIONAL = {"guide_zh", "guide_en"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PREFIX = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class ChecklistItem:
    """One checkable requirement, and what to write when it fails."""

    id: str
    text_zh: str
    text_en: str
    hazard_zh: str
    hazard_en: str
    basis: str
    major_hint: bool
    photo_required: bool
    period_days: int
    guide_zh: str = ""
    guide_en: str = ""

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_zh

    def hazard(self, lang: str) -> str:
        return self.hazard_en if lang == "en" else self.hazard_zh

    def guide(self, lang: str) -> str:
        return self.guide_en if lang == "en" else self.guide_zh


@dataclass(frozen=True)
class Checklist:
    """A location type's checklist, pinned by (id, version, sha256) in every area using it."""

    id: str
    version: str
    prefix: str
    name_zh: str
    name_en: str
    icon: str
    order: int
    items: tuple[ChecklistItem, ...]
    sha256: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def item(self, item_id: str) -> ChecklistItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


class _Lines:
    """Finds the line of a key in the raw text, since tomllib reports positions only for syntax errors."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.item_starts = [i for i, ln in enumerate(self.lines) if ln.strip() == "[[items]]"]

    def _block(self, item_index: int | None) -> range:
        if item_index is None:
            end = self.item_starts[0] if self.item_starts else len(self.lines)
            return range(0, end)
        if item_index >= len(self.item_starts):
            return range(0)
        start = self.item_starts[item_index]
        nxt = item_index + 1
        end = self.item_starts[nxt] if nxt < len(self.item_starts) else len(self.lines)
        return range(start, end)

    def of_key(self, key: str, item_index: int | None = None) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in self._block(item_index):
            if pattern.match(self.lines[i]):
                return i + 1
        return None

    def of_item(self, item_index: int) -> int | None:
        block = self._block(item_index)
        return block.start + 1 if block else None


class _Report:
    """Collects problems with the line each one is on."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.lines = _Lines(text)
        self.problems: list[ChecklistProblem] = []

    def add(self, reason: str, at: str | None = None, index: int | None = None,
            item: str | None = None, **detail: Any) -> None:
        """Record `reason`; `at` is the key whose line locates it (within item `index`)."""
        line = self.lines.of_key(at, index) if at else None
        if line is None and index is not None:
            line = self.lines.of_item(index)
        self.problems.append(ChecklistProblem(self.path, reason, line=line, item=item, detail=detail))


def parse_checklist(text: str, path: str) -> Checklist:
    """Validate one checklist file's text; raise `ChecklistInvalid` with every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ChecklistInvalid([
            ChecklistProblem(path, "toml_syntax", line=line, detail={"message": str(exc)})
        ]) from None
    report = _Report(path, text)
    problem = report.add

    for key in sorted(set(data) - _CHECKLIST_KEYS):
        problem("unknown_key", key, key=key)
    for key in sorted(_CHECKLIST_KEYS - set(data)):
        problem("missing_key", key=key)
    if data.get("schema", SCHEMA) != SCHEMA:
        problem("bad_schema", "schema", found=data.get("schema"), expected=SCHEMA)
    checklist_id = data.get("id", "")
    if "id" in data and not (isinstance(checklist_id, str) and _ID.match(checklist_id)):
        problem("bad_id", "id", value=checklist_id)
    prefix = data.get("prefix", "")
    if "prefix" in data and not (isinstance(prefix, str) and _PREFIX.match(prefix)):
        problem("bad_prefix", "prefix", value=prefix)
    for key in ("version", "name_zh", "name_en", "icon"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problem("empty_text", key, key=key)
    if "name_zh" in data and isinstance(data["name_zh"], str) and not _CJK.search(data["name_zh"]):
        problem("no_chinese", "name_zh", key="name_zh")
    if "order" in data and (type(data["order"]) is not int or data["order"] < 0):
        problem("bad_order", "order", value=data["order"])

    raw_items = data.get("items", [])
    if not isinstance(raw_items, list) or not raw_items:
        problem("no_items", "items" if "items" in data else None)
        raw_items = []
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_items):
        item = _parse_item(raw, index, prefix, seen, report)
        if item is not None:
            items.append(item)

    if report.problems:
        raise ChecklistInvalid(report.problems)
    return Checklist(
        id=checklist_id, version=data["version"], prefix=prefix,
        name_zh=data["name_zh"], name_en=data["name_en"], icon=data["icon"], order=data["order"],
        items=tuple(items), sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _parse_item(raw: Any, index: int, prefix: str, seen: set[str], report: _Report) -> ChecklistItem | None:
    """Check one `[[items]]` table; record its problems in `report`, return the item if sound."""
    problem = report.add
    if not isinstance(raw, dict):
        problem("bad_item", index=index)
        return None
    item_id = raw.get("id")
    label = item_id if isinstance(item_id, str) else f"#{index + 1}"
    before = len(report.problems)
    for key in sorted(set(raw) - _ITEM_REQUIRED - _ITEM_OPTIONAL):
        problem("unknown_key", key, index, label, key=key)
    for key in sorted(_ITEM_REQUIRED - set(raw)):
        problem("missing_key", None, index, label, key=key)
    if isinstance(item_id, str):
        if item_id in seen:
            problem("duplicate_item_id", "id", index, label)
        seen.add(item_id)
        # a prefix that is not text is reported once, on its own line, not once per item
        if isinstance(prefix, str) and not re.fullmatch(rf"{re.escape(prefix)}-\d{{2,3}}", item_id):
            problem("bad_item_id", "id", index, label, prefix=prefix)
    elif "id" in raw:
        problem("bad_item_id", "id", index, label, prefix=prefix)
    for key in ("text_zh", "text_en", "hazard_zh", "hazard_en", "basis", "guide_zh", "guide_en"):
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            problem("empty_text", key, index, label, key=key)
    for key in ("text_zh", "hazard_zh"):
        if isinstance(raw.get(key), str) and raw[key].strip() and not _CJK.search(raw[key]):
            problem("no_chinese", key, index, label, key=key)
    for key in ("major_hint", "photo_required"):
        if key in raw and not isinstance(raw[key], bool):
            problem("not_boolean", key, index, label, key=key)
    period = raw.get("period_days")
    if "period_days" in raw and (type(period) is not int or not 0 <= period <= MAX_PERIOD_DAYS):
        problem("bad_period", "period_days", index, label, value=period, max=MAX_PERIOD_DAYS)
    if len(report.problems) != before:
        return None
    return ChecklistItem(**{k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()})

