"""`firesweep export`, `firesweep import`, `firesweep devices`: offline sync by bundles."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from app.bootstrap import build
from app.datadir import resolve_data_dir
from app.domain.authority import DeviceStatus
from app.domain.errors import BundleRejected
from app.i18n import Translator, describe_error
from app.services import sync

from .common import EXIT_BAD_INPUT, EXIT_OK, EXIT_PROBLEMS, add_data_option


def add_parser(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="导出同步包 / export a bundle")
    add_data_option(export)
    export.add_argument("--to", default="", metavar="PEER", help="the receiving device id (only what it lacks)")
    export.add_argument("--full", action="store_true", help="everything, whatever the peer has")
    export.add_argument("--no-photos", action="store_true", help="leave photo files out (sent with a later bundle)")
    export.add_argument("--unit", help="only this unit's records (the bureau's bundle for one unit)")
    export.add_argument("--encrypt-to", default="", metavar="PEER",
                        help="加密给该设备 / encrypt for this device (only it can read the bundle)")
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(handler=run_export)

    imp = sub.add_parser("import", help="导入同步包 / import bundles")
    add_data_option(imp)
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--unit", help="keep only this unit's records (a unit importing the bureau's bundle)")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=run_import)

    devices = sub.add_parser("devices", help="设备与信任 / devices and trust")
    add_data_option(devices)
    devices.add_argument("action", choices=["list", "trust", "revoke"], nargs="?", default="list")
    devices.add_argument("device", nargs="?")
    devices.add_argument("--key", default="", help="public key (base64) to pin when trusting")
    devices.add_argument("--box-key", default="", help="encryption public key (X25519, base64) to pin when trusting")
    devices.set_defaults(handler=run_devices)


def run_export(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    result = sync.export_bundle(ctx, args.out, to=args.to, full=args.full, photos=not args.no_photos,
                                unit=args.unit, encrypt_to=args.encrypt_to)
    print(t("sync.exported", path=result.path, records=sum(result.counts.values()), files=result.files,
            device=ctx.repo.device_id))
    if args.encrypt_to:
        print(t("reliability.exported_sealed", device=args.encrypt_to))
    return EXIT_OK


def run_import(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    results, rejected = [], []
    for path in args.files:
        try:
            results.append(sync.import_bundle(ctx, path, only_unit=args.unit))
        except BundleRejected as error:
            rejected.append((path, error))
    if args.json:
        print(json.dumps({
            "imported": [asdict(r) for r in results],
            "rejected": [
                {"file": str(p), "reason": e.reason, "message": describe_error(e, t.lang)} for p, e in rejected
            ],
        }, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(t("sync.imported", bundle=r.bundle, new=r.new, updated=r.updated, unchanged=r.unchanged,
                    conflicts=len(r.conflicts), ignored=r.ignored, files=r.files_added))
            if r.trusted_new_device:
                print(t("sync.trusted_first_use", device=r.device))
            for c in r.conflicts:
                print(t("sync.conflict", hazard=c.hazard_id[:8], local=t(f"status.{c.local_status}"),
                        incoming=t(f"status.{c.incoming_status}"), kept=t(f"status.{c.kept_status}")))
        for _, problem in rejected:
            print(describe_error(problem, t.lang), file=sys.stderr)
    return EXIT_PROBLEMS if rejected else EXIT_OK


def run_devices(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    if args.action == "list":
        print(t(f"enroll.model_{sync.trust_model(ctx)}"))
        print(t("sync.this_device", device=ctx.repo.device_id, key=sync.device_key(ctx).public_b64))
        print(t("reliability.box_key", key=sync.box_key(ctx).public_b64))
        for device in sync.list_devices(ctx):
            role = t(f"enroll.role_{device['role']}") + " " + device.get("unit", "") if device.get("role") else ""
            print(t("sync.device_line", device=device["id"], status=t(f"sync.status_{device['status']}"),
                    since=device.get("first_seen", "")[:10]) + (f"  {role.strip()}" if role else ""))
        return EXIT_OK
    if not args.device:
        print(t("cli.bad_usage", message="devices trust|revoke DEVICE"), file=sys.stderr)
        return EXIT_BAD_INPUT
    status = DeviceStatus.TRUSTED if args.action == "trust" else DeviceStatus.REVOKED
    sync.set_device_status(ctx, args.device, status, args.key, args.box_key)
    print(t("sync.device_line", device=args.device, status=t(f"sync.status_{status}"), since=""))
    return EXIT_OK
