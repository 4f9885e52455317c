"""A full disk, simulated at every write: the service says so, nothing half-written, nothing lost.

A fault-injecting file layer replaces `app.store.atomic._write_chunk` (every byte the store
writes goes through it): at the Nth write it writes half the chunk, then raises ENOSPC, as a
real full disk does. For each operation the test sweeps N = 1, 2, … until the operation no longer
reaches the fault. After every fault: the service raised `StorageFull` (with a message in both
languages), every TinyDB file is byte-identical to before, no temporary file is left, `verify`
is clean, and the same operation succeeds once space is back.

A second test does it for real: a 2 MB tmpfs in a private mount namespace (skipped where
`unshare`/`mount` are not allowed).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.errors import StorageFull
from app.domain.model import Verdict
from app.domain.notice import Signature
from app.i18n import describe_error
from app.media.signature import render_signature
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services import photos as photo_service
from app.services import sync
from app.services.integrity import verify_data
from app.store import atomic
from tests.integration.photo_fixtures import jpeg
from tests.integration.sync_world import device, walk

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))
FAULTS: dict[str, int] = {}   # operation → faults injected (reported in docs/reliability.md)


class FullDisk:
    """Fails the `at`-th write (1-based) after writing half of it; counts writes."""

    def __init__(self, at: int):
        self.at, self.count, self.fired = at, 0, False

    def __call__(self, fh, data: bytes) -> None:
        self.count += 1
        if self.count == self.at:
            fh.write(bytes(data)[: len(data) // 2])
            self.fired = True
            raise OSError(errno.ENOSPC, "No space left on device")
        fh.write(data)


def records_fingerprint(root: Path) -> dict[str, str]:
    """Every TinyDB file's hash. Photo and PDF files are content-addressed and complete or absent,
    so a finished blob left by a failed operation is an unused file, never a wrong one."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*.json")}


def signatures() -> notice_service.Signatures:
    pad = render_signature([[(0.1, 0.5), (0.4, 0.2), (0.7, 0.6), (0.9, 0.4)]])
    return notice_service.Signatures((Signature("王喆", pad),), Signature("李堃", pad))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """A store with an inspection, a hazard (with a photo) and a bundle from another tablet."""
    root = tmp_path_factory.mktemp("full") / "data"
    ctx = build(root, CLOCK, actor="王喆")
    inspection, area, hazards = walk(ctx, failures=1)
    other = device(tmp_path_factory.mktemp("other") / "data", actor="李秀兰")
    walk(other, unit="U02", failures=2)
    bundle = root.parent / "other.fsb"
    sync.export_bundle(other, bundle, full=True)
    hello = root.parent / "hello.fsb"   # the other tablet learns our encryption key…
    sync.export_bundle(ctx, hello, full=True)
    sync.import_bundle(other, hello)
    sync.export_bundle(other, root.parent / "sealed.fsb", full=True, encrypt_to=ctx.repo.device_id)   # …and seals
    ids = {"inspection": inspection.id, "area": area.id, "hazard": hazards[0].id}
    return root, ids, bundle


def operations(ids: dict[str, str], bundle: Path):
    return {
        "record_response": lambda ctx: inspection_service.record_response(
            ctx, ids["inspection"], ids["area"], "bs-03", Verdict.FAIL, note="满了"),
        "raise_hazard": lambda ctx: hazard_service.raise_hazard(ctx, ids["inspection"], ids["area"], "bs-02"),
        "add_hazard_photo": lambda ctx: photo_service.add_hazard_photo(ctx, ids["hazard"], jpeg(320, 240), "x.jpg"),
        "issue_notice": lambda ctx: notice_service.issue_notice(ctx, ids["inspection"], signatures()),
        "import_bundle": lambda ctx: sync.import_bundle(ctx, bundle),
        "import_sealed_bundle": lambda ctx: sync.import_bundle(ctx, bundle.parent / "sealed.fsb"),
    }


@pytest.mark.parametrize("operation", ["record_response", "raise_hazard", "add_hazard_photo", "issue_notice",
                                       "import_bundle", "import_sealed_bundle"])
def test_a_full_disk_at_any_write_is_reported_and_loses_nothing(operation, base, tmp_path, monkeypatch):
    source, ids, bundle = base
    run = operations(ids, bundle)[operation]
    faults = 0
    for at in range(1, 200):
        root = tmp_path / f"n{at}"
        shutil.copytree(source, root)
        ctx = build(root, CLOCK, actor="王喆")
        before = records_fingerprint(root)
        fault = FullDisk(at)
        monkeypatch.setattr(atomic, "_write_chunk", fault)
        try:
            run(ctx)
        except StorageFull as error:
            assert fault.fired, "StorageFull without a full disk"
            assert "存储空间不足" in describe_error(error, "zh-CN")
            assert "Not enough storage space" in describe_error(error, "en")
            faults += 1
        else:
            assert not fault.fired, f"write {at} failed but {operation} reported success"
            monkeypatch.undo()
            break
        finally:
            monkeypatch.undo()
        assert records_fingerprint(root) == before, f"{operation}: write {at} failed and a record file changed"
        assert not list(root.rglob(f"*{atomic.TMP_SUFFIX}")), f"{operation}: a temporary file was left"
        assert verify_data(root).problems == []
        # space is back: the same operation now succeeds, on the same open context
        run(ctx)
        assert verify_data(root).problems == []
        shutil.rmtree(root)
    else:
        pytest.fail(f"{operation} never finished")
    assert faults >= 1, f"{operation} wrote nothing: the sweep proved nothing"
    FAULTS[operation] = faults
    print(f"{operation}: {faults} full-disk faults injected, each refused cleanly")


def test_a_failed_write_lets_no_other_process_reuse_its_clock_values(base, tmp_path, monkeypatch):
    """A write that needed a new block of logical-clock values failed on a full disk: the block's
    reservation was lost with it, so the next write must reserve again, durably."""
    source, ids, _ = base
    root = tmp_path / "data"
    shutil.copytree(source, root)
    ctx = build(root, CLOCK, actor="王喆")
    ctx.repo._rev = ctx.repo._reserved - 1   # (white box) the next write crosses the stored reservation
    monkeypatch.setattr(atomic, "_write_chunk", FullDisk(1))
    with pytest.raises(StorageFull):
        inspection_service.record_response(ctx, ids["inspection"], ids["area"], "bs-03", Verdict.FAIL, note="1")
    monkeypatch.undo()
    mine = inspection_service.record_response(ctx, ids["inspection"], ids["area"], "bs-03", Verdict.FAIL, note="2")
    other = build(root, CLOCK, actor="李秀兰")   # another process opens the store now
    theirs = inspection_service.record_response(other, ids["inspection"], ids["area"], "bs-04", Verdict.FAIL)
    assert theirs.rev > mine.rev, "two processes of one device issued the same logical clock value"


TMPFS_SCRIPT = textwrap.dedent("""
    import datetime as dt, os, sys
    from pathlib import Path
    from app.bootstrap import build
    from app.domain.clock import FixedClock
    from app.domain.errors import StorageFull
    from app.domain.model import InspectionKind, Verdict
    from app.services import inspections as svc
    from app.services.integrity import verify_data

    mount = Path(sys.argv[1])
    root = mount / "data"
    ctx = build(root, FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC)), actor="王喆")
    inspection = svc.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = svc.add_area(ctx, inspection.id, "basement", "地下一层")
    filler = mount / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)   # fill the disk, then leave a little room
    try:
        while True:
            os.write(fd, bytes(4096))
    except OSError:
        pass
    os.close(fd)
    os.truncate(filler, filler.stat().st_size - 96 * 1024)
    saved, refused = {}, 0
    items = [i.id for i in ctx.catalog.checklist("basement").items]
    for n in range(5000):
        note = "满" * 200 + str(n)
        try:
            svc.record_response(ctx, inspection.id, area.id, items[n % len(items)], Verdict.FAIL, note=note)
            saved[items[n % len(items)]] = note
        except StorageFull:
            refused += 1
            if refused >= 3:
                break
    assert refused >= 3, "the disk never filled"
    fresh = build(root, FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC)))
    stored = {r.item_id: r.note for r in fresh.repo.responses(inspection.id)}
    assert stored == saved, "an acknowledged write was lost or a refused one kept"
    assert not verify_data(root).problems, verify_data(root).problems
    filler.unlink()                        # space is back
    svc.record_response(ctx, inspection.id, area.id, items[0], Verdict.PASS, note="ok")
    assert not verify_data(root).problems
    print(f"saved {len(saved)} distinct answers, refused {refused} writes on a full tmpfs")
""")


def test_a_real_full_tmpfs_refuses_cleanly(tmp_path):
    unshare = shutil.which("unshare")
    if sys.platform != "linux" or unshare is None:
        pytest.skip("needs Linux unshare to mount a private tmpfs")
    mount = tmp_path / "small"
    mount.mkdir()
    probe = subprocess.run([unshare, "-rm", "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs {mount}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode()[:120]}")
    script = tmp_path / "fill.py"
    script.write_text(TMPFS_SCRIPT, "utf-8")
    run = subprocess.run(
        [unshare, "-rm", "sh", "-c", 'mount -t tmpfs -o size=2m tmpfs "$1" && exec "$2" "$3" "$1"', "sh",
         str(mount), sys.executable, str(script)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2],
    )
    assert run.returncode == 0, run.stdout + run.stderr
    print(run.stdout.strip())
