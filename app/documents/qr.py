"""The notice's QR code: an ISO/IEC 18004 symbol, error correction M, built by `segno` with a fixed mask.

Why not `qrcode` choosing the mask: a bureau's demo issues ~6,500 notices, and `qrcode` built
each symbol in ~20 ms of pure Python even with its mask choice sped up (~50 ms without), a
third of the campaign's notice time. `segno` (pure Python, no extension: Android builds keep
working) encodes the same kind of symbol in ~6 ms when told which mask to use.

The mask is FIXED to pattern 2 (`column mod 3 == 0`). ISO/IEC 18004 §7.8.3 only recommends the
mask of the lowest penalty; every one of the eight is legal, and a reader finds which one was
used in the symbol's format information. Pattern 2 had the lowest penalty, on average and at
worst, of the eight for 30 payloads shaped like a notice's signed claim (~250 ASCII bytes,
version 12): it is what the automatic choice would usually pick for these payloads. A test reads
the drawn code back with zbar from a rendered page.

Byte mode, no error-correction boost: level M exactly, as the notices always carried.
"""

from __future__ import annotations

import segno

__all__ = ["MASK", "qr_matrix"]

MASK = 2


def qr_matrix(payload: str) -> list[list[bool]]:
    """The symbol's modules, row by row, True where dark, without the quiet zone."""
    code = segno.make_qr(payload.encode("utf-8"), error="m", boost_error=False, mask=MASK)
    return [[bool(module) for module in row] for row in code.matrix]
