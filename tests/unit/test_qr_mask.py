"""`app.documents.qr`: the same symbol as `qrcode`, its mask chosen without building it eight times."""

from __future__ import annotations

import random

import pytest
import qrcode
from qrcode import util

from app.documents.qr import QRCode, penalty

LEVELS = (qrcode.constants.ERROR_CORRECT_L, qrcode.constants.ERROR_CORRECT_M, qrcode.constants.ERROR_CORRECT_H)


def payloads(count: int, seed: int) -> list[tuple[bytes, int]]:
    rng = random.Random(seed)
    return [(bytes(rng.randrange(32, 127) for _ in range(rng.randrange(1, 500))), rng.choice(LEVELS))
            for _ in range(count)]


@pytest.mark.parametrize(("payload", "level"), payloads(60, seed=7))
def test_the_symbol_is_qrcodes_own(payload, level):
    theirs = qrcode.QRCode(error_correction=level, border=0)
    ours = QRCode(error_correction=level, border=0)
    for code in (theirs, ours):
        code.add_data(payload)
        code.make(fit=True)
    assert ours.get_matrix() == theirs.get_matrix()
    assert ours.best_mask_pattern() == theirs.best_mask_pattern()   # (rebuilds the test symbols)


@pytest.mark.parametrize(("payload", "level"), payloads(12, seed=8))
def test_every_masks_penalty_is_qrcodes(payload, level):
    code = qrcode.QRCode(error_correction=level, border=0)
    code.add_data(payload)
    code.make(fit=True)
    for mask in range(8):
        code.makeImpl(True, mask)
        rows = [sum(1 << c for c, dark in enumerate(row) if dark) for row in code.modules]
        assert penalty(rows, code.modules_count) == util.lost_point(code.modules), mask

