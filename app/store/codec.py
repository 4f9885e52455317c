"""Domain records ↔ JSON documents, driven by the dataclasses' own type hints.

One generic codec instead of a hand-written pair per record type: adding a field to a record
is enough to store it. Decoding plans are cached per class because a year of responses is
decoded often. Dates and times are ISO strings, money a decimal string, enums their value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

__all__ = ["to_doc", "from_doc", "is_canonical", "field_decoder", "field_encoder"]

T = TypeVar("T")


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value):
        return to_doc(value)
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    raise TypeError(f"cannot store {type(value).__name__}")


def field_encoder(hint: Any) -> typing.Callable[[Any], Any] | None:
    """How to encode a value of this declared type; None when it is stored as it is."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = field_encoder(next(a for a in typing.get_args(hint) if a is not type(None)))
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if origin is tuple:
        item = field_encoder(typing.get_args(hint)[0])
        return list if item is None else (lambda v: [item(x) for x in v])
    if origin is dict or hint is dict:
        return dict   # a dict field holds JSON-ready data (audit diffs, snapshots, clocks): kept as it is
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return lambda v: v.value if isinstance(v, Enum) else v
        if hint in (str, int, bool, float):
            return None
        if hint in (dt.datetime, dt.date):
            return lambda v: v.isoformat()
        if hint is Decimal:
            return str
        if dataclasses.is_dataclass(hint):
            return to_doc
    return _encode   # anything unusual: the generic walk


@cache
def _encode_plan(cls: type) -> tuple[tuple[str, typing.Callable[[Any], Any] | None], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, field_encoder(hints[f.name])) for f in dataclasses.fields(cls))


def to_doc(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of every field of a dataclass record (a plan per class, like decoding)."""
    return {
        name: value if encode is None or value is None else encode(value)
        for name, encode in _encode_plan(type(record))  # type: ignore[arg-type]  # (below)
        for value in (getattr(record, name),)
    }


def _same(value: Any) -> Any:
    return value


def field_decoder(hint: Any) -> typing.Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        decode = field_decoder(inner[0])
        return lambda v: None if v is None else decode(v)
    if origin is tuple:
        decode = field_decoder(typing.get_args(hint)[0])
        return lambda v: tuple(decode(x) for x in v)
    if origin is dict or hint is dict:
        # the document's own dict, not a copy: documents are replaced whole, never changed in
        # place, and records are frozen. A copy per audit event's before and after was 21 MB
        # of the busiest unit's import
        return _same
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint
        if hint is dt.datetime:
            return dt.datetime.fromisoformat
        if hint is dt.date:
            return dt.date.fromisoformat
        if hint is Decimal:
            return lambda v: Decimal(str(v))
        if dataclasses.is_dataclass(hint):
            return lambda v: from_doc(hint, v)
        if hint in (str, int, bool, float):
            return lambda v: v
    raise TypeError(f"no decoder for {hint!r}")


@cache
def _plan(cls: type) -> tuple[tuple[str, typing.Callable[[Any], Any]], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, field_decoder(hints[f.name])) for f in dataclasses.fields(cls))


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    """The record of type `cls` stored as `doc`; missing optional fields take their defaults."""
    # ignore: mypy takes a class's `__hash__` for the unbound method, so a class looks unhashable to @cache
    values = {name: decode(doc[name]) for name, decode in _plan(cls) if name in doc}  # type: ignore[arg-type]
    return cls(**values)


@cache
def _canonical_plan(cls: type) -> tuple[frozenset[str], tuple[tuple[str, typing.Callable[[Any], Any]], ...]]:
    """(every field name, the fields `to_doc` encodes with their encoders)."""
    plan = _encode_plan(cls)
    return frozenset(name for name, _ in plan), tuple((name, e) for name, e in plan if e is not None)


def is_canonical(record: Any, doc: dict[str, Any]) -> bool:
    """Whether `doc`, which `from_doc` made `record` from, is what `to_doc(record)` gives: then a
    store may keep `doc` as it came instead of encoding the record again (an import's records).

    Why this is enough: `to_doc` writes every field, so the keys must be exactly the field
    names (a missing optional field took its default, an extra key was dropped). A field
    stored as it is (a str, int, bool or float, or None) was decoded as the very object in
    `doc`, so it encodes back to it. Every other field is encoded here as `to_doc` encodes
    it and compared. Together with the type check an import runs first (`well_typed`: no
    bool where an int is declared, no float where an int is), equal values are the same JSON.
    """
    names, encoded = _canonical_plan(type(record))  # type: ignore[arg-type]  # see from_doc
    if len(doc) != len(names) or not names.issuperset(doc):
        return False
    for name, encode in encoded:
        value = getattr(record, name)
        if (value if value is None else encode(value)) != doc[name]:
            return False
    return True
