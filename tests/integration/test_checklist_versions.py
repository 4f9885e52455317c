"""A new checklist version issued by the bureau reaches a unit device through a bundle; an inspection
started before keeps its old version; the device says what changed before its next area uses it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app import resources
from app.bootstrap import build
from app.domain.errors import BundleRejected, Forbidden, InvalidInput
from app.services import checklist_versions, inspections, queries
from app.services.sync import export_bundle, import_bundle
from app.store import checklist_versions as version_files
from tests.integration.authority_world import enrolled, rogue, send
from tests.integration.sync_world import fingerprint, walk


def new_basement(tmp_path: Path, version: str = "2026.9") -> Path:
    text = (resources.checklists_dir() / "basement.toml").read_text("utf-8")
    old_line = next(line for line in text.splitlines() if line.startswith("text_zh"))
    changed = text.replace('version = "2026.2"', f'version = "{version}"', 1).replace(
        old_line, old_line[:-1] + "（新版：含医用酒精）\"", 1)
    path = tmp_path / "basement.toml"
    path.write_text(changed, "utf-8")
    return path


def test_a_new_version_reaches_a_unit_and_an_inspection_under_way_keeps_its_own(tmp_path):
    world = enrolled(tmp_path)
    bureau, unit = world.bureau, world.units["u01"]
    before, area, _ = walk(unit, photo=False, failures=0)   # started on the shipped version
    old_sha = area.checklist_sha256
    issued = checklist_versions.issue_version(bureau, new_basement(tmp_path))
    assert bureau.catalog.checklist("basement").version == "2026.9"

    summary = send(bureau, unit, tmp_path, "bureau.fsb")
    assert summary.checklists == ["basement 2026.9"]
    assert unit.catalog.checklist("basement").sha256 == issued.checklist.sha256
    assert queries.checklist_of(unit, area).sha256 == old_sha, "the inspection under way changed version"
    fresh = inspections.start_inspection(unit, "U01", before.kind, [unit.actor])
    new_area = inspections.add_area(unit, fresh.id, "basement", "地下二层")
    assert new_area.checklist_version == "2026.9"

    [change] = checklist_versions.changes(unit)
    assert (change.previous_version, change.changes.changed) == ("2026.2", ("bs-01",))
    checklist_versions.acknowledge(unit, [change.checklist.sha256])
    assert checklist_versions.changes(unit) == []


def test_an_area_keeps_its_version_after_a_restart(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    _, area, _ = walk(unit, photo=False, failures=0)
    checklist_versions.issue_version(world.bureau, new_basement(tmp_path))
    send(world.bureau, unit, tmp_path)
    reopened = build(unit.repo.root, unit.clock)
    assert queries.checklist_of(reopened, area).version == "2026.2"
    assert reopened.catalog.checklist("basement").version == "2026.9"


def test_only_the_bureau_issues_and_only_a_newer_version(tmp_path):
    world = enrolled(tmp_path)
    with pytest.raises(Forbidden):
        checklist_versions.issue_version(world.units["u01"], new_basement(tmp_path))
    with pytest.raises(InvalidInput) as caught:
        checklist_versions.issue_version(world.bureau, new_basement(tmp_path, "2026.1"))
    assert caught.value.reason == "not_newer"


def test_a_checklist_not_signed_by_the_campaign_key_refuses_the_bundle(tmp_path):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    text = new_basement(tmp_path).read_text("utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    with rogue(unit), unit.repo.transaction():   # a unit slips its own "issued" version into its store
        version_files.stage_issued(unit.repo, text, {"id": "basement", "version": "2026.9", "sha256": sha,
                                                     "issued_at": "2026-07-10", "issued_by": "x",
                                                     "signature": "AAAA"})
    path = tmp_path / "unit.fsb"
    export_bundle(unit, path, full=True)
    before = fingerprint(world.bureau.repo.root)
    with pytest.raises(BundleRejected) as caught:
        import_bundle(world.bureau, path)
    assert (caught.value.reason, caught.value.detail["entry"]) == ("bad_checklist", "basement")
    assert fingerprint(world.bureau.repo.root) == before
