"""Read Chinese back from a screenshot (Tesseract, simplified-Chinese data) to prove glyphs are right.

Counting ink (tests/ui/glyphs.py) tells glyphs from tofu boxes, but not a right glyph from a wrong
or half-drawn one: the README's "隐患与相机" picture had square, inked, wrong glyphs. OCR tells:
a label comes back only if its characters were drawn as themselves.

The screenshot is scaled up twice before reading (Tesseract reads 12–14 px UI text far better at
twice the size); whitespace is dropped from what it reads, since it spaces Chinese at will.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from tests.conftest import IN_CI, require_tool

__all__ = ["read_chinese", "missing_labels", "require_ocr"]


def require_ocr() -> str:
    """The tesseract binary, with its chi_sim data (Debian tesseract-ocr, tesseract-ocr-chi-sim)."""
    tesseract = require_tool("tesseract")
    langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=60).stdout
    if "chi_sim" not in langs.split():
        message = "tesseract has no chi_sim data (run `bash scripts/system-deps.sh`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return tesseract


def _read(image: Image.Image, tesseract: str, scratch: Path) -> str:
    ink = ImageOps.invert(image).point(lambda p: 255 if p > 40 else 0).getbbox()
    if not ink:
        return ""
    left, top, right, bottom = ink            # only where something is drawn: time goes with the area
    image = image.crop((max(left - 8, 0), max(top - 8, 0), min(right + 8, image.width), min(bottom + 8, image.height)))
    image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS).save(scratch)
    out = subprocess.run([tesseract, str(scratch), "stdout", "-l", "chi_sim", "--psm", "6"],
                         capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout   # threads only fight on 2 cores
    return "".join(out.split())


def read_chinese(screenshot: Path, split_at: int = 0, left: bool = True) -> str:
    """The text Tesseract reads in `screenshot` (chi_sim, one uniform block: --psm 6), unspaced.

    `split_at` is the x of a column edge (the navigation rail's): the two sides are read apart, as
    one block Tesseract reads across the rail into the screen's lines and loses both. `left=False`
    skips the left side (a rail already read on another screen: each read takes seconds).
    """
    tesseract = require_ocr()
    with Image.open(screenshot) as shot, tempfile.TemporaryDirectory(prefix="firesweep-ocr-") as folder:
        gray, scratch = shot.convert("L"), Path(folder) / "page.png"
        if not split_at:
            return _read(gray, tesseract, scratch)
        rail = gray.crop((0, 0, split_at, gray.height))
        right = gray.crop((split_at, 0, gray.width, gray.height))
        return (_read(rail, tesseract, scratch) if left else "") + "|" + _read(right, tesseract, scratch)


def missing_labels(screenshot: Path, labels: list[str], split_at: int = 0, left: bool = True
                   ) -> tuple[list[str], str]:
    """The labels that did not come back from `screenshot`, and what was read."""
    text = read_chinese(screenshot, split_at, left)
    return [label for label in labels if not found_in(text, "".join(label.split()))], text


def found_in(text: str, label: str) -> bool:
    """`label` is in `text`, allowing one misread character in a label of four or more.

    Tesseract misreads a single ideograph now and then (整改期限 came back as 蓝改期限 from a
    screenshot whose glyphs were whole); a broken font garbles every character of a label, so one
    allowed slip keeps the check from flaking without letting broken glyphs pass.
    """
    if label in text:
        return True
    if len(label) < 4:
        return False
    return any(sum(a != b for a, b in zip(label, text[i:i + len(label)], strict=True)) <= 1
               for i in range(len(text) - len(label) + 1))
