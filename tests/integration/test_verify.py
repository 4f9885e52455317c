"""`firesweep verify` finds each kind of planted corruption and never changes a byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from app.bootstrap import build
from app.cli import main
from app.domain.clock import FixedClock
from app.domain.model import InspectionKind, Verdict
from app.services import hazards as hazard_service
from app.services import inspections as inspection_service
from app.services.integrity import verify_data

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 2, 0, tzinfo=dt.UTC))


def jpeg_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    root = tmp_path / "data"
    ctx = build(root, CLOCK, actor="王喆")
    inspection = inspection_service.start_inspection(ctx, "U01", InspectionKind.SELF_CHECK, ["王喆"])
    area = inspection_service.add_area(ctx, inspection.id, "basement", "地下一层")
    inspection_service.record_response(ctx, inspection.id, area.id, "bs-01", Verdict.PASS)
    inspection_service.record_response(ctx, inspection.id, area.id, "bs-02", Verdict.FAIL)
    photo = ctx.photos.put(jpeg_bytes(), ".jpg")
    hazard_service.raise_hazard(ctx, inspection.id, area.id, "bs-02", photos=(photo,))
    return root


def fingerprint(root: Path) -> dict[str, str]:
    files = (p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def only(root: Path, pattern: str) -> Path:
    [path] = [p for p in root.glob(pattern) if p.name != "inspections.json"]
    return path


def test_sound_data_passes(data_dir):
    report = verify_data(data_dir)
    assert report.problems == []
    assert report.records["hazard"] == 1 and report.photos_checked == 1


def plant_truncated_file(root):
    path = only(root, "units/U01/hazards/*.json")
    path.write_bytes(path.read_bytes()[:-20])


def plant_dangling_area(root):
    edit_json(only(root, "units/U01/inspections/*.json"), lambda d: d["area"].clear())


def plant_tampered_photo(root):
    [photo] = list((root / "photos").glob("??/*.jpg"))
    photo.write_bytes(jpeg_bytes("blue"))


def plant_missing_photo(root):
    [photo] = list((root / "photos").glob("??/*.jpg"))
    photo.unlink()


def plant_old_schema(root):
    edit_json(root / "units/U01/inspections.json", lambda d: d["_meta"]["1"].update(schema=1))


def plant_broken_lifecycle(root):
    def verified_without_recheck(d):
        for doc in d["hazard"].values():
            doc["status"] = "verified"
    edit_json(only(root, "units/U01/hazards/*.json"), verified_without_recheck)


def plant_duplicate_response(root):
    def duplicate(d):
        first = next(iter(d["response"].values()))
        d["response"]["99"] = {**first, "id": "f" * 32}
    edit_json(only(root, "units/U01/inspections/*.json"), duplicate)


def plant_interrupted_commit(root):
    (root / "units/U01/inspections.json.123.abcd.fstmp").write_bytes(b"{")


def plant_missing_audit(root):
    edit_json(only(root, "units/U01/hazards/*.json"), lambda d: d["audit"].clear())


def plant_undecodable_record(root):
    def bad_date(d):
        for doc in d["hazard"].values():
            doc["deadline"] = "next tuesday"
    edit_json(only(root, "units/U01/hazards/*.json"), bad_date)


@pytest.mark.parametrize(
    ("plant", "kind"),
    [
        (plant_truncated_file, "unreadable"),
        (plant_dangling_area, "dangling_reference"),
        (plant_tampered_photo, "photo_hash_mismatch"),
        (plant_missing_photo, "photo_missing"),
        (plant_old_schema, "schema"),
        (plant_broken_lifecycle, "invariant"),
        (plant_duplicate_response, "duplicate_response"),
        (plant_interrupted_commit, "interrupted_commit"),
        (plant_missing_audit, "unaudited"),
        (plant_undecodable_record, "undecodable"),
    ],
)
def test_verify_finds_planted_corruption_and_changes_nothing(data_dir, plant, kind, capsys):
    plant(data_dir)
    before = fingerprint(data_dir)
    assert main(["verify", "--data", str(data_dir), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert kind in {p["kind"] for p in report["problems"]}
    assert fingerprint(data_dir) == before


def test_verify_speaks_the_users_language(data_dir, capsys):
    plant_missing_photo(data_dir)
    assert main(["verify", "--data", str(data_dir)]) == 1
    assert "照片文件缺失" in capsys.readouterr().out
    assert main(["--lang", "en", "verify", "--data", str(data_dir)]) == 1
    assert "photo file missing" in capsys.readouterr().out
