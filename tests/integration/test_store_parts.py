"""Joining a data set built in parts (`store.parts`): whole units move in, clocks stay unique, and
a part that overlaps the target or was left mid-transaction is refused before anything moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app import bootstrap
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind
from app.services import inspections
from app.services.context import Context
from app.store import journal
from app.store.parts import PartError

NOON = FixedClock(dt.datetime(2026, 6, 15, 4, tzinfo=dt.UTC))


def _visit(ctx: Context, unit: str) -> str:
    return inspections.start_inspection(ctx, unit, InspectionKind.SELF_CHECK, ["张伟"]).id


def _target_and_part(tmp_path: Path, part_unit: str) -> tuple[Context, Path, Context]:
    target = bootstrap.build(tmp_path / "data", clock=NOON)
    _visit(target, "U01")
    folder = bootstrap.new_part(target, tmp_path / "part1", 1)
    part = bootstrap.build(folder, clock=NOON)
    _visit(part, part_unit)
    return target, folder, part


def test_a_joined_part_s_units_and_files_are_the_target_s_and_new_revs_go_above(tmp_path):
    target, folder, part = _target_and_part(tmp_path, "U02")
    sha = part.photo_store().put(b"\xff\xd8 a photo \xff\xd9", ".jpg")
    part_rev = max(i.rev for i in part.repo.inspections())
    assert part.repo.device_id == target.repo.device_id and part_rev > max(i.rev for i in target.repo.inspections())

    bootstrap.join_parts(tmp_path / "data", [folder])
    joined = bootstrap.build(tmp_path / "data", clock=NOON)
    assert sorted(i.unit for i in joined.repo.inspections()) == ["U01", "U02"]
    assert joined.photo_store().read(sha) == b"\xff\xd8 a photo \xff\xd9"
    assert not folder.exists()
    assert inspections.get_inspection(joined, _visit(joined, "U03")).rev > part_rev


def test_a_part_holding_a_unit_the_target_holds_is_refused_and_nothing_moves(tmp_path):
    _, folder, _ = _target_and_part(tmp_path, "U01")
    with pytest.raises(PartError, match="U01"):
        bootstrap.join_parts(tmp_path / "data", [folder])
    assert len(bootstrap.build(tmp_path / "data", clock=NOON).repo.inspections()) == 1
    assert len(bootstrap.build(folder, clock=NOON).repo.inspections()) == 1


def test_a_part_left_in_the_middle_of_a_transaction_is_refused(tmp_path):
    _, folder, _ = _target_and_part(tmp_path, "U02")
    (folder / journal.JOURNAL).write_text("{}")   # what a part killed mid-commit leaves
    with pytest.raises(PartError, match="transaction"):
        bootstrap.join_parts(tmp_path / "data", [folder])
    assert [i.unit for i in bootstrap.build(tmp_path / "data", clock=NOON).repo.inspections()] == ["U01"]


def test_part_zero_is_the_target_and_a_part_starts_empty(tmp_path):
    target = bootstrap.build(tmp_path / "data", clock=NOON)
    with pytest.raises(ValueError):
        bootstrap.new_part(target, tmp_path / "p0", 0)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(PartError):
        bootstrap.new_part(target, tmp_path / "full", 1)
