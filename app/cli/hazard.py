"""`firesweep hazard ACTION ID`: every action the hazard detail screen offers, through the same services.

assign · start · rectify · verify · reopen · defer · flag · unflag · withdraw. Each acts as
`--by NAME` (default: the device's inspector profile), prints one line, or the hazard as JSON
with `--json`. A refusal is the service's own error, printed by `app.cli.main` (exit 2); nothing
is changed. verify / reopen go through a re-check (回头看) exactly as the re-check screen does
(`app.services.hazard_commands.recheck_hazard`).

There is no approve-deferral yet: no service approves a deferral (the bureau's act, to come).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from app.domain import lifecycle
from app.domain.errors import InvalidInput
from app.domain.model import Deferral, Flag, Hazard, InspectionKind, Severity
from app.i18n import Translator
from app.services import hazards as hazard_service
from app.services.hazard_commands import RecheckOutcome, recheck_hazard, rectify_with_photos

from .common import EXIT_OK, acting_context, add_by_option, add_data_option, parse_day

ACTIONS = ("assign", "start", "rectify", "verify", "reopen", "defer", "approve-deferral", "refuse-deferral", "flag",
           "unflag", "withdraw")


def add_parser(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("hazard", help="隐患处置 / act on one hazard")
    actions = group.add_subparsers(dest="action", required=True, metavar="{" + ",".join(ACTIONS) + "}")

    def action(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.add_argument("hazard", metavar="ID", help="隐患 id / the hazard's id (firesweep hazards --json)")
        add_data_option(parser)
        add_by_option(parser)
        parser.add_argument("--json", action="store_true", help="输出处置后的隐患 / print the hazard as JSON")
        parser.set_defaults(handler=handler)
        return parser

    assign = action("assign", "落实责任人、措施、资金、期限 / responsible, measures, funds, deadline", run_assign)
    assign.add_argument("--responsible", help="整改责任人")
    assign.add_argument("--department", help="责任科室")
    assign.add_argument("--measures", help="整改措施")
    assign.add_argument("--funds", help="整改资金（元）/ funds in yuan")
    assign.add_argument("--deadline", metavar="YYYY-MM-DD", help="整改期限")
    assign.add_argument("--severity", choices=[s.value for s in Severity])

    action("start", "开始整改 / start rectifying", run_start)

    rectify = action("rectify", "登记整改（说明与照片）/ record the fix with evidence", run_rectify)
    rectify.add_argument("--note", default="", help="整改说明 / what was done")
    rectify.add_argument("--photo", action="extend", nargs="+", type=Path, default=[], metavar="FILE",
                         help="整改照片，可多个 / evidence photos")

    for name, help_text in (("verify", "复查通过、销号 / pass in a re-check (回头看)"),
                            ("reopen", "复查未通过、重新整改 / fail in a re-check (needs a photo)")):
        recheck = action(name, help_text, run_recheck)
        recheck.add_argument("--opinion", default="", help="复查意见 / the re-checker's opinion")
        recheck.add_argument("--photo", action="extend", nargs="+", type=Path, default=[], metavar="FILE",
                             help="复查照片，可多个 / re-check photos")
        recheck.add_argument("--recheck", metavar="INSPECTION",
                             help="继续这次复查 / continue this re-check (default: the unit's open one, "
                                  "else a new one)")
        recheck.add_argument("--kind", choices=[InspectionKind.FOLLOW_UP.value, InspectionKind.SPOT_CHECK.value],
                             help="新复查的类型 / kind of a new re-check (default follow_up)")
        recheck.add_argument("--inspector", action="append", default=[], metavar="NAME",
                             help="新复查的检查人员，可重复 / inspectors of a new re-check (default: --by)")
        recheck.add_argument("--date", metavar="YYYY-MM-DD",
                             help="新复查的日期 / date of a new re-check (default today)")

    defer = action("defer", "暂缓整改 / defer with explanation, plan and temporary measures", run_defer)
    defer.add_argument("--explanation", default="", help="书面说明")
    defer.add_argument("--step", action="append", default=[], metavar="YYYY-MM-DD:ACTION",
                       help="分步整改方案的一步，可重复 / one dated plan step (repeat)")
    defer.add_argument("--temporary", default="", help="临时性防范措施 / temporary measures")

    for name, help_text in (("approve-deferral", "局审批同意暂缓 / the bureau approves a deferral request"),
                            ("refuse-deferral", "局不同意暂缓 / the bureau refuses it (--note: the reason)")):
        decide = action(name, help_text, run_decide_deferral)
        decide.add_argument("--note", default="", help="审批意见 / the bureau's opinion (required to refuse)")

    for name, help_text in (("flag", "标记 / raise a flag"), ("unflag", "取消标记 / lower a flag")):
        flag = action(name, help_text, run_flag)
        flag.add_argument("flag", choices=[f.value for f in Flag], help="listed 挂牌督办 · suspended 停业整改 · "
                                                                        "expert_review 专家论证")

    withdraw = action("withdraw", "撤销误登记的隐患 / withdraw a hazard raised by mistake", run_withdraw)
    withdraw.add_argument("--reason", default="", help="撤销原因")


def hazard_json(hazard: Hazard, today: dt.date) -> dict:
    """A hazard as `firesweep hazards --json` shows it, with its evidence, deferral and re-checks."""
    fix, plan = hazard.rectification, hazard.deferral
    return {
        "id": hazard.id, "unit": hazard.unit, "inspection": hazard.inspection_id, "description": hazard.description,
        "status": hazard.status.value, "severity": hazard.severity.value, "deadline": hazard.deadline.isoformat(),
        "overdue": lifecycle.is_overdue(hazard, today), "flags": [f.value for f in hazard.flags],
        "responsible": hazard.responsible, "department": hazard.department, "measures": hazard.measures,
        "funds": str(hazard.funds), "withdrawn": hazard.deleted,
        "rectification": {"note": fix.note, "photos": list(fix.photos), "by": fix.by, "at": fix.at.isoformat()}
        if fix else None,
        "deferral": _deferral_json(plan),
        "deferral_request": _deferral_json(hazard.deferral_request),
        "verifications": [{"passed": v.passed, "by": v.by, "at": v.at.isoformat(), "inspection": v.inspection_id,
                           "note": v.note, "photos": list(v.photos)} for v in hazard.verifications],
    }


def _deferral_json(plan: Deferral | None) -> dict | None:
    if plan is None:
        return None
    return {"explanation": plan.explanation, "temporary_measures": plan.temporary_measures,
            "plan": [{"due": s.due.isoformat(), "action": s.action} for s in plan.plan],
            "requested_on": plan.requested_on.isoformat() if plan.requested_on else None,
            "original_deadline": plan.original_deadline.isoformat() if plan.original_deadline else None,
            "approved_by": plan.approved_by}


def _report(args: argparse.Namespace, t: Translator, hazard: Hazard, today: dt.date, message: str,
            extra: dict | None = None) -> int:
    if args.json:
        print(json.dumps({"hazard": hazard_json(hazard, today), **(extra or {})}, ensure_ascii=False, indent=2))
    else:
        print(message)
    return EXIT_OK


def _status(t: Translator, hazard: Hazard) -> str:
    return t(f"status.{hazard.status.value}")


def run_assign(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    fields = {"responsible": args.responsible, "department": args.department, "measures": args.measures,
              "funds": args.funds, "severity": Severity(args.severity) if args.severity else None,
              "deadline": parse_day(args.deadline, "--deadline") if args.deadline is not None else None}
    if all(value is None for value in fields.values()):
        raise InvalidInput("assign", "cli_nothing_to_change")
    hazard = hazard_service.update_hazard(ctx, args.hazard, **fields)
    return _report(args, t, hazard, ctx.today(), t("cli_actions.assigned", id=hazard.id, by=ctx.actor))


def run_start(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    hazard = hazard_service.start_rectifying(ctx, args.hazard)
    return _report(args, t, hazard, ctx.today(), t("cli_actions.moved", id=hazard.id, status=_status(t, hazard),
                                                   by=ctx.actor))


def run_rectify(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    hazard = rectify_with_photos(ctx, args.hazard, args.note, args.photo)
    photos = len(hazard.rectification.photos) if hazard.rectification else 0
    return _report(args, t, hazard, ctx.today(), t("cli_actions.rectified", id=hazard.id, photos=photos,
                                                   by=ctx.actor))


def _recheck_lines(t: Translator, outcome: RecheckOutcome, by: str) -> list[str]:
    rc, progress = outcome.recheck, outcome.progress
    lines = [t("cli_actions.recheck_started" if outcome.started else "cli_actions.recheck_continued",
               recheck=rc.id, kind=t(f"inspection_kind.{rc.kind.value}"), date=rc.date.isoformat())]
    key = "cli_actions.verified" if outcome.hazard.status.value == "verified" else "cli_actions.reopened"
    lines.append(t(key, id=outcome.hazard.id, by=by))
    lines.append(t("cli_actions.recheck_progress", decided=progress.decided, total=progress.total,
                   verified=progress.verified, reopened=progress.reopened))
    if outcome.finished:
        lines.append(t("cli_actions.recheck_finished"))
    return lines


def run_recheck(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    outcome = recheck_hazard(
        ctx, args.hazard, args.action == "verify", opinion=args.opinion, photos=args.photo,
        inspection_id=args.recheck, kind=args.kind, inspectors=args.inspector or None,
        date=parse_day(args.date, "--date") if args.date else None,
    )
    rc, progress = outcome.recheck, outcome.progress
    extra = {"recheck": {"id": rc.id, "kind": rc.kind.value, "date": rc.date.isoformat(),
                         "status": rc.status.value, "started": outcome.started, "finished": outcome.finished,
                         "total": progress.total, "verified": progress.verified, "reopened": progress.reopened,
                         "pending": progress.pending}}
    return _report(args, t, outcome.hazard, ctx.today(), "\n".join(_recheck_lines(t, outcome, ctx.actor)), extra)


def _plan_step(value: str) -> tuple[dt.date, str]:
    """`YYYY-MM-DD:action` → (date, action); the service judges the action and the dates' order."""
    day, sep, what = value.partition(":")
    try:
        if not sep:
            raise ValueError(value)
        return dt.date.fromisoformat(day.strip()), what
    except ValueError:
        raise InvalidInput("--step", "cli_step_format", value=value) from None


def run_defer(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    plan = [_plan_step(step) for step in args.step]
    hazard = hazard_service.defer(ctx, args.hazard, args.explanation, plan, args.temporary)
    key = "cli_actions.deferral_requested" if hazard.deferral_request is not None else "cli_actions.deferred"
    return _report(args, t, hazard, ctx.today(), t(key, id=hazard.id, date=hazard.deadline.isoformat(), by=ctx.actor))


def run_decide_deferral(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    approve = args.action == "approve-deferral"
    hazard = hazard_service.decide_deferral(ctx, args.hazard, approve, args.note)
    key = "cli_actions.deferral_approved" if approve else "cli_actions.deferral_refused"
    return _report(args, t, hazard, ctx.today(), t(key, id=hazard.id, date=hazard.deadline.isoformat(), by=ctx.actor))


def run_flag(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    on = args.action == "flag"
    hazard = hazard_service.set_flag(ctx, args.hazard, Flag(args.flag), on)
    key = "cli_actions.flag_on" if on else "cli_actions.flag_off"
    return _report(args, t, hazard, ctx.today(), t(key, id=hazard.id, flag=t(f"error_term.{args.flag}"),
                                                   by=ctx.actor))


def run_withdraw(args: argparse.Namespace, t: Translator) -> int:
    ctx = acting_context(args)
    hazard = hazard_service.withdraw_hazard(ctx, args.hazard, args.reason)
    return _report(args, t, hazard, ctx.today(), t("cli_actions.withdrawn", id=hazard.id, by=ctx.actor))
