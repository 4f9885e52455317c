"""Checklists as a spreadsheet (.xlsx), for authoring the way ODK users author forms in XLSForm.

Three sheets, one row per thing, the first row naming the columns (the TOML keys):
- `checklists`: `file` then the header keys of each checklist (`CHECKLIST_KEYS`);
- `items`: `checklist` (its id) then the item keys (`ITEM_KEYS`);
- `findings`: `item` (its id) then the finding keys (`FINDING_KEYS`).
An empty cell is an absent key. Reading builds the same tables the TOML parser builds and hands
them to the same validation (`build_checklist`), with a locator that names the sheet, row and
column of every problem. Export and then import gives back the canonical TOML byte for byte.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.domain.checklist import CHECKLIST_KEYS, FINDING_KEYS, ITEM_KEYS, Checklist, build_checklist
from app.domain.errors import ChecklistInvalid, ChecklistProblem

__all__ = ["SHEETS", "checklists_xlsx", "read_checklists_xlsx", "SheetChecklist"]

SHEETS: dict[str, tuple[str, ...]] = {
    "checklists": ("file", *CHECKLIST_KEYS),
    "items": ("checklist", *ITEM_KEYS),
    "findings": ("item", *FINDING_KEYS),
}
_INTS = {"schema", "order", "period_days", "deadline_days"}
_BOOLS = {"major_hint", "photo_required"}
_WIDE = {"text_zh", "text_en", "hazard_zh", "hazard_en", "guide_zh", "guide_en", "basis", "note",
         "requirement_zh", "requirement_en", "major_reason_zh", "major_reason_en", "name_zh", "name_en"}
_FILE = re.compile(r"^[a-z][a-z0-9_]*\.toml$")
_CONFIG = {"units.toml", "campaign.toml"}


def checklists_xlsx(checklists: list[tuple[str, Checklist]]) -> bytes:
    """One workbook holding `checklists` (file name, checklist), in the order given."""
    book = Workbook()
    book.remove(book.active)
    rows: dict[str, list[list[Any]]] = {name: [] for name in SHEETS}
    for file_name, checklist in checklists:
        rows["checklists"].append([file_name, 1, *(getattr(checklist, k) for k in CHECKLIST_KEYS[1:])])
        for item in checklist.items:
            values = asdict(item)
            rows["items"].append([checklist.id, *(_cell(values.get(k)) for k in ITEM_KEYS)])
            for finding in item.findings:
                values = asdict(finding)
                rows["findings"].append([item.id, *(_cell(values.get(k), k) for k in FINDING_KEYS)])
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for row in rows[name]:
            sheet.append(row)
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 48 if column in _WIDE else 14
            sheet.cell(1, index).font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "C2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any, key: str = "") -> Any:
    """A value as written: empty texts stay empty cells; a finding's false hint is left out too."""
    if value == "" or (key == "major_hint" and value is False):
        return None
    return value


class SheetChecklist:
    """One checklist read from the workbook: the file it becomes and its validated content."""

    def __init__(self, file_name: str, checklist: Checklist):
        self.file_name, self.checklist = file_name, checklist


class _Sheet:
    """One sheet's rows as {column: value}, with the row number and the column letters."""

    def __init__(self, path: str, name: str, sheet: Any, problems: list[ChecklistProblem]):
        self.name = name
        header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1), ())]
        expected = SHEETS[name]
        self.letters: dict[str, str] = {}
        for index, title in enumerate(header, start=1):
            title = str(title).strip() if title is not None else ""
            if not title:
                continue
            if title not in expected or title in self.letters:
                problems.append(ChecklistProblem(path, "bad_header", line=1, sheet=name,
                                                 column=get_column_letter(index),
                                                 detail={"expected": " / ".join(expected), "found": title}))
            else:
                self.letters[title] = get_column_letter(index)
        self.rows: list[tuple[int, dict[str, Any]]] = []
        for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            values = {}
            for title, letter in self.letters.items():
                index = _column_index(letter)
                value = _value(title, row[index] if index < len(row) else None)
                if value is not None:
                    values[title] = value
            if values:
                self.rows.append((number, values))

    def where(self, row: int, key: str | None) -> dict[str, Any]:
        return {"sheet": self.name, "line": row, "column": self.letters.get(key) if key else None}


def _column_index(letter: str) -> int:
    index = 0
    for ch in letter:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _value(key: str, value: Any) -> Any:
    """A cell as the TOML value it stands for; what cannot be converted is kept for the validator to refuse."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if key in _INTS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        return value
    if key in _BOOLS:
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return value
    if isinstance(value, bool):
        return value   # a text column holding TRUE/FALSE: refused as the wrong type
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else str(value)


def read_checklists_xlsx(data: bytes, path: str) -> list[SheetChecklist]:
    """Every checklist in the workbook, validated; `ChecklistInvalid` lists each problem with its cell."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ChecklistInvalid([ChecklistProblem(path, "not_xlsx")]) from None
    problems: list[ChecklistProblem] = []
    sheets: dict[str, _Sheet] = {}
    for name in SHEETS:
        if name not in book.sheetnames:
            problems.append(ChecklistProblem(path, "missing_sheet", detail={"sheet": name}))
        else:
            sheets[name] = _Sheet(path, name, book[name], problems)
    book.close()
    if problems:
        raise ChecklistInvalid(problems)
    result = _assemble(path, sheets, problems)
    if problems:
        raise ChecklistInvalid(problems)
    return result


def _assemble(path: str, sheets: dict[str, _Sheet], problems: list[ChecklistProblem]) -> list[SheetChecklist]:
    """Group items under their checklist and findings under their item, then validate each checklist."""
    heads, items, findings = sheets["checklists"], sheets["items"], sheets["findings"]
    by_id: dict[str, tuple[int, dict[str, Any], list]] = {}
    for row, values in heads.rows:
        checklist_id = values.get("id")
        if isinstance(checklist_id, str) and checklist_id in by_id:
            problems.append(ChecklistProblem(path, "duplicate_checklist_id", **heads.where(row, "id"),
                                             detail={"other": f"{heads.name}:{by_id[checklist_id][0]}"}))
            continue
        by_id[str(checklist_id)] = (row, values, [])
    item_rows: dict[str, tuple[list, int]] = {}   # item id -> (its checklist's item list, index)
    for row, values in items.rows:
        owner_id = values.pop("checklist", None)
        owner = by_id.get(str(owner_id))
        if owner is None:
            problems.append(ChecklistProblem(path, "unknown_checklist", **items.where(row, "checklist"),
                                             detail={"value": owner_id or ""}))
            continue
        owner[2].append((row, values, []))
        item_rows.setdefault(str(values.get("id")), (owner[2], len(owner[2]) - 1))
    for row, values in findings.rows:
        item_id = str(values.pop("item", None))
        if item_id not in item_rows:
            problems.append(ChecklistProblem(path, "unknown_item", **findings.where(row, "item"),
                                             detail={"value": item_id}))
            continue
        rows, index = item_rows[item_id]
        rows[index][2].append((row, values))
    result: list[SheetChecklist] = []
    files: set[str] = set()
    prefixes: dict[str, int] = {}
    for row, values, item_list in by_id.values():
        file_name = values.pop("file", None) or f"{values.get('id')}.toml"
        if not (isinstance(file_name, str) and _FILE.match(file_name)) or file_name in _CONFIG or file_name in files:
            problems.append(ChecklistProblem(path, "bad_file_name", **heads.where(row, "file"),
                                             detail={"value": file_name}))
        files.add(str(file_name))
        prefix = values.get("prefix")
        if isinstance(prefix, str) and prefix in prefixes:
            problems.append(ChecklistProblem(path, "duplicate_prefix", **heads.where(row, "prefix"),
                                             detail={"other": f"{heads.name}:{prefixes[prefix]}"}))
        prefixes.setdefault(str(prefix), row)
        data = dict(values)
        data["items"] = [dict(v, **({"findings": [f for _, f in fs]} if fs else {})) for _, v, fs in item_list]

        def locate(key: str | None, item: int | None, finding: int | None,
                   row: int = row, item_list: list = item_list) -> dict[str, Any]:
            if item is None or item >= len(item_list):
                return heads.where(row, key if key in SHEETS["checklists"] else None)
            item_row, _, finding_rows = item_list[item]
            if finding is None or finding >= len(finding_rows):
                return items.where(item_row, key if key in SHEETS["items"] else None)
            return findings.where(finding_rows[finding][0], key if key in SHEETS["findings"] else None)

        try:
            checklist = build_checklist(data, path, locate)
        except ChecklistInvalid as exc:
            problems.extend(exc.problems)
            continue
        result.append(SheetChecklist(str(file_name), checklist))
    return result
