"""Real images made by Pillow, small enough to keep tests fast."""

from __future__ import annotations

import io

from PIL import ExifTags, Image


def marker_image(width: int = 120, height: int = 80) -> Image.Image:
    """Red on the left third, blue on the right third, green in the middle: orientation shows."""
    image = Image.new("RGB", (width, height), (0, 160, 0))
    image.paste((220, 0, 0), (0, 0, width // 3, height))
    image.paste((0, 0, 220), (2 * width // 3, 0, width, height))
    return image


def encode(image: Image.Image, fmt: str = "JPEG", exif: Image.Exif | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif.tobytes()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(width: int = 120, height: int = 80, orientation: int = 1, gps: bool = False) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Model] = "TestCam"
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (39.0, 7.0, 0.0), 3: "E", 4: (117.0, 12.0, 0.0)})
    return encode(marker_image(width, height), "JPEG", exif=exif, quality=90)
