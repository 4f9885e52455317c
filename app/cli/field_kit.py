"""The field kit from the command line: where `firesweep app --field-kit` serves, the pairing code in
the terminal, and `firesweep pairings` to list and revoke tablets.

Serving on a network address is what lets other devices in, so it happens only in field-kit mode,
where every tablet pairs first; `firesweep app --host 0.0.0.0` (or any address but 127.0.0.1) is
refused with a message that says so.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
from collections.abc import Callable

from app.bootstrap import build
from app.datadir import ENV_VAR, resolve_data_dir
from app.domain.errors import InvalidInput
from app.i18n import Translator
from app.services import pairing

from .common import EXIT_OK, add_data_option

__all__ = ["add_parser", "check_host", "lan_address", "start"]

LOOPBACK = ("127.0.0.1", "localhost")


def lan_address() -> str | None:
    """This machine's address on its network (a hotspot's gateway address, say), or None.

    Connecting a UDP socket sends nothing; it only makes the system pick the interface and source
    address it would use for that (private) destination.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def check_host(host: str | None, field_kit: bool) -> str | None:
    """The LAN address to serve tablets on (field kit), None for this machine only; or `InvalidInput`."""
    if not field_kit:
        if host not in (None, *LOOPBACK):
            raise InvalidInput("serve_host", "host_needs_field_kit", host=host)
        return None
    if host is None:
        found = lan_address()
        if found is None:
            raise InvalidInput("serve_host", "lan_address_unknown")
        return found
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        raise InvalidInput("serve_host", "lan_address_invalid", host=host) from None
    if address.is_unspecified or address.is_multicast or str(address) == "127.0.0.1" or address.is_reserved:
        raise InvalidInput("serve_host", "lan_address_invalid", host=host)
    return str(address)


def start(lan: str, port: int, t: Translator) -> Callable[[str | None], bool]:
    """Make this server's pairing code (shown now and whenever it changes) and install the field kit;
    returns what the web server asks of a tablet's upload: is its browser paired?"""
    from app.ui import pairing as pairing_ui
    from app.ui.shell import context_for  # the same context (and store lock) the sessions use

    base = f"http://{lan}:{port}"

    def show(code: str) -> None:
        link = f"{base}/pair/{code}"
        print(t("cli_field_kit.code", url=base, code=code, link=link), flush=True)
        print(pairing.qr_text(link), flush=True)

    print(t("cli_field_kit.serving", url=base, laptop=f"http://127.0.0.1:{port}/field-kit"), flush=True)
    pairing_ui.install(pairing_ui.FieldKit(base_url=base, code=pairing.new_code(show)))
    ctx = context_for(resolve_data_dir(os.environ.get(ENV_VAR)))
    return lambda client: pairing.paired(ctx, client) is not None


# ---- firesweep pairings ---------------------------------------------------------------------------

def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("pairings", help="现场套件的平板配对 / field-kit tablet pairings")
    add_data_option(parser)
    parser.add_argument("--json", action="store_true")
    # the options also after the action (`pairings revoke ID --data DIR`), without undoing them before it
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS)
    shared.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    actions = parser.add_subparsers(dest="action", parser_class=type(parser))
    actions.add_parser("list", help="list pairings (default)", parents=[shared])
    revoke = actions.add_parser("revoke", help="revoke a pairing: its tablet is locked out at its next action",
                                parents=[shared])
    revoke.add_argument("pairing", nargs="?", help="pairing id (see list)")
    revoke.add_argument("--all", action="store_true", help="revoke every active pairing")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, t: Translator) -> int:
    ctx = build(resolve_data_dir(args.data))
    if args.action == "revoke":
        if args.all:
            done = pairing.revoke_all(ctx)
        elif args.pairing:
            done = [pairing.revoke(ctx, args.pairing)]
        else:
            raise InvalidInput("pairing_id", "required")
        for p in done:
            print(t("cli_field_kit.revoked", id=p.id, inspector=p.inspector))
        return EXIT_OK
    found = pairing.pairings(ctx)
    if args.json:
        print(json.dumps([{"id": p.id, "inspector": p.inspector, "device": p.device, "active": p.active,
                           "paired_at": p.paired_at.isoformat(),
                           "revoked_at": p.revoked_at.isoformat() if p.revoked_at else None} for p in found],
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print(t("cli_field_kit.none"))
    for p in found:
        status = t("cli_field_kit.active") if p.active else t("cli_field_kit.revoked_at", at=p.revoked_at)
        print(f"{p.id}  {p.inspector}  {p.paired_at:%Y-%m-%d %H:%M}  {status}  {p.device[:40]}")
    return EXIT_OK
