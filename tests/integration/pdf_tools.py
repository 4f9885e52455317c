"""Read a PDF back with the real tools a reader would trust: poppler (pdftotext, pdftoppm,
pdfinfo, pdffonts, pdfimages) and qpdf. A missing tool skips on a developer machine and fails
under CI (`require_tool`)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from tests.conftest import require_tool

__all__ = ["pdf_text", "squash", "rasterize", "qpdf_check", "page_count", "fonts", "images"]


def _run(tool: str, pdf: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `tool args… file.pdf -` (or with the file last) on a temporary copy of `pdf`."""
    exe = require_tool(tool)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        argv = [exe, *(str(path) if a == "{pdf}" else a for a in args)]
        return subprocess.run(argv, capture_output=True, timeout=60, check=False)


def pdf_text(pdf: bytes, layout: bool = False) -> str:
    """The text pdftotext reads; pages are separated by form feeds."""
    done = _run("pdftotext", pdf, *(["-layout"] if layout else []), "-enc", "UTF-8", "{pdf}", "-")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


def squash(text: str) -> str:
    """Text without any whitespace: wrapped lines and table columns join up again."""
    return re.sub(r"\s+", "", text)


def rasterize(pdf: bytes, page: int = 1, dpi: int = 80) -> Image.Image:
    """Page `page` as pdftoppm paints it (PNG, RGB)."""
    done = _run("pdftoppm", pdf, "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", "{pdf}")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return Image.open(io.BytesIO(done.stdout)).convert("RGB")


def qpdf_check(pdf: bytes) -> str:
    """qpdf --check output; fails the test on any error or warning (exit codes 2 and 3)."""
    done = _run("qpdf", pdf, "--check", "{pdf}")
    output = (done.stdout + done.stderr).decode(errors="replace")
    assert done.returncode == 0, output
    return output


def page_count(pdf: bytes) -> int:
    done = _run("pdfinfo", pdf, "{pdf}")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return int(re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE).group(1))


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, embedded ('yes'/'no') per font."""
    done = _run("pdffonts", pdf, "{pdf}")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    rows = done.stdout.decode().splitlines()[2:]          # a header line and a rule
    result = []
    for row in rows:
        # name type [encoding] emb sub uni object ID: the last five columns are fixed
        parts = row.split()
        result.append({"name": parts[0], "type": parts[1], "emb": parts[-5]})
    return result


def images(pdf: bytes) -> list[dict[str, str]]:
    """pdfimages -list: one row per image drawn (type 'image' or 'smask'), with width/height."""
    done = _run("pdfimages", pdf, "-list", "{pdf}")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    lines = done.stdout.decode().splitlines()
    header = lines[0].split()
    return [dict(zip(header, line.split(), strict=False)) for line in lines[2:]]
