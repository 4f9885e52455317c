"""Seeded mutators for the fuzz tests: deterministic (a failing case re-runs from its seed) and
counted. Byte-level mutations find parser crashes; structured ones (TOML values, JSON fields)
get past the first checks and reach the code behind them.

`FIRESWEEP_SLOW=1` multiplies every case budget by ten; `FIRESWEEP_FUZZ_CASES=N` sets it.
"""

from __future__ import annotations

import os
import random
from typing import Any

import pytest

SLOW = os.environ.get("FIRESWEEP_SLOW") == "1"
# Under FIRESWEEP_SLOW=1 the fuzz tests run ten times longer and count as slow, so that
# `make test-slow` (pytest -m slow) picks them up; in CI they are quick and unmarked.
SLOW_MARK = [pytest.mark.slow] if SLOW else []


def budget(ci: int) -> int:
    return int(os.environ.get("FIRESWEEP_FUZZ_CASES", ci * 10 if SLOW else ci))


INTERESTING_BYTES = [b"\x00", b"\xff", b"\x7f", b"\x80", b"\xff\xd8", b"\xff\xd9", b"\xff\xc0", b"IEND", b"IHDR",
                     b"\x00\x00\xff\xff", b"\xff\xff\xff\x7f", b"PK\x03\x04", b"PK\x01\x02", b"\xef\xbb\xbf"]


def mutate_bytes(data: bytes, rng: random.Random, rounds: int | None = None) -> bytes:
    """1–4 random edits: flip, set, insert, delete, duplicate, truncate, splice interesting bytes."""
    out = bytearray(data)
    for _ in range(rounds or rng.randint(1, 4)):
        if not out:
            out += rng.randbytes(rng.randint(1, 16))
            continue
        at = rng.randrange(len(out))
        op = rng.randrange(7)
        if op == 0:
            out[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            out[at] = rng.randrange(256)
        elif op == 2:
            out[at:at] = rng.randbytes(rng.randint(1, 32))
        elif op == 3:
            del out[at:at + rng.randint(1, 64)]
        elif op == 4:
            end = min(len(out), at + rng.randint(1, 256))
            out[at:at] = out[at:end]
        elif op == 5:
            del out[rng.randrange(len(out)):]
        else:
            token = rng.choice(INTERESTING_BYTES)
            out[at:at + len(token)] = token
    return bytes(out)


def weird_value(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of a random type, often a surprising one."""
    choices = [
        None, True, False, 0, -1, 2**63, -(2**70), 1e308, 0.5, "", " ", "x" * rng.randint(1, 300), "地下一层",
        "../../etc/passwd", "\x00", "\ud800" if rng.random() < 0.1 else "🔥", "2026-13-45", "2026-07-10T25:61:00",
        "NaN", "{name}", "{0}", "%s", "A" * 70,
    ]
    if depth < 2 and rng.random() < 0.25:
        return [weird_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 2 and rng.random() < 0.2:
        return {rng.choice(["id", "x", "", "0"]): weird_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(choices)


TOML_VALUES = ['""', '" "', "0", "-1", "99999999999999999999", "1.5", "nan", "inf", "true", "false", "[]", "[1, 2]",
               "{}", '{ a = 1 }', "2026-07-10", "2026-07-10T10:00:00Z", "12:00:00", '"{name}"', '"{0}"', '"bs-01"',
               '"xx"', '"BS"', '"地"', "'''多行\n文本'''", '"""\n"""', '"\\u0000"', '"x"', '[[1], ["a"]]']


def mutate_toml(text: str, rng: random.Random) -> str:
    """Edit a TOML document line-wise: change values, keys, drop/duplicate/swap lines, or bytes."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        if not lines:
            lines = ["x = 1"]
        at = rng.randrange(len(lines))
        line = lines[at]
        op = rng.randrange(8)
        if op <= 2 and "=" in line:
            key = line.split("=", 1)[0]
            lines[at] = f"{key}= {rng.choice(TOML_VALUES)}"
        elif op == 3 and "=" in line:
            value = line.split("=", 1)[1]
            key = rng.choice(["id", "schema", "prefix", "order", "items", "major_hint", "zz", "text_zh"])
            lines[at] = f"{key} ={value}"
        elif op == 4:
            del lines[at]
        elif op == 5:
            lines.insert(at, rng.choice(lines))
        elif op == 6:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines[at] = mutate_bytes(line.encode("utf-8"), rng, 1).decode("utf-8", "replace")
    return "\n".join(lines) + "\n"
