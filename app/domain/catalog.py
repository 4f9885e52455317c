"""Everything the app reads from `checklists/`: checklists, units and the campaign."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .campaign import Campaign
from .checklist import Checklist
from .errors import ChecklistInvalid, ChecklistProblem
from .units import UnitRoster

__all__ = ["Catalog", "check_unique", "version_key", "ItemChanges", "item_changes"]


def version_key(version: str) -> tuple:
    """"2026.10" after "2026.9": numeric parts compare as numbers, anything else as text after them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in version.split("."))


@dataclass(frozen=True)
class Catalog:
    checklists: tuple[Checklist, ...]   # the current version of each location type, in `order`
    units: UnitRoster
    campaign: Campaign
    # Every other version this store knows, by content hash: an area keeps the version it was
    # started with even after the bureau issues a new one (`pinned`).
    archive: tuple[Checklist, ...] = ()
    texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)   # sha256 → file text

    def checklist(self, checklist_id: str) -> Checklist:
        """The current version, for anything new (a new area)."""
        for checklist in self.checklists:
            if checklist.id == checklist_id:
                return checklist
        raise KeyError(checklist_id)

    def pinned(self, checklist_id: str, sha256: str) -> Checklist:
        """The version an area was started with (by content hash); the current one when this store
        never held that version (areas made before versions were kept, or on another device)."""
        for checklist in (*self.checklists, *self.archive):
            if checklist.id == checklist_id and checklist.sha256 == sha256:
                return checklist
        return self.checklist(checklist_id)

    def with_versions(self, others: list[Checklist], texts: dict[str, str]) -> Catalog:
        """This catalog with more versions known: for each id the highest version is current, the
        rest are kept in the archive (the same content twice counts once)."""
        every = {c.sha256: c for c in (*self.checklists, *self.archive, *others)}
        current: dict[str, Checklist] = {}
        for checklist in every.values():
            best = current.get(checklist.id)
            if best is None or version_key(checklist.version) > version_key(best.version):
                current[checklist.id] = checklist
        kept = {c.sha256 for c in current.values()}
        return replace(
            self, checklists=tuple(sorted(current.values(), key=lambda c: (c.order, c.id))),
            archive=tuple(c for sha, c in every.items() if sha not in kept), texts={**self.texts, **texts},
        )

    def previous(self, checklist: Checklist) -> Checklist | None:
        """The highest known version of the same location type below `checklist`, if any."""
        older = [c for c in (*self.checklists, *self.archive)
                 if c.id == checklist.id and version_key(c.version) < version_key(checklist.version)]
        return max(older, key=lambda c: version_key(c.version), default=None)


@dataclass(frozen=True)
class ItemChanges:
    """What a new checklist version changed, by item id (ids are stable across versions)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]


def item_changes(old: Checklist, new: Checklist) -> ItemChanges:
    before = {i.id: i for i in old.items}
    after = {i.id: i for i in new.items}
    return ItemChanges(
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        changed=tuple(i for i in after if i in before and after[i] != before[i]),
    )


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
