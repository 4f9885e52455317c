"""Reads the catalog (checklists, units, campaign) from TOML files on disk."""

from __future__ import annotations

from pathlib import Path

from app.domain.campaign import parse_campaign
from app.domain.catalog import Catalog, check_unique
from app.domain.checklist import Checklist, parse_checklist
from app.domain.errors import ChecklistInvalid, ChecklistProblem, ConfigInvalid
from app.domain.units import parse_units

__all__ = ["load_catalog", "check_checklist_files", "CONFIG_FILES"]

CONFIG_FILES = ("units.toml", "campaign.toml")


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ChecklistInvalid([ChecklistProblem(str(path), "not_utf8")]) from None
    except OSError as exc:
        raise ChecklistInvalid([ChecklistProblem(str(path), "unreadable", detail={"message": exc.strerror})]) from None


def checklist_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.toml") if p.name not in CONFIG_FILES)


def check_checklist_files(paths: list[Path]) -> tuple[list[tuple[str, Checklist]], list[ChecklistProblem]]:
    """Parse every file; return the sound checklists and every problem found in all files."""
    loaded: list[tuple[str, Checklist]] = []
    problems: list[ChecklistProblem] = []
    for path in paths:
        try:
            loaded.append((str(path), parse_checklist(_read(path), str(path))))
        except ChecklistInvalid as exc:
            problems.extend(exc.problems)
    try:
        check_unique(loaded)
    except ChecklistInvalid as exc:
        problems.extend(exc.problems)
    return loaded, problems


def load_catalog(directory: Path) -> Catalog:
    """Load and validate the whole catalog; any problem raises before the app uses any of it."""
    paths = checklist_paths(directory)
    loaded, problems = check_checklist_files(paths)
    if problems:
        raise ChecklistInvalid(problems)
    texts = {c.sha256: _read(Path(path)) for path, c in loaded}   # kept: an area pins a version's text
    units_path, campaign_path = (directory / name for name in CONFIG_FILES)
    for path in (units_path, campaign_path):
        if not path.is_file():
            raise ConfigInvalid(str(path), "missing")
    return Catalog(
        checklists=tuple(sorted((c for _, c in loaded), key=lambda c: (c.order, c.id))),
        units=parse_units(units_path.read_text("utf-8"), str(units_path)),
        campaign=parse_campaign(campaign_path.read_text("utf-8"), str(campaign_path)),
        texts=texts,
    )
