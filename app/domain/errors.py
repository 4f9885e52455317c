"""Errors a user can act on.

Each carries data, not prose: the message is made in the user's language at one edge
(`app.i18n.describe_error`, used by the CLI and the UI). Programmer mistakes stay plain
`ValueError` / `TypeError` and are never shown as user errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AppError",
    "ChecklistProblem",
    "ChecklistInvalid",
    "ConfigInvalid",
    "NotFound",
    "InvalidInput",
    "IllegalTransition",
    "StoreCorrupt",
    "StoreBusy",
    "PhotoRejected",
    "BundleRejected",
    "StorageFull",
    "Forbidden",
]


class AppError(Exception):
    """Base of every error shown to a user. `key` names its message in the catalogs."""

    key = "error.generic"

    def params(self) -> dict[str, Any]:
        """Values substituted into the localized message."""
        return {}

    def __str__(self) -> str:  # readable in logs and tracebacks, never shown to users
        return f"{self.key} {self.params()}"


@dataclass(frozen=True)
class ChecklistProblem:
    """One thing wrong in one checklist file: where, which item, and why (a reason key).

    Where: a TOML file's `line`; a spreadsheet's `sheet`, `line` (its row) and `column` (a letter).
    """

    path: str
    reason: str
    line: int | None = None
    item: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None
    column: str | None = None


class ChecklistInvalid(AppError):
    """A checklist file cannot be used; lists every problem found in it."""

    key = "error.checklist_invalid"

    def __init__(self, problems: list[ChecklistProblem]):
        if not problems:
            raise ValueError("ChecklistInvalid needs at least one problem")
        super().__init__(problems)
        self.problems = problems

    def params(self) -> dict[str, Any]:
        return {"path": self.problems[0].path, "count": len(self.problems)}


class ConfigInvalid(AppError):
    """A configuration file (campaign, units) is wrong at `path`: `reason` says how."""

    key = "error.config_invalid"

    def __init__(self, path: str, reason: str, line: int | None = None):
        super().__init__(path, reason, line)
        self.path, self.reason, self.line = path, reason, line

    def params(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason, "line": self.line or "?"}


class NotFound(AppError):
    """No record of `kind` with this id."""

    key = "error.not_found"

    def __init__(self, kind: str, ident: str):
        super().__init__(kind, ident)
        self.kind, self.ident = kind, ident

    def params(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.ident}


class InvalidInput(AppError):
    """A value the user gave is not acceptable: `field` and a reason key with its values."""

    key = "error.invalid_input"

    def __init__(self, field_name: str, reason: str, **detail: Any):
        super().__init__(field_name, reason, detail)
        self.field, self.reason, self.detail = field_name, reason, detail

    def params(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason, **self.detail}


class IllegalTransition(AppError):
    """A hazard or inspection cannot move from `current` to `target`."""

    key = "error.illegal_transition"

    def __init__(self, entity: str, current: str, target: str, reason: str = "not_allowed"):
        super().__init__(entity, current, target, reason)
        self.entity, self.current, self.target, self.reason = entity, current, target, reason

    def params(self) -> dict[str, Any]:
        return {"entity": self.entity, "current": self.current, "target": self.target, "reason": self.reason}


class StoreCorrupt(AppError):
    """A stored file cannot be read or fails its checks."""

    key = "error.store_corrupt"

    def __init__(self, path: str, reason: str):
        super().__init__(path, reason)
        self.path, self.reason = path, reason

    def params(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason}


class StoreBusy(AppError):
    """Another process holds the data directory's lock for too long."""

    key = "error.store_busy"

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path

    def params(self) -> dict[str, Any]:
        return {"path": self.path}


class PhotoRejected(AppError):
    """A file offered as a photo is not acceptable (not an image, truncated, too big…)."""

    key = "error.photo_rejected"

    def __init__(self, name: str, reason: str):
        super().__init__(name, reason)
        self.name, self.reason = name, reason

    def params(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}


class BundleRejected(AppError):
    """A sync bundle failed verification; nothing was imported."""

    key = "error.bundle_rejected"

    def __init__(self, name: str, reason: str, **detail: Any):
        super().__init__(name, reason, detail)
        self.name, self.reason, self.detail = name, reason, detail

    def params(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason, **self.detail}


class StorageFull(AppError):
    """The disk (or the user's quota) is full: nothing was saved, what was saved before is intact."""

    key = "error.storage_full"

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path

    def params(self) -> dict[str, Any]:
        return {"path": self.path}


class Forbidden(AppError):
    """This device's role may not do `action` (at `unit`): `rule` names the rule of the permission table."""

    key = "error.forbidden"

    def __init__(self, action: str, rule: str, unit: str = "", **detail: Any):
        super().__init__(action, rule, unit, detail)
        self.action, self.rule, self.unit, self.detail = action, rule, unit, detail

    def params(self) -> dict[str, Any]:
        return {"action": self.action, "reason": self.rule, "unit": self.unit or "—", **self.detail}
