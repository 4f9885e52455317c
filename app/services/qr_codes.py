"""QR codes the app shows and reads: enrollment files shown as codes, a printed notice read from a photo.

The screens call these (never `app.media` directly); `firesweep notice verify --image` can too.
"""

from __future__ import annotations

from app.domain.errors import InvalidInput
from app.domain.notice import decode_qr
from app.media.qr_image import qr_png
from app.media.qr_scan import QrUnavailable, read_qr_codes

from .context import Context
from .notice_check import NoticeVerdict, verify_payload

__all__ = ["code_image", "notice_payload_from_image", "verify_notice_image"]


def code_image(text: str) -> bytes:
    """A PNG of `text` as a QR code (an enrollment request or a certificate, to be scanned)."""
    return qr_png(text)


def notice_payload_from_image(data: bytes) -> str:
    """The text of the notice QR in a photo of a printed page.

    Refused with `InvalidInput("image", …)`: `qr_unavailable` where this machine cannot read QR
    codes (the text can still be pasted), `no_qr_found` where the photo has none. When a page holds
    several codes, the notice's own is preferred.
    """
    try:
        codes = read_qr_codes(data)
    except QrUnavailable:
        raise InvalidInput("image", "qr_unavailable") from None
    if not codes:
        raise InvalidInput("image", "no_qr_found")
    return next((c for c in codes if decode_qr(c.strip()) is not None), codes[0])


def verify_notice_image(ctx: Context, data: bytes) -> NoticeVerdict:
    """核验 from a photo: read the QR, then check it as `verify_payload` does."""
    return verify_payload(ctx, notice_payload_from_image(data))
