"""The review screen marks an issued notice whose PDF or snapshot was altered on disk."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.issuers import format_number, parse_number
from app.domain.notice import Signature
from app.media.signature import render_signature
from app.services import notices as notice_service
from app.ui import routes
from tests.integration.sync_world import walk
from tests.ui.inprocess import find, open_page, run

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


@pytest.fixture
def issued(tmp_path, monkeypatch):
    root = tmp_path / "data"
    monkeypatch.setenv("FIRESWEEP_DATA", str(root))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")
    ctx = build(root, CLOCK, actor="王喆")
    inspection, _, _ = walk(ctx, failures=1)
    pad = render_signature([[(0.1, 0.5), (0.9, 0.4)]])
    notice = notice_service.issue_notice(
        ctx, inspection.id, notice_service.Signatures((Signature("王喆", pad),), Signature("李堃", pad)))
    return root, inspection.id, notice


def test_a_sound_notice_has_no_mark(issued):
    _, inspection, _ = issued

    async def body() -> None:
        page, _client = await open_page(routes.review(inspection))
        assert find(page, "notice-0")
        with pytest.raises(LookupError):
            find(page, "notice-integrity-0")

    run(body)


def test_an_altered_pdf_is_marked_on_the_review_screen(issued):
    root, inspection, notice = issued
    pdf = root / "pdfs" / notice.pdf_sha256[:2] / f"{notice.pdf_sha256}.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%tampered\n")

    async def body() -> None:
        page, _client = await open_page(routes.review(inspection))
        assert find(page, "notice-integrity-0").value == "警告：通知书 PDF 文件已被改动或缺失"

    run(body)


def test_an_altered_snapshot_is_marked_on_the_review_screen(issued, monkeypatch):
    root, inspection, _ = issued
    monkeypatch.setenv("FIRESWEEP_LANG", "en")
    [path] = list((root / "units").glob("*/notices.json"))
    data = json.loads(path.read_text("utf-8"))
    for doc in data["notice"].values():
        doc["snapshot"]["recipient"] = "别的单位"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    async def body() -> None:
        page, _client = await open_page(routes.review(inspection))
        assert find(page, "notice-integrity-0").value == "Warning: the notice's stored content was altered"

    run(body)


def test_after_issuing_print_download_and_done_are_offered_and_done_goes_home(issued):
    _, inspection, _ = issued

    async def body() -> None:
        from tests.ui.inprocess import click

        page, client = await open_page(routes.review(inspection))
        assert find(page, "print-notice-0") and find(page, "download-notice-0")
        await click(page, client, "review-done")
        assert page.route == "/"

    run(body)


def test_a_pdf_to_print_is_served_from_the_web_folder_under_an_unguessable_name(tmp_path, monkeypatch):
    from app.ui.widgets.printing import WEB_ROOT_ENV, publish

    monkeypatch.delenv(WEB_ROOT_ENV, raising=False)
    assert publish(b"%PDF-1.4") is None                    # nothing served: the caller saves the file instead
    monkeypatch.setenv(WEB_ROOT_ENV, str(tmp_path))
    first, second = publish(b"%PDF-1.4 a"), publish(b"%PDF-1.4 b")
    assert first != second and first.startswith("/print/") and len(first) > 30
    assert (tmp_path / first.lstrip("/")).read_bytes() == b"%PDF-1.4 a"


def test_settings_shows_the_number_the_next_notice_will_really_get(issued):
    _, _, notice = issued

    async def body() -> None:
        page, _client = await open_page("/settings")
        prefix, year, serial = parse_number(notice.number)
        assert format_number(prefix, year, serial + 1) in find(page, "prefix-example").value

    run(body)
