"""`firesweep obligation (submit|accept|return) --unit U --obligation KEY`: a unit's campaign duty.

The same services as the campaign screen: a unit submits with evidence files (or, for a monthly
report, `--generate` makes and submits the month's report, as the screen's button does); the
bureau accepts or returns with a reason. Keys are those `firesweep campaign --unit U --json`
lists (`plan`, `monthly_report:2026-07`, …).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.domain.errors import InvalidInput
from app.domain.obligations import MONTHLY
from app.i18n import Translator
from app.services import obligations as obligation_service
from app.services.context import Context
from app.services.obligations import DutyState, EvidenceFile

from .common import EXIT_OK, acting_context, add_by_option, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("obligation", help="专项行动报送事项 / a unit's campaign duty")
    actions = group.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        add_data_option(parser)
        add_by_option(parser)
        parser.add_argument("--unit", required=True, metavar="U")
        parser.add_argument("--obligation", required=True, metavar="KEY",
                            help="事项 / duty key, e.g. plan, monthly_report:2026-07 (campaign --unit U --json)")
        parser.add_argument("--json", action="store_true", help="输出该事项 / print the duty as JSON")
        parser.set_defaults(handler=run)
        return parser

    submit = action("submit", "报送（附材料）/ submit with evidence")
    submit.add_argument("--file", action="extend", nargs="+", type=Path, default=[], metavar="F",
                        help="证明材料（PDF 或照片），可多个 / evidence files")
    submit.add_argument("--note", default="", help="备注 / note")
    submit.add_argument("--generate", action="store_true",
                        help="生成并报送该月工作月报 / make and submit that month's report (monthly duties)")
    action("accept", "审核通过（局）/ accept (the bureau)")
    give_back = action("return", "退回（局，须写原因）/ return with a reason (the bureau)")
    give_back.add_argument("--reason", default="", help="退回原因 / why it is returned")


def duty_json(state: DutyState) -> dict:
    record = state.record
    return {
        "unit": record.unit, "obligation": state.key, "name": state.duty.name_zh, "due": state.duty.due.isoformat(),
        "status": state.status.value, "submitted_late": state.submitted_late, "submissions": record.submissions,
        "evidence": [{"kind": e.kind.value, "sha256": e.sha256, "name": e.name} for e in record.evidence],
        "note": record.note, "submitted_by": record.submitted_by, "reviewed_by": record.reviewed_by,
        "return_reason": record.return_reason,
    }


def _evidence(paths: list[Path]) -> list[EvidenceFile]:
    files = []
    for path in paths:
        if not path.is_file():
            raise InvalidInput("--file", "cli_file_missing", name=str(path))
        files.append(EvidenceFile(path.name, path.read_bytes()))
    return files


def _submit(ctx: Context, args: argparse.Namespace) -> DutyState:
    if not args.generate:
        return obligation_service.submit_obligation(ctx, args.unit, args.obligation, _evidence(args.file), args.note)
    kind, _, period = args.obligation.partition(":")
    if kind != MONTHLY or args.file:
        raise InvalidInput("--generate", "cli_generate_monthly_only")
    try:
        year, month = (int(p) for p in period.split("-"))
    except ValueError:
        raise InvalidInput("--obligation", "cli_generate_monthly_only") from None
    return obligation_service.submit_monthly_report(ctx, args.unit, year, month)


def run(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    if args.action == "submit":
        state = _submit(ctx, args)
    elif args.action == "accept":
        state = obligation_service.accept_obligation(ctx, args.unit, args.obligation)
    else:
        state = obligation_service.return_obligation(ctx, args.unit, args.obligation, args.reason)
    if args.json:
        print(json.dumps(duty_json(state), ensure_ascii=False, indent=2))
        return EXIT_OK
    key = {"submit": "cli_actions.submitted", "accept": "cli_actions.accepted", "return": "cli_actions.returned"}
    print(t(key[args.action], unit=args.unit, name=state.duty.name(t.lang), by=ctx.actor,
            reason=state.record.return_reason, status=t(f"obligation_status.{state.status.value}")))
    return EXIT_OK
