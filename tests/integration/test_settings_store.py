"""Device settings in a real data directory: they outlive the process, stay on this device, and feed
the notice numbers."""

from __future__ import annotations

import datetime as dt
import zipfile

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.services import notices, settings
from app.services.integrity import verify_data
from app.services.sync import export_bundle
from tests.integration.test_notices import signatures
from tests.unit.factories import make_hazard

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


def test_wrong_pin_wait_survives_reopening_the_data_directory(tmp_path):
    ctx = build(tmp_path / "data", FixedClock(CLOCK.current))
    settings.set_pin(ctx, "80317264")
    for _ in range(5):
        settings.check_pin(ctx, "99999999")
    again = build(tmp_path / "data", FixedClock(CLOCK.current + dt.timedelta(seconds=10)))   # a restart
    result = settings.check_pin(again, "80317264")
    assert (result.ok, result.wait_seconds) == (False, 20)
    assert settings.get_settings(again).pin_set
    stored = again.repo.get_settings("device")["pin"]
    on_disk = (tmp_path / "data" / "store.json").read_text("utf-8")
    assert stored["hash"] in on_disk
    assert "80317264" not in on_disk.replace(stored["hash"], "").replace(stored["salt"], "")


def test_two_tablets_number_notices_with_their_own_prefixes(tmp_path):
    numbers = []
    for device, prefix in (("a", "示卫消整-A"), ("b", "示卫消整-B")):
        ctx = build(tmp_path / device, CLOCK, actor="王喆")
        settings.set_notice_prefix(ctx, prefix)
        hazard = make_hazard(ctx)
        numbers.append(notices.issue_notice(ctx, hazard.inspection_id, signatures("王喆")).number)
    assert numbers == ["示卫消整-A〔2026〕1号", "示卫消整-B〔2026〕1号"]


def test_settings_stay_out_of_bundles_and_verify_stays_clean(tmp_path):
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    settings.set_pin(ctx, "1234")
    settings.set_inspector(ctx, "王喆")
    make_hazard(ctx)
    assert verify_data(tmp_path / "data").problems == []
    export_bundle(ctx, tmp_path / "out.zip", full=True)
    with zipfile.ZipFile(tmp_path / "out.zip") as bundle:
        text = b"".join(bundle.read(n) for n in bundle.namelist() if n.endswith((".json", ".jsonl")))
    assert b"scrypt" not in text and b'"settings"' not in text and b"hazard" in text
