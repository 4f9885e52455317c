"""New checklist versions from the bureau to every device, and areas that keep the version they began with.

    bureau:  checklists issue FILE  →  signed with the campaign key, current on the bureau's device
    bundles: every bureau bundle carries the issued versions (text + signature) in its manifest
    device:  import checks the campaign key's signature and the text, keeps the version; its next
             new area uses it; `changes` says what changed before that (added / removed / changed items)

An area pins (id, version, sha256) when it is started, and its text is kept in the store
(`checklists/pinned`), so an inspection under way keeps its version whatever arrives later.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.authority import canonical
from app.domain.catalog import Catalog, ItemChanges, item_changes, version_key
from app.domain.checklist import Checklist, parse_checklist
from app.domain.errors import BundleRejected, ChecklistInvalid, InvalidInput
from app.domain.model import AuditEvent
from app.domain.permissions import Action
from app.store import checklist_versions as files
from app.store.keys import CampaignKey, verify_signature

from . import authority
from .context import Context

__all__ = ["IssuedVersion", "VersionChange", "with_store_versions", "issue_version", "bundle_section", "learn",
           "refresh", "pin", "changes", "acknowledge"]

SEEN_KEY = "checklists_seen"


@dataclass(frozen=True)
class IssuedVersion:
    checklist: Checklist
    issued_at: str
    issued_by: str


@dataclass(frozen=True)
class VersionChange:
    """A version the bureau issued that this device has not acknowledged, and what it changed."""

    checklist: Checklist
    previous_version: str
    changes: ItemChanges
    issued_at: str
    issued_by: str


def _signed(meta: dict[str, Any]) -> bytes:
    return canonical({"checklist": meta["id"], "version": meta["version"], "sha256": meta["sha256"]})


def with_store_versions(catalog: Catalog, root: Path) -> Catalog:
    """The shipped catalog plus the versions this data directory holds (issued and pinned)."""
    texts: dict[str, str] = {}
    versions: list[Checklist] = []
    for text, meta in files.issued_versions(root):
        versions.append(parse_checklist(text, f"issued/{meta['sha256']}.toml"))
        texts[meta["sha256"]] = text
    for sha, text in files.pinned_texts(root).items():
        if sha not in texts:
            versions.append(parse_checklist(text, f"pinned/{sha}.toml"))
            texts[sha] = text
    return catalog.with_versions(versions, texts) if versions else catalog


def refresh(ctx: Context) -> None:
    """This context's catalog with the versions its store now holds (after an issue or an import)."""
    ctx.catalog = with_store_versions(ctx.catalog, ctx.repo.root)


def issue_version(ctx: Context, path: Path, passphrase: str = "") -> IssuedVersion:
    """The bureau issues a new version of a checklist to every device (signed with the campaign key)."""
    authority.require(ctx, Action.ISSUE_CHECKLIST, None)
    if not authority.is_enrolled(ctx):
        raise InvalidInput("campaign", "not_enrolled")
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput("checklist", "unreadable", message=str(path)) from None
    checklist = parse_checklist(text, str(path))   # ChecklistInvalid names file, line and item
    try:
        current = ctx.catalog.checklist(checklist.id)
    except KeyError:
        current = None
    if current is not None and version_key(checklist.version) <= version_key(current.version):
        raise InvalidInput("version", "not_newer", version=checklist.version, current=current.version)
    key = CampaignKey.load(ctx.repo.root / "keys" / "campaign_ed25519.pem", passphrase)
    meta = {"id": checklist.id, "version": checklist.version, "sha256": checklist.sha256,
            "issued_at": ctx.now().isoformat(), "issued_by": ctx.actor}
    meta["signature"] = key.sign(_signed(meta))
    with ctx.repo.transaction():
        files.stage_issued(ctx.repo, text, meta)
        ctx.repo.append_settings_audit(AuditEvent(
            id=uuid.uuid4().hex, unit="", at=ctx.now(), actor=ctx.actor, device=ctx.repo.device_id,
            rev=ctx.repo.next_rev(), entity="authority", entity_id=checklist.id, action="authority:checklist_issue",
            after={"version": checklist.version, "sha256": checklist.sha256},
        ))
    refresh(ctx)
    return IssuedVersion(checklist, meta["issued_at"], ctx.actor)


def bundle_section(ctx: Context) -> list[dict[str, Any]]:
    """The issued versions an enrolled store's bundles carry (text with its signed metadata)."""
    if not authority.is_enrolled(ctx):
        return []
    return [{**meta, "text": text} for text, meta in files.issued_versions(ctx.repo.root)]


def learn(ctx: Context, entries: list[dict[str, Any]], name: str) -> list[Checklist]:
    """Keep the versions a bundle brings: each signed by this campaign's key and a valid checklist.

    Runs inside the import's transaction; one bad entry refuses the bundle. Returns the new ones.
    """
    state = authority.state(ctx)
    if not state.enrolled or not entries:
        return []
    known = {c.sha256 for c in (*ctx.catalog.checklists, *ctx.catalog.archive)}
    new = []
    for entry in entries:
        text, meta = entry.get("text"), {k: v for k, v in entry.items() if k != "text"}
        if not isinstance(text, str) or not all(isinstance(meta.get(k), str) for k in
                                                ("id", "version", "sha256", "signature", "issued_at", "issued_by")):
            raise BundleRejected(name, "bad_checklist", entry=str(meta.get("id", "?")))
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != meta["sha256"] or not verify_signature(
                state.campaign_key, _signed(meta), meta["signature"]):
            raise BundleRejected(name, "bad_checklist", entry=meta["id"])
        if meta["sha256"] in known:
            continue
        try:
            checklist = parse_checklist(text, f"{name}:{meta['id']}")
        except ChecklistInvalid:
            raise BundleRejected(name, "bad_checklist", entry=meta["id"]) from None
        if (checklist.id, checklist.version) != (meta["id"], meta["version"]):
            raise BundleRejected(name, "bad_checklist", entry=meta["id"])
        files.stage_issued(ctx.repo, text, meta)
        new.append(checklist)
    return new


def pin(ctx: Context, checklist: Checklist) -> None:
    """Keep the text of the version a new area starts with (inside the caller's transaction)."""
    text = ctx.catalog.texts.get(checklist.sha256)
    if ctx.photos is None or text is None:   # a records-only context (unit tests) keeps no files
        return
    if not (ctx.repo.root / files.PINNED / f"{checklist.sha256}.toml").exists():
        files.stage_pinned(ctx.repo, checklist.sha256, text)


def changes(ctx: Context) -> list[VersionChange]:
    """Issued versions now current on this device and not yet acknowledged, with what they changed."""
    seen = set((ctx.repo.get_settings(SEEN_KEY) or {}).get("sha256", []))
    issued = {meta["sha256"]: meta for _, meta in files.issued_versions(ctx.repo.root)} if ctx.photos else {}
    found = []
    for checklist in ctx.catalog.checklists:
        meta = issued.get(checklist.sha256)
        if meta is None or checklist.sha256 in seen:
            continue
        before = ctx.catalog.previous(checklist)
        diff = item_changes(before, checklist) if before else ItemChanges(tuple(i.id for i in checklist.items), (), ())
        found.append(VersionChange(checklist, before.version if before else "", diff, meta["issued_at"],
                                   meta["issued_by"]))
    return found


def acknowledge(ctx: Context, sha256s: list[str]) -> None:
    """This device has shown these versions' changes to its user."""
    with ctx.repo.transaction():
        seen = (ctx.repo.get_settings(SEEN_KEY) or {}).get("sha256", [])
        ctx.repo.save_settings(SEEN_KEY, {"sha256": sorted({*seen, *sha256s}), "at": ctx.now().isoformat()})
