"""A unit-month bundle: export, import into an empty store, re-import — each against a naive way."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from tinydb import TinyDB

from app.bootstrap import build
from app.domain.clock import local_date
from app.services import sync
from app.services.context import Context
from app.services.sync import _all_records
from app.store.codec import to_doc
from app.store.revindex import INDEX_FILE

from .common import Row, measure, summary
from .workloads import workload

MONTH = (2026, 10)


def _month_start_vector(ctx: Context) -> dict[str, int]:
    """What a peer would have acknowledged just before the month's first change, per device.

    Taken from the month's lowest clock, not from the highest clock before the month: the demo
    writes a few records late with earlier dates (a plan followed through), and one of those
    would make the "month" three records long.
    """
    start = dt.date(*MONTH, 1)
    vector: dict[str, int] = {}
    for records in _all_records(ctx).values():
        for r in records:
            if local_date(r.updated_at) >= start:
                vector[r.device] = min(vector.get(r.device, r.rev), r.rev - 1)
    return vector


def naive_export(ctx: Context, out: Path, known: dict[str, int]) -> None:
    """Decode every record and event, keep the new ones, re-encode them with json: the obvious way."""
    records = _all_records(ctx)
    audit = list(ctx.repo.audit())
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind, items in [*records.items(), ("audit", audit)]:
            fresh = [to_doc(r) for r in items if r.rev > known.get(r.device, -1)]
            archive.writestr(f"records/{kind}.jsonl",
                             "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in fresh))
            for r in (r for r in items if kind == "photo" and r.rev > known.get(r.device, -1)):
                archive.writestr(f"files/{r.sha256}.jpg", ctx.photos.read(r.sha256), compress_type=zipfile.ZIP_STORED)


def naive_import(bundle: Path, folder: Path) -> None:
    """Stock TinyDB, one JSON file, every record inserted (one write per kind), nothing checked."""
    with zipfile.ZipFile(bundle) as archive, TinyDB(folder / f"{uuid.uuid4().hex}.json") as db:
        for name in archive.namelist():
            if name.startswith("records/"):
                docs = [json.loads(line) for line in archive.read(name).splitlines() if line.strip()]
                db.table(name[8:-6]).insert_multiple(docs)
            elif name.startswith("files/"):
                (folder / Path(name).name).write_bytes(archive.read(name))


def _imports_into_copies(empty: Context, bundle: Path, folder: Path, runs: int = 3) -> tuple[float, float]:
    """(median, p95) ms of importing `bundle` into fresh copies of the empty store it is addressed to.

    Each run starts with the disk flushed (os.sync), so that it is not charged for writes earlier
    steps left in the page cache: its own commit syncs the disk, and would wait for theirs too.
    """
    times = []
    for n in range(runs):
        copy = folder / str(n)
        shutil.copytree(empty.repo.root, copy, ignore=shutil.ignore_patterns(".lock"))
        ctx = build(copy)
        os.sync()
        start = time.perf_counter()
        sync.import_bundle(ctx, bundle)
        times.append((time.perf_counter() - start) * 1000)
    return summary(times)


def run() -> list[Row]:
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="firesweep-sync-"))
    try:
        unit_year = build(workload("unit-year"))
        target = build(tmp / "empty")   # the peer: it has acknowledged everything before the month
        known = _month_start_vector(unit_year)
        with unit_year.repo.transaction():
            unit_year.repo.save_peer({"id": target.repo.device_id, "vector": known})
        bundle = tmp / "month.fsb"
        exported = sync.export_bundle(unit_year, bundle, to=target.repo.device_id)   # also the warm-up
        records = sum(exported.counts.values())
        export = summary(measure(lambda: sync.export_bundle(unit_year, bundle, to=target.repo.device_id), 3, 0))
        with zipfile.ZipFile(bundle) as archive:
            infos = archive.infolist()
        photo_mb = sum(i.file_size for i in infos if i.filename.startswith("files/")) / 1e6
        base = summary(measure(lambda: naive_export(unit_year, tmp / "naive.zip", known), 1, warmup=0))
        seconds = export[0] / 1000
        rows.append(Row(f"export a unit-month bundle ({records:,} records, {photo_mb:.0f} MB of files): "
                        f"{records / seconds:,.0f} rec/s, {photo_mb / seconds:,.0f} MB/s", *export,
                        "decode all, json", base[0], "≥ 20,000 rec/s, ≥ 50 MB/s"))
        (unit_year.repo.root / INDEX_FILE).unlink()
        cold = summary(measure(lambda: sync.export_bundle(unit_year, bundle, to=target.repo.device_id), 1, 0))
        rows.append(Row("the same export with no rev index (the device's first export)", *cold,
                        "decode all, json", base[0]))
        records_only, lean_target = tmp / "month-records.fsb", build(tmp / "empty-records")
        with unit_year.repo.transaction():
            unit_year.repo.save_peer({"id": lean_target.repo.device_id, "vector": known})
        lean = summary(measure(lambda: sync.export_bundle(unit_year, records_only, to=lean_target.repo.device_id,
                                                          photos=False), 3))
        rows.append(Row(f"export the month's records only (--no-photos): {records / lean[0] * 1000:,.0f} rec/s",
                        *lean, target="≥ 20,000 rec/s"))

        imports = _imports_into_copies(target, bundle, tmp / "copies")
        base = summary(measure(lambda: naive_import(bundle, tmp), 3))
        seconds = imports[0] / 1000
        rows.append(Row(f"import it into an empty store: {records / seconds:,.0f} rec/s, "
                        f"{photo_mb / seconds:,.0f} MB/s", *imports,
                        "stock TinyDB insert_multiple", base[0], "≥ 20,000 rec/s, ≥ 50 MB/s"))
        lean_imports = _imports_into_copies(lean_target, records_only, tmp / "lean-copies")
        rows.append(Row(f"import the records-only bundle into an empty store: "
                        f"{records / lean_imports[0] * 1000:,.0f} rec/s", *lean_imports, target="≥ 20,000 rec/s"))
        sync.import_bundle(target, bundle)
        again = summary(measure(lambda: sync.import_bundle(target, bundle), 3, warmup=0))
        rows.append(Row("re-import the same bundle (nothing new)", *again, target="≤ 1000 ms"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows
