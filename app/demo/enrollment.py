"""The demo's campaign authority: the demo's data directory becomes the bureau's enrolled device
(campaign key included, so `enroll sign` works on it), and a few unit tablets are enrolled beside it
the way users enroll them (request → sign → install), each holding what the bureau sends its unit.

The tablets live next to the demo folder (`<demo>-tablets/<name>`): open one with `--data` to see the
app as that unit's security office sees it (its own unit only, no bureau acts offered).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app import bootstrap
from app.domain.authority import Role
from app.services import authority, sync
from app.services import settings as device_settings
from app.services.context import Context

__all__ = ["DemoTablet", "TABLETS", "tablets_dir", "enroll_demo"]


@dataclass(frozen=True)
class DemoTablet:
    name: str       # its folder
    unit: str
    holder: str     # who carries it (the tablet's inspector)


TABLETS = (
    DemoTablet("U01-A", "U01", "王喆"),
    DemoTablet("U01-B", "U01", "赵敏"),
    DemoTablet("U02-A", "U02", "李秀兰"),
)


def tablets_dir(data_dir: Path) -> Path:
    return data_dir.parent / f"{data_dir.name}-tablets"


def enroll_demo(ctx: Context, data_dir: Path) -> list[Path]:
    """Make `ctx`'s store the bureau's device and enroll the demo tablets; returns their folders."""
    campaign = ctx.catalog.campaign
    authority.bureau_init(ctx, campaign.issuer_zh, campaign.notice_prefix)
    made = []
    for tablet in TABLETS:
        folder = tablets_dir(data_dir) / tablet.name
        device = bootstrap.build(folder, clock=ctx.clock, actor=tablet.holder)
        device_settings.set_inspector(device, tablet.holder)
        request = authority.make_request(device, Role.UNIT, tablet.unit, label=tablet.holder)
        cert = authority.sign_request(ctx, request)
        authority.install_certificate(device, _json(cert.to_json()))
        with tempfile.TemporaryDirectory() as tmp:   # what the bureau sends this unit
            bundle = Path(tmp) / "bureau.fsb"
            sync.export_bundle(ctx, bundle, full=True, unit=tablet.unit)
            sync.import_bundle(device, bundle)
        device_settings.mark_demo(device, ctx.today())
        made.append(folder)
    return made


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
