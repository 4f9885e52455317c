"""Every user-visible string goes through here. zh-CN is the default; English is switchable.

Messages live in `app/locales/<lang>.toml` as `key = "text with {placeholders}"`, plus one
fragment per feature in `app/locales/<lang>/*.toml` (so that features do not all edit one file).
A key defined twice is an error. A test keeps both catalogs with the same keys and placeholders.
Errors are turned into messages only here (`describe_error`), so the CLI and the UI say the same
thing for the same problem.
"""

from __future__ import annotations

import os
import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from app.domain.errors import AppError, ChecklistInvalid, ChecklistProblem

__all__ = ["LANGS", "DEFAULT_LANG", "Translator", "catalog", "describe_error", "describe_problem", "resolve_lang"]

LANGS = ("zh-CN", "en")
DEFAULT_LANG = "zh-CN"
_DIR = Path(__file__).parent / "locales"


def resolve_lang(requested: str | None = None) -> str:
    """`requested`, else `FIRESWEEP_LANG`, else zh-CN; 'en-US' and 'zh' map to ours."""
    value = (requested or os.environ.get("FIRESWEEP_LANG") or DEFAULT_LANG).strip()
    return "en" if value.lower().startswith("en") else DEFAULT_LANG


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of `lang`, keyed by dotted names: the main file and its fragments."""
    stem = "en" if lang == "en" else "zh_CN"
    files = [_DIR / f"{stem}.toml", *sorted((_DIR / stem).glob("*.toml"))]
    messages: dict[str, str] = {}
    for file in files:
        with file.open("rb") as fh:
            flat = _flatten(tomllib.load(fh))
        twice = sorted(messages.keys() & flat.keys())
        if twice:
            raise RuntimeError(f"{file}: message keys already defined: {', '.join(twice)}")
        messages.update(flat)
    return messages


class _Lenient(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of raising, so a message is never lost."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """`t("key", name=value)` → the message in this translator's language."""

    def __init__(self, lang: str = DEFAULT_LANG):
        self.lang = resolve_lang(lang)
        self._messages = catalog(self.lang)

    def __call__(self, message_key: str, /, **params: Any) -> str:
        template = self._messages.get(message_key)
        if template is None:
            template = catalog(DEFAULT_LANG).get(message_key, message_key)
        return string.Formatter().vformat(template, (), _Lenient(params))

    def has(self, key: str) -> bool:
        return key in self._messages

    def reason(self, reason: str, /, **params: Any) -> str:
        """A reason key (`reason.<name>`) as text; unknown reasons show as themselves."""
        return self(f"reason.{reason}", **params) if self.has(f"reason.{reason}") else reason


def describe_problem(problem: ChecklistProblem, t: Translator) -> str:
    """One checklist problem as `path:line [item] reason` (a spreadsheet's: sheet, row and column)."""
    where = problem.path + (f":{problem.line}" if problem.line else "")
    if problem.sheet:
        where = t("checklist.cell", path=problem.path, sheet=problem.sheet, row=problem.line or "?",
                  column=problem.column or "?")
    item = t("checklist.item_label", item=problem.item) + " " if problem.item else ""
    return f"{where}: {item}{t.reason(problem.reason, **problem.detail)}"


# error parameters that name a thing, and the catalog tables that may have a word for it
_TERMS = {"entity": ("kind",), "current": ("status", "obligation_status", "error_term"),
          "target": ("status", "obligation_status", "error_term"),
          "field": ("error_term",), "action": ("action",)}


def describe_error(error: AppError, lang: str = DEFAULT_LANG) -> str:
    """The one-line message for `error` in `lang`; checklist errors add a line per problem."""
    t = Translator(lang)
    params = error.params()
    for name in ("problem", "rule"):   # a reason inside a reason (why a sender or a change is refused)
        if isinstance(params.get(name), str):
            params[name] = t.reason(params[name], **params)
    if "reason" in params:
        params["reason"] = t.reason(str(params["reason"]), **params)
    if "kind" in params:
        params["kind"] = t(f"kind.{params['kind']}") if t.has(f"kind.{params['kind']}") else params["kind"]
    for name, tables in _TERMS.items():   # "hazard" "open" "funds" → words, where the catalog has them
        value = params.get(name)
        key = next((f"{table}.{value}" for table in tables if isinstance(value, str) and t.has(f"{table}.{value}")),
                   None)
        if key:
            params[name] = t(key)
    message = t(error.key, **params)
    if isinstance(error, ChecklistInvalid):
        message += "".join("\n  " + describe_problem(p, t) for p in error.problems)
    return message
