"""Everything the app reads from `checklists/`: checklists, units and the campaign."""

from __future__ import annotations

from dataclasses import dataclass

from .campaign import Campaign
from .checklist import Checklist
from .errors import ChecklistInvalid, ChecklistProblem
from .units import UnitRoster

__all__ = ["Catalog", "check_unique"]


@dataclass(frozen=True)
class Catalog:
    checklists: tuple[Checklist, ...]   # in `order`
    units: UnitRoster
    campaign: Campaign

    def checklist(self, checklist_id: str) -> Checklist:
        for checklist in self.checklists:
            if checklist.id == checklist_id:
                return checklist
        raise KeyError(checklist_id)


def check_unique(checklists: list[tuple[str, Checklist]]) -> None:
    """Checklist ids and item prefixes must be unique across files, or ids would be ambiguous."""
    problems: list[ChecklistProblem] = []
    ids: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for path, checklist in checklists:
        if checklist.id in ids:
            problems.append(ChecklistProblem(path, "duplicate_checklist_id", detail={"other": ids[checklist.id]}))
        if checklist.prefix in prefixes:
            problems.append(ChecklistProblem(path, "duplicate_prefix", detail={"other": prefixes[checklist.prefix]}))
        ids.setdefault(checklist.id, path)
        prefixes.setdefault(checklist.prefix, path)
    if problems:
        raise ChecklistInvalid(problems)
