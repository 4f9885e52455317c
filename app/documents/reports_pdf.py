"""The campaign's reports as A4 PDFs: monthly unit report (月报), campaign summary (总结报告),
hazard ledger (隐患台账, landscape) and circular (通报).

Each renders a frozen data value from `app.domain.reports` and nothing else: Chinese, the
bundled font embedded, "第 x 页 共 y 页" on every page, black on white for photocopying, and
the same data gives the same bytes (reportlab's invariant mode; the creation date is the
moment the data was gathered). The summary and the ledger live in their own modules.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents.common import build_pdf, zh_date
from app.documents.common import text as markup
from app.documents.ledger_pdf import render_ledger
from app.documents.report_chart import bar_chart
from app.documents.report_parts import (
    colophon,
    grid,
    heading,
    kind_label,
    para,
    pct,
    seal_block,
    signature_lines,
    title_block,
)
from app.documents.summary_pdf import lag_reason, render_summary
from app.documents.unit_report_pdf import work_sections
from app.domain.reports import LATE_GRACE_DAYS, CircularData, MonthlyReport

__all__ = ["render_monthly", "render_summary", "render_ledger", "render_circular"]

WIDTH = A4[0] - 40 * mm


# ---------------------------------------------------------------- monthly unit report (月报)


def render_monthly(data: MonthlyReport) -> bytes:
    month = f"{data.year}年{data.month}月"
    story: list[Flowable] = [
        *title_block(data.unit_name, "火灾隐患排查整治工作月报", f"（{month}）"),
        para(_period(data), "plain"),
        *heading("一、基本情况"),
        para(_overview(data)),
        *heading("二、隐患情况统计"),
        _figures_table(data),
        *heading("三、分部位情况"),
        *_by_location(data),
        *heading("四、逾期未整改隐患"),
        *_overdue(data),
        *heading("五、工作情况"),
        *work_sections(data.work),
        Spacer(1, 6 * mm),
        KeepTogether([signature_lines(["填报人", "联系电话"], WIDTH), Spacer(1, 2 * mm),
                      para(f"（本月报请于{zh_date(data.due)}前（含当日）报送{escape(data.addressee or data.bureau)}）",
                           "small"),
                      Spacer(1, 4 * mm), seal_block(data.unit_name, data.as_of, signer="单位负责人")]),
    ]
    return build_pdf(story, title=f"{data.unit_name} {month}工作月报", author=data.unit_name,
                     footer=f"{data.unit_name} {month}月报", moment=data.generated_at)


def _period(data: MonthlyReport) -> str:
    phases = "、".join(data.phases) or "专项行动期外"
    return (f"统计期间：{zh_date(data.start)}至{zh_date(data.end)}　统计截止：{zh_date(data.as_of)}<br/>"
            f"所处阶段：{escape(phases)}　报送期限：{zh_date(data.due)}前")


def _overview(data: MonthlyReport) -> str:
    m, total = data.this_month, data.to_date
    kinds = "、".join(f"{kind_label(kind)}{n}次" for kind, n in data.inspections)
    return (
        f"本月共开展消防安全检查{data.inspection_total}次（{kinds}），检查部位{data.areas}处；"
        f"发现火灾隐患{m.found}处，其中重大火灾隐患{m.major}处；完成整改{m.rectified}处，复查销号{m.verified}处；"
        f"新增逾期未整改{m.overdue}处，新增暂缓整改{m.deferred}处，新增挂牌督办{m.listed}处。"
        f"截至{zh_date(data.as_of)}，专项行动以来累计发现隐患{total.found}处（重大{total.major}处），"
        f"已整改{total.rectified}处，整改率{pct(total.rate)}；逾期未整改{total.overdue}处，"
        f"暂缓整改{total.deferred}处，挂牌督办{total.listed}处。"
    )


def _figures_table(data: MonthlyReport):
    m, total = data.this_month, data.to_date
    body: list[list[Any]] = [
        ["发现火灾隐患（处）", m.found, total.found],
        ["其中：重大火灾隐患（处）", m.major, total.major],
        ["已整改（处）", m.rectified, total.rectified],
        ["复查销号（处）", m.verified, total.verified],
        ["逾期未整改（处）", m.overdue, total.overdue],
        ["暂缓整改（处）", m.deferred, total.deferred],
        ["挂牌督办（处）", m.listed, total.listed],
        ["整改率", "—", pct(total.rate)],
    ]
    note = para(f"注：“本月”栏为统计期间（{zh_date(data.start)}至{zh_date(data.end)}）内发生的数量（逾期为期间内"
                "到期未整改的新增数）；“累计”栏为统计截止时的状态。统计期间截至报送期限当日。",
                "cell_small")
    widths = (WIDTH * 0.5, WIDTH * 0.2, WIDTH * 0.3)
    return KeepTogether([grid([["项目", "本月", "截至统计截止日累计"]], body, widths, left=(0,)),
                         Spacer(1, 1.5 * mm), note])


def _by_location(data: MonthlyReport) -> list[Flowable]:
    rows = data.by_location
    if not rows:
        return [para("本月无检查部位和隐患记录。", "plain")]
    body: list[list[Any]] = [[r.name, r.areas, r.found, r.rectified, r.overdue] for r in rows]
    totals = ["合计", *(sum(r[n] for r in body) for n in range(1, 5))]
    widths = (WIDTH * 0.28, *(WIDTH * 0.18,) * 4)
    chart = bar_chart([r.name for r in rows], [[r.found for r in rows], [r.rectified for r in rows],
                                               [r.overdue for r in rows]], WIDTH, 40 * mm)
    head = [["部位类型", "本月（处）", "", "", "统计截止时（处）"],
            ["", "检查部位", "发现隐患", "整改隐患", "逾期未整改"]]
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (3, 0))]
    caption = para("图　各类部位本月发现、整改隐患数和统计截止时逾期未整改隐患数", "small")
    return [
        KeepTogether([chart, Spacer(1, 1.5 * mm), caption]),
        Spacer(1, 3 * mm),
        grid(head, [*body, totals], widths, left=(0,), spans=spans, total=True),
    ]


def _overdue(data: MonthlyReport) -> list[Flowable]:
    if not data.overdue:
        return [para(f"截至{zh_date(data.as_of)}，无逾期未整改隐患。", "plain")]
    body = [
        [str(n), markup(line.area), _description(line), zh_date(line.deadline), line.days_overdue,
         ("挂牌督办" if line.listed else "")]
        for n, line in enumerate(data.overdue, start=1)
    ]
    widths = (10 * mm, 32 * mm, WIDTH - 108 * mm, 28 * mm, 18 * mm, 20 * mm)
    return [grid([["序号", "部位", "隐患描述", "整改期限", "逾期天数", "备注"]], body, widths, left=(1, 2))]


def _description(line) -> Flowable:
    mark = "【可能构成重大火灾隐患】" if line.major else ""
    return para(mark + markup(line.description), "cell")


# ---------------------------------------------------------------- circular (通报)


_SECTIONS = {
    1: "抽查发现问题整改不到位的单位",
    2: "整改进展滞后的单位",
    3: "工作事项报送逾期的单位",
}


def render_circular(data: CircularData) -> bytes:
    """通报 in the shape of an official document (GB/T 9704): issuer, 文号, title, 主送, body with
    the units graded (spot-check findings first, paperwork lateness last and apart), the issuer
    and date over the seal area, and the 版记 (抄送, 印发)."""
    issuer = data.issuer or data.bureau
    story: list[Flowable] = [
        *title_block(issuer, "关于专项行动抽查情况及工作滞后单位的通报" if data.lagging
                     else "关于专项行动工作进展情况的通报", data.number),
        para(f"{escape(data.main_to)}：", "plain"),
        para(_circular_opening(data)),
    ]
    sections = 0
    if data.lagging:
        for grade, title in _SECTIONS.items():
            units = [u for u in data.lagging if u.grade == grade]
            if not units:
                continue
            story += heading(f"{_chinese_number(sections + 1)}、{title}")
            sections += 1
            for n, unit in enumerate(units, start=1):
                story += _named_unit(n, unit)
        story += heading(f"{_chinese_number(sections + 1)}、通报单位情况汇总")
        body = [[u.name, u.found, u.due, u.rectified_due, pct(u.due_rate), len(u.spot_findings), len(u.overdue_major),
                 "；".join(lag_reason(r, short=True) for r in u.reasons)] for u in data.lagging]
        widths = (36 * mm, 13 * mm, 13 * mm, 15 * mm, 18 * mm, 15 * mm, 15 * mm, WIDTH - 125 * mm)
        head = ["单位", "发现隐患", "到期隐患", "到期已整改", "到期隐患整改率", "抽查问题未改", "逾期重大隐患",
                "通报原因"]
        story.append(grid([head], body, widths, left=(0, 7)))
        story += heading(f"{_chinese_number(sections + 2)}、有关要求")
        requirements = _requirements(data)
    else:
        story += heading("有关要求")
        requirements = _requirements(data, lagging=False)
    story += [para(text, "item", f"{n}.") for n, text in enumerate(requirements, start=1)]
    story += [Spacer(1, 8 * mm), KeepTogether([seal_block(issuer, data.as_of, data.seal), Spacer(1, 6 * mm),
                                               colophon(data.copy_to, issuer, data.as_of)])]
    return build_pdf(story, title=f"{issuer} 通报 {data.number}", author=issuer,
                     footer=data.number or f"通报 {zh_date(data.as_of)}", moment=data.generated_at)


def _named_unit(n: int, unit) -> list[Flowable]:
    parts = [para(f"（{_chinese_number(n)}）{escape(unit.name)}。" + "；".join(
        lag_reason(reason) for reason in unit.reasons) + "。")]
    if unit.spot_findings:
        parts.append(para("市卫生健康委员会检查组抽查发现、尚未整改的问题：", "body"))
        parts += [para(f"{_where_what(line)}（{_finding_state(line)}）。", "item", f"{k}.")
                  for k, line in enumerate(unit.spot_findings, start=1)]
    others = [line for line in unit.overdue_major if line not in unit.spot_findings]
    if others:
        parts.append(para("逾期未整改的可能构成重大火灾隐患的问题：", "body"))
        parts += [para(f"{_where_what(line)}（整改期限{zh_date(line.deadline)}，已逾期{line.days_overdue}天"
                       f"{'，已挂牌督办' if line.listed else ''}）。", "item", f"{k}.")
                  for k, line in enumerate(others, start=1)]
    if unit.late:   # paperwork late beyond the grace days only
        parts.append(para("逾期未报送的专项行动工作事项：" + "；".join(
            f"{escape(o.name_zh)}（应于{zh_date(o.due)}前报送，已逾期{days}天）"
            for o, days in zip(unit.late, unit.late_days or [0] * len(unit.late), strict=False)) + "。", "body"))
    return parts


def _finding_state(line) -> str:
    parts = ["可能构成重大火灾隐患"] if line.major else []
    parts.append(f"整改期限{zh_date(line.deadline)}")
    if line.days_overdue:
        parts.append(f"已逾期{line.days_overdue}天")
    if line.listed:
        parts.append("已挂牌督办")
    return "，".join(parts)


def _circular_opening(data: CircularData) -> str:
    limits = data.thresholds
    rate = pct(data.rectified / data.found if data.found else None)
    standard = ("抽查发现的问题逾期未整改或可能构成重大火灾隐患尚未整改，"
                f"到期隐患整改率低于{pct(limits.min_rectification_rate)}")
    standard += ("，存在逾期未整改的重大火灾隐患" if limits.max_overdue_major == 0
                 else f"，逾期未整改的重大火灾隐患超过{limits.max_overdue_major}处")
    standard += f"，或专项行动工作事项逾期{LATE_GRACE_DAYS}天以上未报送"
    base = (
        f"按照{escape(data.campaign)}工作方案，市卫生健康委员会检查组对{data.spot_checked}家直属单位的自查整改情况"
        f"进行了抽查，并对截至{zh_date(data.as_of)}各直属单位火灾隐患整改情况进行了统计。"
        f"{data.units_checked}家直属单位共发现火灾隐患{data.found}处，已整改{data.rectified}处，整改率{rate}。"
        f"按照专项行动通报标准（{standard}），"
    )
    if not data.lagging:
        return base + "各单位均未达到通报标准，现予通报。"
    return base + f"现将{len(data.lagging)}家工作不到位、措施不落实的单位通报如下。"


def _requirements(data: CircularData, lagging: bool = True) -> list[str]:
    if not lagging:
        return [
            "各单位要保持工作力度，对尚未整改的隐患逐项明确整改责任人、整改措施、整改资金和完成时限，按期整改到位。",
            "各单位要及时更新隐患台账，按时报送工作月报。",
        ]
    return [
        "被通报单位要高度重视，主要负责人要亲自研究部署，逐项制定整改措施，明确整改责任人、整改资金和完成时限，"
        "并于通报印发之日起5个工作日内将整改情况书面报送" + escape(data.bureau) + "。",
        "对逾期未整改的重大火灾隐患，整改完成前必须落实临时性防范措施，确保安全；不能确保安全的部位要停止使用。",
        "各单位要举一反三，对照本通报全面排查本单位同类隐患，按期完成整改并及时更新隐患台账。",
        "市卫生健康委员会检查组将对被通报单位开展“回头看”复查，对整改不力的单位予以挂牌督办。",
    ]


def _where_what(line) -> str:
    """"部位：描述", without the area twice when the description already starts with it."""
    what = markup(line.description)
    if not line.area or line.description.startswith(line.area):
        return what
    return f"{markup(line.area)}：{what}"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
