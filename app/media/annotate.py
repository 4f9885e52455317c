"""Circles, arrows and boxes drawn on a copy of a photo, from shapes given as data.

The UI records a finger's gesture as a shape with coordinates normalised to 0..1 of the image,
so the same annotation renders on the 2048 px photo and on a thumbnail alike.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw

__all__ = ["Shape", "annotate", "annotate_stored"]

RED = (230, 20, 20)


@dataclass(frozen=True)
class Shape:
    kind: Literal["circle", "arrow", "box"]
    x1: float
    y1: float
    x2: float
    y2: float

    def __post_init__(self) -> None:
        if self.kind not in ("circle", "arrow", "box"):
            raise ValueError(f"unknown shape {self.kind!r}")
        if not all(0.0 <= v <= 1.0 for v in (self.x1, self.y1, self.x2, self.y2)):
            raise ValueError("shape coordinates must be within 0..1")


def annotate_stored(data: bytes, shapes: list[Shape]) -> Image.Image:
    """`annotate` on a stored photo's bytes (already checked by the pipeline when it came in)."""
    return annotate(Image.open(io.BytesIO(data)), shapes)


def annotate(image: Image.Image, shapes: list[Shape]) -> Image.Image:
    copy = image.convert("RGB")
    draw = ImageDraw.Draw(copy)
    width = max(3, max(copy.size) // 200)
    w, h = copy.size
    for shape in shapes:
        x1, y1, x2, y2 = shape.x1 * w, shape.y1 * h, shape.x2 * w, shape.y2 * h
        if shape.kind == "box":
            draw.rectangle((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), outline=RED, width=width)
        elif shape.kind == "circle":  # (x1, y1) the centre, (x2, y2) a point on the rim
            r = math.hypot(x2 - x1, y2 - y1)
            draw.ellipse((x1 - r, y1 - r, x1 + r, y1 + r), outline=RED, width=width)
        else:  # arrow from (x1, y1) to the head at (x2, y2)
            draw.line((x1, y1, x2, y2), fill=RED, width=width)
            angle = math.atan2(y2 - y1, x2 - x1)
            head = width * 5
            for side in (-0.45, 0.45):
                draw.line((x2, y2, x2 - head * math.cos(angle + side), y2 - head * math.sin(angle + side)),
                          fill=RED, width=width)
    return copy
