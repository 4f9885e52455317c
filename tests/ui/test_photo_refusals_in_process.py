"""The photo screen when a service refuses: the user reads why, and the screen stays as it was.

Annotating on a full disk keeps the drawn shapes (save can be tapped again); removing a photo that
another tablet's bundle already removed says so and stays on the photo.
"""

from __future__ import annotations

from app.domain.errors import NotFound, StorageFull
from app.i18n import describe_error
from app.services import photos
from app.ui.screens import photo as photo_screen
from tests.ui.inprocess import click, find, run
from tests.ui.test_photo_in_process import data, drag, hazard_with_photo, open_photo, pad_parts

__all__ = ["data"]   # the fixture, shared with the photo screen's other tests


def test_an_annotation_the_disk_cannot_take_is_explained_and_the_shapes_stay(data, monkeypatch):
    def full(*_args, **_kwargs):
        raise StorageFull("/data/photos")

    monkeypatch.setattr(photo_screen, "annotate_photo", full)

    async def body() -> None:
        ctx, hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        await click(page, client, "annotate")
        await drag(page, client, (200, 200), (260, 200))
        await click(page, client, "annotate-save")
        banner = find(page, "error-banner").content.controls[0].value
        assert banner == describe_error(StorageFull("/data/photos"), "zh-CN")
        assert len(pad_parts(page)[2].shapes) == 1 and not find(page, "annotate-save").disabled
        assert page.route == f"/photo/{photo.id}"
        assert [p.id for p in photos.photos_of(ctx, hazard.id)] == [photo.id]

    run(body)


def test_removing_a_photo_already_gone_says_so_and_stays_on_it(data, monkeypatch):
    def gone(_ctx, photo_id):
        raise NotFound("photo", photo_id)

    monkeypatch.setattr(photo_screen, "remove_photo", gone)

    async def body() -> None:
        _ctx, _hazard, photo = hazard_with_photo(data)
        page, client = await open_photo(f"/photo/{photo.id}")
        await click(page, client, "remove-photo")
        await click(page, client, "remove-confirm")
        banner = find(page, "error-banner").content.controls[0].value
        assert banner == describe_error(NotFound("photo", photo.id), "zh-CN")
        assert page.route == f"/photo/{photo.id}"

    run(body)
