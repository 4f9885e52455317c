"""A bundle's document decoded, type-checked and tested for canonical form in one generated pass.

What an import does to each of a bundle's records is `codec.from_doc` (trusts its input), then
`doc_check.well_typed` (is every field of its declared type?), then `codec.is_canonical` (may the
store keep the document as it came?). Each walks the record's fields through a closure per field,
and with the record's own construction that was about 60% of decoding a bundle (three walks, a
few calls per field, for the ~7,000 records of a unit-month).

`decode_checked` does the three in one function generated per record class from its type hints,
as `doc_check` does for its checks and `dataclasses` for `__init__`: strings, numbers, times,
dates and enums (and optional ones) inline; every other field (tuples, dicts, money, nested
records) through the very closures the three use; the record is made field by field as its
`__init__` would (a class whose `__init__` does more is decoded by the three steps themselves).
Its answer is theirs: a property test (tests/integration/test_checked_decode.py) holds it equal
to the composition over every record of the small demo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from .codec import field_decoder, field_encoder, from_doc, is_canonical
from .doc_check import field_checker, inline_test, well_typed

__all__ = ["decode_checked"]

T = TypeVar("T")

_DECODE = {dt.datetime: "from_datetime(v)", dt.date: "from_date(v)"}   # else the value as it came
_ISO = (dt.datetime, dt.date)   # stored as `isoformat()`: canonical only if that is what came


def _optional(hint: Any) -> tuple[Any, bool]:
    """(the type inside `X | None`, True), or (hint, False) for anything else."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0], True
    return hint, False


def _inline_lines(hint: Any, n: int, scope: dict[str, Any]) -> list[str] | None:
    """Lines that turn `v` into `x`, return None when `x` is not of type `hint` (the very test
    `well_typed` makes, `doc_check.inline_test`), and clear `same` when `v` is not what `to_doc`
    would write; None when this type is not written inline."""
    if isinstance(hint, type) and issubclass(hint, Enum):   # its own constructor refuses other values
        scope[f"enum{n}"] = hint
        return [f"x = enum{n}(v)", "if same and x.value != v: same = False"]
    test = inline_test(hint, "x")
    if test is None:
        return None
    lines = [f"x = {_DECODE.get(hint, 'v')}", f"if not {test}: return None"]
    if hint in _ISO:   # (fromisoformat refuses a value that is not a str: TypeError, as in from_doc)
        lines.append("if same and x.isoformat() != v: same = False")
    return lines


def _general_lines(hint: Any, name: str, n: int, scope: dict[str, Any]) -> list[str]:
    """Lines for a field the three steps' own closures handle (as `from_doc`, `well_typed`,
    `is_canonical` would call them)."""
    scope[f"decode{n}"], scope[f"check{n}"] = field_decoder(hint), field_checker(hint, name)
    lines = [f"x = decode{n}(v)", f"if not check{n}(x): return None"]
    encode = field_encoder(hint)
    if encode is not None:
        scope[f"encode{n}"] = encode
        lines.append(f"if same and x is not None and encode{n}(x) != v: same = False")
    return lines


def _field_lines(hint: Any, name: str, n: int, scope: dict[str, Any]) -> list[str]:
    inner, optional = _optional(hint)
    lines = _inline_lines(inner, n, scope) or _general_lines(inner, name, n, scope)
    if optional:
        return ["if v is None:", "    x = None", "else:", *(f"    {line}" for line in lines)]
    return lines


def _plain(cls: type) -> bool:
    """Whether an instance can be made by setting its fields one by one, as its `__init__` does:
    no `__post_init__`, every field an `__init__` argument. Set in field order through
    `object.__setattr__`, like `__init__` (slots or a compact shared-key dict alike); what is saved
    is `__init__`'s keyword parsing."""
    return not hasattr(cls, "__post_init__") and all(f.init for f in dataclasses.fields(cls))


def _absent_lines(f: dataclasses.Field, n: int, scope: dict[str, Any]) -> list[str]:
    """What `__init__` does for a field the document leaves out: its default, or a TypeError."""
    if f.default is not dataclasses.MISSING:
        scope[f"default{n}"] = f.default
        return [f"x{n} = default{n}"]
    if f.default_factory is not dataclasses.MISSING:
        scope[f"factory{n}"] = f.default_factory
        return [f"x{n} = factory{n}()"]
    return [f"raise TypeError('missing field {f.name}')"]


@functools.cache
def _compiled(cls: type) -> Callable[[dict[str, Any]], tuple[Any, bool] | None]:
    if not _plain(cls):   # its `__init__` may change what it is given: the three steps themselves
        return functools.partial(_composed, cls)
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    scope: dict[str, Any] = {"cls": cls, "datetime": dt.datetime, "date": dt.date,
                             "from_datetime": dt.datetime.fromisoformat, "from_date": dt.date.fromisoformat,
                             "names": frozenset(f.name for f in fields), "count": len(fields),
                             "new": object.__new__, "set_field": object.__setattr__}
    body = ["same = len(doc) == count and names.issuperset(doc)"]
    for n, f in enumerate(fields):
        body += [f"if {f.name!r} in doc:", f"    v = doc[{f.name!r}]",
                 *(f"    {line}" for line in _field_lines(hints[f.name], f.name, n, scope)),
                 f"    x{n} = x", "else:", *(f"    {line}" for line in _absent_lines(f, n, scope))]
    body += ["record = new(cls)", *(f"set_field(record, {f.name!r}, x{n})" for n, f in enumerate(fields)),
             "return record, same"]
    source = "def decode_checked(doc):\n" + "".join(f"    {line}\n" for line in body)
    exec(source, scope)   # our own source, made from type hints above
    return scope["decode_checked"]


def _composed(cls: type, doc: dict[str, Any]) -> tuple[Any, bool] | None:
    record: Any = from_doc(cls, doc)
    return (record, is_canonical(record, doc)) if well_typed(record) else None


def decode_checked(cls: type[T], doc: dict[str, Any]) -> tuple[T, bool] | None:
    """(the record `doc` decodes to, whether `doc` is exactly what the store would write for it), or
    None when a field is not of its declared type. Raises what `from_doc` raises on a document it
    cannot decode (TypeError, ValueError, KeyError…): the caller refuses the bundle either way.

    A field missing from `doc` takes its default, as in `from_doc`; defaults are our own and typed.
    """
    return _compiled(cls)(doc)  # type: ignore[arg-type]  # see codec.from_doc
