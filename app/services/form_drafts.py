"""What an inspector typed into a form and has not saved yet, kept on this device's disk.

A form is left for many reasons that are not "cancel": a photo to annotate, Settings, a reload,
a flat battery. Each form writes its fields here as they change and reads them back when it is
drawn again, so nothing typed is lost by navigating; saving or cancelling the form discards
its draft. Drafts stay on this device (the settings documents, never in a bundle) and are not
records: nothing in them is evidence until the form's own service stores it.
"""

from __future__ import annotations

from typing import Any

from .context import Context

__all__ = ["load_draft", "keep_draft", "discard_draft", "MAX_FIELD"]

_PREFIX = "form-draft:"
MAX_FIELD = 20_000   # characters per field: a draft is typing, not a file


def _key(form: str) -> str:
    if not form or len(form) > 300:
        raise ValueError(form)
    return _PREFIX + form


def load_draft(ctx: Context, form: str) -> dict[str, Any]:
    """The fields kept for `form` ({} when there is none)."""
    return dict(ctx.repo.get_settings(_key(form)) or {})


def keep_draft(ctx: Context, form: str, fields: dict[str, Any]) -> None:
    """Merge `fields` into the draft of `form`, durably (it is on disk when this returns)."""
    kept = {k: (v[:MAX_FIELD] if isinstance(v, str) else v) for k, v in fields.items()}
    with ctx.repo.transaction():
        doc = dict(ctx.repo.get_settings(_key(form)) or {})
        if all(doc.get(k) == v for k, v in kept.items()):
            return   # nothing new: no write
        doc.update(kept)
        ctx.repo.save_settings(_key(form), doc)


def discard_draft(ctx: Context, form: str) -> None:
    """Forget the draft of `form` (after it was saved or cancelled)."""
    with ctx.repo.transaction():
        if ctx.repo.get_settings(_key(form)):
            ctx.repo.save_settings(_key(form), {})
