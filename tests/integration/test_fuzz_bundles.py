"""Fuzz the bundle importer with mutated valid bundles: flipped bytes, truncation, reordered,
renamed, dropped and duplicated zip entries, edited manifest fields, and edited records
re-signed with the sender's real key (a stolen or buggy tablet: the signature holds, the
content is hostile). Sealed (encrypted) bundles get the byte-level treatment too.

Nothing escapes but our own `AppError`; a refused bundle leaves the store byte-identical; an
accepted one leaves a store that stock TinyDB reads and `verify` can check.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import shutil
import zipfile
from pathlib import Path

import pytest
from tinydb import TinyDB

from app.domain.errors import AppError
from app.i18n import describe_error
from app.services import sync
from app.services.context import Context
from app.services.integrity import verify_data
from app.store.blobs import BlobStore
from app.store.bundle_file import canonical
from app.store.tinystore import TinyRepository
from tests.integration.fuzz_mutators import SLOW_MARK, budget, mutate_bytes, weird_value
from tests.integration.sync_world import START, device, fingerprint, walk

# (zip entries are duplicated on purpose)
pytestmark = [*SLOW_MARK, pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")]
CASES: dict[str, int] = {}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz-bundles")
    tablet = device(base / "tablet", actor="李秀兰")
    walk(tablet, unit="U01", failures=2)
    receiver = device(base / "receiver")
    walk(receiver, unit="U03", photo=False, failures=1)
    hello = base / "hello.fsb"   # the receiver's keys, so the tablet can seal bundles for it
    sync.export_bundle(receiver, hello, full=True)
    sync.import_bundle(tablet, hello)
    plain, sealed = base / "plain.fsb", base / "sealed.fsb"
    sync.export_bundle(tablet, plain, full=True)
    sync.export_bundle(tablet, sealed, full=True, encrypt_to=receiver.repo.device_id)
    return base / "receiver", receiver.catalog, plain.read_bytes(), sealed.read_bytes(), sync.device_key(tablet)


class Receiver:
    """The receiving store, restored from its pristine copy after any accepted bundle."""

    def __init__(self, pristine: Path, work: Path, catalog):
        self.pristine, self.root, self.catalog = pristine, work, catalog
        self.restore()

    def restore(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.copytree(self.pristine, self.root)
        repo = TinyRepository.open(self.root)
        self.ctx = Context(repo=repo, catalog=self.catalog, clock=_clock(), photos=BlobStore(self.root / "photos"),
                           pdfs=BlobStore(self.root / "pdfs"), actor="王喆")
        self.before = fingerprint(self.root)


def _clock():
    from app.domain.clock import FixedClock

    return FixedClock(START)


def entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rezip(items: list[tuple[zipfile.ZipInfo | str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for info, data in items:
            archive.writestr(info if isinstance(info, str) else info.filename, data)
    return buffer.getvalue()


NAMES = ["records/hazard.jsonl", "records/audit.jsonl", "records/x.jsonl", "files/photos/" + "0" * 64 + ".jpg",
         "files/pdfs/abc.pdf", "../escape", "manifest.json", "records/", "a/b/../../c", "records/hazard.jsonl ",
         "RECORDS/HAZARD.JSONL", "files/photos/" + "g" * 64 + ".jpg", "\u202emanifest.json"]


def zip_mutation(data: bytes, rng: random.Random) -> bytes:
    items = [(info.filename, body) for info, body in entries(data)]
    op = rng.randrange(5)
    if op == 0:
        rng.shuffle(items)
    elif op == 1:
        at = rng.randrange(len(items))
        items[at] = (rng.choice(NAMES + [n for n, _ in items]), items[at][1])
    elif op == 2:
        del items[rng.randrange(len(items))]
    elif op == 3:
        items.append(rng.choice(items))
    else:
        at = rng.randrange(len(items))
        items[at] = (items[at][0], mutate_bytes(items[at][1], rng))
    return rezip(items, rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))


def manifest_mutation(data: bytes, rng: random.Random, key, resign: bool) -> bytes:
    items = {info.filename: body for info, body in entries(data)}
    manifest = json.loads(items["manifest.json"])
    field = rng.choice([*manifest, "extra", "box_key", "sealed"])
    op = rng.randrange(4)
    if op == 0:
        manifest.pop(field, None)
    elif op == 1 and isinstance(manifest.get(field), dict) and manifest[field]:
        inner = rng.choice(list(manifest[field]))
        manifest[field][inner] = weird_value(rng)
    else:
        manifest[field] = weird_value(rng)
    if resign:
        manifest["public_key"] = key.public_b64
        with contextlib.suppress(UnicodeEncodeError):   # a lone surrogate cannot be signed: stale signature
            manifest["signature"] = key.sign(canonical(manifest))
    items["manifest.json"] = json.dumps(manifest).encode()
    return rezip(list(items.items()))


def record_mutation(data: bytes, rng: random.Random, key) -> bytes:
    """Change one field of one record (or add a hostile line), then re-sign like the sender would."""
    items = {info.filename: body for info, body in entries(data)}
    kinds = [n for n in items if n.startswith("records/") and items[n].strip()]
    name = rng.choice(kinds)
    lines = items[name].decode("utf-8").splitlines()
    at = rng.randrange(len(lines))
    doc = json.loads(lines[at])
    op = rng.randrange(6)
    if op == 0:
        doc.pop(rng.choice(list(doc)))
    elif op == 1:
        lines.append(json.dumps(weird_value(rng)))
    elif op == 2:
        lines.append(mutate_bytes(lines[at].encode(), rng).decode("utf-8", "replace"))
    else:
        field = rng.choice(list(doc))
        if isinstance(doc[field], dict) and doc[field] and rng.random() < 0.5:
            doc[field][rng.choice(list(doc[field]))] = weird_value(rng)
        elif isinstance(doc[field], list) and doc[field] and rng.random() < 0.5:
            doc[field][rng.randrange(len(doc[field]))] = weird_value(rng)
        else:
            doc[field] = weird_value(rng)
    if op != 1 and op != 2:
        lines[at] = json.dumps(doc)   # ASCII escapes: a lone surrogate arrives as an attacker would send it
    body = ("\n".join(lines) + "\n").encode("utf-8")
    items[name] = body
    manifest = json.loads(items["manifest.json"])
    manifest["files"][name] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    manifest["signature"] = key.sign(canonical(manifest))
    items["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    return rezip(list(items.items()))


def check_stock_tinydb(root: Path) -> None:
    for path in root.rglob("*.json"):
        if path.name != "journal.json":
            with TinyDB(path, access_mode="r") as db:
                for table in db.tables():
                    db.table(table).all()


def test_mutated_bundles_are_refused_cleanly_or_imported_soundly(world, tmp_path):
    pristine, catalog, plain, sealed, key = world
    receiver = Receiver(pristine, tmp_path / "store", catalog)
    rng = random.Random(4242)
    mutators = {
        "bytes": lambda: mutate_bytes(plain, rng),
        "truncate": lambda: plain[: rng.randrange(len(plain))],
        "zip entries": lambda: zip_mutation(plain, rng),
        "manifest (unsigned)": lambda: manifest_mutation(plain, rng, key, resign=False),
        "manifest (re-signed)": lambda: manifest_mutation(plain, rng, key, resign=True),
        "records (re-signed)": lambda: record_mutation(plain, rng, key),
        "sealed bytes": lambda: mutate_bytes(sealed, rng),
        "sealed manifest (re-signed)": lambda: manifest_mutation(sealed, rng, key, resign=True),
    }
    cases = budget(500)
    per_mutator = {name: {"refused": 0, "imported": 0} for name in mutators}
    reasons: dict[str, int] = {}
    path = tmp_path / "fuzz.fsb"
    for case in range(cases):
        name = rng.choice(list(mutators))
        path.write_bytes(mutators[name]())
        try:
            sync.import_bundle(receiver.ctx, path)
        except AppError as error:
            assert describe_error(error, "zh-CN") and describe_error(error, "en")
            reason = getattr(error, "reason", type(error).__name__)
            reasons[reason] = reasons.get(reason, 0) + 1
            per_mutator[name]["refused"] += 1
            assert fingerprint(receiver.root) == receiver.before, f"case {case} ({name}): refused, store changed"
            continue
        per_mutator[name]["imported"] += 1
        check_stock_tinydb(receiver.root)
        verify_data(receiver.root)   # it must be able to look at whatever was accepted
        for peer in sync.list_devices(receiver.ctx):   # and what was accepted must not break the next export
            sync.export_bundle(receiver.ctx, tmp_path / "back.fsb", to=peer["id"])
        receiver.restore()
    CASES["bundle importer"] = cases
    print(f"bundle importer: {cases} mutated bundles; {per_mutator}; reasons {dict(sorted(reasons.items()))}")
    assert sum(m["refused"] for m in per_mutator.values()) > cases // 2
