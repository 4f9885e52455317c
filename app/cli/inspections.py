"""`firesweep inspections`: the inspections on this device, newest first, with their ids."""

from __future__ import annotations

import argparse
import json

from app.domain.model import InspectionKind, InspectionStatus
from app.i18n import Translator
from app.services.inspection_list import InspectionRow, inspection_rows

from .common import EXIT_OK, add_data_option, open_context


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("inspections", help="检查列表 / list inspections (with their ids)")
    add_data_option(parser)
    parser.add_argument("--unit", metavar="U")
    parser.add_argument("--status", choices=[s.value for s in InspectionStatus])
    parser.add_argument("--kind", choices=[k.value for k in InspectionKind])
    parser.add_argument("--json", action="store_true", help="机器可读 / machine-readable output")
    parser.set_defaults(handler=run)


def row_json(row: InspectionRow) -> dict:
    i = row.inspection
    return {
        "id": i.id, "unit": i.unit, "kind": i.kind.value, "date": i.date.isoformat(),
        "inspectors": list(i.inspectors), "status": i.status.value, "areas": row.areas, "hazards": row.hazards,
        "notices": list(row.notices), "covers": row.covers,
    }


def _line(t: Translator, row: InspectionRow) -> str:
    i = row.inspection
    separator = ", " if t.lang == "en" else "、"
    return t("cli_actions.inspection_row", id=i.id, unit=i.unit, kind=t(f"inspection_kind.{i.kind.value}"),
             date=i.date.isoformat(), status=t(f"cli_actions.inspection_status.{i.status.value}"),
             inspectors=separator.join(i.inspectors), areas=row.areas,
             hazards=row.hazards, covers=t("cli_actions.covers", count=row.covers) if row.covers else "",
             notices=separator.join(row.notices) or t("cli_actions.none"))


def run(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    rows = inspection_rows(ctx, unit=args.unit, status=args.status, kind=args.kind)
    if args.json:
        print(json.dumps([row_json(r) for r in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        print(_line(t, row))
    print(t("cli_actions.inspections_total", count=len(rows)))
    return EXIT_OK
