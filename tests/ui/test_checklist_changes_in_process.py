"""New Inspection says what the bureau's new checklist version changed, until the inspector acknowledges it."""

from __future__ import annotations

from app.bootstrap import build
from app.services import checklist_versions
from tests.integration.authority_world import enrolled, send
from tests.integration.test_checklist_versions import new_basement
from tests.ui.inprocess import click, find, open_page, run


def test_new_inspection_lists_the_changed_items_and_got_it_hides_them(tmp_path, monkeypatch):
    world = enrolled(tmp_path)
    unit = world.units["u01"]
    checklist_versions.issue_version(world.bureau, new_basement(tmp_path))
    send(world.bureau, unit, tmp_path)
    monkeypatch.setenv("FIRESWEEP_DATA", str(unit.repo.root))
    monkeypatch.setenv("FIRESWEEP_LANG", "zh-CN")

    async def body() -> None:
        page, client = await open_page("/new")
        banner = find(page, "checklist-changes")
        assert banner.visible
        texts = [c.value for c in banner.content.controls if hasattr(c, "value") and isinstance(c.value, str)]
        assert any("2026.9" in text and "修改 1 项" in text for text in texts), texts
        assert any("bs-01" in text and "新版" in text for text in texts), texts
        await click(page, client, "checklist-changes-ack")
        assert not find(page, "checklist-changes").visible
        assert checklist_versions.changes(build(unit.repo.root, unit.clock)) == []

    run(body)
