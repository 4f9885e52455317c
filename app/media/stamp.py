"""The evidence stamp (水印): a band burned into the photo with when, where, who and an id.

Burned in, not metadata: a printed notice or a forwarded picture keeps it. The text uses the
bundled CJK font, so the stamp reads the same on every device, offline.
"""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageDraw, ImageFont

from app import resources

__all__ = ["stamp", "band_height"]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resources.font_path()), size)


def band_height(image_height: int) -> int:
    return max(48, image_height // 12)


def stamp(image: Image.Image, lines: list[str]) -> Image.Image:
    """A copy of `image` with a dark band along the bottom holding `lines` in white.

    Only the band is blended (RGBA compositing of a whole 12 MP photo cost more than the rest
    of the stamp); the pixels above it are copied untouched, as a full-frame blend left them.
    """
    stamped = image.convert("RGB")   # a copy: the caller keeps the unstamped photo
    band = band_height(stamped.height)
    top = stamped.height - band
    size = max(12, band // (len(lines) + 1))
    overlay = Image.new("RGBA", (stamped.width, band), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rectangle((0, 0, stamped.width, band), fill=(0, 0, 0, 170))
    font = _font(size)
    y = (band - size * len(lines) - size // 3 * (len(lines) - 1)) // 2
    for line in lines:
        text = line
        while draw.textlength(text, font=font) > stamped.width - 2 * size and len(text) > 4:
            text = text[:-2] + "…"   # never let the stamp run off the photo
        draw.text((size, y), text, font=font, fill=(255, 255, 255, 255))
        y += size + size // 3
    region = (0, top, stamped.width, stamped.height)
    stamped.paste(Image.alpha_composite(stamped.crop(region).convert("RGBA"), overlay).convert("RGB"), region)
    return stamped
