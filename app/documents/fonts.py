"""The bundled CJK font in reportlab, and the paragraph styles every document uses.

Why each step (measured facts in ../shared/TESTING.md):
- reportlab embeds only TrueType outlines, and the non-embedded `STSong-Light` CID font prints
  as empty boxes where a viewer lacks Chinese fonts: we register `assets/fonts/FiresweepCJK.ttf`
  (a subset of WenQuanYi Micro Hei) under its own name, so it can never be mistaken for a full
  system copy of the same face. reportlab embeds only the glyphs a document uses.
- Plain strings never wrap; Paragraphs with `wordWrap="CJK"` do, one character at a time.
  reportlab's "cannot start a line" set knows Japanese punctuation but not the Chinese
  full-width comma, colon and friends, so without help a line may begin with '，'. Even with
  the set extended, reportlab lets only *one* such character hang at the end of a line: "）。"
  or "……" at a break still put the second first on the next line (7% of lines in a
  punctuation-heavy stress test). Its two CJK splitters (one for a single-style paragraph, one
  for markup) are replaced by thin wrappers around `_line_ends`, which adds the missing rule.
- `useA85 = 0`: binary streams instead of ASCII85 make files ~15% smaller.

`register()` does all of this once per process and is cheap afterwards; documents call it
before they build, never at import time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from unicodedata import category

from reportlab import rl_config
from reportlab.lib import textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph
from reportlab.platypus.paragraph import cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

from app import resources

__all__ = ["FONT", "CLOSING_PUNCTUATION", "OPENING_PUNCTUATION", "register", "Styles", "styles"]

FONT = resources.FONT_FAMILY   # the face is also named so inside the PDF
# Characters that must never begin a line in Chinese text (避头点).
CLOSING_PUNCTUATION = "，。、；：？！）》」』〕】…”’〉"
# Characters that must never end a line (an opening bracket stays with what it opens).
OPENING_PUNCTUATION = "（《「『〔【“‘"

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the bundled font and teach reportlab Chinese line breaking (idempotent)."""
    global _registered
    with _lock:
        if _registered:
            return
        font = TTFont(FONT, str(resources.font_path()))
        pdfmetrics.registerFont(font)
        # One face only: map bold/italic to it so a stray <b> never falls back to Helvetica,
        # which has no Chinese glyphs.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
        _extend_cannot_start(CLOSING_PUNCTUATION)
        paragraph.wordSplit = _word_split
        paragraph.cjkFragSplit = _cjk_frag_split
        rl_config.useA85 = 0
        _registered = True


def _extend_cannot_start(chars: str) -> None:
    # `paragraph` copied the string from `textsplit` at import: both copies must learn it.
    extra = "".join(c for c in chars if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


def _line_ends(chars: str, widths: list[float], max_widths: list[float], hard: frozenset[int] = frozenset()):
    """(start, end, width) of each line: reportlab's greedy CJK breaking, plus one rule.

    Like reportlab (`textsplit.dumbSplit`, `paragraph.cjkFragSplit`): fill the line, break before
    the character that overflows unless it may not start a line (then it hangs in the margin),
    and inside Latin text back up to a space or to the last CJK character. Added: if the next
    line would still begin with a closing mark ("）。", "……"), or this one end with an opening
    mark, move the break back until it would not. Lines only get shorter, never wider.
    """
    cannot_start = paragraph.ALL_CANNOT_START
    lines = []
    start = i = 0
    used = 0.0
    count = len(chars)
    while i < count:
        c, w = chars[i], widths[i]
        used += w
        i += 1
        forced = (i - 1) in hard
        if not forced and used <= max_widths[min(len(lines), len(max_widths) - 1)] + _FUZZ:
            continue
        if not forced:
            if ord(c) < 0x3000:
                # inside Latin text: back up to a space or to CJK, at most half the line
                for j in range(i - 1, (start + i) >> 1, -1):
                    if (category(chars[j]) == "Zs" or ord(chars[j]) >= 0x3000) and j + 1 < i:
                        c, i = chars[j + 1], j + 2
                        break
            if c not in cannot_start and i > start + 1:
                i -= 1                          # the overflowing character starts the next line
            while start + 1 < i < count and (chars[i] in cannot_start or chars[i - 1] in OPENING_PUNCTUATION):
                i -= 1                          # the added rule
        lines.append((start, i, sum(widths[start:i])))
        start, used = i, 0.0
    if start < count:
        lines.append((start, count, sum(widths[start:])))
    return lines


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    """Replaces `textsplit.wordSplit` for a paragraph of one style (the common case)."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    max_widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
    widths = textsplit.getCharWidths(text, fontName, fontSize)
    return [
        [max_widths[min(n, len(max_widths) - 1)] - used, text[start:end].strip()]
        for n, (start, end, used) in enumerate(_line_ends(text, widths, max_widths))
    ]


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """Replaces `paragraph.cjkFragSplit` for a paragraph with markup (several fragments)."""
    glyphs = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        glyphs.extend([cjkU(t, f, encoding) for t in text] if text else [cjkU(text, f, encoding)])
    widths = []
    for glyph in glyphs:
        w = glyph.width
        if hasattr(w, "normalizedValue"):      # an inline image sized in % of the line
            w._normalizer = maxWidths[0]
            w = w.normalizedValue(maxWidths[0])
        widths.append(w)
    hard = frozenset(n for n, glyph in enumerate(glyphs) if hasattr(glyph.frag, "lineBreak"))
    chars = "".join(glyph or "\ufffc" for glyph in glyphs)    # an empty fragment still takes a slot
    lines = []
    for n, (start, end, used) in enumerate(_line_ends(chars, widths, maxWidths, hard)):
        max_width = maxWidths[min(n, len(maxWidths) - 1)]
        line_break = (end - 1) in hard
        lines.append(makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used, line_break, calcBounds))
    return paragraph.ParaLines(kind=1, lines=lines)


@dataclass(frozen=True)
class Styles:
    issuer: ParagraphStyle
    title: ParagraphStyle
    number: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle          # running text, first line indented two characters
    plain: ParagraphStyle         # running text without indent
    item: ParagraphStyle          # numbered requirement, hanging indent
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    cell_small: ParagraphStyle
    right: ParagraphStyle
    small: ParagraphStyle


def _style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT, bulletFontName=FONT, fontSize=size, leading=leading, wordWrap="CJK", **kw,
    )


@cache
def styles() -> Styles:
    """The shared styles (registers the font first: a style naming an unknown font fails late)."""
    register()
    return Styles(
        issuer=_style("issuer", 15, 20, alignment=TA_CENTER),
        title=_style("title", 22, 28, alignment=TA_CENTER),
        number=_style("number", 11, 15, alignment=TA_RIGHT),
        heading=_style("heading", 12.5, 18, spaceBefore=8, spaceAfter=3),
        body=_style("body", 11, 18, firstLineIndent=22, alignment=TA_JUSTIFY),
        plain=_style("plain", 11, 18, alignment=TA_LEFT),
        item=_style("item", 11, 17, leftIndent=18, bulletIndent=0, spaceAfter=1),
        cell=_style("cell", 9.5, 13.5),
        cell_center=_style("cell_center", 9.5, 13.5, alignment=TA_CENTER),
        cell_head=_style("cell_head", 10, 14, alignment=TA_CENTER),
        cell_small=_style("cell_small", 8.5, 12),
        right=_style("right", 11, 18, alignment=TA_RIGHT),
        small=_style("small", 8, 10, alignment=TA_CENTER),
    )
