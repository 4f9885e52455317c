"""Synthetic camera pictures for the demo data set: deterministic, small, recognisably varied."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

__all__ = ["sample_photo"]


def sample_photo(seed: int, width: int = 800, height: int = 600) -> bytes:
    """A JPEG of a corridor-like scene (walls, floor, boxes, a marked spot) drawn from `seed`."""
    rng = random.Random(seed)
    wall = tuple(rng.randint(150, 230) for _ in range(3))
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    floor = tuple(rng.randint(70, 140) for _ in range(3))
    draw.polygon([(0, height), (width, height), (width * 0.7, height * 0.55), (width * 0.3, height * 0.55)], fill=floor)
    for _ in range(rng.randint(2, 5)):   # boxes and clutter
        x, y = rng.randint(0, width - 120), rng.randint(height // 2, height - 80)
        w, h = rng.randint(60, 160), rng.randint(40, 120)
        colour = tuple(rng.randint(90, 200) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour, outline=(40, 40, 40), width=2)
    door = rng.randint(40, width - 160)   # a door with an exit sign
    draw.rectangle((door, height * 0.2, door + 110, height * 0.62), fill=(120, 90, 60), outline=(30, 30, 30), width=3)
    draw.rectangle((door + 20, height * 0.12, door + 90, height * 0.18), fill=(0, 150, 70))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
