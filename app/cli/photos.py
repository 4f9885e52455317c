"""`firesweep photos add --hazard ID FILE…`: attach photos; name each refused file and why."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.i18n import Translator, describe_error
from app.services import photos as photo_service

from .common import EXIT_OK, EXIT_PROBLEMS, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("photos", help="照片 / photos")
    actions = group.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="为隐患添加照片 / attach photos to a hazard")
    add_data_option(add)
    add.add_argument("--hazard", required=True, metavar="ID")
    add.add_argument("--keep-gps", action="store_true", help="keep GPS position in the stored photo")
    add.add_argument("files", nargs="+", type=Path)
    add.set_defaults(handler=run_add)


def run_add(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    settings = photo_service.PhotoSettings(keep_gps=args.keep_gps)
    stored, rejected = photo_service.ingest_files(ctx, args.hazard, args.files, settings)
    for photo in stored:
        print(t("photos.stored", name=photo.original_name, sha=photo.sha256[:12], width=photo.width,
                height=photo.height))
    for _path, error in rejected:  # the error names the file
        print(describe_error(error, t.lang), file=sys.stderr)
    print(t("photos.summary", stored=len(stored), rejected=len(rejected)))
    return EXIT_PROBLEMS if rejected else EXIT_OK
