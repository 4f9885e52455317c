"""A unit's rectification-phase report and its 总结报告 as A4 PDFs (see `app.domain.reports`).

Addressed to the bureau's security division; the unit's figures, its own account of the work
(工作情况), for the summary its experience, problems and long-term mechanisms; the hazards it has
not yet rectified; signed by the unit's head over the seal area. Renders the value and nothing else.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents.common import build_pdf, zh_date
from app.documents.common import text as markup
from app.documents.report_parts import grid, heading, para, pct, seal_block, title_block
from app.domain.reports import NARRATIVE_ITEMS, WORK_ITEMS, UnitReport, WorkReport

__all__ = ["render_unit_report", "work_sections", "overview"]

WIDTH = 170 * mm
NUMBERS = "一二三四五六七八九十"
MISSING = "（未填报）"


def render_unit_report(data: UnitReport) -> bytes:
    summary = data.kind == "summary"
    what = "专项行动" if summary else "自查整改"
    story: list[Flowable] = [
        *title_block(data.unit_name, data.title),
        para(f"{escape(data.addressee)}：", "plain"),
        para(f"按照{escape(data.campaign)}工作方案要求，现将我单位{what}工作情况报告如下。"),
        *heading("一、基本情况"),
        para(overview(data)),
        _phase_table(data),
        *heading("二、主要工作"),
        *work_sections(data.work),
    ]
    number = 2
    narrative = NARRATIVE_ITEMS if summary else tuple(i for i in NARRATIVE_ITEMS if i[0] == "problems")
    for name, title in narrative:
        story += heading(f"{NUMBERS[number]}、{title}")
        story.append(para(markup(getattr(data.work, name)) if getattr(data.work, name).strip() else MISSING))
        number += 1
    # the heading never ends a page alone: it goes with the start of its table
    story.append(KeepTogether([*heading(f"{NUMBERS[number]}、尚未完成整改的火灾隐患"), *_open_table(data)]))
    story += [Spacer(1, 8 * mm), KeepTogether([
        para(f"（本报告应于{zh_date(data.due)}前报送{escape(data.addressee)}）", "small"), Spacer(1, 2 * mm),
        seal_block(data.unit_name, data.as_of, signer=data.signer_title)])]
    footer = f"{data.unit_name} {'总结报告' if summary else '自查整改情况报告'}"
    return build_pdf(story, title=f"{data.unit_name} {data.title}", author=data.unit_name, footer=footer,
                     moment=data.generated_at)


def overview(data: UnitReport) -> str:
    f = data.figures
    counts = dict(data.inspections)
    kinds = (f"其中本单位自查{counts.get('自查', 0)}次，接受市卫生健康委员会抽查{counts.get('抽查', 0)}次、"
             f"“回头看”复查{counts.get('回头看', 0)}次")
    total = sum(n for _, n in data.inspections)
    overdue = f"，其中已逾期{f.overdue}处（可能构成重大火灾隐患{f.overdue_major}处）" if f.overdue else ""
    return (
        f"截至{zh_date(data.as_of)}，我单位共开展消防安全检查{total}次（{kinds}），涉及科室{data.departments}个，"
        f"发现火灾隐患{f.found}处，其中可能构成重大火灾隐患{f.major}处；已整改{f.rectified}处"
        f"（其中复查销号{f.verified}处），整改率{pct(f.rate)}；尚未整改{f.open}处{overdue}；"
        f"暂缓整改{f.deferred}处，挂牌督办{f.listed}处。"
    )


def work_sections(work: WorkReport) -> list[Flowable]:
    """（一）…（六） the work items, each with the unit's words or 未填报."""
    parts: list[Flowable] = []
    for n, (name, title) in enumerate(WORK_ITEMS):
        value = getattr(work, name).strip()
        if name == "other" and not value:
            continue
        parts.append(para(f"（{NUMBERS[n]}）{title}。", "plain"))
        parts.append(para(markup(value) if value else MISSING))
    return parts


def _phase_table(data: UnitReport):
    body = [[p.name, f"{zh_date(p.start)}至{zh_date(p.end)}", p.inspections, p.found, p.rectified]
            for p in data.phases]
    widths = (WIDTH * 0.17, WIDTH * 0.35, WIDTH * 0.16, WIDTH * 0.16, WIDTH * 0.16)
    return grid([["阶段", "起止日期", "检查（次）", "发现隐患（处）", "整改隐患（处）"]], body, widths, left=(0, 1))


def _open_table(data: UnitReport) -> list[Flowable]:
    if not data.open:
        return [para("所有发现的火灾隐患均已整改。", "plain")]
    body = [
        [str(n), markup(line.area), para(("【可能构成重大火灾隐患】" if line.major else "") + markup(line.description),
                                          "cell"),
         zh_date(line.deadline), line.status, str(line.days_overdue) if line.days_overdue else ""]
        for n, line in enumerate(data.open, start=1)
    ]
    widths = (10 * mm, 30 * mm, WIDTH - 110 * mm, 28 * mm, 20 * mm, 22 * mm)
    return [grid([["序号", "部位", "隐患描述", "整改期限", "状态", "逾期天数"]], body, widths, left=(1, 2))]
