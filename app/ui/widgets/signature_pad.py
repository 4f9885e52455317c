"""A signature pad: a finger (or mouse) drags strokes onto a canvas; we keep them normalised 0..1.

The strokes, not pixels, are what we keep: `app.services.signatures` renders them to the PNG
printed on the notice, at whatever size the document wants.
"""

from __future__ import annotations

import flet as ft
import flet.canvas as cv

from app.ui.widgets.common import hook

__all__ = ["SignaturePad"]

INK = ft.Paint(color=ft.Colors.BLACK, stroke_width=3, style=ft.PaintingStyle.STROKE,
               stroke_cap=ft.StrokeCap.ROUND, stroke_join=ft.StrokeJoin.ROUND)


class SignaturePad:
    def __init__(self, ident: str, clear_label: str, width: int = 340, height: int = 130):
        self.width, self.height = width, height
        self.strokes: list[list[tuple[float, float]]] = []
        self.canvas = cv.Canvas(shapes=[], width=width, height=height)
        self._ink: cv.Points | None = None     # the canvas shape of the stroke being drawn
        pad = ft.GestureDetector(
            content=self.canvas, drag_interval=16,
            on_pan_start=self._start, on_pan_update=self._move,
        )
        box = ft.Container(pad, width=width, height=height, bgcolor=ft.Colors.WHITE, border_radius=8,
                           border=ft.Border.all(1, ft.Colors.OUTLINE))
        self.control = ft.Row(
            [hook(ident, box), hook(f"{ident}-clear", ft.IconButton(ft.Icons.BACKSPACE_OUTLINED,
                                                                   tooltip=clear_label, on_click=self.clear))],
            vertical_alignment=ft.CrossAxisAlignment.END, wrap=True,
        )

    @property
    def empty(self) -> bool:
        return not any(self.strokes)

    def _point(self, offset: ft.Offset) -> tuple[float, float]:
        return (min(max(offset.x / self.width, 0.0), 1.0), min(max(offset.y / self.height, 0.0), 1.0))

    def _start(self, e: ft.DragStartEvent) -> None:
        self.strokes.append([self._point(e.local_position)])
        self._ink = cv.Points(points=[e.local_position], point_mode=cv.PointMode.POLYGON, paint=INK)
        self.canvas.shapes.append(self._ink)

    def _move(self, e: ft.DragUpdateEvent) -> None:
        if not self.strokes or self._ink is None:
            return
        self.strokes[-1].append(self._point(e.local_position))
        self._ink.points = [*(self._ink.points or []), e.local_position]

    def clear(self, _e=None) -> None:
        self.strokes.clear()
        self._ink = None
        self.canvas.shapes = []
