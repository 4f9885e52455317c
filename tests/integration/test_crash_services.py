"""SIGKILL in the middle of photo ingest, notice issue and bundle import: nothing acknowledged is
lost, nothing half-done is visible, and `verify` passes after the next open.

Same pattern as test_crash_kill.py: a forked child does real service calls on a real data
directory and acknowledges each finished call down a pipe; the parent kills it at a random
moment, then opens every file with stock TinyDB, reopens the store (which recovers an
interrupted commit) and checks every acknowledged change. Killed mid-import, the store must be
exactly as before or exactly as after a complete import: never in between.

CI runs a few dozen kills per scenario; FIRESWEEP_SLOW=1 runs ten times more
(FIRESWEEP_CRASH_KILLS sets the number outright).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.notice import Signature
from app.media.signature import render_signature
from app.services import notices as notice_service
from app.services import photos as photo_service
from app.services import sync
from app.services.integrity import verify_data
from app.store import child_job
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, state, tablet_bundle, walk
from tests.integration.test_crash_kill import check_files_open_with_stock_tinydb

SLOW = os.environ.get("FIRESWEEP_SLOW") == "1"
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX"),
              *([pytest.mark.slow] if SLOW else [])]   # ten times the kills: picked up by `make test-slow`


def kills(ci: int) -> int:
    return int(os.environ.get("FIRESWEEP_CRASH_KILLS", ci * 10 if SLOW else ci))


CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


def signatures() -> notice_service.Signatures:
    pad = render_signature([[(0.1, 0.5), (0.4, 0.2), (0.7, 0.6), (0.9, 0.4)]])
    return notice_service.Signatures((Signature("王喆", pad),), Signature("李堃", pad))


def _fork_worker(root: Path, work: Callable) -> tuple[int, TextIO]:
    """A forked child running `work(ctx, ack)` on `root`: its pid and the pipe of its lines, read
    up to "ready" (the child has opened the store and begins to work; "" if it died opening it)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:   # child
        os.close(read_fd)
        try:
            out = os.fdopen(write_fd, "w", buffering=1)
            ctx = build(root, CLOCK, actor="王喆")
            out.write(json.dumps(["ready"]) + "\n")
            work(ctx, lambda *item: out.write(json.dumps(item) + "\n"))
            out.write(json.dumps(["done"]) + "\n")
            time.sleep(60)   # wait to be killed: the parent decides when
        finally:
            os._exit(1)
    os.close(write_fd)
    pipe = os.fdopen(read_fd)
    pipe.readline()
    return pid, pipe


def run_and_kill(root: Path, work: Callable, delay: float) -> list[list]:
    """Fork a child running `work(ctx, ack)` on `root`, SIGKILL it `delay` s into its work; its acks.

    The delay starts when the child has opened the store and begins to work, not at the fork:
    on a busy machine opening alone can take longer than the longest delay, and then the child
    would be killed before writing anything, every time.
    """
    pid, pipe = _fork_worker(root, work)
    with pipe:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return [json.loads(line) for line in pipe if line.endswith("\n")]


def time_in_child(root: Path, work: Callable) -> float:
    """Seconds from a forked child's "ready" to its first ack: the time scale its kills are drawn
    on, measured as the killed children run it (their os.sync waits on what the copies before
    them left unwritten, which the parent's own run need not)."""
    pid, pipe = _fork_worker(root, work)
    with pipe:
        started = time.monotonic()
        pipe.readline()
        elapsed = time.monotonic() - started
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return elapsed


def reopen_and_check(root: Path):
    """Stock TinyDB reads every file; reopening recovers; then verify finds nothing wrong."""
    assert check_files_open_with_stock_tinydb(root) > 0
    interrupted = (root / "journal.json").exists() or any(root.rglob("*.fstmp"))
    ctx = build(root, CLOCK)
    problems = verify_data(root).problems
    assert problems == [], problems
    return ctx, interrupted


def test_photo_ingest_survives_random_sigkills(tmp_path):
    root = tmp_path / "data"
    ctx = build(root, CLOCK, actor="王喆")
    _, _, [hazard] = walk(ctx, failures=1, photo=False)
    images = [jpeg(200 + n, 150) for n in range(8)]

    def work(ctx, ack):
        for n in range(10_000):
            photo = photo_service.add_hazard_photo(ctx, hazard.id, images[n % len(images)], f"{n}.jpg")
            ack(photo.id, photo.sha256)

    rng, acked, interrupted = random.Random(9), {}, 0
    for _ in range(kills(20)):
        acked.update((a, b) for a, b in run_and_kill(root, work, rng.uniform(0.005, 0.25)))
        ctx, mid = reopen_and_check(root)
        interrupted += mid
        stored = {p.id: p.sha256 for p in ctx.repo.photos()}
        for photo_id, sha in acked.items():
            assert stored.get(photo_id) == sha, f"acknowledged photo {photo_id} lost"
            assert sha in ctx.repo.get_hazard(hazard.id).photos
            assert ctx.photos.check(sha) is None
    assert len(acked) >= 5, "the writer hardly wrote: the test proved little"
    print(f"photo ingest: {kills(20)} kills, {interrupted} mid-commit, {len(acked)} acknowledged photos intact")


def test_issuing_notices_survives_random_sigkills(tmp_path):
    root = tmp_path / "data"
    ctx = build(root, CLOCK, actor="王喆")
    inspection, _, _ = walk(ctx, failures=2, photo=True)
    started = time.monotonic()
    notice_service.issue_notice(ctx, inspection.id, signatures())
    duration = time.monotonic() - started

    def work(ctx, ack):
        # one notice per recipient: every further one is a correction (a new number each time)
        while True:
            latest = notice_service.notices_of(ctx, inspection.id)[-1]
            notice = notice_service.correct_notice(ctx, latest.id, signatures())
            ack(notice.id, notice.number, notice.pdf_sha256)

    rng, acked, interrupted = random.Random(10), {}, 0
    for _ in range(kills(15)):
        acked.update((a, (b, c)) for a, b, c in run_and_kill(root, work, rng.uniform(0.3, 2.5) * duration + 0.05))
        ctx, mid = reopen_and_check(root)
        interrupted += mid
        stored = {n.id: n for n in ctx.repo.notices()}
        for notice_id, (number, pdf) in acked.items():
            assert notice_id in stored, f"acknowledged notice {number} lost"
            assert (stored[notice_id].number, stored[notice_id].pdf_sha256) == (number, pdf)
        numbers = [n.number for n in stored.values()]
        assert len(numbers) == len(set(numbers)), "a notice number was handed out twice"
    assert acked, "no notice was ever acknowledged: the test proved little"
    print(f"issue notice: {kills(15)} kills, {interrupted} mid-commit, {len(acked)} acknowledged notices intact")


@pytest.fixture(scope="module")
def bundle_world(tmp_path_factory):
    """A receiving store, a bundle of two inspections with photos, and the state after importing it."""
    base = tmp_path_factory.mktemp("crash-import")
    bundle = tablet_bundle(base)
    receiver = device(base / "receiver")
    walk(receiver, unit="U03", failures=1)
    before = state(device(base / "receiver"))
    merged_root = base / "merged"
    shutil.copytree(base / "receiver", merged_root)
    sync.import_bundle(device(merged_root), bundle)
    return base / "receiver", bundle, before, state(device(merged_root))


@pytest.mark.parametrize("copy", ["here", "child"])
def test_a_killed_import_leaves_the_store_unchanged_or_fully_merged(copy, bundle_world, tmp_path, monkeypatch):
    """`copy`: the bundle's files copied by the importing process, or by a child of its own that
    outlives the kill (`app.store.pack_copy`: a real bundle's files are copied there from 10 MB on)."""
    monkeypatch.setattr(child_job, "CHILD_MIN_BYTES", 0 if copy == "child" else 1 << 62)
    source, bundle, before, after = bundle_world
    assert before != after
    rng = random.Random(11)
    outcomes = {"unchanged": 0, "merged": 0, "interrupted": 0}

    def work(ctx, ack):
        sync.import_bundle(ctx, bundle)
        ack("imported")

    def timed(n: int) -> float:
        shutil.copytree(source, tmp_path / f"timed{n}")
        return time_in_child(tmp_path / f"timed{n}", work)

    # the slowest of three: one quick run (a child copy started at once) left few kills after the commit
    duration = max(timed(n) for n in range(3))

    for n in range(kills(20)):
        root = tmp_path / f"r{n}"
        shutil.copytree(source, root)
        acks = run_and_kill(root, work, rng.uniform(0.0, 1.3) * duration)   # from when the child is ready
        ctx, mid = reopen_and_check(root)
        outcomes["interrupted"] += mid
        now = state(ctx)
        if ["imported"] in acks:
            assert now == after, "an acknowledged import is not all there"
        assert now in (before, after), "a killed import left the store half-merged"
        outcomes["unchanged" if now == before else "merged"] += 1
        shutil.rmtree(root)
    print(f"import: {kills(20)} kills, {outcomes}")
    assert outcomes["unchanged"] and outcomes["merged"], "kills never landed on both sides of the commit"
