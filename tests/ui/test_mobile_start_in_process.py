"""Start-up as in a Flet-built Android app: the data in the app's storage, the notice through the system.

The page says it is an Android client (not web), Flet's storage variables are set and nothing else
names a data folder, as on a tablet. The system's save dialog and share sheet are played by the
test: what they are handed is checked, and no path is written or opened by the app itself.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import flet as ft
import pytest
from flet.messaging.session import Session

from app.bootstrap import build
from app.datadir import demo_data_dir, resolve_data_dir
from app.services import notices
from app.ui import routes
from app.ui.shell import start
from tests.integration.test_notices import signatures
from tests.ui.inprocess import FakeClient, click, find, run, settle
from tests.unit.factories import make_hazard


@pytest.fixture
def storage(tmp_path, monkeypatch) -> Path:
    """Flet's storage variables, as a built app sets them; no FIRESWEEP_DATA, no TMPDIR."""
    root = tmp_path / "app-storage"
    monkeypatch.setenv("FLET_APP_STORAGE_DATA", str(root / "data"))
    monkeypatch.setenv("FLET_APP_STORAGE_TEMP", str(root / "temp"))
    for name in ("FIRESWEEP_DATA", "TMPDIR", "TEMP", "TMP"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    monkeypatch.setattr(tempfile, "tempdir", None)     # restored after the test
    return root


@pytest.fixture
def system(monkeypatch) -> dict[str, list]:
    """The system's save dialog (it writes the bytes itself) and share sheet, and any URL launched."""
    calls: dict[str, list] = {"saved": [], "shared": [], "launched": []}

    async def save_file(self, dialog_title=None, file_name=None, src_bytes=None, **_kwargs):
        calls["saved"].append((file_name, src_bytes))
        return "content://com.android.externalstorage.documents/document/primary%3ADownload%2Fnotice.pdf"

    async def share_files(self, files, **_kwargs):
        calls["shared"].extend((f.name, f.mime_type, f.data) for f in files)

    async def launch_url(self, url, *_args, **_kwargs):
        calls["launched"].append(url)

    monkeypatch.setattr(ft.FilePicker, "save_file", save_file)
    monkeypatch.setattr(ft.Share, "share_files", share_files)
    monkeypatch.setattr(ft.UrlLauncher, "launch_url", launch_url)
    return calls


async def open_android_page(route: str) -> tuple[ft.Page, FakeClient]:
    """Like tests.ui.inprocess.open_page, but the client says it is the Android app, not a browser."""
    client = FakeClient(asyncio.get_running_loop())
    session = Session(client)
    client.session = session
    page = session.page
    page.route, page.width, page.height = route, 800, 1280
    page.web, page.platform = False, ft.PagePlatform.ANDROID
    session.get_page_patch()
    await start(page)
    return page, client


def test_an_android_start_keeps_data_and_temporary_files_in_the_apps_storage(storage):
    async def body() -> None:
        page, client = await open_android_page("/")
        await settle(client)
        assert find(page, "app-title").value == "火灾隐患排查"
        assert (storage / "data" / "data" / "store.json").is_file()   # the store was made there
        assert resolve_data_dir() == storage / "data" / "data"
        assert demo_data_dir() == storage / "data" / "demo"
        assert Path(tempfile.gettempdir()) == storage / "temp"

    run(body)


def test_on_android_the_notice_goes_to_the_systems_save_dialog_and_share_sheet(storage, system):
    data = storage / "data" / "data"
    ctx = build(data, actor="王喆")
    hazard = make_hazard(ctx)
    notice = notices.issue_notice(ctx, hazard.inspection_id, signatures("王喆"))

    async def body() -> None:
        page, client = await open_android_page(routes.review(hazard.inspection_id))
        await settle(client)
        await click(page, client, "download-notice-0")

    run(body)
    [(name, content)] = system["saved"]
    assert name.endswith(".pdf") and content.startswith(b"%PDF")
    assert content == notices.notice_pdf(build(data), notice.id)
    assert system["shared"] == [(name, "application/pdf", content)]
    assert system["launched"] == []      # no file:// URL, no path of the app's own
