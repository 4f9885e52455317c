"""The rectification notice (火灾隐患整改通知书) as an A4 PDF, rendered from its frozen content.

It renders a `NoticeContent` and nothing else, so the same content gives the same bytes: the
document is built with reportlab's `invariant` mode and its dates are the moment of issue, which
makes a reprint byte-identical to the issued PDF (its hash is kept by the service).

Layout, top to bottom: issuer, title and number (a QR code top right carries id, number and the
content hash; the title is centred on the page, the QR sits in a margin column of its own); the
recipient and what was found; the hazard table (header row repeated on every page, up to two
photos under each hazard); the requirements; signatures (every inspector, the receiver, or 拒绝签收
with a witness and the time); the issuing body, its signer and the date over the seal area
(盖章处); and a tear-off receipt (回执) at the foot of the last page. Every page ends with
"第 x 页 共 y 页" and the number. Black on white only: it must read when photocopied.
Body text is set in the Song face (`fonts.FONT`), headings in the sans face.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections.abc import Callable
from functools import partial
from xml.sax.saxutils import escape

from PIL import Image, UnidentifiedImageError
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from app.documents.common import Bold as _Bold
from app.documents.common import FooterCanvas as _FooterCanvas
from app.documents.common import pdf_date, zh_date
from app.documents.common import table as _table
from app.documents.common import text as _text
from app.documents.fonts import FONT, draw_runs, styles
from app.documents.qr import qr_matrix
from app.domain.clock import CAMPAIGN_TZ, local_date
from app.domain.errors import StoreCorrupt
from app.domain.notice import RECIPIENT_DEPARTMENT, NoticeContent, NoticeHazardLine, Signature, snapshot_sha256

__all__ = ["TITLE", "render_notice", "qr_payload"]

TITLE = "火灾隐患整改通知书"
PHOTO_SIDE = 800            # px, long side of an embedded photo: ~390 dpi at the printed size
PHOTOS_PER_HAZARD = 2       # more stay in the record; the notice says how many
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 16 * mm, 20 * mm
WIDTH = A4[0] - 2 * MARGIN_X
COLUMNS = (11 * mm, 28 * mm, 61 * mm, 42 * mm, 28 * mm)    # 序号 部位 隐患描述 依据 整改期限
CELL_PAD = 4
ROW_BUDGET = 0.75 * (A4[1] - MARGIN_TOP - MARGIN_BOTTOM)    # a row this tall still fits under the header
GRID = 0.6


def qr_payload(content: NoticeContent) -> str:
    """What the QR code says. ASCII-only JSON: some scanners misread UTF-8 without an ECI header."""
    return json.dumps(
        {"id": content.notice_id, "no": content.number, "sha256": snapshot_sha256(content)},
        separators=(",", ":"),
    )


def render_notice(content: NoticeContent, load_photo: Callable[[str], bytes], qr_text: str = "") -> bytes:
    """PDF bytes of the notice. `load_photo(sha256)` returns the stored (upright) JPEG; `qr_text` is
    the signed claim the QR code carries (`app.domain.notice.encode_qr`; unsigned ids if empty)."""
    photos = _PhotoCache(load_photo)
    st = styles()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, invariant=1, title=f"{TITLE} {content.number}", author=content.issuer,
        subject=content.recipient, creator="firesweep", lang="zh-CN",
        initialFontName=FONT,           # else each page starts in Helvetica, which the PDF does not embed
    )
    # no frame padding: tables and rules line up with the text and the footer rule
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, WIDTH, A4[1] - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("notice", [frame])])
    story = [
        *_header(content, st, qr_text or qr_payload(content)),
        Paragraph(f"{escape(content.recipient)}：", st.plain),
        Paragraph(_opening(content), st.body),
        Spacer(1, 3 * mm),
        _hazard_table(content.hazards, photos, st),
        *_requirements(content, st),
        KeepTogether(_signatures(content, st)),
        _AtFrameBottom(_receipt(content, st)),
    ]
    footer = partial(_FooterCanvas, number=content.number, pdf_date=pdf_date(content.issued_at))
    doc.build(story, canvasmaker=footer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the parts, top to bottom


def _header(content: NoticeContent, st, qr_text: str) -> list[Flowable]:
    qr_side = 22 * mm
    side = qr_side + 2 * mm
    title = _Bold(TITLE, 22, align="center", charSpace=3)     # centred on the page: the side columns match
    centre = [Paragraph(escape(content.issuer), st.issuer), Spacer(1, 3 * mm), title]
    qr = [_QrCode(qr_text, qr_side), Paragraph("扫码核验", st.small)]
    table = _table([["", centre, qr]], (side, WIDTH - 2 * side, side), [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ])
    parts: list[Flowable] = [table, Spacer(1, 2 * mm), Paragraph(escape(content.number), st.number)]
    if content.version > 1:
        note = f"更正版（第{content.version}版，更正 {escape(content.supersedes_number)}）"
        parts.append(Paragraph(note, st.number))
    parts.append(HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=3, spaceAfter=8))
    return parts


def _opening(content: NoticeContent) -> str:
    """The issuing office speaks as 我处; a department is addressed as 你科（部门）, a unit as 你单位."""
    department = content.recipient_kind == RECIPIENT_DEPARTMENT
    you = "你科（部门）" if department else "你单位"
    areas = "、".join(escape(a) for a in content.areas)
    return (
        f"{zh_date(content.inspection_date)}，我处检查人员对{you}{'负责的' if department else ''}{areas}"
        f"进行了消防安全检查（{escape(content.inspection_kind)}），发现存在下列火灾隐患。"
        f"依据{escape(content.basis)}，请{you}按下列要求予以整改。"
    )


def major_mark(hazard: NoticeHazardLine) -> str:
    """On site an inspector flags; only a determination under GB 35181-2025 makes it 重大火灾隐患."""
    if not hazard.major:
        return ""
    return "【重大火灾隐患】" if hazard.major_determined else "【可能构成重大火灾隐患】"


def deadline_text(hazard: NoticeHazardLine) -> str:
    return "立即改正" if hazard.immediate else zh_date(hazard.deadline)


def _hazard_table(hazards: tuple[NoticeHazardLine, ...], photos: _PhotoCache, st) -> Table:
    head = [_Bold(text, 10, align="center") for text in ("序号", "部位", "隐患描述", "依据", "整改期限")]
    rows: list[list] = [head]
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), GRID, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    for hazard in hazards:
        rows += _hazard_rows(hazard, st)
        if hazard.photos:
            first = len(rows) - 1
            strip: list[Flowable] = [_PhotoStrip([photos.get(h) for h in hazard.photos[:PHOTOS_PER_HAZARD]])]
            if len(hazard.photos) > PHOTOS_PER_HAZARD:
                more = len(hazard.photos) - PHOTOS_PER_HAZARD
                strip.append(Paragraph(f"另有 {more} 张照片存档。", st.cell_small))
            rows.append(["", strip, "", "", ""])
            commands += [
                ("SPAN", (0, first), (0, first + 1)), ("SPAN", (1, first + 1), (-1, first + 1)),
                ("NOSPLIT", (0, first), (-1, first + 1)),
            ]
    return _table(rows, COLUMNS, commands, repeatRows=1)


def _hazard_rows(hazard: NoticeHazardLine, st) -> list[list]:
    """One table row, or several marked （续） when the texts are taller than a page.

    reportlab can only move a whole row to the next page; its in-row splitting (`splitInRow`)
    fills the following pages with empty repeated headers. So a row that could not fit on any
    page is cut here, between lines of its paragraphs, into rows that can.
    """
    description = [Paragraph(major_mark(hazard) + _text(hazard.description), st.cell)]
    if hazard.requirement:
        description.append(Paragraph("整改要求：" + _text(hazard.requirement), st.cell_small))
    cells = [
        [Paragraph(str(hazard.number), st.cell_center)], [Paragraph(_text(hazard.area), st.cell)], description,
        [Paragraph(_text(hazard.basis), st.cell)], [Paragraph(deadline_text(hazard), st.cell_center)],
    ]
    pieces = [_fill(cell, width - 2 * CELL_PAD) for cell, width in zip(cells, COLUMNS, strict=True)]
    rows = []
    for n in range(max(len(p) for p in pieces)):
        rows.append([p[n] if n < len(p) else "" for p in pieces])
        if n:
            rows[-1][0] = Paragraph(f"{hazard.number}<br/>（续）", st.cell_center)
    return rows


def _fill(flowables: list[Flowable], width: float) -> list[list[Flowable]]:
    """The cell's flowables in groups no taller than ROW_BUDGET, splitting a paragraph if needed."""
    groups: list[list[Flowable]] = [[]]
    room = ROW_BUDGET
    queue = list(flowables)
    while queue:
        flowable = queue.pop(0)
        if flowable.wrap(width, ROW_BUDGET)[1] <= room:
            groups[-1].append(flowable)
            room -= flowable.height
            continue
        parts = flowable.split(width, room)
        if len(parts) > 1:
            groups[-1].append(parts[0])
            queue[:0] = parts[1:]
        elif not groups[-1]:
            groups[-1].append(flowable)           # cannot split and alone: let it be tall
        else:
            queue.insert(0, flowable)
        groups.append([])
        room = ROW_BUDGET
    return [group for group in groups if group]


def _requirements(content: NoticeContent, st) -> list[Flowable]:
    parts: list[Flowable] = [Spacer(1, 2 * mm), _Bold("整改要求", 12.5)]
    for number, text in enumerate(content.requirements, start=1):
        parts.append(Paragraph(_text(text), st.item, bulletText=f"{number}."))
    if content.recheck_date:
        parts.append(Paragraph(f"预定复查日期：{zh_date(content.recheck_date)}。", st.item, bulletText=" "))
    return parts


def _signatures(content: NoticeContent, st) -> list[Flowable]:
    label_w = 42 * mm
    box_w = (WIDTH - label_w) / 3
    inspectors = list(content.inspectors) or [Signature(""), Signature("")]     # at least room to sign
    rows = []
    for start in range(0, len(inspectors), 3):
        label = Paragraph("检查人员（签名）：" if start == 0 else "", st.plain)
        boxes = [_SignatureBox(person) for person in inspectors[start:start + 3]]
        rows.append([label, *boxes, *[""] * (3 - len(boxes))])
    side = "被检查部门" if content.recipient_kind == RECIPIENT_DEPARTMENT else "被检查单位"
    refusal = content.refusal
    if refusal is None:
        received = (Paragraph(zh_date(local_date(content.issued_at)), st.plain) if content.receiver.png
                    else _BlankDate())
        rows.append([
            Paragraph(f"{side}<br/>签收人（签名）：", st.plain), _SignatureBox(content.receiver),
            Paragraph("签收日期：", st.right), received,
        ])
    else:
        at = refusal.at.astimezone(CAMPAIGN_TZ)
        who = escape(content.receiver.name) + " " if content.receiver.name else ""
        rows.append([
            Paragraph(f"{side}<br/>签收人：", st.plain), Paragraph(f"{who}拒绝签收", st.plain),
            Paragraph("见证人（签名）：", st.right), _SignatureBox(refusal.witness),
        ])
        rows.append(["", Paragraph(f"拒签时间：{zh_date(at.date())} {at:%H:%M}", st.plain), "", ""])
    last = len(rows) - 1
    table = _table(rows, (label_w, box_w, box_w, box_w), [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (0, -1), _SignatureBox.LABEL_PAD),
        ("BOTTOMPADDING", (2, last), (3, last), _SignatureBox.LABEL_PAD),
        *([("SPAN", (1, last), (-1, last))] if refusal else []),
    ])
    return [Spacer(1, 3 * mm), table, Spacer(1, 6 * mm), _SealArea(content)]


def _receipt(content: NoticeContent, st) -> list[Flowable]:
    we, who = (("我科（部门）", "签收部门") if content.recipient_kind == RECIPIENT_DEPARTMENT
               else ("我单位", "签收单位"))
    body = (
        f"{we}已收到{escape(content.issuer)}于{zh_date(local_date(content.issued_at))}送达的"
        f"《{TITLE}》（{escape(content.number)}，共 {len(content.hazards)} 项隐患），将按要求整改，"
        "并在整改期限届满前书面报告整改情况。"
    )
    addressed = _table(
        [[Paragraph(f"{escape(content.issuer)}：", st.plain), Paragraph(f"文号：{escape(content.number)}", st.right)]],
        (WIDTH / 2, WIDTH / 2),
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
         ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)],
    )
    blanks = _table(
        [[Paragraph(f"{who}：{escape(content.recipient)}", st.plain), "", "", ""],
         [Paragraph("签收人（签名）：", st.plain), _SignatureBox(Signature(""), 8 * mm),
          Paragraph("签收日期：", st.right), _BlankDate()]],
        (36 * mm, 50 * mm, 30 * mm, WIDTH - 116 * mm),
        [("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
         ("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
         ("BOTTOMPADDING", (0, 1), (0, 1), _SignatureBox.LABEL_PAD - 3),
         ("BOTTOMPADDING", (2, 1), (3, 1), _SignatureBox.LABEL_PAD - 3)],
    )
    return [
        Spacer(1, 2 * mm), _CutLine(), _Bold("回　执", 14, align="center"), addressed,
        Paragraph(body, st.body), blanks,
    ]


# ---------------------------------------------------------------- photos


class _Jpeg(ImageReader):
    """A JPEG that reportlab embeds as it is (DCTDecode), named by its hash.

    reportlab names an ImageReader's image by hashing its decoded pixels, which decodes every
    photo a second time; our bytes already identify it, and the same photo is embedded once.
    """

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._key = hashlib.sha256(data).digest()
        self._dataA = None

    def getRGBData(self):
        return self._key


class _PhotoCache:
    """Each photo is loaded and shrunk once per notice, however many hazards show it."""

    def __init__(self, load: Callable[[str], bytes]):
        self._load = load
        self._seen: dict[str, tuple[_Jpeg, int, int]] = {}

    def get(self, sha256: str) -> tuple[_Jpeg, int, int]:
        if sha256 not in self._seen:
            data, width, height = _shrink(self._load(sha256), sha256)
            self._seen[sha256] = (_Jpeg(data), width, height)
        return self._seen[sha256]


def _shrink(data: bytes, name: str) -> tuple[bytes, int, int]:
    """A JPEG of at most PHOTO_SIDE px on its long side (the stored photo is up to 2048 px)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG" and image.mode in ("RGB", "L") and max(image.size) <= PHOTO_SIDE:
                return data, *image.size                 # already small: embed untouched
            # the JPEG decoder scales by 1/2, 1/4, 1/8 while decoding, far cheaper than resizing;
            # it keeps both sides at least as large as asked, so ask with the photo's aspect
            ratio = PHOTO_SIDE / max(image.size)
            image.draft("RGB", (round(image.width * ratio), round(image.height * ratio)))
            small = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise StoreCorrupt(name, "photo_unreadable") from None
    small.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue(), *small.size


# ---------------------------------------------------------------- flowables


class _QrCode(Flowable):
    """The QR code drawn as vector squares from its module matrix (`app.documents.qr`): sharp at any print size."""

    def __init__(self, payload: str, side: float):
        super().__init__()
        self.matrix = qr_matrix(payload)
        self.side = side

    def wrap(self, aw, ah):
        return self.side, self.side

    def draw(self):
        """A filled rectangle per run of dark modules, written in module units (integers) and
        scaled to the side: the same page as one `canvas.rect` per run, without formatting four
        decimals for each (a tenth of a notice's time). Each is filled on its own, not as one
        path: PDF viewers snap a lone rectangle to the pixel grid, which keeps a page scanned at
        150 dpi readable (a test reads it)."""
        n = len(self.matrix)
        cell = fp_str(self.side / n)
        runs = []
        for r, row in enumerate(self.matrix):
            c = 0
            for dark, group in itertools.groupby(row):
                length = sum(1 for _ in group)
                if dark:
                    runs.append(f"{c} {n - 1 - r} {length} 1 re f")
                c += length
        self.canv.setFillColor(colors.black)
        self.canv.addLiteral(f"q {cell} 0 0 {cell} 0 0 cm\n{chr(10).join(runs)}\nQ")


class _PhotoStrip(Flowable):
    """Photos side by side, each fitted in a 4:3 box with its aspect kept."""

    BOX_W, BOX_H, GAP = 52 * mm, 39 * mm, 4 * mm

    def __init__(self, photos: list[tuple[_Jpeg, int, int]]):
        super().__init__()
        self.photos = photos

    def wrap(self, aw, ah):
        self.box_w = min(self.BOX_W, (aw - self.GAP) / 2)
        self.box_h = self.box_w * self.BOX_H / self.BOX_W
        return aw, self.box_h

    def draw(self):
        x = 0.0
        for reader, px_w, px_h in self.photos:
            scale = min(self.box_w / px_w, self.box_h / px_h)
            w, h = px_w * scale, px_h * scale
            self.canv.drawImage(reader, x, self.box_h - h, w, h)
            x += w + self.GAP


class _SignatureBox(Flowable):
    """A signature image (or room to sign by hand) over a rule, and the name under it.

    The rule sits `NAME_ROOM` above the bottom: a label beside it in a bottom-aligned table cell
    needs a bottom padding of `LABEL_PAD` to stand on the same line.
    """

    NAME_ROOM = 13
    LABEL_PAD = 3 + NAME_ROOM - 5     # cell padding + rule height − label baseline (≈ 7 pt) + 2 pt

    def __init__(self, person: Signature, height: float = 12 * mm):
        super().__init__()
        self.person, self.image_height = person, height

    def wrap(self, aw, ah):
        self.width = aw - 4 * mm
        return self.width, self.image_height + self.NAME_ROOM

    def draw(self):
        canv, base = self.canv, self.NAME_ROOM
        if self.person.png:
            image = ImageReader(io.BytesIO(self.person.png))
            px_w, px_h = image.getSize()
            scale = min(self.width / px_w, self.image_height / px_h)
            w, h = px_w * scale, px_h * scale
            canv.drawImage(image, (self.width - w) / 2, base, w, h, mask="auto")
        canv.setLineWidth(GRID)
        canv.line(0, base, self.width, base)
        draw_runs(canv, self.width / 2, 1.5, self.person.name, 10.5, anchor="centre")


class _SealArea(Flowable):
    """The issuer's block at the right: its name, who signs for it and the date, under a dashed
    circle where the seal goes (盖章处), as official documents stamp over the issuer and date."""

    SIDE = 32 * mm          # the circle a 4 cm seal mostly covers; it may reach past the block's height

    def __init__(self, content: NoticeContent):
        super().__init__()
        self.content = content

    def wrap(self, aw, ah):
        self.width = aw
        return aw, 52

    def draw(self):
        canv, c = self.canv, self.content
        right = self.width
        centre_x, centre_y = right - self.SIDE / 2 - 4 * mm, 26
        canv.setLineWidth(0.5)
        canv.setDash(2, 2)
        canv.circle(centre_x, centre_y, self.SIDE / 2, stroke=1, fill=0)
        canv.setDash()
        draw_runs(canv, centre_x, centre_y + self.SIDE / 2 - 9, "（盖章处）", 7, anchor="centre")
        lines = [(c.issuer, 11.5), (f"{c.signer_title}（签名）：" + "　" * 5 if c.signer_title else "", 10.5),
                 (zh_date(local_date(c.issued_at)), 11.5)]
        y = 38
        for text, size in lines:
            if text:
                draw_runs(canv, right, y, text, size, anchor="right")
            y -= 17
        if c.seal and c.seal != c.issuer:
            draw_runs(canv, centre_x, centre_y - self.SIDE / 2 + 5, c.seal, 7, anchor="centre")


class _BlankDate(Flowable):
    """年　月　日 with room to write the date by hand (a paragraph would collapse the spaces)."""

    def wrap(self, aw, ah):
        return min(aw, 44 * mm), 16

    def draw(self):
        for n, char in enumerate("年月日"):
            draw_runs(self.canv, (n + 1) * 13 * mm, 4, char, 11)


class _CutLine(Flowable):
    """A dashed line with scissors and 沿此线剪下 (the bundled font has no ✂: it is drawn)."""

    LABEL = "（沿此线剪下）"

    def wrap(self, aw, ah):
        self.width = aw
        return aw, 12

    def draw(self):
        canv, y = self.canv, 6
        label_w = stringWidth(self.LABEL, FONT, 8.5)
        mid = self.width / 2
        canv.setLineWidth(0.7)
        canv.setDash(4, 3)
        canv.line(16, y, mid - label_w / 2 - 4, y)
        canv.line(mid + label_w / 2 + 4, y, self.width, y)
        canv.setDash()
        canv.setFont(FONT, 8.5)
        canv.drawCentredString(mid, y - 3, self.LABEL)
        # scissors: two finger rings and two crossing blades pointing along the line
        canv.setLineWidth(0.8)
        canv.circle(2.5, y + 3, 2.2, stroke=1, fill=0)
        canv.circle(2.5, y - 3, 2.2, stroke=1, fill=0)
        canv.line(4.4, y + 1.9, 13, y - 1.2)
        canv.line(4.4, y - 1.9, 13, y + 1.2)


class _AtFrameBottom(Flowable):
    """Stacks flowables at the bottom of the frame, on a fresh page if they do not fit here."""

    def __init__(self, parts: list[Flowable]):
        super().__init__()
        self.parts = parts

    def wrap(self, aw, ah):
        self.sizes = [part.wrap(aw, ah) for part in self.parts]
        self.needed = sum(h for _, h in self.sizes)
        self.width = aw
        return aw, ah if self.needed <= ah else self.needed     # fill the rest of the frame

    def split(self, aw, ah):
        return []               # never torn in two: it moves to the next page whole

    def draw(self):
        y = self.needed
        for part, (_, h) in zip(self.parts, self.sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)
