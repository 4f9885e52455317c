"""Checklist versions kept in the data directory, beside the shipped ones.

    checklists/issued/<sha256>.toml   a version the bureau issued (its text, byte for byte)
    checklists/issued/<sha256>.json   who issued it, when, and the campaign key's signature
    checklists/pinned/<sha256>.toml   a version an area of this store was started with

Files are named by the SHA-256 of their text, so a version is written once and never changes;
they are staged inside the caller's transaction (an import or an issue is all or nothing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain.repository import Repository

__all__ = ["ISSUED", "PINNED", "issued_versions", "pinned_texts", "stage_issued", "stage_pinned"]

ISSUED = "checklists/issued"
PINNED = "checklists/pinned"


def _texts(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.toml"))}


def issued_versions(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """(text, signed metadata) of every version issued to this store."""
    found = []
    for sha, text in _texts(root / ISSUED).items():
        meta_path = root / ISSUED / f"{sha}.json"
        if meta_path.is_file():
            found.append((text, json.loads(meta_path.read_text("utf-8"))))
    return found


def pinned_texts(root: Path) -> dict[str, str]:
    return _texts(root / PINNED)


def stage_issued(repo: Repository, text: str, meta: dict[str, Any]) -> None:
    """Stage an issued version's text and metadata (`repo.stage_file`: appears at commit)."""
    sha = meta["sha256"]
    repo.stage_file(f"{ISSUED}/{sha}.toml", lambda fh: fh.write(text.encode("utf-8")))
    body = json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    repo.stage_file(f"{ISSUED}/{sha}.json", lambda fh: fh.write(body))


def stage_pinned(repo: Repository, sha256: str, text: str) -> None:
    repo.stage_file(f"{PINNED}/{sha256}.toml", lambda fh: fh.write(text.encode("utf-8")))
