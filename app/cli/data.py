"""`firesweep verify` and `firesweep hazards`: check the data, print the hazard ledger."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain import lifecycle
from app.domain.model import HazardStatus
from app.i18n import Translator
from app.services import hazards as hazard_service
from app.services.integrity import verify_data

from .common import EXIT_OK, EXIT_PROBLEMS, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser("verify", help="检查数据完整性 / check the data (changes nothing)")
    add_data_option(verify)
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=run_verify)

    hazards = sub.add_parser("hazards", help="隐患台账 / hazard ledger")
    add_data_option(hazards)
    hazards.add_argument("--unit")
    hazards.add_argument("--status", choices=[s.value for s in HazardStatus])
    hazards.add_argument("--overdue", action="store_true")
    hazards.add_argument("--view", choices=["action", "live", "all"], default="all",
                         help="action: what needs action (the app's default); live: not verified; all (default)")
    hazards.add_argument("--raised-today", action="store_true", help="only hazards raised today")
    hazards.add_argument("--text", help="words to find in units, descriptions, people, measures")
    hazards.add_argument("--json", action="store_true")
    hazards.set_defaults(handler=run_hazards)


def run_verify(args: argparse.Namespace, t: Translator) -> int:
    data_dir = resolve_data_dir(args.data)
    report = verify_data(data_dir)
    if args.json:
        print(json.dumps({
            "sound": report.sound, "files": report.files, "records": report.records,
            "photos_checked": report.photos_checked, "problems": [asdict(p) for p in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            print(t("verify.problem", kind=t(f"verify.kind.{problem.kind}") if t.has(f"verify.kind.{problem.kind}")
                    else problem.kind, where=problem.where, detail=problem.detail))
        key = "verify.sound" if report.sound else "verify.unsound"
        print(t(key, path=data_dir, files=report.files, records=sum(report.records.values()),
                photos=report.photos_checked, problems=len(report.problems)))
    return EXIT_OK if report.sound else EXIT_PROBLEMS


def run_hazards(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    today = ctx.today()
    status = HazardStatus(args.status) if args.status else None
    items = []
    page = 0
    while True:
        result = hazard_service.ledger(ctx, unit=args.unit, status=status, overdue=True if args.overdue else None,
                                       view=args.view, raised_on=today if args.raised_today else None,
                                       text=args.text, page=page, page_size=500)
        items += result.items
        page += 1
        if page * result.page_size >= result.total:
            break
    if args.json:
        print(json.dumps([{
            "id": h.id, "unit": h.unit, "description": h.description, "status": h.status.value,
            "severity": h.severity.value, "deadline": h.deadline.isoformat(), "overdue": lifecycle.is_overdue(h, today),
            "flags": [f.value for f in h.flags], "responsible": h.responsible, "funds": str(h.funds),
        } for h in items], ensure_ascii=False, indent=2))
        return EXIT_OK
    for h in items:
        overdue = t("hazard.overdue_mark") if lifecycle.is_overdue(h, today) else ""
        print(f"{h.deadline.isoformat()}  {h.unit:<4} {t(f'status.{h.status.value}'):<6} "
              f"{t(f'severity.{h.severity.value}')}  {overdue}{h.description}")
    print(t("hazard.ledger_total", count=len(items)))
    return EXIT_OK
