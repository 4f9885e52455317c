"""`firesweep checklists check|export|import|issue|changes`: validate checklist files, author them in a
spreadsheet, and (the bureau) issue a new version to every device; a device lists what changed.

`export --format xlsx --out F [PATH…]` writes the checklists to one workbook; `import F.xlsx
[--out DIR]` validates a workbook with the same rules as `check` (each problem named by sheet,
row and column) and writes one canonical TOML file per checklist, all or nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.i18n import Translator, describe_problem
from app.services import catalog, checklist_versions, checklist_workbook

from .common import EXIT_BAD_INPUT, EXIT_OK, add_data_option, open_context


def add_parser(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("checklists", help="检查表 / checklists")
    actions = group.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="校验检查表文件 / validate checklist files")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped checklists)")
    check.set_defaults(handler=run_check)
    export = actions.add_parser("export", help="导出检查表为表格 / export checklists to a spreadsheet")
    export.add_argument("--format", choices=["xlsx"], default="xlsx", help="表格格式 / spreadsheet format")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="输出文件 / output file (.xlsx)")
    export.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped checklists)")
    export.set_defaults(handler=run_export)
    imp = actions.add_parser("import", help="从表格导入检查表 / import checklists from a spreadsheet")
    imp.add_argument("source", type=Path, metavar="FILE.xlsx", help="检查表表格 / checklist workbook")
    imp.add_argument("--out", type=Path, metavar="DIR", default=None,
                     help="写入的文件夹 / folder to write the TOML files (default: the workbook's folder)")
    imp.set_defaults(handler=run_import)
    issue = actions.add_parser("issue", help="局下发检查表新版本 / the bureau issues a new version to every device")
    add_data_option(issue)
    issue.add_argument("file", type=Path, metavar="FILE.toml")
    issue.set_defaults(handler=run_issue)
    changes = actions.add_parser("changes", help="局下发的新版本改了什么 / what the bureau's new versions changed")
    add_data_option(changes)
    changes.add_argument("--ack", action="store_true", help="标记为已阅 / mark them as read")
    changes.set_defaults(handler=run_changes)


def run_check(args: argparse.Namespace, t: Translator) -> int:
    loaded, problems = catalog.check_files(args.paths or None)
    for path, checklist in loaded:
        print(t("checklist.file_ok", path=path, name=checklist.name(t.lang),
                items=len(checklist.items), version=checklist.version))
    if problems:
        for problem in problems:
            print(describe_problem(problem, t), file=sys.stderr)
        print(t("checklist.problems", count=len(problems)), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(t("checklist.all_valid", count=len(loaded), items=sum(len(c.items) for _, c in loaded)))
    return EXIT_OK


def run_export(args: argparse.Namespace, t: Translator) -> int:
    checklists = checklist_workbook.export_xlsx(args.out, args.paths or None)
    print(t("checklist.exported", count=len(checklists), items=sum(len(c.items) for c in checklists), path=args.out))
    return EXIT_OK


def run_import(args: argparse.Namespace, t: Translator) -> int:
    written = checklist_workbook.import_xlsx(args.source, args.out)
    for path, checklist in written:
        print(t("checklist.imported", path=path, name=checklist.name(t.lang), items=len(checklist.items),
                version=checklist.version))
    print(t("checklist.imported_all", count=len(written), path=args.out or args.source.parent))
    return EXIT_OK


def run_issue(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    issued = checklist_versions.issue_version(ctx, args.file, os.environ.get("FIRESWEEP_CAMPAIGN_PASSPHRASE", ""))
    print(t("checklist_versions.issued", name=issued.checklist.name_zh, id=issued.checklist.id,
            version=issued.checklist.version))
    return EXIT_OK


def run_changes(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    found = checklist_versions.changes(ctx)
    if not found:
        print(t("checklist_versions.none"))
        return EXIT_OK
    for change in found:
        c = change.checklist
        print(t("checklist_versions.line", name=c.name(t.lang), version=c.version,
                previous=change.previous_version or "—", added=len(change.changes.added),
                removed=len(change.changes.removed), changed=len(change.changes.changed), at=change.issued_at[:10]))
        for key in ("added", "removed", "changed"):
            for item_id in getattr(change.changes, key):
                print(t(f"checklist_versions.{key}", item=item_id))
    if args.ack:
        checklist_versions.acknowledge(ctx, [c.checklist.sha256 for c in found])
    return EXIT_OK
