"""Golden page images of every document of record, from the small demo (deterministic).

    .venv/bin/python scripts/document_pages.py [--out docs/screenshots] [--dpi 80]

Writes doc-notice.png (a self-check notice from a unit's security office to one department),
doc-monthly.png, doc-summary.png (the bureau's), doc-unit-summary.png, doc-rectification.png,
doc-circular.png and doc-letter.png: the first page of each, and the last page of the notice and of
the circular (signatures, seal area, 版记) as doc-notice-last.png and doc-circular-last.png.
Look at each before committing it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import bootstrap  # noqa: E402
from app.demo import build_demo  # noqa: E402
from app.domain.clock import FixedClock  # noqa: E402
from app.domain.reports import WorkReport  # noqa: E402
from app.services import notices, report_files  # noqa: E402
from app.services.responsibility import responsibility_letter_pdf  # noqa: E402

WORK = WorkReport(
    meetings="7月3日召开专项行动推进会，院长主持，各科室负责人参加，部署自查整改和全面整治工作。",
    letters="与28个临床、医技科室签订消防安全责任书，明确整改责任人、整改措施和整改资金。",
    funds="落实整改资金12.6万元，其中消防水泵控制柜更换9.8万元。",
    training="开展全员消防培训4场、疏散演练2次，覆盖职工1260人次；院内宣传栏更新消防知识。",
    experience="实行科室主任消防安全负责制，保卫处每周抽查，隐患整改情况纳入科室考核。",
    problems="部分老旧病房楼疏散楼梯改造受场地限制，需分步实施。",
    mechanisms="坚持每月防火检查、每季度疏散演练，隐患台账动态管理，整改一项、销号一项。",
)


def _page(pdf: bytes, out: Path, page: int, dpi: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                        str(source), str(target)], check=True)
        out.write_bytes(target.with_suffix(".png").read_bytes())


def _pages(pdf: bytes) -> int:
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in done.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        summary = build_demo(data, "small", seed=1)
        ctx = bootstrap.build(data, clock=FixedClock(dt.datetime.combine(summary.today, dt.time(4), tzinfo=dt.UTC)))
        unit = "U01"
        own = [n for n in ctx.repo.notices(unit) if n.recipient != ctx.catalog.units.get(unit).name_zh]
        notice = max(own or ctx.repo.notices(unit), key=lambda n: (len(n.hazard_ids), n.number))
        month = (ctx.catalog.campaign.year, 8)
        docs = {
            "notice": notices.notice_pdf(ctx, notice.id),
            "monthly": report_files.render_report(ctx, "monthly", unit=unit, month=month, work=WORK).content,
            "summary": report_files.render_report(ctx, "summary").content,
            "unit-summary": report_files.render_report(ctx, "summary", unit=unit, work=WORK).content,
            "rectification": report_files.render_report(ctx, "rectification", unit=unit, work=WORK).content,
            "circular": report_files.render_report(ctx, "circular", serial=3).content,
            "letter": responsibility_letter_pdf(ctx, unit),
        }
        args.out.mkdir(parents=True, exist_ok=True)
        for name, pdf in docs.items():
            _page(pdf, args.out / f"doc-{name}.png", 1, args.dpi)
            print(args.out / f"doc-{name}.png")
        for name in ("notice", "circular"):
            _page(docs[name], args.out / f"doc-{name}-last.png", _pages(docs[name]), args.dpi)
            print(args.out / f"doc-{name}-last.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
