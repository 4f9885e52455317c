"""Signatures from the pad: strokes of normalised points → the PNG printed on a notice."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.notice import Signature
from app.media.signature import render_signature

__all__ = ["signature"]


def signature(name: str, strokes: Sequence[Sequence[tuple[float, float]]]) -> Signature:
    """The person's name with their drawn signature; name only when nothing was drawn."""
    drawn = [stroke for stroke in strokes if stroke]
    return Signature(name=name.strip(), png=render_signature(drawn) if drawn else None)
