"""Pieces every report is made of: the title block, headings, ruled tables, labels and numbers.

Reports are Chinese documents whatever the UI language; status and inspection-kind labels
come from the zh-CN message catalog so they read as they do on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from app.documents.common import Bold, table
from app.documents.fonts import FONT, draw_runs, styles
from app.domain.figures import percent_text
from app.domain.model import Flag, HazardStatus, InspectionKind
from app.i18n import Translator

__all__ = [
    "GRID", "HEAD_FILL", "status_label", "kind_label", "flag_labels", "pct", "short_date", "title_block",
    "heading", "para", "grid", "signature_lines", "seal_block", "colophon",
]

GRID = 0.6
HEAD_FILL = colors.Color(0.88, 0.88, 0.88)     # light enough to photocopy, dark enough to see
_ZH = Translator("zh-CN")
_FLAGS = {Flag.LISTED: "挂牌督办", Flag.SUSPENDED: "停业整改", Flag.EXPERT_REVIEW: "专家论证"}


def status_label(status: HazardStatus) -> str:
    return _ZH(f"status.{HazardStatus(status).value}")


def kind_label(kind: InspectionKind | None) -> str:
    return _ZH(f"inspection_kind.{InspectionKind(kind).value}") if kind else "—"


def flag_labels(flags) -> list[str]:
    return [_FLAGS[Flag(f)] for f in flags]


def pct(rate: float | None) -> str:
    """69.2% (one decimal, 80% not 80.0%), or a dash: the one rounding (`app.domain.figures`)."""
    return percent_text(rate)


def short_date(day: dt.date | None) -> str:
    """Dates in narrow table cells: 2026-07-20."""
    return day.isoformat() if day else ""


def title_block(issuer: str, title: str, subtitle: str = "") -> list[Flowable]:
    """Issuer, title (wrapped if long) and an optional line under it, then a heavy rule."""
    st = styles()
    parts: list[Flowable] = [Paragraph(escape(issuer), st.issuer), Spacer(1, 2 * mm)]
    parts.append(Paragraph(escape(title), st.title))
    if subtitle:
        parts += [Spacer(1, 1 * mm), Paragraph(escape(subtitle), st.issuer)]
    parts.append(HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=4, spaceAfter=6))
    return parts


def heading(text: str) -> list[Flowable]:
    return [Spacer(1, 3 * mm), Bold(text, 12.5), Spacer(1, 1 * mm)]


def para(text: str, style: str = "body", bullet: str | None = None) -> Paragraph:
    """A paragraph of report prose (already markup: escape user text before); with `bullet`
    ("1.") it hangs under its number (use the `item` style)."""
    return Paragraph(text, getattr(styles(), style), bulletText=bullet)


@cache
def _small_center() -> ParagraphStyle:
    return ParagraphStyle("cell_small_center", parent=styles().cell_small, alignment=TA_CENTER)


def grid(head: list[list[str]], body: list[list], widths, *, left: tuple[int, ...] = (), small: bool = False,
         spans: Sequence[tuple] = (), total: bool = False, **kw) -> Table:
    """A ruled table. `head` rows are shaded and repeat on every page; cells are Paragraphs
    (plain strings never wrap): columns in `left` are left-aligned text, others centred.
    A `total` table draws its last row shaded as well."""
    st = styles()
    text_style = st.cell_small if small else st.cell
    number_style = _small_center() if small else st.cell_center
    rows: list[list] = [[Paragraph(escape(c), st.cell_head) if isinstance(c, str) else c for c in r] for r in head]
    for row in body:
        rows.append([
            cell if not isinstance(cell, str | int) else Paragraph(
                escape(str(cell)) if cell != "" else "", text_style if n in left else number_style)
            for n, cell in enumerate(row)
        ])
    style = [
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("BACKGROUND", (0, 0), (-1, len(head) - 1), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *spans,
    ]
    if total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), HEAD_FILL))
    return table(rows, widths, style, repeatRows=len(head), **kw)


class _FillIn(Flowable):
    """Labels with a line to write on after each (填报人：＿＿＿), side by side."""

    def __init__(self, labels: list[str], width: float, size: float = 11):
        super().__init__()
        self.labels, self.width, self.size = labels, width, size

    def wrap(self, aw, ah):
        return self.width, self.size + 14

    def draw(self):
        canv, share = self.canv, self.width / len(self.labels)
        canv.setFont(FONT, self.size)
        canv.setLineWidth(0.5)
        for n, label in enumerate(self.labels):
            x = n * share
            text = label + "："
            canv.drawString(x, 3, text)
            canv.line(x + stringWidth(text, FONT, self.size) + 2, 1, x + share - 8 * mm, 1)


def signature_lines(labels: list[str], width: float) -> Flowable:
    """Blank lines to fill in by hand (填报人、审核人、日期…), side by side."""
    return _FillIn(labels, width)


class _SealBlock(Flowable):
    """The issuing body and the date at the right, under a dashed circle where its seal goes (盖章处):
    an official document is stamped over its issuer and date."""

    SIDE = 32 * mm

    def __init__(self, issuer: str, day: dt.date, seal: str = "", signer: str = ""):
        super().__init__()
        self.issuer, self.day, self.seal, self.signer = issuer, day, seal, signer

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.SIDE + 4

    def draw(self):
        canv, right = self.canv, self.width
        centre_x, centre_y = right - self.SIDE / 2 - 4 * mm, self.SIDE / 2 + 2
        canv.setLineWidth(0.5)
        canv.setDash(2, 2)
        canv.circle(centre_x, centre_y, self.SIDE / 2, stroke=1, fill=0)
        canv.setDash()
        draw_runs(canv, centre_x, centre_y + self.SIDE / 2 - 9, "（盖章处）", 7, anchor="centre")
        lines = [self.issuer, f"{self.signer}（签名）：" + "　" * 5 if self.signer else "",
                 f"{self.day.year}年{self.day.month}月{self.day.day}日"]
        y = self.SIDE / 2 + 16
        for text in lines:
            if text:
                draw_runs(canv, right, y, text, 11.5, anchor="right")
            y -= 17
        if self.seal and self.seal != self.issuer:
            draw_runs(canv, centre_x, centre_y - self.SIDE / 2 + 5, self.seal, 7, anchor="centre")


def seal_block(issuer: str, day: dt.date, seal: str = "", signer: str = "") -> Flowable:
    """Issuer, signer line and date at the right over the seal area."""
    return _SealBlock(issuer, day, seal, signer)


def colophon(copy_to: str, issuer: str, day: dt.date) -> Flowable:
    """版记 (GB/T 9704 §8): 抄送 between rules, then the printing office and the date it printed."""
    st = styles()
    rule = {"width": "100%", "color": colors.black, "spaceBefore": 2, "spaceAfter": 2}
    printed = table([[Paragraph(escape(issuer), st.plain),
                      Paragraph(f"{day.year}年{day.month}月{day.day}日印发", st.right)]], ("70%", "30%"),
                    [("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)])
    parts: list[Flowable] = [HRFlowable(thickness=1.2, **rule)]
    if copy_to:
        parts += [Paragraph(f"抄送：{escape(copy_to)}。", st.plain), HRFlowable(thickness=0.6, **rule)]
    parts += [printed, HRFlowable(thickness=1.2, **rule)]
    return KeepTogether(parts)
