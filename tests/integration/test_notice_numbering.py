"""The next notice number, from the store's index of used numbers: right after issues, rollbacks,
imports from other devices and reopening the store, and equal to reading every notice."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app.bootstrap import build
from app.domain.authority import Role
from app.domain.clock import FixedClock
from app.domain.issuers import parse_number
from app.domain.model import Notice
from app.domain.notice import Signature
from app.services import authority, notices
from app.services.notices import Signatures
from tests.integration.authority_world import enroll, enrolled, send
from tests.integration.sync_world import device, walk

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))
PREFIX = "第一中心医院保消"   # U01's office, never enrolled (its default prefix)


def _issue(ctx) -> str:
    inspection, _, _ = walk(ctx, failures=1)
    return notices.issue_notice(ctx, inspection.id, Signatures((Signature(ctx.actor),), Signature("科室负责人"))).number


def _serial(number: str) -> int:
    parsed = parse_number(number)
    assert parsed is not None, number
    return parsed[2]


def test_notices_are_numbered_one_two_three_and_a_reopened_store_goes_on(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    assert [_issue(ctx) for _ in range(3)] == [f"{PREFIX}〔2026〕{n}号" for n in (1, 2, 3)]
    reopened = build(tmp_path / "data", CLOCK, actor="王喆")
    assert notices.next_number(reopened, PREFIX) == f"{PREFIX}〔2026〕4号"
    assert _issue(reopened) == f"{PREFIX}〔2026〕4号"


def test_a_rolled_back_issue_does_not_use_up_its_number(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    first = _issue(ctx)
    with pytest.raises(RuntimeError, match="power cut"), ctx.repo.transaction():
        assert (_issue(ctx), _issue(ctx)) == (f"{PREFIX}〔2026〕2号", f"{PREFIX}〔2026〕3号")   # counted inside
        raise RuntimeError("power cut")
    assert [n.number for n in ctx.repo.notices()] == [first]
    assert notices.next_number(ctx, PREFIX) == f"{PREFIX}〔2026〕2号"
    assert _issue(ctx) == f"{PREFIX}〔2026〕2号"
    assert _issue(build(tmp_path / "data", CLOCK, actor="王喆")) == f"{PREFIX}〔2026〕3号"


def test_another_devices_notices_imported_leave_this_devices_series_where_it_was(tmp_path):
    world = enrolled(tmp_path, {"a": "U01", "b": "U01"})
    a, b = world.units["a"], world.units["b"]
    block_a, block_b = (authority.state(ctx).own.body.block for ctx in (a, b))
    first_a = _issue(a)
    assert _serial(first_a) == block_a.first
    from_b = [_issue(b) for _ in range(2)]
    assert [_serial(n) for n in from_b] == [block_b.first, block_b.first + 1]
    send(b, world.bureau, tmp_path, "b.fsb")
    send(world.bureau, a, tmp_path, "down.fsb")
    assert {n.number for n in a.repo.notices()} >= {first_a, *from_b}, "b's notices reached a"
    settings_shows = notices.next_number(a, "示卫消整")    # the series a issued in last, not the prefix given
    assert settings_shows == first_a.replace(f"〕{block_a.first}号", f"〕{block_a.first + 1}号")
    assert _issue(a) == settings_shows, "b's numbers, in b's block, never push a's series forward"
    assert _serial(_issue(b)) == block_b.first + 2


def test_a_new_devices_block_lies_above_every_serial_its_prefix_has_used_in_any_year(tmp_path):
    world = enrolled(tmp_path, {"a": "U01"})
    prefix = authority.state(world.units["a"]).own.body.issuer_prefix
    at = dt.datetime(2025, 11, 3, 2, tzinfo=dt.UTC)
    old = Notice(id=uuid.uuid4().hex, unit="U01", created_at=at, updated_at=at, device="tablet-before", rev=1,
                 inspection_id=uuid.uuid4().hex, number=f"{prefix}〔2025〕1500号", recipient="护理部", issued_at=at,
                 hazard_ids=())
    with world.bureau.repo.transaction():   # numbered before enrollment, last year, by a tablet long gone
        world.bureau.repo.save_notice(old)
    late = device(tmp_path / "c", actor="c检查员")
    enroll(world.bureau, late, Role.UNIT, "U01")
    block = authority.state(late).own.body.block
    assert block.first > 1500 and not block.overlaps(authority.state(world.units["a"]).own.body.block)
