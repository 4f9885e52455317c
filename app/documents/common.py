"""What every PDF document shares: dates in Chinese, tables in our font, a bold line, user text
as markup, and the page footer "第 x 页 共 y 页" written once the total is known.

Moved here from `notice_pdf` so the notice and the reports draw them the same way; the notice
renders byte for byte as it did before the move.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import partial
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table

from app.documents.fonts import FONT, HEI, draw_runs
from app.domain.clock import CAMPAIGN_TZ

__all__ = ["zh_date", "pdf_date", "table", "text", "Bold", "FooterCanvas", "build_pdf"]

FOOTER_MARGIN = 20 * mm


def zh_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pdf_date(moment: dt.datetime) -> str:
    """`moment` as a PDF date (D:YYYYMMDDHHmmSS+08'00') in the campaign zone.

    A document's creation date is a moment taken from its content (issue, generation), never
    the wall clock: the same content then gives the same bytes.
    """
    local = moment.astimezone(CAMPAIGN_TZ)
    offset = int((local.utcoffset() or dt.timedelta()).total_seconds()) // 60   # (aware: never None)
    hours, minutes = divmod(abs(offset), 60)
    return local.strftime("D:%Y%m%d%H%M%S") + f"{'+' if offset >= 0 else '-'}{hours:02d}'{minutes:02d}'"


def table(rows: list[list], widths, style: list[tuple], **kw) -> Table:
    # even an empty cell sets a font: without ours it names Helvetica, which the PDF would not embed
    return Table(rows, colWidths=widths, style=[("FONTNAME", (0, 0), (-1, -1), FONT), *style], **kw)


def text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.splitlines()) or "—"


class Bold(Flowable):
    """One line of bold text in the sans face (headings, as 黑体 in official documents): the font has
    no bold face, so the glyphs are also stroked."""

    def __init__(self, text: str, size: float, align: str = "left", charSpace: float = 0):
        super().__init__()
        self.text, self.size, self.align, self.charSpace = text, size, align, charSpace

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.size * 1.35

    def draw(self):
        canv = self.canv
        # drawString adds charSpace after every character, the last one too
        text_w = stringWidth(self.text, HEI, self.size) + self.charSpace * len(self.text)
        x = {"left": 0, "center": (self.width - text_w + self.charSpace) / 2, "right": self.width - text_w}[self.align]
        canv.setFont(HEI, self.size)
        canv.setLineWidth(self.size * 0.035)
        canv.drawString(x, self.size * 0.3, self.text, mode=2, charSpace=self.charSpace)


class FooterCanvas(Canvas):
    """Holds each page until the end, then writes "第 x 页 共 y 页" knowing the total.

    `number` (a notice's number, a report's name) goes at the right of the footer; the footer
    spans the page between `margin`s, in portrait or landscape alike.
    """

    def __init__(self, *args, number: str, pdf_date: str, margin: float = FOOTER_MARGIN, **kwargs):
        super().__init__(*args, **kwargs)
        self._number = number
        self._margin = margin
        self._held: list[dict] = []
        self.setDateFormatter(lambda *_: pdf_date)   # creation date = moment of issue

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held)
        for index, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._footer(index, total)
            super().showPage()
        super().save()

    def _footer(self, page: int, total: int) -> None:
        y = 11 * mm
        width = self._pagesize[0]
        self.setStrokeColor(colors.black)
        self.setLineWidth(0.4)
        self.line(self._margin, y + 10, width - self._margin, y + 10)
        self.setFont(HEI, 9)
        self.drawCentredString(width / 2, y, f"第 {page} 页 共 {total} 页")
        draw_runs(self, width - self._margin, y, self._number, 8, anchor="right")


def build_pdf(story: list[Flowable], *, title: str, author: str, footer: str, moment: dt.datetime,
              pagesize: tuple[float, float] = A4, margin_x: float = 20 * mm, margin_top: float = 16 * mm,
              margin_bottom: float = 20 * mm) -> bytes:
    """PDF bytes of `story` on pages with the footer; the same story and moment give the same bytes.

    `invariant` mode fixes the document id, and the creation date is `moment` (the data's own
    time), never the wall clock.
    """
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, invariant=1, title=title, author=author, creator="firesweep", lang="zh-CN",
        initialFontName=FONT,           # else each page starts in Helvetica, which the PDF does not embed
    )
    width, height = pagesize
    frame = Frame(margin_x, margin_bottom, width - 2 * margin_x, height - margin_top - margin_bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.build(story, canvasmaker=partial(FooterCanvas, number=footer, pdf_date=pdf_date(moment), margin=margin_x))
    return buffer.getvalue()
