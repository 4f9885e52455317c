"""Tell painted CJK glyphs from tofu boxes in a screenshot.

CJK ideographs are full-width: each is about as wide as it is tall. Flutter's missing-glyph
box is a narrow rectangle (about half as wide as tall). So the ink of N characters spans
about N × its height when the font works, and about half that when it shows tofu.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps


def advance_ratio(screenshot: Path, box: dict[str, float], chars: int) -> float:
    """Width of the painted ink per character divided by its height (≈1 for CJK, ≈0.5 tofu)."""
    region = Image.open(screenshot).convert("L").crop(
        (int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"]))
    )
    bbox = ImageOps.invert(region).point(lambda p: 255 if p > 96 else 0).getbbox()
    assert bbox, "nothing painted where the text should be"
    left, top, right, bottom = bbox
    return (right - left) / chars / (bottom - top)
