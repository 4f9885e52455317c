"""`firesweep bureau init` and `firesweep enroll …`: the campaign key and device certificates.

    bureau init --name 示例市卫生健康委员会保卫处 --prefix 示卫消整     (the bureau's device, once)
    enroll request --unit U05 --out req.json                           (a tablet asks to join)
    enroll sign req.json --role unit --unit U05 --out cert.json        (the bureau signs)
    enroll install cert.json                                            (the tablet installs it)
    enroll list · enroll revoke DEVICE --reason …                       (the bureau's register)

The campaign key's passphrase, when it has one, is read from $FIRESWEEP_CAMPAIGN_PASSPHRASE (never
from the command line, where other users of the machine could read it in the process list).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from app.domain.authority import Role
from app.domain.errors import InvalidInput
from app.i18n import Translator
from app.services import authority

from .common import EXIT_OK, add_data_option, open_context

PASSPHRASE_ENV = "FIRESWEEP_CAMPAIGN_PASSPHRASE"


def add_parser(sub: argparse._SubParsersAction) -> None:
    bureau = sub.add_parser("bureau", help="局设备 / the bureau's device")
    bureau_actions = bureau.add_subparsers(dest="bureau_action", required=True)
    init = bureau_actions.add_parser("init", help="生成专项行动密钥并登记本机为局设备 / make this the bureau's device")
    add_data_option(init)
    init.add_argument("--name", required=True, help="签发单位名称 / issuing body, e.g. 示例市卫生健康委员会保卫处")
    init.add_argument("--prefix", required=True, help="文号前缀 / notice-number prefix, e.g. 示卫消整")
    init.set_defaults(handler=run_bureau_init)

    enroll = sub.add_parser("enroll", help="设备登记 / device enrollment")
    actions = enroll.add_subparsers(dest="enroll_action", required=True)
    request = actions.add_parser("request", help="本机申请加入 / this device asks to join")
    add_data_option(request)
    who = request.add_mutually_exclusive_group(required=True)
    who.add_argument("--unit", help="单位代码 / unit code (a unit's device)")
    who.add_argument("--bureau", action="store_true", help="局设备 / a bureau device")
    request.add_argument("--label", default="", help="备注（如使用人）/ a note, e.g. who carries it")
    request.add_argument("--out", required=True, type=Path)
    request.set_defaults(handler=run_request)

    sign = actions.add_parser("sign", help="局签发设备证书 / the bureau signs a certificate")
    add_data_option(sign)
    sign.add_argument("request", type=Path)
    sign.add_argument("--role", choices=[r.value for r in Role], default=None)
    sign.add_argument("--unit", default=None)
    sign.add_argument("--issuer", default="", help="签发单位名称（默认：单位名称+保卫处）/ issuing body")
    sign.add_argument("--prefix", default="", help="文号前缀 / notice-number prefix")
    sign.add_argument("--days", type=int, default=authority.CERT_DAYS)
    sign.add_argument("--out", required=True, type=Path)
    sign.set_defaults(handler=run_sign)

    install = actions.add_parser("install", help="安装本机证书 / install this device's certificate")
    add_data_option(install)
    install.add_argument("certificate", type=Path)
    install.set_defaults(handler=run_install)

    listing = actions.add_parser("list", help="已登记设备 / enrolled devices")
    add_data_option(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_list)

    revoke = actions.add_parser("revoke", help="吊销设备证书 / revoke a device")
    add_data_option(revoke)
    revoke.add_argument("device", help="设备编号或证书序列号 / device id or certificate serial")
    revoke.add_argument("--reason", required=True)
    revoke.set_defaults(handler=run_revoke)


def _passphrase() -> str:
    return os.environ.get(PASSPHRASE_ENV, "")


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise InvalidInput(what, "no_such_file", path=str(path)) from None


def _write_json(path: Path, value: dict) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def run_bureau_init(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    cert = authority.bureau_init(ctx, args.name, args.prefix, _passphrase())
    print(t("enroll.bureau_ready", name=cert.body.issuer_name, prefix=cert.body.issuer_prefix,
            key=cert.body.campaign[:16], file="keys/campaign_ed25519.pem"))
    if not _passphrase():
        print(t("enroll.no_passphrase", env=PASSPHRASE_ENV))
    return EXIT_OK


def run_request(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    role = Role.BUREAU if args.bureau else Role.UNIT
    request = authority.make_request(ctx, role, args.unit or "", args.label)
    _write_json(args.out, request.to_json())
    print(t("enroll.requested", path=args.out, device=request.device_id))
    return EXIT_OK


def run_sign(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    request = authority.read_request(_read(args.request, "request"))
    cert = authority.sign_request(ctx, request, Role(args.role) if args.role else None, args.unit, args.issuer,
                                  args.prefix, _passphrase(), args.days)
    _write_json(args.out, cert.to_json())
    body = cert.body
    print(t("enroll.signed", path=args.out, device=body.device_id, role=t(f"enroll.role_{body.role.value}"),
            unit=body.unit or "—", issuer=body.issuer_name, prefix=body.issuer_prefix,
            first=body.block_first, last=body.block_last, until=body.not_after))
    return EXIT_OK


def run_install(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    cert = authority.install_certificate(ctx, _read(args.certificate, "certificate"))
    body = cert.body
    print(t("enroll.installed", role=t(f"enroll.role_{body.role.value}"), unit=body.unit or "—",
            issuer=body.issuer_name, prefix=body.issuer_prefix, first=body.block_first, last=body.block_last,
            until=body.not_after))
    return EXIT_OK


def run_list(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    state = authority.state(ctx)
    rows = [{**c.to_json()["body"], "revoked": c.body.serial in state.revocations}
            for c in sorted(state.certificates.values(), key=lambda c: (c.body.unit, c.body.not_before))]
    if args.json:
        print(json.dumps({"enrolled": state.enrolled, "campaign_key": state.campaign_key, "devices": rows},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(t("enroll.model_enrolled" if state.enrolled else "enroll.model_first_use"))
    for row in rows:
        print(t("enroll.device_line", device=row["device_id"], role=t(f"enroll.role_{row['role']}"),
                unit=row["unit"] or "—", issuer=row["issuer_name"], first=row["block_first"], last=row["block_last"],
                until=row["not_after"], status=t("enroll.revoked") if row["revoked"] else ""))
    return EXIT_OK


def run_revoke(args: argparse.Namespace, t: Translator) -> int:
    ctx = open_context(args)
    made = authority.revoke(ctx, args.device, args.reason, _passphrase())
    print(t("enroll.revoked_now", count=len(made), device=args.device))
    return EXIT_OK
