"""The responsibility letter (消防安全责任书 / 隐患整改责任状) as an A4 PDF.

One letter per unit (the commission with the unit) or per department (the unit with its
department): the hazards it covers, each with its responsible person, measures, funds and
deadline, the duties both sides accept, and lines to sign and stamp. Printable in black and
white; the same content gives the same bytes (the date is the content's own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.documents.common import build_pdf, zh_date
from app.documents.common import text as markup
from app.documents.fonts import styles
from app.documents.report_parts import grid, heading, para, signature_lines, title_block
from app.domain.clock import CAMPAIGN_TZ

__all__ = ["LetterLine", "LetterContent", "render_responsibility_letter"]

WIDTH = 170 * mm   # A4 less 20 mm margins
COLUMNS = (("序号", 9 * mm), ("部位", 23 * mm), ("隐患描述", 0), ("等级", 10 * mm), ("责任人", 19 * mm),
           ("整改措施", 34 * mm), ("资金（元）", 18 * mm), ("整改期限", 22 * mm))


@dataclass(frozen=True)
class LetterLine:
    area: str
    description: str
    major: bool
    responsible: str
    measures: str
    funds: Decimal
    deadline: dt.date
    overdue: bool = False       # past its deadline on the letter's date


@dataclass(frozen=True)
class LetterContent:
    campaign: str           # 专项行动名称
    party_a: str            # 甲方: the commission (unit letter) or the unit (department letter)
    party_b: str            # 乙方: the unit or the department
    unit_name: str
    department: str         # "" for a letter to the whole unit
    as_of: dt.date
    lines: tuple[LetterLine, ...]

    @property
    def funds(self) -> Decimal:
        return sum((line.funds for line in self.lines), Decimal("0"))

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.overdue)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _duties(content: LetterContent) -> list[str]:
    b = escape(content.party_b)
    return [
        f"{b}是所列火灾隐患整改的责任主体，主要负责人对整改工作负总责，整改责任人对所列隐患的整改负直接责任。",
        "按所列整改措施、整改资金和整改期限完成整改；整改期间落实临时性防范措施，确保安全。",
        "确因客观原因不能按期完成的，应在期限届满前提交书面说明、分步整改方案和临时性防范措施，经同意后方可暂缓。",
        "整改完成后及时报送整改情况和整改前后照片，接受复查；复查未通过的，重新落实整改。",
        "未按期整改或整改不到位的，依照有关规定予以通报、挂牌督办并追究相关人员责任。",
    ]


def render_responsibility_letter(content: LetterContent) -> bytes:
    st = styles()
    scope = content.party_b
    story: list[Flowable] = [
        *title_block(content.campaign, "消防安全责任书", f"（火灾隐患整改责任状 · {scope}）"),
        para(f"甲方：{escape(content.party_a)}", "plain"),
        para(f"乙方：{escape(content.party_b)}", "plain"),
        Spacer(1, 2 * mm),
        para(f"为落实消防安全责任制，按照{escape(content.campaign)}的工作要求，甲乙双方就下列火灾隐患的整改"
             f"签订本责任书。截至{zh_date(content.as_of)}，乙方尚有待整改火灾隐患{len(content.lines)}处"
             f"{f'（其中已超过整改期限{content.overdue}处，须立即整改）' if content.overdue else ''}，"
             f"落实整改资金{_money(content.funds)}元。"),
        *heading("一、隐患整改责任清单"),
    ]
    if content.lines:
        story.append(grid([[h for h, _ in COLUMNS]], [_row(n, line, st) for n, line in enumerate(content.lines, 1)],
                          _widths(), left=(1, 2, 4, 5), small=True))
        story.append(grid([], [["合计", "", "", "", "", "", _money(content.funds), ""]], _widths(), small=True,
                          spans=[("SPAN", (0, 0), (5, 0))], total=True))
    else:
        story.append(para("目前无待整改火灾隐患。", "plain"))
    story += heading("二、双方责任")
    story += [para(text, "item", bullet=f"{n}.") for n, text in enumerate(_duties(content), 1)]
    story += [para("本责任书一式两份，甲乙双方各执一份，自签订之日起生效，至所列隐患全部整改销号时止。", "plain"),
              Spacer(1, 10 * mm)]
    story.append(KeepTogether([
        para("甲方（盖章）：", "plain"), Spacer(1, 6 * mm),
        signature_lines(["负责人签字", "日期"], WIDTH), Spacer(1, 10 * mm),
        para("乙方（盖章）：", "plain"), Spacer(1, 6 * mm),
        signature_lines(["负责人签字", "日期"], WIDTH), Spacer(1, 4 * mm),
        signature_lines(["整改责任人签字", "日期"], WIDTH),
    ]))
    moment = dt.datetime(content.as_of.year, content.as_of.month, content.as_of.day, tzinfo=CAMPAIGN_TZ)
    return build_pdf(story, title=f"消防安全责任书 {scope}", author=content.party_a, footer=f"消防安全责任书 {scope}",
                     moment=moment)


def _widths() -> list[float]:
    widths = [w for _, w in COLUMNS]
    widths[2] = WIDTH - sum(widths)
    return widths


def _row(number: int, line: LetterLine, st) -> list:
    def cell(value: str) -> Paragraph:
        return Paragraph(markup(value) if value else "", st.cell_small)

    return [str(number), cell(line.area), cell(line.description), "重大" if line.major else "一般",
            cell(line.responsible), cell(line.measures), _money(line.funds),
            cell(zh_date(line.deadline) + ("（已逾期）" if line.overdue else ""))]
