"""How long finding the next notice number takes at a unit's year and at the bureau's scale.

A measurement, not a test: `python scripts/numbering_timing.py`. It fills a synthetic store with
notices shaped like issued ones (a snapshot of ten hazard lines each), then times
`notices._next_number` — the number every issue asks for — warm (the store already read),
right after each of 20 issues (one notice saved, then the next number asked), and cold (the
first ask after opening the store in a fresh repository); then Settings' `notices.next_number`
(the series this device issued in last), cold and warm. The notices are this device's own.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import build
from app.domain.clock import FixedClock
from app.domain.issuers import format_number
from app.domain.model import Notice
from app.services import notices
from app.store.tinystore import TinyRepository

NOW = dt.datetime(2026, 11, 10, 2, tzinfo=dt.UTC)
PREFIX = "第一中心医院保消"


def _notice(unit: str, serial: int, device: str) -> Notice:
    lines = [{"number": n, "area": "住院部3号楼5层", "description": "疏散通道堆放杂物，影响人员疏散" * 2,
              "basis": "《中华人民共和国消防法》第二十八条", "deadline": "2026-07-20", "requirement": "立即清理" * 3}
             for n in range(1, 11)]
    return Notice(id=uuid.uuid4().hex, unit=unit, created_at=NOW, updated_at=NOW, device=device, rev=serial,
                  inspection_id=uuid.uuid4().hex, number=format_number(f"{PREFIX}{unit}", 2026, serial),
                  recipient="护理部", issued_at=NOW, hazard_ids=tuple(uuid.uuid4().hex for _ in range(10)),
                  snapshot={"lines": lines, "issuer": "示例市第一中心医院保卫处"}, snapshot_sha256="0" * 64)


def _ms(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def scenario(name: str, units: int, per_unit: int) -> None:
    with tempfile.TemporaryDirectory(prefix="firesweep-numbers-") as tmp:
        data = Path(tmp) / "data"
        ctx = build(data, FixedClock(NOW))
        codes = [f"U{n:02d}" for n in range(1, units + 1)]
        with ctx.repo.transaction():
            for unit in codes:
                for serial in range(1, per_unit + 1):
                    ctx.repo.save_notice(_notice(unit, serial, ctx.repo.device_id))
        prefix = f"{PREFIX}{codes[0]}"
        ctx.repo = TinyRepository.open(data)
        start = time.perf_counter()
        first = notices._next_number(ctx, prefix, 2026)
        cold = (time.perf_counter() - start) * 1000
        warm = _ms(lambda: notices._next_number(ctx, prefix, 2026), 50)
        after_issue = []
        for _ in range(20):
            number = notices._next_number(ctx, prefix, 2026)
            serial = int(number.split("〕")[1].rstrip("号"))
            with ctx.repo.transaction():
                ctx.repo.save_notice(_notice(codes[0], serial, ctx.repo.device_id))
            start = time.perf_counter()
            notices._next_number(ctx, prefix, 2026)
            after_issue.append((time.perf_counter() - start) * 1000)
        ctx.repo = TinyRepository.open(data)
        start = time.perf_counter()
        notices.next_number(ctx, prefix)
        settings_cold = (time.perf_counter() - start) * 1000
        settings_warm = _ms(lambda: notices.next_number(ctx, prefix), 20)
        print(f"{name}: {units * per_unit} notices; next {first}; cold {cold:.1f} ms, warm {warm:.3f} ms, "
              f"after each issue {statistics.median(after_issue):.3f} ms (median of 20); "
              f"Settings' next number cold {settings_cold:.1f} ms, warm {settings_warm:.3f} ms")


if __name__ == "__main__":
    scenario("unit-year", 1, 1050)
    scenario("bureau", 36, 227)
