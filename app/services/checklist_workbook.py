"""Checklists between TOML files and a spreadsheet: export for authoring, import with the same rules."""

from __future__ import annotations

from pathlib import Path

from app.documents import checklist_sheet
from app.domain.checklist import Checklist, parse_checklist
from app.domain.checklist_toml import render_checklist
from app.domain.errors import ChecklistInvalid, ChecklistProblem
from app.store.atomic import atomic_write

from .catalog import check_files

__all__ = ["export_xlsx", "import_xlsx"]


def export_xlsx(out: Path, paths: list[Path] | None = None) -> list[Checklist]:
    """Write the checklists of `paths` (default: the shipped ones) to one workbook, in area order.

    Refuses (and writes nothing) when any file is invalid: a spreadsheet must start from sound content.
    """
    loaded, problems = check_files(paths)
    if problems:
        raise ChecklistInvalid(problems)
    ordered = sorted(loaded, key=lambda entry: (entry[1].order, entry[1].id))
    atomic_write(out, checklist_sheet.checklists_xlsx([(Path(path).name, c) for path, c in ordered]))
    return [c for _, c in ordered]


def import_xlsx(source: Path, out_dir: Path | None = None) -> list[tuple[Path, Checklist]]:
    """Validate a checklist workbook and write one canonical TOML file per checklist into `out_dir`.

    All or nothing: every checklist is checked (each problem named by sheet, row and column)
    before any file is written. `out_dir` defaults to the workbook's folder.
    """
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ChecklistInvalid([ChecklistProblem(str(source), "unreadable", detail={"message": exc.strerror})]) \
            from None
    sheets = checklist_sheet.read_checklists_xlsx(data, str(source))
    target = out_dir or source.parent
    rendered = []
    for entry in sheets:
        path = target / entry.file_name
        text = render_checklist(entry.checklist)
        rendered.append((path, text, parse_checklist(text, str(path))))   # the file's own hash, as loaded
    target.mkdir(parents=True, exist_ok=True)
    for path, text, _ in rendered:
        atomic_write(path, text.encode("utf-8"))
    return [(path, checklist) for path, _, checklist in rendered]
