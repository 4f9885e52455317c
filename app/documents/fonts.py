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
- Documents of record are set in a Song face (`FONT`, AR PL UMing subset to GB 2312), as official
  documents are; headings, charts and the footer stay in the bundled sans face (`HEI`). A
  character the Song subset lacks (a rare name: 王喆) must not print as a box: every Paragraph in
  `FONT` wraps such characters in `<font face=HEI>` (reportlab picks fonts per fragment), and
  text drawn straight on a canvas goes through `draw_runs`.

`register()` does all of this once per process and is cheap afterwards; documents call it
before they build, never at import time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
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

__all__ = [
    "FONT", "HEI", "CLOSING_PUNCTUATION", "OPENING_PUNCTUATION", "register", "Styles", "styles", "with_fallback",
    "runs", "draw_runs", "runs_width",
]

FONT = resources.SONG_FAMILY   # body text of documents (the face is also named so inside the PDF)
HEI = resources.FONT_FAMILY    # headings, charts, footer, and every character the Song subset lacks
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
        for name, path in ((HEI, resources.font_path()), (FONT, resources.song_font_path())):
            pdfmetrics.registerFont(TTFont(name, str(path)))
            # One face each: map bold/italic to it so a stray <b> never falls back to Helvetica,
            # which has no Chinese glyphs.
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _teach_fallback()
        _extend_cannot_start(CLOSING_PUNCTUATION)
        paragraph.wordSplit = _word_split
        paragraph.cjkFragSplit = _cjk_frag_split
        rl_config.useA85 = 0
        _registered = True


@cache
def _song_chars() -> frozenset[int]:
    face = pdfmetrics.getFont(FONT).face
    return frozenset(face.charToGlyph)


_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
# A standard's code and number are one word: "GB 35181-2025", "GB/T 25201-2010", "WS 308-2019".
_STANDARD = re.compile(r"(?<![A-Za-z/])((?:GB|WS|XF|GA|JGJ|DB\d{2})(?:/[TZ])?) (?=\d)")
NBSP = "\u00a0"


def keep_standards(markup: str) -> str:
    """Standard numbers never break across lines: the space after the code becomes a no-break
    space, and `_line_ends` moves a Latin word that does not fit to the next line whole."""
    return _STANDARD.sub(lambda m: m.group(1) + NBSP, markup)


def with_fallback(markup: str) -> str:
    """Paragraph markup with every run of characters the Song face lacks set in HEI (outside tags)."""
    song = _song_chars()
    if all(ord(c) in song or c in "<>&" for c in markup):
        return markup
    out = []
    for piece in _MARKUP.split(markup):
        if not piece or _MARKUP.fullmatch(piece):
            out.append(piece)
            continue
        for font, run in runs(piece):
            out.append(run if font == FONT else f'<font face="{HEI}">{run}</font>')
    return "".join(out)


def runs(text: str) -> list[tuple[str, str]]:
    """(font, text) runs: Song where it has the glyph, HEI elsewhere."""
    song = _song_chars()
    found: list[tuple[str, str]] = []
    for char in text:
        font = FONT if ord(char) in song or char.isspace() else HEI
        if found and found[-1][0] == font:
            found[-1] = (font, found[-1][1] + char)
        else:
            found.append((font, char))
    return found


def runs_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text))


def draw_runs(canv, x: float, y: float, text: str, size: float, anchor: str = "left") -> None:
    """Draw `text` on a canvas in the Song face with per-character fallback (left/centre/right at x)."""
    width = runs_width(text, size)
    x -= {"left": 0, "centre": width / 2, "right": width}[anchor]
    for font, run in runs(text):
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def _teach_fallback() -> None:
    """Every Paragraph set in FONT gets `with_fallback` applied to its text (see the module doc)."""
    original = paragraph.Paragraph.__init__
    if getattr(original, "_firesweep", False):
        return

    def init(self, text, style=None, *args, **kwargs):
        if isinstance(text, str) and style is not None and getattr(style, "fontName", "") == FONT:
            text = with_fallback(keep_standards(text))
        original(self, text, style, *args, **kwargs)

    init._firesweep = True  # type: ignore[attr-defined]  # a marker on the function: patched once
    paragraph.Paragraph.__init__ = init


def _extend_cannot_start(chars: str) -> None:
    # `paragraph` copied the string from `textsplit` at import: both copies must learn it.
    extra = "".join(c for c in chars if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


def _line_ends(chars: str, widths: list[float], max_widths: Sequence[float],
               hard: frozenset[int] = frozenset()) -> list[tuple[int, int, float]]:
    """(start, end, width) of each line: reportlab's greedy CJK breaking, plus one rule.

    Like reportlab (`textsplit.dumbSplit`, `paragraph.cjkFragSplit`): fill the line, break before
    the character that overflows unless it may not start a line (then it hangs in the margin),
    and inside Latin text back up to a space or to the last CJK character. Added: if the next
    line would still begin with a closing mark ("）。", "……"), or this one end with an opening
    mark, move the break back until it would not. Lines only get shorter, never wider.
    """
    cannot_start = paragraph.ALL_CANNOT_START
    lines: list[tuple[int, int, float]] = []
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
                # inside a Latin word: back up to a breaking space or to CJK, so the word moves
                # to the next line whole ("GB 35181-2025" is one word: its space does not break)
                for j in range(i - 1, start, -1):
                    if ((category(chars[j]) == "Zs" and chars[j] != NBSP) or ord(chars[j]) >= 0x3000) and j + 1 < i:
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


@cache
def _char_width(char: str, font: str, size: float) -> float:
    """`textsplit.getCharWidths` one character at a time, remembered: a notice measures the same
    few hundred characters thousands of times (a tenth of its time when each was measured anew)."""
    return pdfmetrics.stringWidth(char, font, size)


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    """Replaces `textsplit.wordSplit` for a paragraph of one style (the common case)."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    max_widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
    widths = [_char_width(c, fontName, fontSize) for c in text]
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
