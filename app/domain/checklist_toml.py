"""The one canonical TOML text of a checklist.

Shipped files are kept in this form (a test checks), so a checklist authored in a spreadsheet and
imported comes back byte for byte, and its SHA-256 (which inspections pin) depends only on its
content. The form: a comment naming the location type, the header keys, then each item and its
findings in the key order of `CHECKLIST_KEYS` / `ITEM_KEYS` / `FINDING_KEYS`; optional texts that
are empty are left out.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .checklist import CHECKLIST_KEYS, FINDING_KEYS, ITEM_KEYS, SCHEMA, Checklist

__all__ = ["render_checklist", "checklist_tables"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _string(str(value))


def checklist_tables(checklist: Checklist) -> dict[str, Any]:
    """The checklist as the tables its TOML holds (empty optional texts left out)."""
    data: dict[str, Any] = {"schema": SCHEMA}
    data.update({k: getattr(checklist, k) for k in CHECKLIST_KEYS if k != "schema"})
    items = []
    for item in checklist.items:
        raw = {k: v for k, v in asdict(item).items() if k in ITEM_KEYS and v != ""}
        findings = [{k: v for k, v in asdict(f).items() if v != "" and not (k == "major_hint" and v is False)}
                    for f in item.findings]
        if findings:
            raw["findings"] = findings
        items.append(raw)
    data["items"] = items
    return data


def render_checklist(checklist: Checklist) -> str:
    """The canonical TOML text of `checklist`."""
    data = checklist_tables(checklist)
    lines = [f"# {checklist.name_zh} / {checklist.name_en}"]
    lines += [f"{key} = {_value(data[key])}" for key in CHECKLIST_KEYS]
    for item in data["items"]:
        lines += ["", "[[items]]"]
        lines += [f"{key} = {_value(item[key])}" for key in ITEM_KEYS if key in item]
        for finding in item.get("findings", []):
            lines += ["", "[[items.findings]]"]
            lines += [f"{key} = {_value(finding[key])}" for key in FINDING_KEYS if key in finding]
    return "\n".join(lines) + "\n"
