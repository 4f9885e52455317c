"""`firesweep notice --inspection ID …`: issue a notice, or reprint the one issued.

    firesweep notice --inspection ID --receiver 张秀英 [--recipient 心内科] [--sign 王喆=wang.png …]
    firesweep notice --inspection ID --refused --witness 孙建 [--receiver 张秀英]

The same rules as the review screen (`app.domain.notice.check_signatures`): every inspector of a
spot-check signs (the inspection's team), the receiver is not one of them, and a refusal to sign
is recorded with a witness and the time. A self-check whose hazards concern several departments
issues one notice per department: name it with --recipient. Signatures drawn elsewhere can be
given as PNG files (--sign NAME=FILE); without one, the name is printed over a line to sign by
hand on the paper copy.

    firesweep notice verify (--image FILE | --payload TEXT) [--json]   核验 a printed notice offline
    (exit 0 authentic, 1 not).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.errors import InvalidInput
from app.domain.notice import Refusal, Signature
from app.i18n import Translator
from app.services import inspections as inspection_service
from app.services import notices as notice_service
from app.services.context import Context
from app.services.notice_check import NoticeVerdict, verify_payload
from app.services.qr_codes import verify_notice_image

from .common import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("notice", help="整改通知书 / rectification notice (or: notice verify)")
    add_data_option(parser)
    parser.add_argument("action", nargs="?", choices=["issue", "verify"], default="issue",
                        help="issue (default) or verify a printed notice's QR code (核验)")
    parser.add_argument("--inspection", metavar="ID")
    parser.add_argument("--recipient", default="", help="接收部门（自查）/ the department receiving it (self-check)")
    parser.add_argument("--image", type=Path, help="verify: a photo or scan of the notice page")
    parser.add_argument("--payload", help="verify: the QR code's text")
    parser.add_argument("--json", action="store_true", help="verify: the verdict as JSON")
    parser.add_argument("--receiver", default="", help="签收人 / the person receiving the notice")
    parser.add_argument("--refused", action="store_true", help="签收人拒绝签收 / the receiver refused to sign")
    parser.add_argument("--witness", default="", help="拒签见证人 / witness of a refusal")
    parser.add_argument("--sign", action="append", default=[], metavar="NAME=PNG",
                        help="某人的签名图片 / a person's drawn signature (repeatable)")
    parser.add_argument("--out", type=Path, help="PDF file to write (default: <number>.pdf)")
    parser.set_defaults(handler=run)


def _drawn(values: list[str]) -> dict[str, bytes] | str:
    found = {}
    for value in values:
        name, _, path = value.partition("=")
        try:
            found[name.strip()] = Path(path).read_bytes()
        except OSError:
            return value
    return found


def run(args: argparse.Namespace, t: Translator) -> int:
    if args.action == "verify":
        return run_verify(args, t)
    if not args.inspection:
        raise InvalidInput("inspection", "required")
    drawn = _drawn(args.sign)
    if isinstance(drawn, str):
        print(t("notice_cli.bad_sign", value=drawn), file=sys.stderr)
        return EXIT_BAD_INPUT
    ctx = build(resolve_data_dir(args.data))
    pending = notice_service.notice_recipients(ctx, args.inspection)
    issued = notice_service.notices_of(ctx, args.inspection)
    if issued and not pending:
        notice, reprint = issued[-1], True
    else:
        inspection = inspection_service.get_inspection(ctx, args.inspection)
        refusal = Refusal(Signature(args.witness, drawn.get(args.witness)), ctx.now()) if args.refused else None
        signatures = notice_service.Signatures(
            inspectors=tuple(Signature(name, drawn.get(name)) for name in inspection.inspectors),
            receiver=Signature(args.receiver, None if args.refused else drawn.get(args.receiver)), refusal=refusal,
        )
        notice, reprint = notice_service.issue_notice(ctx, args.inspection, signatures, args.recipient), False
    out = args.out or Path(f"{notice.number}.pdf")
    out.write_bytes(notice_service.notice_pdf(ctx, notice.id))
    print(t("notice.reprinted" if reprint else "notice.issued", number=notice.number, path=out))
    return EXIT_OK


def _verdict(ctx: Context, args: argparse.Namespace) -> NoticeVerdict:
    """The QR text given as is, or read from the image."""
    if args.payload:
        return verify_payload(ctx, args.payload)
    if not args.image:
        raise InvalidInput("image", "required")
    try:
        data = args.image.read_bytes()
    except OSError:
        raise InvalidInput("image", "no_such_file") from None
    return verify_notice_image(ctx, data)


def run_verify(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    verdict = _verdict(ctx, args)
    claim = verdict.claim
    if args.json:
        print(json.dumps({
            "authentic": verdict.authentic, "reason": verdict.reason, "number": claim.number if claim else "",
            "issuer": claim.issuer if claim else "", "issued_on": claim.issued_on.isoformat() if claim else "",
            "device": claim.device_id if claim else "", "recipient": verdict.recipient, "in_store": verdict.in_store,
            "superseded_by": verdict.superseded_by,
            "hazards": [{"description": h.description, "status": h.status, "deadline": h.deadline.isoformat()}
                        for h in verdict.hazards],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK if verdict.authentic else EXIT_PROBLEMS
    if not verdict.authentic or claim is None:
        print(t("verify_notice.not_authentic", reason=t.reason(verdict.reason)))
        return EXIT_PROBLEMS
    print(t("verify_notice.authentic", number=claim.number))
    print(t("verify_notice.issuer", issuer=claim.issuer))
    print(t("verify_notice.issued_on", date=claim.issued_on.isoformat()))
    if not verdict.in_store:
        print(t("verify_notice.not_in_store"))
        return EXIT_OK
    print(t("verify_notice.recipient", recipient=verdict.recipient))
    for hazard in verdict.hazards:
        status = t(f"status.{hazard.status}") if t.has(f"status.{hazard.status}") else hazard.status
        print(t("verify_notice.hazard_line", description=hazard.description, status=status,
                deadline=hazard.deadline.isoformat()))
    if verdict.superseded_by:
        print(t("verify_notice.superseded", number=verdict.superseded_by))
    return EXIT_OK
