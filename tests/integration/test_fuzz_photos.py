"""Fuzz the photo pipeline: mutated JPEG, PNG and WebP bytes either become a normal photo (RGB,
≤ 2048 px, re-encodable, thumbnailable) or are refused with `PhotoRejected`. Nothing else escapes.
"""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from app.domain.errors import PhotoRejected
from app.i18n import describe_error
from app.media import pipeline
from tests.integration.fuzz_mutators import SLOW_MARK, budget, mutate_bytes
from tests.integration.photo_fixtures import encode, jpeg, marker_image

# (Pillow warns "Corrupt EXIF data" on damaged files: expected here)
pytestmark = [*SLOW_MARK, pytest.mark.filterwarnings("ignore::UserWarning")]
CASES: dict[str, int] = {}


def seeds() -> dict[str, bytes]:
    rgba = marker_image(90, 60).convert("RGBA")
    rgba.putpixel((0, 0), (0, 0, 0, 0))
    palette = marker_image(64, 48).convert("P")
    grey = io.BytesIO()
    marker_image(70, 50).convert("L").save(grey, "JPEG", progressive=True)
    return {
        "jpeg_exif": jpeg(120, 80, orientation=6, gps=True),
        "jpeg_progressive_grey": grey.getvalue(),
        "png_rgba": encode(rgba, "PNG"),
        "png_palette": encode(palette, "PNG"),
        "png_interlaced": encode(marker_image(40, 30), "PNG", optimize=True),
        "webp": encode(marker_image(80, 60), "WEBP"),
    }


def test_mutated_images_become_photos_or_are_refused():
    rng = random.Random(31)
    sources = seeds()
    cases = budget(4000)
    outcomes: dict[str, int] = {}
    for case in range(cases):
        kind = rng.choice(sorted(sources))
        data = mutate_bytes(sources[kind], rng)
        try:
            processed = pipeline.process(data, f"{kind}-{case}")
        except PhotoRejected as error:
            assert describe_error(error, "zh-CN") and describe_error(error, "en")
            outcomes[error.reason] = outcomes.get(error.reason, 0) + 1
            continue
        image = processed.image
        assert image.mode == "RGB" and max(image.size) <= pipeline.LONG_SIDE
        Image.open(io.BytesIO(pipeline.encode_jpeg(image, processed.exif))).verify()
        pipeline.thumbnail(image)
        outcomes["accepted"] = outcomes.get("accepted", 0) + 1
    CASES["photo pipeline"] = cases
    print(f"photo pipeline: {cases} mutated images, {dict(sorted(outcomes.items()))}")
    assert outcomes.get("accepted") and sum(v for k, v in outcomes.items() if k != "accepted") > cases // 4
