"""The bundled font covers every Chinese character a name or a hazard may use."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from app import resources


def test_font_is_truetype_and_covers_the_whole_cjk_unified_block():
    font = TTFont(resources.font_path())
    assert "glyf" in font, "reportlab embeds only TrueType outlines"
    cmap = font.getBestCmap()
    missing = [cp for cp in range(0x4E00, 0x9FA6) if cp not in cmap]
    assert missing == []
    for char in "王喆李堃朱镕珺昇祎，：；（）〔〕℃№":
        assert ord(char) in cmap, char


def test_font_licence_ships_beside_it():
    folder = resources.font_path().parent
    assert (folder / "LICENSE-Apache-2.0.txt").is_file()
    assert "WenQuanYi" in (folder / "README.md").read_text("utf-8")
