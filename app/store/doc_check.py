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
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import orjson

__all__ = ["well_typed", "field_checker", "inline_test"]


def _is_json(value: Any) -> bool:
    """Plain JSON data (what `dict` fields such as an audit's before/after may hold): str keys,
    finite numbers, nothing but dicts, lists, strings, numbers, booleans and null, nested no
    deeper than orjson writes (255), so the store can always write it back.

    Checked by a round trip through orjson, in C: an audit diff's every value walked in Python
    was a fifth of a bundle import. What does not survive unchanged is not plain JSON: a non-str
    key or another type refuses to encode, NaN comes back as null, a tuple as a list.
    """
    try:
        return orjson.loads(orjson.dumps(value)) == value
    except (TypeError, orjson.JSONEncodeError):
        return False


Check = Callable[[Any], bool]


def field_checker(hint: Any, name: str) -> Check:
    """How to check a value of this declared type (built once per field, like codec's plans)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [field_checker(arg, name) for arg in typing.get_args(hint) if arg is not type(None)]
        return lambda v: v is None or any(check(v) for check in options)
    if origin is tuple:
        inner = field_checker(typing.get_args(hint)[0], name)
        return lambda v: isinstance(v, tuple) and all(inner(x) for x in v)
    if hint is dict or origin is dict:
        if name == "seen":   # device → logical clock: compared with clocks during the merge
            return lambda v: isinstance(v, dict) and all(isinstance(k, str) and type(c) is int for k, c in v.items())
        return lambda v: isinstance(v, dict) and _is_json(v)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda v: isinstance(v, hint)
    if hint is dt.datetime:
        return lambda v: isinstance(v, dt.datetime) and v.tzinfo is not None   # naive and aware never compare
    if hint is dt.date:
        return lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)
    if hint is Decimal:
        return lambda v: isinstance(v, Decimal) and v.is_finite()
    if hint in (bool, int):
        return lambda v: type(v) is hint
    if hint is float:
        return lambda v: type(v) in (int, float)
    if hint is str:
        return lambda v: isinstance(v, str)
    if dataclasses.is_dataclass(hint):
        return lambda v: type(v) is hint and well_typed(v)
    return lambda v: False


# Types whose check is written inline in the generated function (see `_compiled`): the rest call
# their `_checker`. `{v}` is the value.
_INLINE: dict[Any, str] = {
    str: "isinstance({v}, str)", bool: "type({v}) is bool", int: "type({v}) is int",
    float: "type({v}) in (int, float)", dt.date: "(isinstance({v}, date) and not isinstance({v}, datetime))",
    dt.datetime: "(isinstance({v}, datetime) and {v}.tzinfo is not None)",
}


def inline_test(hint: Any, value: str) -> str | None:
    """The inline test (Python source) that `value` is of type `hint` (or `hint | None`), or None
    when the field needs its checker (`field_checker`)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = inline_test(args[0], value) if len(args) == 1 else None
        return None if inner is None else f"({value} is None or {inner})"
    test = _INLINE.get(hint) if isinstance(hint, type) else None
    return test.format(v=value) if test else None


@cache
def _compiled(cls: type) -> Callable[[Any], bool]:
    """One function per record class that tests every field in a row, the simple types inline.

    The same checks as the per-field `_checker`s, which it calls for the others (enums, tuples,
    dicts, nested records): a bundle's 40,000 records were checked through two closures per
    field, a quarter of decoding a bundle. Generated from the class's own type hints, as
    `dataclasses` generates `__init__`.
    """
    hints = typing.get_type_hints(cls)
    scope: dict[str, Any] = {"date": dt.date, "datetime": dt.datetime}
    tests = []
    for n, f in enumerate(dataclasses.fields(cls)):
        value = f"r.{f.name}"
        test = inline_test(hints[f.name], value)
        if test is None:
            scope[f"check{n}"] = field_checker(hints[f.name], f.name)
            test = f"check{n}({value})"
        tests.append(test)
    source = "def well_typed(r):\n    return (" + "\n            and ".join(tests or ["True"]) + ")\n"
    exec(source, scope)   # our own source, made from type hints above
    return scope["well_typed"]


def well_typed(record: Any) -> bool:
    """True when every field of the dataclass `record` holds a value of its declared type."""
    return _compiled(type(record))(record)  # type: ignore[arg-type]  # see codec
