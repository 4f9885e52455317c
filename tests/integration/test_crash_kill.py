"""SIGKILL a writer at random moments: nothing acknowledged is lost, every file stays readable.

The writer is a forked child doing real service calls on a real data directory. After each
call returns it reports the record's id and logical clock down a pipe: that is the
acknowledgement a user would see as "saved". The parent kills it at a random moment, then
checks every file with stock TinyDB and every acknowledged write in a freshly opened store.
Some writes span two files (a response and a hazard in one transaction), so kills also land
inside the journaled multi-file commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import time

import pytest
from tinydb import TinyDB

from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.services import catalog as catalog_service
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services.context import Context
from app.store.tinystore import TinyRepository

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fork and SIGKILL are POSIX")

KILLS = int(os.environ.get("FIRESWEEP_KILLS", "200"))
CLOCK = FixedClock(dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC))


def context(root, catalog) -> Context:
    return Context(repo=TinyRepository.open(root), catalog=catalog, clock=CLOCK, actor="王喆")


def writer(root, catalog, inspection_id, area_ids, items, fd, seed) -> None:
    """Runs in the child until killed: write, then acknowledge."""
    rng = random.Random(seed)
    ctx = context(root, catalog)
    out = os.fdopen(fd, "w", buffering=1)
    out.write(json.dumps(["ready"]) + "\n")   # the parent's delay starts now, not at the fork
    while True:
        area_id = rng.choice(area_ids)
        item_id = rng.choice(items)
        verdict = rng.choice([Verdict.PASS, Verdict.FAIL, Verdict.NOT_APPLICABLE])
        if rng.random() < 0.25:
            with ctx.repo.transaction():  # two files: the inspection's and the hazard month's
                response = inspection_service.record_response(ctx, inspection_id, area_id, item_id, Verdict.FAIL)
                hazard = hazard_service.raise_hazard(ctx, inspection_id, area_id, item_id, photos=("ab" * 32,))
            out.write(json.dumps(["response", response.id, response.rev]) + "\n")
            out.write(json.dumps(["hazard", hazard.id, hazard.rev]) + "\n")
        else:
            response = inspection_service.record_response(ctx, inspection_id, area_id, item_id, verdict)
            out.write(json.dumps(["response", response.id, response.rev]) + "\n")


def check_files_open_with_stock_tinydb(root) -> int:
    count = 0
    for path in root.rglob("*.json"):
        if path.name == "journal.json":  # the commit journal, not a TinyDB file: recovery reads it
            continue
        with TinyDB(path, access_mode="r") as db:
            for name in db.tables():
                db.table(name).all()
        count += 1
    return count


def test_acknowledged_writes_survive_random_sigkills(tmp_path):
    root = tmp_path / "data"
    catalog = catalog_service.load()
    ctx = context(root, catalog)
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area_ids = [inspection_service.add_area(ctx, inspection.id, "basement", f"地下{n}层").id for n in (1, 2)]
    items = [item.id for item in catalog.checklist("basement").items]
    del ctx

    rng = random.Random(2026)
    acknowledged: dict[str, tuple[str, int]] = {}
    interrupted = 0  # kills that landed mid-commit (temporary files or a journal left behind)
    acks_total = 0
    for kill in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            try:
                writer(root, catalog, inspection.id, area_ids, items, write_fd, seed=kill)
            finally:
                os._exit(1)
        os.close(write_fd)
        with os.fdopen(read_fd) as acks:
            acks.readline()   # "ready" (or "" if the child died opening the store): on a busy machine
            time.sleep(rng.uniform(0.002, 0.06))   # opening alone outlasted the delay, and nothing was written
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            for line in acks:
                if line.endswith("\n"):  # a half-written ack line was never an acknowledgement
                    acks_total += 1
                    kind, record_id, rev = json.loads(line)
                    acknowledged[record_id] = (kind, max(rev, acknowledged.get(record_id, (kind, 0))[1]))

        assert check_files_open_with_stock_tinydb(root) > 0
        interrupted += (root / "journal.json").exists() or any(root.rglob("*.fstmp"))
        reopened = TinyRepository.open(root)
        for record_id, (kind, rev) in acknowledged.items():
            stored = (
                reopened.get_hazard(record_id) if kind == "hazard"
                else next((r for r in reopened.responses(inspection.id) if r.id == record_id), None)
            )
            assert stored is not None, f"kill {kill}: acknowledged {kind} {record_id} lost"
            assert stored.rev >= rev, f"kill {kill}: {kind} {record_id} went back from rev {rev} to {stored.rev}"

    assert acks_total > KILLS // 2, "the writer hardly wrote: the test proved little"
    print(f"{KILLS} kills, {interrupted} mid-commit, {acks_total} acknowledged writes, "
          f"{len(acknowledged)} records checked")
    assert not list(root.rglob("*.fstmp")) and not (root / "journal.json").exists()
