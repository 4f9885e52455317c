"""QR codes for a screen and a terminal (the notice draws its own, as vectors, in the PDF).

The field kit shows the pairing URL as a QR so a tablet's camera app opens it without typing.
"""

from __future__ import annotations

import io

import qrcode

__all__ = ["qr_png", "qr_text"]


def _code(text: str, border: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_png(text: str, box: int = 8) -> bytes:
    """A black-on-white PNG of `text`, `box` pixels a module, with the standard quiet zone."""
    code = _code(text, border=4)
    code.box_size = box
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")   # qrcode's default image is Pillow's
    return out.getvalue()


def qr_text(text: str) -> str:
    """The QR in half-block characters, readable by a phone camera from a dark or light terminal."""
    out = io.StringIO()
    _code(text, border=2).print_ascii(out=out, invert=True)
    return out.getvalue()
