"""Photos as evidence: ingest (check, shrink, stamp), attach, annotate, remove, list.

Files go to the content-addressed blob store before the record that names them is committed,
so a record never points at a missing file; the same bytes twice are stored once.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.errors import AppError, NotFound, PhotoRejected
from app.domain.model import Hazard, Photo, PhotoOwner
from app.i18n import Translator
from app.media import annotate as annotate_media
from app.media import pipeline, stamp
from app.store.blobs import BlobStore

from .context import Context, new_meta, save
from .hazards import get_hazard, save_item_hazard
from .inspections import get_inspection

__all__ = [
    "PhotoSettings", "add_hazard_photo", "add_response_photo", "add_evidence_photo", "annotate_photo",
    "remove_photo", "photos_of", "photo_bytes", "ingest_files", "get_photo", "add_draft_hazard_photo",
]


@dataclass(frozen=True)
class PhotoSettings:
    keep_unstamped: bool = True   # keep the photo before the stamp, to re-examine the evidence
    keep_gps: bool = False        # location stays on the tablet unless the bureau wants it


def _blobs(ctx: Context) -> BlobStore:
    if ctx.photos is None:
        raise RuntimeError("this context has no photo store")
    return ctx.photos


def _stamp_lines(ctx: Context, unit: str, place: str, short_id: str) -> list[str]:
    """Stamp text is always Chinese: it is evidence in a Chinese file, whatever the UI language."""
    t = Translator("zh-CN")
    unit_record = ctx.catalog.units.get(unit)
    when = ctx.now().astimezone(ZoneInfo(ctx.catalog.campaign.timezone)).strftime("%Y-%m-%d %H:%M")
    return [
        t("stamp.line1", time=when, unit=unit_record.name_zh if unit_record else unit, place=place),
        t("stamp.line2", inspector=ctx.actor, id=short_id.upper()),
    ]


INLINE_PIXELS = 1_000_000   # ≤ 1 MP: encoded in the calling thread (see `_store_all`)


@cache
def _file_threads() -> ThreadPoolExecutor:
    """Threads kept for a photo's files (starting four threads per photo cost ~10 ms under load)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="photo-files")


if hasattr(os, "register_at_fork"):   # a forked child has none of its parent's threads: it starts its own
    os.register_at_fork(after_in_child=_file_threads.cache_clear)


def _encode_and_put(blobs: BlobStore, encode: Callable[[], bytes]) -> str:
    return blobs.put(encode(), ".jpg")


def _store_all(blobs: BlobStore, encoders: dict[str, Callable[[], bytes]], inline: bool = False) -> dict[str, str]:
    """Encode and store each file on its own thread; their hashes by name once every file is on disk.

    A small photo (`inline`: at most `INLINE_PIXELS`, the caller says) is encoded here, one
    file after the other: its four encodes take ~2 ms together, less than handing them to the
    threads and waiting for them under load (a bureau's demo stores 60,000 640×480 pictures).

    Pillow's JPEG encoder, hashlib and fsync all release the GIL, so on two cores the four
    files of a photo cost about what the largest one does. Each encoder reads an image no other
    one touches. The first failure (a full disk) is raised after all have finished, so nothing
    is still writing when the caller's transaction is discarded.
    """
    if inline:
        return {key: _encode_and_put(blobs, encode) for key, encode in encoders.items()}
    # each in a copy of this thread's context: a bulk build's deferred sync reaches the file threads
    futures = {key: _file_threads().submit(contextvars.copy_context().run, _encode_and_put, blobs, encode)
               for key, encode in encoders.items()}
    wait(futures.values())
    return {key: future.result() for key, future in futures.items()}


def _ingest(ctx: Context, data: bytes, name: str, unit: str, owner: PhotoOwner, owner_id: str,
            place: str, settings: PhotoSettings) -> Photo:
    """Check, shrink and stamp one photo, store its files, then commit its record.

    The print copy is shrunk from the stamped photo and the thumbnail from the print copy (a
    sixth of the pixels), which is what `pipeline.thumbnail` of the photo would draw, minus the
    work. Every file is durable (`_store_all` returns) before the record naming it is saved.
    """
    processed = pipeline.process(data, name, keep_gps=settings.keep_gps)
    meta = new_meta(ctx, unit)
    stamped = stamp.stamp(processed.image, _stamp_lines(ctx, unit, place, meta["id"][:8]))
    print_copy = pipeline.shrink(stamped, pipeline.PRINT_SIDE)
    thumb = pipeline.shrink(print_copy, pipeline.THUMB_SIDE)
    encoders: dict[str, Callable[[], bytes]] = {
        "sha256": lambda: pipeline.encode_jpeg(stamped, processed.exif),
        "thumb_sha256": lambda: pipeline.encode_jpeg(thumb, quality=80),
        "print_sha256": lambda: pipeline.encode_jpeg(print_copy, quality=80),
    }
    if settings.keep_unstamped:
        encoders["unstamped_sha256"] = lambda: pipeline.encode_jpeg(processed.image, processed.exif)
    files = _store_all(_blobs(ctx), encoders, inline=stamped.width * stamped.height <= INLINE_PIXELS)
    photo = Photo(
        **meta, sha256=files["sha256"], thumb_sha256=files["thumb_sha256"], print_sha256=files["print_sha256"],
        unstamped_sha256=files.get("unstamped_sha256", ""), owner=owner, owner_id=owner_id, taken_by=ctx.actor,
        original_name=Path(name).name[:200],
        original_size=len(data), width=stamped.width, height=stamped.height, taken_at=pipeline.taken_at(processed.exif),
    )
    return save(ctx, photo, None, "create")


def _place_of(ctx: Context, hazard: Hazard) -> str:
    area = ctx.repo.get_area(hazard.area_id, hazard.inspection_id)
    return area.name if area else ""


def add_hazard_photo(ctx: Context, hazard_id: str, data: bytes, name: str,
                     settings: PhotoSettings = PhotoSettings()) -> Photo:
    """A photo of the hazard as found, stamped, stored and listed on the hazard."""
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        photo = _ingest(ctx, data, name, hazard.unit, PhotoOwner.HAZARD, hazard.id, _place_of(ctx, hazard), settings)
        save(ctx, replace(hazard, photos=(*hazard.photos, photo.sha256)), hazard, "update")
        return photo


def add_draft_hazard_photo(ctx: Context, inspection_id: str, area_id: str, item_id: str, data: bytes, name: str,
                           *, fields: dict, settings: PhotoSettings = PhotoSettings()) -> Photo:
    """The first photo on the hazard form of a failed item whose hazard is still a draft.

    A photo needs its hazard, so the hazard is stored with the form's `fields` (those of
    `save_item_hazard`) in the same transaction as the photo: a refused photo stores neither.
    """
    with ctx.repo.transaction():
        hazard = save_item_hazard(ctx, inspection_id, area_id, item_id, **fields)
        return add_hazard_photo(ctx, hazard.id, data, name, settings)


def add_response_photo(ctx: Context, inspection_id: str, area_id: str, item_id: str, data: bytes, name: str,
                       settings: PhotoSettings = PhotoSettings()) -> Photo:
    """A photo on a checklist answer (the answer must exist: answer first, then photograph)."""
    with ctx.repo.transaction():
        inspection = get_inspection(ctx, inspection_id)
        response = next((r for r in ctx.repo.responses(inspection.id)
                         if r.area_id == area_id and r.item_id == item_id and not r.deleted), None)
        if response is None:
            raise NotFound("response", f"{area_id}/{item_id}")
        area = ctx.repo.get_area(area_id, inspection_id)
        photo = _ingest(ctx, data, name, inspection.unit, PhotoOwner.RESPONSE, response.id,
                        area.name if area else "", settings)
        save(ctx, replace(response, photos=(*response.photos, photo.sha256)), response, "update")
        return photo


def add_evidence_photo(ctx: Context, hazard_id: str, data: bytes, name: str,
                       owner: PhotoOwner = PhotoOwner.RECTIFICATION,
                       settings: PhotoSettings = PhotoSettings()) -> Photo:
    """A photo of the fix (or of the re-check); pass its `sha256` to `rectify` / `verify`."""
    if owner not in (PhotoOwner.RECTIFICATION, PhotoOwner.RECHECK):
        raise ValueError(owner)
    with ctx.repo.transaction():
        hazard = get_hazard(ctx, hazard_id)
        return _ingest(ctx, data, name, hazard.unit, owner, hazard.id, _place_of(ctx, hazard), settings)


def _photo(ctx: Context, photo_id: str) -> Photo:
    found = next((p for p in ctx.repo.photos() if p.id == photo_id and not p.deleted), None)
    if found is None:
        raise NotFound("photo", photo_id)
    return found


def get_photo(ctx: Context, photo_id: str) -> Photo:
    """One photo by id, removed ones included (a link to a removed photo still shows what it was)."""
    return _photo(ctx, photo_id)


def annotate_photo(ctx: Context, photo_id: str, shapes: list[annotate_media.Shape]) -> Photo:
    """A new photo: the original with circles, arrows and boxes drawn on; the original stays."""
    with ctx.repo.transaction():
        source = _photo(ctx, photo_id)
        drawn = annotate_media.annotate_stored(_blobs(ctx).read(source.sha256), shapes)
        blobs = _blobs(ctx)
        photo = replace(
            source, **new_meta(ctx, source.unit), sha256=blobs.put(pipeline.encode_jpeg(drawn), ".jpg"),
            thumb_sha256=blobs.put(pipeline.thumbnail(drawn), ".jpg"),
            print_sha256=blobs.put(pipeline.thumbnail(drawn, pipeline.PRINT_SIDE), ".jpg"),
            annotated_from=source.sha256,
            taken_by=ctx.actor,
        )
        photo = save(ctx, photo, None, "create")
        if source.owner is PhotoOwner.HAZARD:
            hazard = get_hazard(ctx, source.owner_id)
            save(ctx, replace(hazard, photos=(*hazard.photos, photo.sha256)), hazard, "update")
        return photo


def remove_photo(ctx: Context, photo_id: str) -> Photo:
    """Soft removal, audited: the photo leaves its hazard's list, its file stays as evidence."""
    with ctx.repo.transaction():
        photo = _photo(ctx, photo_id)
        removed = save(ctx, replace(photo, removed=True), photo, "remove")
        if photo.owner is PhotoOwner.HAZARD:
            hazard = get_hazard(ctx, photo.owner_id)
            kept = tuple(s for s in hazard.photos if s != photo.sha256)
            save(ctx, replace(hazard, photos=kept), hazard, "update")
        return removed


def photos_of(ctx: Context, owner_id: str, unit: str | None = None) -> list[Photo]:
    """Photos attached to a hazard or response, oldest first, removed ones left out."""
    found = [p for p in ctx.repo.photos(unit) if p.owner_id == owner_id and not p.removed and not p.deleted]
    return sorted(found, key=lambda p: p.created_at)


def print_copy_loader(ctx: Context, unit: str):
    """A loader giving each photo's ≤ 800 px print copy (the photo itself when it has none)."""
    copies = {p.sha256: p.print_sha256 for p in ctx.repo.photos(unit) if p.print_sha256}
    return lambda sha256: photo_bytes(ctx, copies.get(sha256) or sha256)


def photo_bytes(ctx: Context, sha256: str) -> bytes:
    try:
        return _blobs(ctx).read(sha256)
    except FileNotFoundError:
        raise NotFound("photo", sha256) from None


def ingest_files(ctx: Context, hazard_id: str, paths: list[Path],
                 settings: PhotoSettings = PhotoSettings()) -> tuple[list[Photo], list[tuple[Path, AppError]]]:
    """Attach each file to the hazard; a bad file is refused with its reason, the good ones stored."""
    stored: list[Photo] = []
    rejected: list[tuple[Path, AppError]] = []
    get_hazard(ctx, hazard_id)
    for path in paths:
        try:
            if not path.is_file():
                raise PhotoRejected(path.name, "no_such_file")
            if path.stat().st_size > pipeline.MAX_BYTES:  # refuse before reading 200 MB into memory
                raise PhotoRejected(path.name, "file_too_large")
            stored.append(add_hazard_photo(ctx, hazard_id, path.read_bytes(), path.name, settings))
        except PhotoRejected as error:
            rejected.append((path, error))
    return stored, rejected
