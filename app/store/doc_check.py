"""Is a decoded record really of its declared types? For records from outside (bundles).

`codec.from_doc` trusts its input: it is fast for our own files, and a bundle's record could
otherwise carry a string where a clock is expected, a naive time beside aware ones, or `NaN`
money, and fail deep inside the merge. The bundle importer checks every decoded record here
first (found by tests/integration/test_fuzz_bundles.py), so such a bundle is refused whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

__all__ = ["well_typed"]


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_json(value: Any, depth: int = 0) -> bool:
    """Plain JSON data (what `dict` fields such as an audit's before/after may hold)."""
    if depth > 20:
        return False
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(_is_json(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v, depth + 1) for k, v in value.items())
    return False


def _ok(value: Any, hint: Any, name: str) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_ok(value, arg, name) for arg in typing.get_args(hint) if arg is not type(None)) or value is None
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return isinstance(value, tuple) and all(_ok(v, inner, name) for v in value)
    if hint is dict or origin is dict:
        if name == "seen":   # device → logical clock: compared with clocks during the merge
            return isinstance(value, dict) and all(isinstance(k, str) and type(v) is int for k, v in value.items())
        return isinstance(value, dict) and _is_json(value)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return isinstance(value, hint)
    if hint is dt.datetime:
        return isinstance(value, dt.datetime) and value.tzinfo is not None   # naive and aware never compare
    if hint is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if hint is Decimal:
        return isinstance(value, Decimal) and value.is_finite()
    if hint is bool:
        return type(value) is bool
    if hint is int:
        return type(value) is int
    if hint is float:
        return type(value) in (int, float)
    if hint is str:
        return isinstance(value, str)
    if dataclasses.is_dataclass(hint):
        return type(value) is hint and well_typed(value)
    return False


def well_typed(record: Any) -> bool:
    """True when every field of the dataclass `record` holds a value of its declared type."""
    hints = _hints(type(record))
    return all(_ok(getattr(record, f.name), hints[f.name], f.name) for f in dataclasses.fields(record))
