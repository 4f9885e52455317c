"""`firesweep campaign [--data DIR] [--unit U] [--json]`: where the campaign stands.

Without `--unit`: the bureau's view — every unit's obligations and hazard figures, the units a
circular would name and why, what is due in the next 7 days and what is late. With `--unit`:
that unit's obligations, its hazards by department and its own reminders; with `--letter FILE`
also its responsibility letter (消防安全责任书), or one department's with `--department`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.figures import percent_text
from app.domain.obligations import ObligationStatus
from app.i18n import Translator
from app.services import campaign_dashboard as board_service
from app.services import departments as dept_service
from app.services import obligations as obligation_service
from app.services import settings
from app.services.context import Context
from app.services.obligations import Reminders
from app.services.responsibility import responsibility_letter_pdf

from .common import EXIT_BAD_INPUT, EXIT_OK, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("campaign", help="专项行动进度、工作事项与提醒 / campaign dashboard and reminders")
    add_data_option(parser)
    parser.add_argument("--unit", metavar="U", help="只看本单位 / one unit's obligations and reminders")
    parser.add_argument("--json", action="store_true", help="机器可读 / machine-readable output")
    parser.add_argument("--letter", type=Path, metavar="FILE", help="责任书 PDF / write the responsibility letter")
    parser.add_argument("--department", help="科室 / the department's letter (with --letter)")
    parser.set_defaults(handler=run)


def _pct(value: float | None, none: str) -> str:
    return percent_text(value, none)     # the one rounding, as in every report


def _reminders(t: Translator, found: Reminders, lang: str) -> list[str]:
    def when(days: int) -> str:
        if days < 0:
            return t("campaign.days_late", days=-days)
        return t("campaign.due_today") if days == 0 else t("campaign.in_days", days=days)

    def lines(items) -> list[str]:
        return [t("campaign.reminder", due=r.due.isoformat(), unit=r.unit, name=r.name(lang), when=when(r.days))
                for r in items]

    out = [t("campaign.due_soon", count=len(found.due_soon)) if found.due_soon else t("campaign.due_soon_none")]
    out += lines(found.due_soon)
    out.append(t("campaign.late", count=len(found.late)) if found.late else t("campaign.late_none"))
    return out + lines(found.late)


def _reason(t: Translator, reason) -> str:
    value = percent_text(reason.value) if reason.kind == "rectification_rate" else reason.value
    limit = percent_text(reason.limit) if reason.kind == "rectification_rate" else reason.limit
    return t(f"campaign.reason_{reason.kind}", value=value, limit=limit)


def _bureau_text(t: Translator, board: board_service.Dashboard, lang: str, units) -> list[str]:
    none = t("campaign.none")
    out = [t("campaign.title", date=board.as_of.isoformat()), t("campaign.header")]
    for row in board.units:
        unit = units.get(row.unit)
        counts = {s.value: row.count(s) for s in ObligationStatus}
        out.append(t(
            "campaign.row", mark="! " if row.named else "  ", unit=row.unit,
            name=unit.name(lang) if unit else row.name, **counts, found=row.found, rectified=row.rectified,
            overdue=row.overdue, overdue_major=row.overdue_major, listed=row.listed,
            rate=_pct(row.rectification_rate, none),
            spot=row.last_spot_check.isoformat() if row.last_spot_check else none,
        ))
    out.append("")
    limits = board.thresholds
    named = board.named
    out.append(t("campaign.named", count=len(named), rate=percent_text(limits.min_rectification_rate),
                 major=limits.max_overdue_major, late=limits.max_late_obligations) if named
               else t("campaign.named_none"))
    for row in named:
        unit = units.get(row.unit)
        out.append(t("campaign.named_row", unit=row.unit, name=unit.name(lang) if unit else row.name,
                     reasons="；".join(_reason(t, r) for r in row.reasons) if lang != "en"
                     else "; ".join(_reason(t, r) for r in row.reasons)))
    return [*out, "", *_reminders(t, board.reminders, lang)]


def _unit_text(t: Translator, ctx: Context, code: str, lang: str) -> list[str]:
    unit = ctx.catalog.units.get(code)
    name = unit.name(lang) if unit else code   # (`run` refuses an unknown unit before this)
    out = [t("campaign.unit_title", unit=code, name=name, date=ctx.today().isoformat())]
    for state in obligation_service.unit_duties(ctx, code):
        extra = ""
        if state.status in (ObligationStatus.RETURNED, ObligationStatus.LATE) and state.record.return_reason:
            extra = t("campaign.returned_because", reason=state.record.return_reason)
        elif state.submitted_late:
            extra = t("campaign.submitted_late")
        out.append(t("campaign.unit_row", due=state.duty.due.isoformat(), status=t(f"obligation_status.{state.status}"),
                     name=state.duty.name(lang), extra=extra))
    figures = dept_service.department_figures(ctx, code)
    if figures:
        out += ["", t("ui_campaign.departments")]
        out += ["  " + t("ui_campaign.department_line", department=f.department or t("ui_campaign.no_department"),
                         found=f.found, rectified=f.rectified, overdue=f.overdue) for f in figures]
    return [*out, "", *_reminders(t, obligation_service.reminders(ctx, code), lang)]


def run(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    if args.unit and ctx.catalog.units.get(args.unit) is None:
        print(t("error.not_found", kind=t("kind.unit"), id=args.unit), file=sys.stderr)
        return EXIT_BAD_INPUT
    lang = t.lang
    demo = settings.demo_as_of(ctx)
    if demo and not args.json:
        print(t("campaign.demo_note", date=demo.isoformat()))
    if (args.letter or args.department) and not args.unit:
        print(t("campaign.letter_needs_unit"), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.letter:
        args.letter.write_bytes(responsibility_letter_pdf(ctx, args.unit, args.department))
        print(t("campaign.letter_written", path=args.letter))
        return EXIT_OK
    if args.unit:
        if args.json:
            states = obligation_service.unit_duties(ctx, args.unit)
            data = {
                "as_of": ctx.today().isoformat(), "demo": demo is not None, "unit": args.unit,
                "obligations": [{"obligation": s.key, "name": s.duty.name_zh, "due": s.duty.due.isoformat(),
                                 "status": s.status.value, "submitted_late": s.submitted_late,
                                 "return_reason": s.record.return_reason} for s in states],
            }
            found = obligation_service.reminders(ctx, args.unit)
            data["reminders"] = {
                "due_soon": [{"obligation": r.key, "due": r.due.isoformat(), "days": r.days} for r in found.due_soon],
                "late": [{"obligation": r.key, "due": r.due.isoformat(), "days": r.days} for r in found.late],
            }
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print("\n".join(_unit_text(t, ctx, args.unit, lang)))
        return EXIT_OK
    board = board_service.dashboard(ctx)
    if args.json:
        print(json.dumps({**board_service.dashboard_json(board), "demo": demo is not None},
                         ensure_ascii=False, indent=2))
    else:
        print("\n".join(_bureau_text(t, board, lang, ctx.catalog.units)))
    return EXIT_OK
