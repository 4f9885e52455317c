"""The Reports and Sync screens on a real Flet page in-process: real reports, real bundles, real stores.

Only the browser's side of the file picker is played here: the chosen files arrive as the
client would report them (`result` event on the picker), and a save call hands its bytes to
the test instead of a download. Everything the app makes or reads is the real thing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import flet as ft
import openpyxl
import pytest

from app.bootstrap import build
from app.domain.errors import BundleRejected, NotFound
from app.i18n import describe_error
from app.services import sync
from app.ui.uploads import UPLOAD_DIR_ENV
from tests.integration.pdf_tools import pdf_text, qpdf_check, squash
from tests.integration.sync_world import device, fingerprint, walk
from tests.ui.inprocess import _walk, click, find, open_page, run, settle, until


@pytest.fixture
def unit_data(tmp_path, monkeypatch) -> Path:
    """A unit's device with one self-check: two hazards with photos (July 2026)."""
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    monkeypatch.delenv(UPLOAD_DIR_ENV, raising=False)
    root = tmp_path / "unit"
    walk(device(root))
    return root


async def open_on(monkeypatch, data: Path, route: str, width: int = 800):
    monkeypatch.setenv("FIRESWEEP_DATA", str(data))
    return await open_page(route, width=width)


async def pick(page: ft.Page, client, files: list[dict]) -> None:
    """The client reporting files chosen with the import button, as its `result` event."""
    picker = find(page, "import-bundles").action.file_picker
    if picker not in page._services._services:
        # made before this in-memory session had a page to register with (a real session has one)
        page._services.register_service(picker)
    await page.session.dispatch_event(picker._i, "result", {"files": files})
    await settle(client)


async def choose(page: ft.Page, client, paths: list[Path]) -> None:
    """Files chosen in the desktop window: the client reports their paths."""
    await pick(page, client, [{"id": n, "name": p.name, "size": p.stat().st_size, "path": str(p)}
                              for n, p in enumerate(paths)])


def hook_of(page: ft.Page, identifier: str) -> ft.Semantics:
    """The Semantics hook itself (`find` gives what it wraps)."""
    hooks = (c for view in page.views for c in _walk(view) if isinstance(c, ft.Semantics))
    return next(h for h in hooks if h.identifier == identifier)


def label(page: ft.Page, identifier: str) -> str:
    """What a hook says to assistive tech (and to the browser tests)."""
    return hook_of(page, identifier).label


def banner(page: ft.Page, error: bool = True) -> str:
    return find(page, "error-banner" if error else "message-banner").content.controls[0].value


def test_every_report_is_generated_as_a_real_document(unit_data, monkeypatch, saved):
    ctx = build(unit_data)
    hazards = len(ctx.repo.hazards())
    unit_name = ctx.catalog.units.get("U01").name_zh

    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/reports")
        find(page, "monthly-unit").value = "U01"
        find(page, "monthly-month").value = "2026-07"
        find(page, "ledger-unit").value = "U01"
        for ident, fmt in (("generate-monthly", None), ("generate-summary", None), ("generate-circular", None),
                           ("generate-ledger", "pdf"), ("generate-ledger", "xlsx"), ("generate-ledger", "csv")):
            if fmt:
                find(page, "ledger-format").selected = [fmt]
            before = len(saved)
            await click(page, client, ident)
            await until(client, lambda b=before: len(saved) > b)
            assert "已生成" in banner(page, error=False)

    run(body)
    monthly = saved["monthly-U01-2026-07.pdf"]
    qpdf_check(monthly)
    text = squash(pdf_text(monthly))
    assert unit_name in text and "2026年7月" in text
    summary = squash(pdf_text(next(v for k, v in saved.items() if k.startswith("summary-"))))
    assert "总结" in summary and unit_name in summary
    assert "通报" in squash(pdf_text(next(v for k, v in saved.items() if k.startswith("circular-"))))
    ledger_pdf = next(v for k, v in saved.items() if k.startswith("ledger-U01-") and k.endswith(".pdf"))
    assert f"共{hazards}条" in squash(pdf_text(ledger_pdf))
    sheet = openpyxl.load_workbook(io.BytesIO(next(v for k, v in saved.items() if k.endswith(".xlsx")))).active
    assert sheet.max_row == hazards + 1 and sheet["C2"].value == unit_name
    rows = list(csv.reader(io.StringIO(next(v for k, v in saved.items() if k.endswith(".csv")).decode("utf-8-sig"))))
    assert len(rows) == hazards + 1 and rows[1][2] == unit_name


def test_an_exported_bundle_imports_into_a_second_data_directory(unit_data, tmp_path, monkeypatch, saved):
    bureau = tmp_path / "bureau"
    build(bureau)

    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/sync")
        assert find(page, "export-photos").value is True
        await click(page, client, "export-bundle")
        await until(client, lambda: saved)
        assert "已导出" in banner(page, error=False)
        [(name, content)] = saved.items()
        bundle = tmp_path / name
        bundle.write_bytes(content)

        page, client = await open_on(monkeypatch, bureau, "/sync")
        await choose(page, client, [bundle])
        await until(client, lambda: find(page, "import-result-0"))
        result = find(page, "import-result-0").content.controls[1].controls
        assert "新增" in result[0].value and "冲突 0" in result[0].value
        assert "已记录并信任" in result[1].value
        assert "首次使用时信任" in label(page, "device-0")

    run(body)
    unit, office = build(unit_data), build(bureau)
    assert {h.id for h in office.repo.hazards()} == {h.id for h in unit.repo.hazards()} != set()
    assert [i.id for i in office.repo.inspections()] == [i.id for i in unit.repo.inspections()]
    assert office.photos.all() == unit.photos.all() != []


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_corrupt_bundle_is_refused_in_the_users_language_and_changes_nothing(unit_data, tmp_path, monkeypatch,
                                                                             lang):
    monkeypatch.setenv("FIRESWEEP_LANG", lang)
    corrupt = tmp_path / "damaged.fsb"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip at all" * 20)
    before = {}

    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/sync")
        before.update(fingerprint(unit_data))   # as the app opened it (opening reserves a block of clock values)
        await choose(page, client, [corrupt])
        await until(client, lambda: find(page, "import-result-0"))
        expected = describe_error(BundleRejected("damaged.fsb", "not_a_zip"), lang)
        assert banner(page) == expected
        assert label(page, "import-result-0") == expected

    run(body)
    assert fingerprint(unit_data) == before


def test_revoking_a_device_shows_in_the_list_and_refuses_its_bundles(unit_data, tmp_path, monkeypatch):
    bureau = tmp_path / "bureau"
    bundle = tmp_path / "from-unit.fsb"
    sync.export_bundle(build(unit_data), bundle, full=True)
    sender = build(unit_data).repo.device_id
    sync.import_bundle(build(bureau), bundle)

    async def body() -> None:
        page, client = await open_on(monkeypatch, bureau, "/sync", width=390)
        assert sender in label(page, "device-0")
        await click(page, client, "revoke-0")
        await click(page, client, "confirm-cancel")           # changed its mind: nothing happens
        assert "首次使用时信任" in label(page, "device-0")
        assert sync.list_devices(build(bureau))[0]["status"] == "trusted"
        await click(page, client, "revoke-0")
        assert sender in find(page, "confirm-text").value
        await click(page, client, "confirm-ok")
        assert "已吊销" in label(page, "device-0")
        assert sender in banner(page, error=False)
        with pytest.raises(LookupError):
            find(page, "revoke-0")                     # a revoked device can only be trusted again
        await choose(page, client, [bundle])
        await until(client, lambda: find(page, "import-result-0"))
        assert banner(page) == describe_error(BundleRejected(bundle.name, "revoked_device", entry=sender), "zh-CN")

    run(body)
    [record] = sync.list_devices(build(bureau))
    assert record["status"] == "revoked"


def test_a_browser_file_that_cannot_be_received_names_the_limit(unit_data, monkeypatch):
    """Served without an upload folder, a file the browser did not send with its data is explained."""
    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/sync")
        await pick(page, client, [{"id": 0, "name": "big.fsb", "size": 40 << 20}])
        assert "big.fsb" in banner(page) and "16 MB" in banner(page)

    run(body)


def test_a_report_that_cannot_be_made_says_why_and_downloads_nothing(unit_data, monkeypatch, saved):
    async def body() -> None:
        page, client = await open_on(monkeypatch, unit_data, "/reports")
        find(page, "monthly-unit").value = "U99"            # e.g. a unit removed from the roster meanwhile
        await click(page, client, "generate-monthly")
        await until(client, lambda: find(page, "error-banner").visible)
        assert banner(page) == describe_error(NotFound("unit", "U99"), "zh-CN")
        assert not find(page, "generate-monthly").disabled   # ready for another try
        assert not hook_of(page, "busy-monthly").visible

    run(body)
    assert saved == {}
