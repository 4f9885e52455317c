"""A photo with a drawing layer: a finger drags circles and arrows over it; we keep them normalised 0..1.

The shapes are data (`app.media.annotate.Shape`), not pixels: the service draws them onto the
2048 px photo itself. A drag maps from the screen to the image through `Fit`, which knows where
a `BoxFit.CONTAIN` image lands inside its box (centred, letterboxed on one axis), so a circle
drawn on a 700 px preview lands on the same extinguisher in the stored photo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import flet as ft
import flet.canvas as cv

from app.media.annotate import Shape
from app.ui.widgets.common import hook

__all__ = ["Fit", "AnnotationPad", "Tool", "MIN_DRAG"]

Tool = Literal["circle", "arrow"]
MIN_DRAG = 6.0   # screen px: a shorter drag is a tap, not a shape
RED = "#E61414"   # the red `app.media.annotate` draws with


@dataclass(frozen=True)
class Fit:
    """Where an image of `image_w`×`image_h` pixels shows inside a `box_w`×`box_h` box (contain)."""

    image_w: int
    image_h: int
    box_w: float
    box_h: float

    @property
    def scale(self) -> float:
        """Screen px per image px."""
        return min(self.box_w / self.image_w, self.box_h / self.image_h)

    @property
    def shown(self) -> tuple[float, float]:
        return self.image_w * self.scale, self.image_h * self.scale

    @property
    def offset(self) -> tuple[float, float]:
        shown_w, shown_h = self.shown
        return (self.box_w - shown_w) / 2, (self.box_h - shown_h) / 2

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """A point in the box → normalised image coordinates, clamped onto the image."""
        (dx, dy), (shown_w, shown_h) = self.offset, self.shown
        return min(max((x - dx) / shown_w, 0.0), 1.0), min(max((y - dy) / shown_h, 0.0), 1.0)

    def to_box(self, nx: float, ny: float) -> tuple[float, float]:
        (dx, dy), (shown_w, shown_h) = self.offset, self.shown
        return dx + nx * shown_w, dy + ny * shown_h

    @property
    def stroke(self) -> float:
        """The line width `app.media.annotate` uses, as it will look at this scale."""
        return max(3, max(self.image_w, self.image_h) // 200) * self.scale


def fit_box(image_w: int, image_h: int, max_w: float, max_h: float) -> tuple[float, float]:
    """The largest box with the image's proportions inside max_w × max_h (no letterbox to tap into)."""
    scale = min(max_w / image_w, max_h / image_h)
    return math.floor(image_w * scale), math.floor(image_h * scale)


class AnnotationPad:
    """The photo, a canvas over it, and the gesture detector that turns drags into shapes."""

    def __init__(self, src: bytes, image_w: int, image_h: int, max_w: float, max_h: float, ident: str = "photo"):
        box_w, box_h = fit_box(image_w, image_h, max_w, max_h)
        self.fit = Fit(image_w, image_h, box_w, box_h)
        self.tool: Tool = "circle"
        self._enabled = False
        self.shapes: list[Shape] = []
        self._start: tuple[float, float] | None = None    # normalised
        self._preview: Shape | None = None
        self.canvas = cv.Canvas(shapes=[], width=box_w, height=box_h, on_resize=self._resized, resize_interval=50)
        self.image = ft.Image(src=src, width=box_w, height=box_h, fit=ft.BoxFit.CONTAIN, gapless_playback=True)
        # handlers stay attached (a GestureDetector without any is an error in the client); they
        # ignore drags unless annotating, and a vertical drag then still scrolls the page (a
        # scroll view claims it after 18 px, a pan only after 36)
        self.detector = ft.GestureDetector(
            content=self.canvas, drag_interval=16,
            on_pan_start=self._pan_start, on_pan_update=self._pan_update, on_pan_end=self._pan_end,
        )
        self.control = hook(ident, ft.Container(
            ft.Stack([self.image, self.detector], width=box_w, height=box_h),
            width=box_w, height=box_h, bgcolor=ft.Colors.BLACK,
        ))
        self.on_change = lambda: None   # the screen updates its undo/save buttons

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        """Drags draw only while annotating; the cross-hair cursor says so on a desktop."""
        self._enabled = on
        self.detector.mouse_cursor = ft.MouseCursor.PRECISE if on else None

    def _resized(self, e: cv.CanvasResizeEvent) -> None:
        """The size the client really gave us: a narrower parent squeezes the box, and the
        image (contain) then sits letterboxed inside it; map drags through what is really shown."""
        if e.width > 0 and e.height > 0 and (e.width, e.height) != (self.fit.box_w, self.fit.box_h):
            self.fit = Fit(self.fit.image_w, self.fit.image_h, e.width, e.height)
            self._redraw()

    # gestures ---------------------------------------------------------------------------------
    def _pan_start(self, e: ft.DragStartEvent) -> None:
        if not self.enabled:
            return
        self._start = self.fit.to_image(e.local_position.x, e.local_position.y)
        self._preview = None

    def _pan_update(self, e: ft.DragUpdateEvent) -> None:
        if not self.enabled or self._start is None:
            return
        end = self.fit.to_image(e.local_position.x, e.local_position.y)
        self._preview = self._shape(self._start, end)
        self._redraw()

    def _pan_end(self, e: ft.DragEndEvent) -> None:
        if not self.enabled or self._start is None:
            return
        end = self.fit.to_image(e.local_position.x, e.local_position.y)
        shape = self._shape(self._start, end)
        self._start, self._preview = None, None
        start_x, start_y = self.fit.to_box(shape.x1, shape.y1)
        end_x, end_y = self.fit.to_box(shape.x2, shape.y2)
        if math.hypot(end_x - start_x, end_y - start_y) >= MIN_DRAG:
            self.shapes.append(shape)
        self._redraw()
        self.on_change()

    def _shape(self, start: tuple[float, float], end: tuple[float, float]) -> Shape:
        # a circle: where the finger went down is the centre, where it is now lies on the rim;
        # an arrow: from where the finger went down to the head where it is now
        return Shape(self.tool, start[0], start[1], end[0], end[1])

    # editing -----------------------------------------------------------------------------------
    def undo(self) -> None:
        if self.shapes:
            self.shapes.pop()
            self._redraw()
            self.on_change()

    def clear(self) -> None:
        self.shapes.clear()
        self._start, self._preview = None, None
        self._redraw()
        self.on_change()

    # drawing ------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        drawn = [*self.shapes, *([self._preview] if self._preview else [])]
        self.canvas.shapes = [part for shape in drawn for part in self._paint(shape)]

    def _paint(self, shape: Shape) -> list[cv.Shape]:
        width = self.fit.stroke
        paint = ft.Paint(color=RED, stroke_width=width, style=ft.PaintingStyle.STROKE,
                         stroke_cap=ft.StrokeCap.ROUND)
        x1, y1 = self.fit.to_box(shape.x1, shape.y1)
        x2, y2 = self.fit.to_box(shape.x2, shape.y2)
        if shape.kind == "circle":
            # radius in image pixels, as Pillow measures it, then to the screen
            radius = math.hypot((shape.x2 - shape.x1) * self.fit.image_w, (shape.y2 - shape.y1) * self.fit.image_h)
            return [cv.Circle(x1, y1, radius * self.fit.scale, paint=paint)]
        angle = math.atan2(y2 - y1, x2 - x1)
        head = width * 5
        return [
            cv.Line(x1, y1, x2, y2, paint=paint),
            *(cv.Line(x2, y2, x2 - head * math.cos(angle + side), y2 - head * math.sin(angle + side), paint=paint)
              for side in (-0.45, 0.45)),
        ]
