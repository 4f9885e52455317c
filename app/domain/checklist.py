"""Checklists (检查表): one per location type, versioned, validated before use.

A checklist file is TOML (format in `checklists/README.md`); the same content can be authored in
a spreadsheet (`app/documents/checklist_sheet.py`). Validation is pure and shared by both: it
takes the decoded tables and a *locator* that says where a key sits (a TOML line, or a sheet's
row and column), and raises `ChecklistInvalid` listing *every* problem, so a bureau editor fixes
a file in one pass.

An item that can fail in several ways lists its `findings` (缺失 / 被遮挡 / 压力不足 …): the
inspector taps those seen, and the hazard says exactly those, each with its own 整改要求 and
default deadline.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ChecklistInvalid, ChecklistProblem

__all__ = [
    "uncited_documents", "Finding", "ChecklistItem", "Checklist", "parse_checklist", "build_checklist", "Locator",
    "SCHEMA", "CHECKLIST_KEYS", "ITEM_KEYS", "FINDING_KEYS", "chosen_findings",
]

SCHEMA = 1
MAX_PERIOD_DAYS = 365

# Keys in their canonical order (the order the TOML writer and the spreadsheet columns use).
CHECKLIST_KEYS = ("schema", "id", "version", "prefix", "name_zh", "name_en", "icon", "order")
ITEM_KEYS = (
    "id", "text_zh", "text_en", "hazard_zh", "hazard_en", "guide_zh", "guide_en", "basis", "note",
    "major_hint", "major_reason_zh", "major_reason_en", "photo_required", "period_days",
)
FINDING_KEYS = (
    "id", "text_zh", "text_en", "requirement_zh", "requirement_en", "deadline_days",
    "major_hint", "major_reason_zh", "major_reason_en",
)
_ITEM_REQUIRED = {
    "id", "text_zh", "text_en", "hazard_zh", "hazard_en", "basis", "major_hint", "photo_required", "period_days",
}
_FINDING_REQUIRED = {"id", "text_zh", "text_en", "requirement_zh", "requirement_en", "deadline_days"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PREFIX = re.compile(r"^[a-z]{2,3}$")
_SLUG = re.compile(r"^[a-z][a-z0-9]{0,15}$")
# A citation names its article (第X条, 第X款) or a standard's clause (10.3.2); a chapter is not enough.
_CLAUSE = re.compile(r"第[0-9零一二三四五六七八九十百]+[条款]|(?<![\d.])\d{1,2}(\.\d{1,2}){1,3}(?![\d.-])")
_DOCUMENT = re.compile(r"《[^》]+》|\b(GB|WS|XF|TSG|JGJ|DB|GA)(/T)? ?\d")

# where(key, item index, finding index) -> ChecklistProblem keyword arguments (line, or sheet/row/column)
Locator = Callable[[str | None, int | None, int | None], dict[str, Any]]


@dataclass(frozen=True)
class Finding:
    """One way an item fails, as the notice will say it, with its own requirement and deadline."""

    id: str                   # "<item id>-<word>", e.g. "sf-03-pressure"
    text_zh: str              # the defect seen: "灭火器压力不足"
    text_en: str
    requirement_zh: str       # 整改要求
    requirement_en: str
    deadline_days: int        # 0 = 立即改正
    major_hint: bool = False
    major_reason_zh: str = ""
    major_reason_en: str = ""

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_zh

    def requirement(self, lang: str) -> str:
        return self.requirement_en if lang == "en" else self.requirement_zh

    def major_reason(self, lang: str) -> str:
        return self.major_reason_en if lang == "en" else self.major_reason_zh


@dataclass(frozen=True)
class ChecklistItem:
    """One checkable requirement, how to check it, and what to write when it fails."""

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
    note: str = ""                    # why a clause of the basis could not be confirmed, and similar
    major_reason_zh: str = ""         # why a failure may be a major hazard (GB 35181-2025)
    major_reason_en: str = ""
    findings: tuple[Finding, ...] = ()

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_zh

    def hazard(self, lang: str) -> str:
        return self.hazard_en if lang == "en" else self.hazard_zh

    def guide(self, lang: str) -> str:
        return self.guide_en if lang == "en" else self.guide_zh

    def major_reason(self, lang: str) -> str:
        return self.major_reason_en if lang == "en" else self.major_reason_zh

    def finding(self, finding_id: str) -> Finding:
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)


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


def chosen_findings(item: ChecklistItem, finding_ids: tuple[str, ...] | list[str]) -> tuple[Finding, ...]:
    """The item's findings with these ids, in the checklist's order; KeyError names an unknown one."""
    wanted = set(finding_ids)
    for finding_id in wanted:
        item.finding(finding_id)
    return tuple(f for f in item.findings if f.id in wanted)


def uncited_documents(basis: str) -> list[str]:
    """The citations in `basis` (separated by "；") that name a document but no article or clause."""
    parts = [p.strip() for p in re.split(r"[；;]", basis) if p.strip()]
    return [p for p in parts if not _CLAUSE.search(p.replace("2014（2018年版）", ""))]


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

    def _finding_block(self, item_index: int, finding_index: int) -> range:
        block = self._block(item_index)
        starts = [i for i in block if self.lines[i].strip() == "[[items.findings]]"]
        if finding_index >= len(starts):
            return range(0)
        end = starts[finding_index + 1] if finding_index + 1 < len(starts) else block.stop
        return range(starts[finding_index], end)

    def locate(self, key: str | None, item_index: int | None, finding_index: int | None) -> dict[str, Any]:
        if item_index is not None and finding_index is not None:
            block = self._finding_block(item_index, finding_index)
        else:
            block = self._block(item_index)
            if item_index is not None:   # an item's own keys come before its first finding
                firsts = [i for i in block if self.lines[i].strip() == "[[items.findings]]"]
                block = range(block.start, firsts[0]) if firsts else block
        if key:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for i in block:
                if pattern.match(self.lines[i]):
                    return {"line": i + 1}
        if item_index is not None and block:
            return {"line": block.start + 1}
        return {}


class _Report:
    """Collects problems with where each one is."""

    def __init__(self, path: str, locate: Locator):
        self.path = path
        self.locate = locate
        self.problems: list[ChecklistProblem] = []

    def add(self, reason: str, at: str | None = None, index: int | None = None,
            item: str | None = None, finding: int | None = None, **detail: Any) -> None:
        """Record `reason`; `at` is the key that locates it (within item `index`, finding `finding`)."""
        where = self.locate(at, index, finding)
        self.problems.append(ChecklistProblem(self.path, reason, item=item, detail=detail, **where))


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
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_checklist(data, path, _Lines(text).locate, sha256)


def build_checklist(data: dict[str, Any], path: str, locate: Locator, sha256: str = "") -> Checklist:
    """Validate decoded checklist tables (from TOML or a spreadsheet); raise with every problem."""
    report = _Report(path, locate)
    problem = report.add
    known = {*CHECKLIST_KEYS, "items"}
    for key in sorted(set(data) - known):
        problem("unknown_key", key, key=key)
    for key in sorted(known - set(data)):
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
        items=tuple(items), sha256=sha256,
    )


def _check_texts(raw: dict, keys: tuple[str, ...], zh_keys: tuple[str, ...], add: Callable[..., None]) -> None:
    """Texts present are non-empty strings; the Chinese ones contain Chinese."""
    for key in keys:
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            add("empty_text", key, key=key)
    for key in zh_keys:
        if isinstance(raw.get(key), str) and raw[key].strip() and not _CJK.search(raw[key]):
            add("no_chinese", key, key=key)


def _check_major(raw: dict, add: Callable[..., None]) -> None:
    """A major-hazard hint is a boolean and always says why (GB 35181-2025), in both languages."""
    if "major_hint" in raw and not isinstance(raw["major_hint"], bool):
        add("not_boolean", "major_hint", key="major_hint")
    elif raw.get("major_hint") is True:
        for key in ("major_reason_zh", "major_reason_en"):
            if key not in raw:
                add("major_without_reason", "major_hint", key=key)


def _parse_item(raw: Any, index: int, prefix: str, seen: set[str], report: _Report) -> ChecklistItem | None:
    """Check one `[[items]]` table; record its problems in `report`, return the item if sound."""
    if not isinstance(raw, dict):
        report.add("bad_item", index=index)
        return None
    item_id = raw.get("id")
    label = item_id if isinstance(item_id, str) else f"#{index + 1}"

    def problem(reason: str, at: str | None = None, **detail: Any) -> None:
        report.add(reason, at, index, label, **detail)

    before = len(report.problems)
    for key in sorted(set(raw) - set(ITEM_KEYS) - {"findings"}):
        problem("unknown_key", key, key=key)
    for key in sorted(_ITEM_REQUIRED - set(raw)):
        problem("missing_key", None, key=key)
    if isinstance(item_id, str):
        if item_id in seen:
            problem("duplicate_item_id", "id")
        seen.add(item_id)
        # a bad prefix is reported once, on its own line, not once per item
        expected = re.escape(prefix) if isinstance(prefix, str) and _PREFIX.match(prefix) else "[a-z]{2,3}"
        if isinstance(prefix, str) and not re.fullmatch(rf"{expected}-\d{{2,3}}", item_id):
            problem("bad_item_id", "id", prefix=prefix)
    elif "id" in raw:
        problem("bad_item_id", "id", prefix=prefix)
    _check_texts(raw, ("text_zh", "text_en", "hazard_zh", "hazard_en", "basis", "guide_zh", "guide_en", "note",
                       "major_reason_zh", "major_reason_en"), ("text_zh", "hazard_zh", "major_reason_zh"), problem)
    _check_major(raw, problem)
    basis = raw.get("basis")
    if isinstance(basis, str) and basis.strip() and "note" not in raw:
        unnamed = [p for p in uncited_documents(basis) if _DOCUMENT.search(p)] or (
            [] if _DOCUMENT.search(basis) else [basis])
        if unnamed:
            problem("basis_without_clause", "basis", citation=unnamed[0])
    if "photo_required" in raw and not isinstance(raw["photo_required"], bool):
        problem("not_boolean", "photo_required", key="photo_required")
    period = raw.get("period_days")
    if "period_days" in raw and (type(period) is not int or not 0 <= period <= MAX_PERIOD_DAYS):
        problem("bad_period", "period_days", value=period, max=MAX_PERIOD_DAYS)
    findings = _parse_findings(raw.get("findings", []), index, label, report)
    if findings and isinstance(raw.get("major_hint"), bool) and raw["major_hint"] != any(f.major_hint
                                                                                           for f in findings):
        problem("major_hint_mismatch", "major_hint")
    if len(report.problems) != before:
        return None
    values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k != "findings"}
    return ChecklistItem(**values, findings=findings)


def _parse_findings(raw_findings: Any, index: int, label: str, report: _Report) -> tuple[Finding, ...]:
    """Check an item's `[[items.findings]]`; ids are `<item id>-<word>`, unique within the item."""
    if not isinstance(raw_findings, list):
        report.add("bad_finding", "findings", index, label)
        return ()
    findings: list[Finding] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_findings):
        def problem(reason: str, at: str | None = None, number: int = number, **detail: Any) -> None:
            report.add(reason, at, index, label, number, **detail)

        if not isinstance(raw, dict):
            problem("bad_finding")
            continue
        before = len(report.problems)
        for key in sorted(set(raw) - set(FINDING_KEYS)):
            problem("unknown_key", key, key=key)
        for key in sorted(_FINDING_REQUIRED - set(raw)):
            problem("missing_key", None, key=key)
        finding_id = raw.get("id")
        if "id" in raw:
            slug = finding_id[len(label) + 1:] if isinstance(finding_id, str) else ""
            if not (isinstance(finding_id, str) and finding_id.startswith(label + "-") and _SLUG.match(slug)):
                problem("bad_finding_id", "id", item_id=label)
            elif finding_id in seen:
                problem("duplicate_finding_id", "id", value=finding_id)
            seen.add(finding_id if isinstance(finding_id, str) else "")
        _check_texts(raw, ("text_zh", "text_en", "requirement_zh", "requirement_en", "major_reason_zh",
                           "major_reason_en"), ("text_zh", "requirement_zh", "major_reason_zh"), problem)
        _check_major(raw, problem)
        days = raw.get("deadline_days")
        if "deadline_days" in raw and (type(days) is not int or not 0 <= days <= MAX_PERIOD_DAYS):
            problem("bad_period", "deadline_days", value=days, max=MAX_PERIOD_DAYS)
        if len(report.problems) == before:
            values: dict[str, Any] = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
            findings.append(Finding(**values))
    return tuple(findings)
