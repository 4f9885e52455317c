"""`firesweep notice --inspection ID [--out FILE]`: issue the notice, or reprint the issued one."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.notice import Signature
from app.i18n import Translator
from app.services import inspections as inspection_service
from app.services import notices as notice_service

from .common import EXIT_OK, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("notice", help="整改通知书 / rectification notice")
    add_data_option(parser)
    parser.add_argument("--inspection", required=True, metavar="ID")
    parser.add_argument("--receiver", default="", help="签收人 / the person receiving the notice")
    parser.add_argument("--out", type=Path, help="PDF file to write (default: <number>.pdf)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    issued = notice_service.notices_of(ctx, args.inspection)
    if issued:
        notice, reprint = issued[-1], True
    else:
        inspection = inspection_service.get_inspection(ctx, args.inspection)
        signatures = notice_service.Signatures(
            inspectors=tuple(Signature(name) for name in inspection.inspectors), receiver=Signature(args.receiver),
        )
        notice, reprint = notice_service.issue_notice(ctx, args.inspection, signatures), False
    out = args.out or Path(f"{notice.number}.pdf")
    out.write_bytes(notice_service.notice_pdf(ctx, notice.id))
    print(t("notice.reprinted" if reprint else "notice.issued", number=notice.number, path=out))
    return EXIT_OK
