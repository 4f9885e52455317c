"""A signature drawn on the tablet's pad, as a PNG to print on a notice.

The pad hands us strokes: lists of points with coordinates normalised to 0..1 (x to the right,
y downwards), so the picture does not depend on the pad's size on screen. We draw at three
times the size and shrink, which smooths the strokes without an anti-aliasing library.

The PNG is grey + alpha: ink is black and opaque, the rest transparent *and* white underneath,
so a consumer that ignores the alpha channel still prints black on white, not a black box.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

__all__ = ["render_signature"]

_SUPERSAMPLE = 3
_PEN = 0.022          # pen width as a fraction of the height: ~4 px on a 200 px signature


def render_signature(
    strokes: Sequence[Sequence[tuple[float, float]]], width: int = 600, height: int = 200,
) -> bytes:
    """PNG bytes of `strokes`; ValueError when there is nothing to draw or a point is not a number."""
    if width < 1 or height < 1:
        raise ValueError(f"bad size {width}×{height}")
    if not any(len(stroke) for stroke in strokes):
        raise ValueError("empty signature: no strokes")
    big_w, big_h = width * _SUPERSAMPLE, height * _SUPERSAMPLE
    pen = max(2.0, height * _PEN) * _SUPERSAMPLE
    ink = Image.new("L", (big_w, big_h), 0)
    draw = ImageDraw.Draw(ink)
    for stroke in strokes:
        points = [_scale(point, big_w, big_h) for point in stroke]
        if len(points) > 1:
            draw.line(points, fill=255, width=round(pen), joint="curve")
        # round caps (and a dot for a single tap): the line itself ends square
        for x, y in (points[0], points[-1]) if points else ():
            r = pen / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    alpha = ink.resize((width, height), Image.Resampling.LANCZOS)
    grey = alpha.point(lambda value: 255 - value)
    picture = Image.merge("LA", (grey, alpha))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _scale(point: tuple[float, float], width: int, height: int) -> tuple[float, float]:
    x, y = point
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"not a point: {point!r}")
    # a finger slightly past the pad's edge is still the signature: clamp, don't refuse
    return min(max(x, 0.0), 1.0) * (width - 1), min(max(y, 0.0), 1.0) * (height - 1)
