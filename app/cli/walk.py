"""The walk-through on the command line: answer an item, save the hazard of a failed item.

The same services as the app's walk-through and hazard form, so the same rule holds: 不合格
raises no hazard by itself (`item-hazard` saves it), and an answer moved off 不合格 withdraws the
hazard it raised, audited, and says so.
"""

from __future__ import annotations

import argparse
import datetime as dt

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.errors import InvalidInput
from app.domain.model import Severity, Verdict
from app.i18n import Translator
from app.services import hazards as hazard_service
from app.services import inspections, queries

from .common import EXIT_OK, add_data_option


def _where(parser: argparse.ArgumentParser) -> None:
    add_data_option(parser)
    parser.add_argument("--inspection", required=True)
    parser.add_argument("--area", required=True)
    parser.add_argument("--item", required=True)


def add_parser(sub: argparse._SubParsersAction) -> None:
    answer = sub.add_parser("answer", help="检查项判定 / answer a checklist item (pass, fail, not_applicable)")
    _where(answer)
    answer.add_argument("--verdict", required=True, choices=[v.value for v in Verdict])
    answer.add_argument("--note", default="")
    answer.set_defaults(handler=run_answer)

    hazard = sub.add_parser("item-hazard", help="保存不合格项的隐患 / save the hazard of a failed item")
    _where(hazard)
    hazard.add_argument("--description")
    hazard.add_argument("--deadline", help="YYYY-MM-DD (default: the checklist's period)")
    hazard.add_argument("--severity", choices=[s.value for s in Severity], default=Severity.GENERAL.value)
    hazard.add_argument("--responsible", default="")
    hazard.add_argument("--measures", default="")
    hazard.set_defaults(handler=run_item_hazard)


def run_answer(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    before = queries.hazard_for_item(ctx, args.inspection, args.area, args.item)
    inspections.record_response(ctx, args.inspection, args.area, args.item, Verdict(args.verdict), args.note)
    print(t("cli_day.answered", item=args.item, verdict=t(f"day_verdict.{args.verdict}")))
    if before is not None and queries.hazard_for_item(ctx, args.inspection, args.area, args.item) is None:
        print(t("cli_day.withdrawn", description=before.description))
    return EXIT_OK


def run_item_hazard(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    draft = hazard_service.draft_hazard(ctx, args.inspection, args.area, args.item)
    try:
        deadline = dt.date.fromisoformat(args.deadline) if args.deadline else draft.deadline
    except ValueError:
        raise InvalidInput("deadline", "not_a_date", value=args.deadline) from None
    saved = hazard_service.save_item_hazard(
        ctx, args.inspection, args.area, args.item, description=args.description or draft.description,
        deadline=deadline, severity=Severity(args.severity), responsible=args.responsible, measures=args.measures,
    )
    print(t("cli_day.hazard_saved", id=saved.id, description=saved.description, deadline=saved.deadline.isoformat()))
    return EXIT_OK
