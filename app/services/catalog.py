"""Use cases about the catalog: load it for the app, check checklist files for editors.

Moving checklists to and from a spreadsheet is `checklist_workbook`'s (it needs openpyxl, a quarter
of a second to import, which opening the app does not).
"""

from __future__ import annotations

from pathlib import Path

from app import resources
from app.domain.catalog import Catalog
from app.domain.checklist import Checklist
from app.domain.errors import ChecklistProblem
from app.store import catalog_files

__all__ = ["load", "check_files"]


def load(directory: Path | None = None) -> Catalog:
    """The validated catalog from `directory` (default: the shipped `checklists/`)."""
    return catalog_files.load_catalog(directory or resources.checklists_dir())


def check_files(paths: list[Path] | None = None) -> tuple[list[tuple[str, Checklist]], list[ChecklistProblem]]:
    """Validate checklist files (default: every shipped one); directories are expanded."""
    targets = paths or [resources.checklists_dir()]
    files: list[Path] = []
    for path in targets:
        files.extend(catalog_files.checklist_paths(path) if path.is_dir() else [path])
    return catalog_files.check_checklist_files(files)
