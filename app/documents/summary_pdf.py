"""The campaign summary (总结报告) as an A4 PDF: totals, phases, every unit, lagging units."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.documents.common import build_pdf, zh_date
from app.documents.common import text as markup
from app.documents.report_parts import grid, heading, para, pct, seal_block, title_block
from app.domain.reports import LagReason, SummaryReport, UnitSummary

__all__ = ["render_summary", "lag_reason"]

WIDTH = A4[0] - 40 * mm


def lag_reason(reason: LagReason, short: bool = False) -> str:
    """Why a unit is named, as a clause of a sentence (or a few words for a table cell)."""
    if reason.kind == "spot_check":
        if short:
            return "抽查问题未整改"
        return f"市卫生健康委员会检查组抽查发现的问题中，有{reason.value}处逾期未整改或可能构成重大火灾隐患尚未整改"
    if reason.kind == "rectification_rate":
        if short:
            return f"整改率低于{pct(reason.limit)}"
        return f"到期隐患整改率为{pct(reason.value)}，低于{pct(reason.limit)}的通报标准"
    if reason.kind == "overdue_major":
        if short:
            return "重大隐患逾期未改"
        if reason.limit == 0:
            return f"存在逾期未整改的可能构成重大火灾隐患的问题{reason.value}处"
        return f"逾期未整改的可能构成重大火灾隐患的问题{reason.value}处，超过{reason.limit}处的通报标准"
    if reason.kind == "late_obligations":
        return "工作事项报送逾期" if short else f"专项行动工作事项逾期一周以上未报送{reason.value}项"
    return reason.kind


def render_summary(data: SummaryReport) -> bytes:
    story: list[Flowable] = [
        *title_block(data.bureau, f"{data.campaign}总结报告", f"（统计截止：{zh_date(data.as_of)}）"),
        *heading("一、总体情况"),
        para(_overview(data)),
        *heading("二、各阶段情况"),
        _phases(data),
        *heading("三、各单位各阶段情况"),
        *_per_phase(data),
        *heading("四、各单位隐患整改情况"),
        _per_unit(data),
        *heading("五、工作滞后单位"),
        *_lagging(data),
        *heading("六、成功经验和先进模式"),
        para(markup(data.narrative.experience) if data.narrative.experience.strip() else "（未填写）"),
        *heading("七、存在的问题"),
        para(markup(data.narrative.problems) if data.narrative.problems.strip() else "（未填写）"),
        *heading("八、长效工作机制"),
        para(markup(data.narrative.mechanisms) if data.narrative.mechanisms.strip() else "（未填写）"),
        Spacer(1, 8 * mm),
        seal_block(data.bureau, data.as_of, seal=data.seal, signer=data.signer_title),
    ]
    return build_pdf(story, title=f"{data.campaign}总结报告", author=data.bureau,
                     footer=f"总结报告 {zh_date(data.as_of)}", moment=data.generated_at)


def _overview(data: SummaryReport) -> str:
    t = data.total
    first, last = data.phases[0], data.phases[-1]
    phases = "、".join(f"{escape(p.name)}（{p.start.month}月{p.start.day}日至{p.end.month}月{p.end.day}日）"
                      for p in data.phases)
    lagging = len(data.circular.lagging)
    before = t.inspections - sum(f.inspections for f in t.phases)
    outside = f"（其中专项行动期外{before}次）" if before else ""
    return (
        f"{escape(data.campaign)}自{zh_date(first.start)}开始，至{zh_date(last.end)}结束，分{phases}"
        f"{len(data.phases)}个阶段进行。截至{zh_date(data.as_of)}，{len(data.units)}家直属单位中有"
        f"{data.units_active}家开展了检查，共开展检查{t.inspections}次{outside}，发现火灾隐患{t.found}处，"
        f"其中重大火灾隐患{t.major}处；已整改{t.rectified}处（其中复查销号{t.verified}处），整改率{pct(t.rate)}；"
        f"重大火灾隐患已整改{t.major_rectified}处；逾期未整改{t.overdue}处（其中重大{t.overdue_major}处），"
        f"暂缓整改{t.deferred}处，挂牌督办{t.listed}处。按通报标准，工作滞后单位{lagging}家。"
    )


def _phases(data: SummaryReport):
    body = [
        [p.name, f"{zh_date(p.start)}至{zh_date(p.end)}", f.inspections, f.found, f.rectified]
        for p, f in zip(data.phases, data.total.phases, strict=True)
    ]
    widths = (WIDTH * 0.17, WIDTH * 0.35, WIDTH * 0.16, WIDTH * 0.16, WIDTH * 0.16)
    return grid([["阶段", "起止日期", "检查（次）", "发现隐患（处）", "整改隐患（处）"]], body, widths, left=(0, 1))


def _per_phase(data: SummaryReport):
    head_top = ["单位", *(x for p in data.phases for x in (p.name, "", "")), "合计", "", ""]
    name_w = 40 * mm
    head = [head_top, ["", *(["检查", "发现", "整改"] * (len(data.phases) + 1))]]
    spans = [("SPAN", (0, 0), (0, 1))]
    spans += [("SPAN", (1 + 3 * n, 0), (3 + 3 * n, 0)) for n in range(len(data.phases) + 1)]

    def row(u: UnitSummary) -> list:
        cells = [x for f in u.phases for x in (f.inspections, f.found, f.rectified)]
        sums = [sum(getattr(f, key) for f in u.phases) for key in ("inspections", "found", "rectified")]
        return [u.name or "合计", *cells, *sums]

    body = [row(u) for u in (*data.units, data.total)]
    widths = (name_w, *((WIDTH - name_w) / (3 * len(data.phases) + 3),) * (3 * len(data.phases) + 3))
    note = ("（“合计”为三个阶段之和；“整改”为该阶段内登记整改的隐患数，同一隐患复查未通过后再次整改的，"
            "在再次整改的阶段另计。）")
    return [grid(head, body, widths, left=(0,), spans=spans, total=True), para(note, "cell_small")]


def _per_unit(data: SummaryReport):
    head = [["单位", "发现隐患", "已整改", "整改率", "重大隐患", "重大已整改", "逾期未改", "其中重大", "暂缓",
             "挂牌", "滞后"]]
    body = [
        [u.name or "合计", u.found, u.rectified, pct(u.rate), u.major, u.major_rectified, u.overdue,
         u.overdue_major, u.deferred, u.listed, "是" if u.lagging and u.unit else ""]
        for u in (*data.units, data.total)
    ]
    name_w = 40 * mm
    widths = (name_w, *((WIDTH - name_w) / 10,) * 10)
    return grid(head, body, widths, left=(0,), total=True)


def _lagging(data: SummaryReport) -> list[Flowable]:
    circular = data.circular
    if not circular.lagging:
        return [para("按照专项行动通报标准，各单位均未达到通报标准。", "plain")]
    parts = [para(f"按照专项行动通报标准，以下{len(circular.lagging)}家单位工作进展滞后：", "plain")]
    parts += [
        para(f"{escape(u.name)}：" + "；".join(lag_reason(r) for r in u.reasons) + "。", "item", f"{n}.")
        for n, u in enumerate(circular.lagging, start=1)
    ]
    return parts
