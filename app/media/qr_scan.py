"""Read QR codes from a photo or a scan of a page (pyzbar over the system's zbar library).

zbar is a C library (Debian `libzbar0`; on Android the `flet-libzbar` package of Flet's mobile
index). Where it is missing, `QrUnavailable` says so instead of a crash: pasting the QR's text
(`notice verify --payload`) still works everywhere.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["QrUnavailable", "read_qr_codes"]


class QrUnavailable(RuntimeError):
    """This machine has no zbar library to decode QR codes with."""


def read_qr_codes(data: bytes) -> list[str]:
    """The texts of every QR code in an image (PNG, JPEG…), in reading order; [] when none is found.

    Tried as it is and again in greyscale at twice the size: a page scanned at 150 dpi has
    modules two pixels wide, which zbar reads better enlarged.
    """
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError) as exc:   # OSError: the package is there but libzbar is not
        raise QrUnavailable(str(exc)) from None
    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        return []
    grey = image.convert("L")
    for candidate in (grey, grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.NEAREST)):
        codes = pyzbar.decode(candidate, symbols=[pyzbar.ZBarSymbol.QRCODE])
        found = [code.data.decode("utf-8", "replace") for code in codes]
        if found:
            return found
    return []
