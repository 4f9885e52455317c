"""A QR code as a PNG, for a screen to show (an enrollment request or certificate) and a camera to read.

Why a separate module from `qr_scan`: drawing needs only `qrcode` and Pillow, which every
platform has; reading needs the zbar C library, which some do not.
"""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

__all__ = ["qr_png"]


def qr_png(text: str, box: int = 6) -> bytes:
    """PNG bytes of `text` as a QR code, with the quiet zone scanners need.

    Level M where it fits a screen comfortably; a certificate (~900 bytes of JSON) drops to L so
    its modules stay large enough for a tablet camera.
    """
    level = ERROR_CORRECT_M if len(text.encode("utf-8")) <= 600 else ERROR_CORRECT_L
    code = qrcode.QRCode(error_correction=level, box_size=box, border=4)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
