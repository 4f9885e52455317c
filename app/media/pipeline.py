"""From whatever a camera or a file picker gives us to a stored evidence photo.

Steps, each with its reason:
1. refuse what is not a photo before decoding much: empty, over `MAX_BYTES`, not a format we
   accept, more pixels than `MAX_PIXELS` (a decompression bomb: Pillow's warning is an error
   here), truncated (it opens, then fails in `load()`);
2. let the JPEG decoder scale down while decoding (`draft`): a 12 MP photo decodes at half size
   for about a third of the time, still ≥ 1900 px on the long side;
3. honour EXIF orientation: reportlab and many viewers ignore it, so we rotate the pixels;
4. shrink to ≤ 2048 px and save JPEG q85: a tablet photo goes from ~5 MB to ~0.5 MB, plenty to
   read a label on an extinguisher;
5. keep only harmless EXIF (time, camera); drop GPS unless the settings keep it, so a bundle
   does not leak where staff were.

HEIC (iPhones, iPads) needs pillow-heif, an optional extra (`.[heic]`): Flet's mobile package index
has no wheel of it, and Android cameras write JPEG. It is imported on the first photo, not at
import time; where it is absent a HEIC file is refused as `heic_unsupported`, which says so.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import warnings
from dataclasses import dataclass
from functools import cache

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from app.domain.errors import PhotoRejected

__all__ = ["MAX_BYTES", "MAX_PIXELS", "LONG_SIDE", "THUMB_SIDE", "Processed", "process", "encode_jpeg", "shrink",
           "thumbnail", "taken_at", "heic_supported"]

MAX_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000          # a 48 MP phone photo passes; anything larger is refused
LONG_SIDE = 2048
THUMB_SIDE = 320
PRINT_SIDE = 800   # a notice prints photos ~7 cm wide: 800 px is ~290 dpi
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}   # MPO: JPEGs from some phone cameras
_KEEP_TAGS = (ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.DateTime)
# What a damaged file makes Pillow's decoders raise (found by tests/integration/test_fuzz_photos.py).
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError, IndexError, struct.error,
                  ZeroDivisionError)
# ISO-BMFF brands of HEIF stills and sequences coded in HEVC (what Apple devices write); AVIF is not one
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}


@cache
def heic_supported() -> bool:
    """Whether pillow-heif is installed; registers its opener with Pillow the first time."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return False
    register_heif_opener()
    return True


def _is_heic(data: bytes) -> bool:
    """An ISO-BMFF file whose `ftyp` box names a HEIF brand (major or compatible), and not AVIF."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    end = min(int.from_bytes(data[:4], "big"), len(data), 256)
    brands = {data[8:12], *(data[i:i + 4] for i in range(16, end - 3, 4))}
    return data[8:12] not in (b"avif", b"avis") and bool(brands & _HEIC_BRANDS)


@dataclass(frozen=True)
class Processed:
    image: Image.Image         # RGB, upright, ≤ LONG_SIDE
    exif: Image.Exif           # what we keep
    source_format: str


def _open(data: bytes, name: str) -> Image.Image:
    if not data:
        raise PhotoRejected(name, "empty_file")
    if len(data) > MAX_BYTES:
        raise PhotoRejected(name, "file_too_large")
    if not heic_supported() and _is_heic(data):
        raise PhotoRejected(name, "heic_unsupported")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise PhotoRejected(name, "too_many_pixels") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise PhotoRejected(name, "not_an_image") from None
    if image.format not in FORMATS:
        raise PhotoRejected(name, "unsupported_format")
    width, height = image.size
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        raise PhotoRejected(name, "too_many_pixels")
    return image


def process(data: bytes, name: str, keep_gps: bool = False) -> Processed:
    """Validate and normalise one photo; raise `PhotoRejected` saying why it is refused."""
    image = _open(data, name)
    source_format = image.format or ""
    long_side = max(image.size)
    if image.format in ("JPEG", "MPO") and long_side >= 2 * 1900:
        ratio = 1900 / long_side
        image.draft("RGB", (int(image.width * ratio), int(image.height * ratio)))
    try:
        exif = image.getexif()   # (a PNG's EXIF sits after its pixels: reading it decodes them)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)   # an upright photo is not copied (3 MP, ~10 ms)
        upright = image
    except _DECODE_ERRORS:
        raise PhotoRejected(name, "truncated") from None
    if upright.mode not in ("RGB", "L"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")   # transparent PNG areas print as white
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode == "L":
        upright = upright.convert("RGB")
    if max(upright.size) > LONG_SIDE:
        upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    try:
        kept = _kept_exif(exif, keep_gps)
        kept.tobytes()   # what encode_jpeg will do: a damaged tag must fail here, as a refusal
    except _DECODE_ERRORS:
        kept = Image.Exif()   # the pixels are sound; only the camera's notes were damaged
    return Processed(upright, kept, source_format)


def _kept_exif(source: Image.Exif, keep_gps: bool) -> Image.Exif:
    kept = Image.Exif()
    for tag in _KEEP_TAGS:
        if tag in source:
            kept[tag] = source[tag]
    taken = source.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    if taken:
        kept.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if keep_gps:
        gps = source.get_ifd(ExifTags.IFD.GPSInfo)
        if gps:
            kept.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    return kept


_EXIF_TIME = re.compile(r"^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$")


def taken_at(exif: Image.Exif) -> str:
    """The camera's own time of the shot (EXIF DateTimeOriginal, else DateTime) as
    "YYYY-MM-DD HH:MM:SS"; "" when absent or not a real time (a camera with no clock writes zeros)."""
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    match = _EXIF_TIME.match(str(raw or "").strip().rstrip("\x00"))
    if not match:
        return ""
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        moment = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def encode_jpeg(image: Image.Image, exif: Image.Exif | None = None, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes() if exif is not None and len(exif) else b"")
    return buffer.getvalue()


def shrink(image: Image.Image, side: int) -> Image.Image:
    """An image of at most `side` px on its long side; `image` itself when it already fits (every
    caller only reads the result: copying a 640×480 picture cost as much as encoding it), else a
    new image (`image` is left as it is).

    When the photo is an exact whole multiple of the result (640×480 → 320×240, 1600×1200 →
    800×600), each pixel is the mean of its k×k block (`reduce`): the same size, a box filter
    instead of a bilinear one (a mean difference of about half a level in 255), in a seventh of
    the time (0.3 against 2.4 ms for a 640×480 picture, 60,000 of them in a bureau's demo).
    """
    long_side = max(image.size)
    if long_side <= side:
        return image
    factor = long_side // side if long_side % side == 0 else 1
    if factor > 1 and image.width % factor == 0 and image.height % factor == 0:
        return image.reduce(factor)
    small = image.copy()
    small.thumbnail((side, side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return small


def thumbnail(image: Image.Image, side: int = THUMB_SIDE) -> bytes:
    """A JPEG of at most `side` px: 320 for lists, 800 for printing (made once, at capture)."""
    return encode_jpeg(shrink(image, side), quality=80)
