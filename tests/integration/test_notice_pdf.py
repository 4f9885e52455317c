"""The rectification notice PDF, read back with poppler and qpdf as a reader's tools would."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw
from reportlab.platypus import Paragraph

from app import resources
from app.documents.fonts import CLOSING_PUNCTUATION, OPENING_PUNCTUATION, styles
from app.documents.notice_pdf import qr_payload, render_notice
from app.domain.errors import StoreCorrupt
from app.domain.notice import NoticeContent, NoticeHazardLine, Signature, snapshot_sha256
from app.media.qr_scan import read_qr_codes
from app.media.signature import render_signature
from tests.conftest import require_tool
from tests.integration.pdf_tools import fonts, images, page_count, pdf_text, qpdf_check, rasterize, squash

ROOT = Path(__file__).resolve().parents[2]
BAD_LINE_STARTS = "，。、；："

# Long, punctuation-dense texts: they wrap in their cells and put closing marks at many breaks.
LONG_1 = (
    "住院部3号楼5层东侧疏散走道堆放纸箱、废旧床垫和被服（约20件），占用疏散宽度超过一半；"
    "常闭式防火门被木楔固定于常开状态，闭门器损坏；安全出口标志被遮挡，应急照明灯不亮（按下测试按钮无反应）。"
)
LONG_2 = (
    "配电室内堆放可燃杂物（纸箱、拖把、旧桌椅），灭火器压力不足（指针位于红区）、已过期；"
    "电缆沟盖板缺失，挡鼠板高度不足400mm；“非工作人员禁止入内”标识缺失……"
)
LONG_3 = "药库内电气线路私拉乱接，照明灯具紧贴货架，未采取隔热措施；易燃药品（乙醇、乙醚）与普通药品混存。"
BASIS = "《机关、团体、企业、事业单位消防安全管理规定》（公安部令第61号）第三十一条；GB 55037-2022《建筑防火通用规范》"
REQUIREMENTS = (
    "请于各项隐患所列整改期限前完成整改。",
    "确因客观原因无法按期整改的，应于期限届满前提交书面说明，并附分阶段整改计划和整改期间的临时安全措施。",
    "整改完成后，请书面报告整改情况，并附整改前后照片。",
    "整改期限届满后，我委将对整改情况进行复查。",
)


@cache
def photo_bytes(seed: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A 1600×1200 JPEG (tablet photos are stored at ≤ 2048 px; 12 MP is too slow for tests)."""
    image = Image.new("RGB", size, (40 + seed * 37 % 180, 110, 200 - seed * 23 % 150))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 90):
        draw.line((x, 0, size[0] - x, size[1]), fill="white", width=5)
    draw.rectangle((size[0] // 8, size[1] // 6, size[0] // 2, size[1] // 2), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class PhotoStore:
    """Photos by fake hash, counting what the renderer asks for."""

    def __init__(self):
        self.data: dict[str, bytes] = {}
        self.asked: list[str] = []

    def add(self, seed: int, size: tuple[int, int] = (1600, 1200)) -> str:
        key = f"{seed:064x}"
        self.data[key] = photo_bytes(seed, size)
        return key

    def __call__(self, sha256: str) -> bytes:
        self.asked.append(sha256)
        return self.data[sha256]


@cache
def signature_png(seed: int) -> bytes:
    wave = [(i / 40, 0.5 + 0.3 * ((-1) ** (i // 5 + seed)) * (i % 5) / 5) for i in range(41)]
    return render_signature([wave, [(0.2 + seed / 10, 0.15), (0.25 + seed / 10, 0.85)]])


def make_hazard(number: int, photos: tuple[str, ...] = (), **overrides) -> NoticeHazardLine:
    values = {
        "number": number, "area": "住院部3号楼5层东侧走廊", "description": LONG_3, "basis": BASIS, "major": False,
        "deadline": dt.date(2026, 7, 20), "requirement": "立即清理，恢复常闭；整改期间专人值守。", "photos": photos,
    }
    return NoticeHazardLine(**(values | overrides))


def make_content(store: PhotoStore, hazards: int = 3, **overrides) -> NoticeContent:
    lines = [
        make_hazard(1, (store.add(1), store.add(2, (1200, 1600))), description=LONG_1, major=True),
        make_hazard(2, (store.add(3),), area="地下一层配电室", description=LONG_2),
        make_hazard(3, (store.add(4), store.add(5), store.add(6)), area="门诊楼1层药库"),
    ]
    lines += [make_hazard(n, (store.add(n * 2), store.add(n * 2 + 1))) for n in range(4, hazards + 1)]
    values = {
        "notice_id": "0b7e4f6a-2c1d-4e8f-9a3b-5c6d7e8f9a0b", "number": "示卫消整〔2026〕第0012号", "version": 1,
        "supersedes_number": "", "issuer": "示范市卫生健康委员会", "recipient": "示范市第一人民医院",
        "unit_name": "示范市第一人民医院", "inspection_date": dt.date(2026, 7, 10), "inspection_kind": "抽查",
        "areas": ("住院部3号楼", "地下一层配电室", "门诊楼"), "basis": "《中华人民共和国消防法》",
        "hazards": tuple(lines[:hazards]), "requirements": REQUIREMENTS,
        "inspectors": (Signature("王喆", signature_png(0)), Signature("李堃", signature_png(1))),
        "receiver": Signature("张秀英", signature_png(2)),
        "issued_at": dt.datetime(2026, 7, 10, 3, 30, tzinfo=dt.UTC), "recheck_date": dt.date(2026, 7, 23),
    }
    return NoticeContent(**(values | overrides))


@pytest.fixture(scope="module")
def notice() -> tuple[NoticeContent, bytes, PhotoStore]:
    store = PhotoStore()
    content = make_content(store)
    return content, render_notice(content, store), store


@pytest.fixture(scope="module")
def text(notice) -> str:
    return pdf_text(notice[1])


def test_notice_reads_back_number_recipient_hazards_and_deadlines(notice, text):
    content, _, _ = notice
    flat = squash(text)
    for expected in (content.number, "火灾隐患整改通知书", content.recipient + "：", "对你单位住院部3号楼",
                     content.issuer, "2026年7月20日",
                     "2026年7月10日", "【可能构成重大火灾隐患】", "回执", "已收到", "预定复查日期：2026年7月23日"):
        assert squash(expected) in flat, expected
    for hazard in content.hazards:
        assert squash(hazard.description) in flat, hazard.number
        assert squash(hazard.area) in flat
    for requirement in content.requirements:
        assert squash(requirement) in flat
    assert "另有1张照片存档" in flat          # hazard 3 has three photos, two are printed


def test_every_page_has_its_number_of_the_total(notice, text):
    total = page_count(notice[1])
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == total
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{total}\s*页", page), page[-200:]
        assert squash(notice[0].number) in squash(page)


def test_signatures_names_and_receipt_are_on_the_last_page(notice, text):
    last = squash([page for page in text.split("\f") if page.strip()][-1])
    for name in ("王喆", "李堃", "张秀英", "检查人员（签名）", "签收日期", "回执", "沿此线剪下"):
        assert name in last


def test_pdf_passes_qpdf_check(notice):
    qpdf_check(notice[1])


def test_only_the_bundled_fonts_are_used_the_song_body_face_among_them_and_embedded(notice):
    used = fonts(notice[1])
    assert used, "no fonts at all?"
    for font in used:
        assert font["name"].split("+")[-1] in (resources.FONT_FAMILY, resources.SONG_FAMILY), font
        assert font["emb"] == "yes", font
    assert any(font["name"].endswith("+" + resources.SONG_FAMILY) for font in used)


def test_every_visible_character_is_in_one_of_the_fonts(notice, text):
    cmaps = [TTFont(path).getBestCmap() for path in (resources.font_path(), resources.song_font_path())]
    missing = {char for char in text if not char.isspace() and not any(ord(char) in cmap for cmap in cmaps)}
    assert missing == set()
    assert "喆" in text and "堃" in text


def test_a_character_the_song_face_lacks_is_drawn_in_the_fallback_face_never_a_box():
    song = TTFont(resources.song_font_path()).getBestCmap()
    assert ord("喆") not in song and ord("王") in song          # the subset is GB 2312: 喆 is not in it
    store = PhotoStore()
    content = make_content(store, hazards=1, recipient="王喆科")
    pdf = render_notice(content, store)
    assert "王喆科：" in squash(pdf_text(pdf))
    assert {f["name"].split("+")[-1] for f in fonts(pdf)} == {resources.FONT_FAMILY, resources.SONG_FAMILY}


def test_a_standard_number_is_never_broken_across_lines():
    store = PhotoStore()
    basis = "依据GB 35181-2025《重大火灾隐患判定规则》、GB/T 25201-2010、WS 308-2019和GB 55037-2022的规定"
    hazards = tuple(make_hazard(n, basis=basis * 2) for n in (1, 2))
    text = pdf_text(render_notice(replace(make_content(store, hazards=2), hazards=hazards), store))
    lines = [line.strip() for line in text.splitlines()]
    for number in ("GB 35181-2025", "GB/T 25201-2010", "WS 308-2019", "GB 55037-2022"):
        code, digits = number.split(" ")
        assert any(code in line and digits in line for line in lines), number
        assert not any(line.endswith((code, code + "\u00a0")) for line in lines), number


def test_no_line_starts_with_closing_punctuation(notice, text):
    lines = text.splitlines() + [
        segment for line in pdf_text(notice[1], layout=True).splitlines() for segment in re.split(r"\s{2,}", line)
    ]
    offenders = [line for line in lines if line.strip() and line.strip()[0] in BAD_LINE_STARTS]
    assert offenders == []


@pytest.mark.parametrize("width", [float(w) for w in range(40, 320, 7)])
def test_line_breaking_keeps_closing_marks_off_the_line_start_at_any_width(width):
    # "）。", "……" and "”，" used to break between the two marks; markup takes the other code path
    text = "整改期间（含夜间）。灭火器过期……未更换”，门（常闭）：应急灯；疏散、通道" * 4
    for markup in (text, text.replace("灭火器", "<b>灭火器</b>")):
        paragraph = Paragraph(markup, styles().cell)
        paragraph.wrap(width, 10_000)
        lines = [
            "".join(f.text for f in line.words) if hasattr(line, "words") else "".join(line[1])
            for line in paragraph.blPara.lines
        ]
        assert "".join(lines) == text
        assert [line for line in lines[1:] if line[0] in CLOSING_PUNCTUATION] == []
        assert [line for line in lines[:-1] if line[-1] in OPENING_PUNCTUATION] == []


def dark_pixels(grey: Image.Image) -> int:
    return sum(grey.histogram()[:100])


def test_page_one_is_not_blank_in_the_table_area(notice):
    page = rasterize(notice[1], page=1, dpi=80).convert("L")
    width, height = page.size
    table_area = page.crop((0, int(height * 0.3), width, int(height * 0.9)))
    assert dark_pixels(table_area) > 0.02 * table_area.width * table_area.height
    qr_corner = page.crop((int(width * 0.75), 0, width, int(height * 0.15)))
    assert dark_pixels(qr_corner) > 500


def test_photos_are_shrunk_and_only_those_printed_are_loaded(notice):
    content, pdf, store = notice
    printed = [h for hazard in content.hazards for h in hazard.photos[:2]]
    assert store.asked == printed                              # hazard 3's third photo is never loaded
    photos = [row for row in images(pdf) if row["enc"] == "jpeg"]
    assert len(photos) == len(printed)
    assert max(max(int(row["width"]), int(row["height"])) for row in photos) <= 800
    assert len(pdf) < 1_500_000


def test_same_content_renders_identical_bytes_even_after_another_notice(notice):
    first = notice[1]
    other = PhotoStore()
    render_notice(make_content(other, hazards=5, number="示卫消整〔2026〕第0013号"), other)
    again = PhotoStore()
    assert render_notice(make_content(again), again) == first


def test_a_reprint_in_a_fresh_process_is_byte_identical(notice):
    script = (
        "import sys; from tests.integration.test_notice_pdf import PhotoStore, make_content;"
        "from app.documents.notice_pdf import render_notice;"
        "s = PhotoStore(); sys.stdout.buffer.write(render_notice(make_content(s), s))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=120, check=True)
    assert done.stdout == notice[1]


def test_qr_code_carries_id_number_and_content_hash(notice):
    content = notice[0]
    assert json.loads(qr_payload(content)) == {
        "id": content.notice_id, "no": content.number, "sha256": snapshot_sha256(content),
    }
    assert qr_payload(content).isascii()


# a signed claim as `app.domain.notice.encode_qr` writes it (~250 ASCII bytes), and shorter and longer texts
SIGNED_CLAIM = json.dumps({"v": 1, "no": "\\u793a\\u536b\\u6d88\\u6574\\u3014\\u0032\\u0030\\u0032\\u0036\\u3015",
                           "by": "U07", "on": "2026-07-10", "h": "9f" * 32, "d": "3c1d2e4f5a6b",
                           "s": "Zm9v" * 22}, separators=(",", ":"))


@pytest.mark.parametrize("payload", [SIGNED_CLAIM, "short", SIGNED_CLAIM + "x" * 200])
def test_the_drawn_qr_code_reads_back_to_its_payload(payload):
    """What a scanner reads from the printed page (150 dpi, as a flatbed scan) is what was encoded."""
    require_tool("zbarimg")   # the zbar library pyzbar loads comes with it
    store = PhotoStore()
    page = rasterize(render_notice(make_content(store, hazards=1), store, qr_text=payload), dpi=150)
    out = io.BytesIO()
    page.save(out, "PNG")
    assert read_qr_codes(out.getvalue()) == [payload]


def test_a_correction_says_which_notice_it_corrects():
    store = PhotoStore()
    content = make_content(store, hazards=1, version=2, number="示卫消整〔2026〕第0013号",
                           supersedes_number="示卫消整〔2026〕第0012号")
    flat = squash(pdf_text(render_notice(content, store)))
    assert "更正版（第2版，更正示卫消整〔2026〕第0012号）" in flat


def test_a_first_version_has_no_correction_line(text):
    assert "更正版" not in text


def test_twelve_hazards_span_pages_with_the_right_total():
    store = PhotoStore()
    pdf = render_notice(make_content(store, hazards=12), store)
    total = page_count(pdf)
    assert total >= 2
    pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
    assert len(pages) == total
    assert all(re.search(rf"第\s*{n}\s*页\s*共\s*{total}\s*页", page) for n, page in enumerate(pages, start=1))
    assert sum("隐患描述" in page for page in pages) >= 2          # the header row is repeated
    qpdf_check(pdf)


def test_a_hazard_longer_than_a_page_still_renders():
    store = PhotoStore()
    essay = "消防车通道被临时建筑和车辆长期占用，影响消防车通行。" * 120
    content = make_content(store, hazards=1)
    content = replace(content, hazards=(replace(content.hazards[0], description=essay),))
    pdf = render_notice(content, store)
    text = pdf_text(pdf)
    assert text.count("占") == 120                         # every sentence is printed, none twice
    assert "（续）" in text                                 # the row goes on in rows that fit a page
    assert page_count(pdf) >= 4
    qpdf_check(pdf)


def test_issue_date_is_the_day_in_shanghai_and_user_text_is_not_markup():
    store = PhotoStore()
    content = make_content(store, hazards=1, issued_at=dt.datetime(2026, 7, 10, 17, 0, tzinfo=dt.UTC),
                           recipient="药剂科 <b>&amp; 库房", receiver=Signature("张秀英"))
    flat = squash(pdf_text(render_notice(content, store)))
    assert "2026年7月11日" in flat                 # 01:00 on the 11th in Shanghai
    assert squash("药剂科 <b>&amp; 库房：") in flat
    assert "我处检查人员对你单位住院部3号楼" in flat       # the issuing office speaks as 我处


def test_an_unreadable_stored_photo_is_reported_as_corrupt_store():
    store = PhotoStore()
    content = make_content(store, hazards=1)
    store.data[content.hazards[0].photos[0]] = b"not a jpeg"
    with pytest.raises(StoreCorrupt) as caught:
        render_notice(content, store)
    assert caught.value.path == content.hazards[0].photos[0]


def test_signature_is_a_png_with_dark_strokes_on_transparent():
    png = render_signature([[(0.1, 0.5), (0.5, 0.2), (0.9, 0.8)], [(0.3, 0.3)]], width=300, height=100)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (300, 100)
    grey, alpha = image.convert("LA").split()
    opaque = alpha.point(lambda a: 255 if a > 200 else 0)
    assert opaque.histogram()[255] > 300                           # there is ink…
    ink = Image.composite(grey, Image.new("L", grey.size, 0), opaque)
    assert ink.getextrema()[1] < 80                                # …and it is black
    assert alpha.getpixel((0, 0)) == 0 and grey.getpixel((0, 0)) == 255   # background: clear over white


def test_signature_is_deterministic_and_clamps_points_past_the_edge():
    strokes = [[(-0.2, 0.5), (1.3, 0.5)]]
    assert render_signature(strokes) == render_signature(strokes)
    alpha = Image.open(io.BytesIO(render_signature(strokes))).getchannel("A")
    assert alpha.getpixel((2, 100)) > 0 and alpha.getpixel((597, 100)) > 0


@pytest.mark.parametrize("strokes", [[], [[]], [[], []]])
def test_an_empty_signature_is_refused(strokes):
    with pytest.raises(ValueError, match="empty"):
        render_signature(strokes)


def test_a_signature_point_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        render_signature([[(0.1, float("nan"))]])
