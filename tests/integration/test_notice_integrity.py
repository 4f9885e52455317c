"""An issued notice altered on disk (its PDF, or its frozen snapshot) is reported by `verify`
and by `notice_integrity`, the read the review screen marks notices with."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from app.bootstrap import build
from app.cli import main
from app.domain.clock import FixedClock
from app.domain.errors import NotFound
from app.domain.notice import Signature
from app.media.signature import render_signature
from app.services import notices as notice_service
from app.services.integrity import NoticeIntegrity, notice_integrity, verify_data
from tests.integration.sync_world import walk

CLOCK = FixedClock(dt.datetime(2026, 7, 10, 6, 0, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def issued_once(tmp_path_factory):
    root = tmp_path_factory.mktemp("issued") / "data"
    ctx = build(root, CLOCK, actor="王喆")
    inspection, _, _ = walk(ctx, failures=1)
    pad = render_signature([[(0.1, 0.5), (0.9, 0.4)]])
    signatures = notice_service.Signatures((Signature("王喆", pad),), Signature("李堃", pad))
    notice = notice_service.issue_notice(ctx, inspection.id, signatures)
    return root, notice


@pytest.fixture
def issued(issued_once, tmp_path):
    """A copy of the store with one issued notice (rendering a notice takes a while: done once)."""
    source, notice = issued_once
    shutil.copytree(source, tmp_path / "data")
    ctx = build(tmp_path / "data", CLOCK, actor="王喆")
    assert notice_integrity(ctx, notice.id) is NoticeIntegrity.OK
    assert verify_data(ctx.repo.root).problems == []
    return ctx, notice


def pdf_file(ctx, notice) -> Path:
    return ctx.repo.root / "pdfs" / notice.pdf_sha256[:2] / f"{notice.pdf_sha256}.pdf"


def edit_snapshot(ctx, change) -> None:
    [path] = list((ctx.repo.root / "units").glob("*/notices.json"))
    data = json.loads(path.read_text("utf-8"))
    for doc in data["notice"].values():
        change(doc)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


ALTERATIONS = {
    "PDF bytes edited": (lambda ctx, n: pdf_file(ctx, n).write_bytes(
        pdf_file(ctx, n).read_bytes().replace(b"/Producer", b"/Produker")), "notice_pdf_hash_mismatch",
        NoticeIntegrity.PDF_ALTERED),
    "PDF replaced by another PDF": (lambda ctx, n: pdf_file(ctx, n).write_bytes(b"%PDF-1.4\n%%EOF\n"),
                                    "notice_pdf_hash_mismatch", NoticeIntegrity.PDF_ALTERED),
    "PDF deleted": (lambda ctx, n: pdf_file(ctx, n).unlink(), "notice_pdf_missing", NoticeIntegrity.PDF_ALTERED),
    "snapshot text edited": (lambda ctx, n: edit_snapshot(ctx, lambda d: d["snapshot"].update(recipient="别的单位")),
                             "notice_snapshot_altered", NoticeIntegrity.SNAPSHOT_ALTERED),
    "snapshot hash replaced": (lambda ctx, n: edit_snapshot(ctx, lambda d: d.update(snapshot_sha256="0" * 64)),
                               "notice_snapshot_altered", NoticeIntegrity.SNAPSHOT_ALTERED),
}


@pytest.mark.parametrize("case", list(ALTERATIONS))
def test_an_altered_notice_is_reported_by_verify_and_marked(case, issued, capsys):
    ctx, notice = issued
    alter, kind, mark = ALTERATIONS[case]
    alter(ctx, notice)
    problems = verify_data(ctx.repo.root).problems
    assert [(p.kind, p.where, p.detail) for p in problems] == [(kind, f"notice/{notice.id}", notice.number)]
    assert main(["verify", "--data", str(ctx.repo.root)]) == 1
    assert notice.number in capsys.readouterr().out
    fresh = build(ctx.repo.root, CLOCK)   # a fresh read, as the review screen does
    assert notice_integrity(fresh, notice.id) is mark


def test_an_unknown_notice_is_not_found(issued):
    ctx, _ = issued
    with pytest.raises(NotFound):
        notice_integrity(ctx, "0" * 32)
