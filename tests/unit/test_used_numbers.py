"""`UsedNumbers`, the index numbering reads, against the rule it replaces: parse every number issued."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from app.domain.issuers import FULL_BLOCK, NumberBlock, UsedNumbers, next_serial, parse_number

PREFIXES = ("甲保消", "乙保消", "示卫消整")


def every_number_parsed(used: list[str], prefix: str, year: int, block: NumberBlock) -> int | None:
    """The next serial as it was found before the index: every number parsed, on every issue."""
    mine = [p[2] for p in map(parse_number, used) if p and p[0] == prefix and p[1] == year and p[2] in block]
    serial = max(mine, default=block.first - 1) + 1
    return serial if serial in block else None


@st.composite
def numbers(draw) -> str:
    prefix, year = draw(st.sampled_from(PREFIXES)), draw(st.sampled_from((2025, 2026)))
    serial = draw(st.integers(1, 3000))
    style = draw(st.sampled_from(("new", "old", "junk")))
    if style == "junk":
        return draw(st.sampled_from((f"{prefix}{year}-{serial}", "", f"{prefix}〔{year}〕号", "〔2026〕5号")))
    return f"{prefix}〔{year}〕第{serial:04d}号" if style == "old" else f"{prefix}〔{year}〕{serial}号"


@st.composite
def blocks(draw) -> NumberBlock:
    first = draw(st.integers(1, 3000))
    return NumberBlock(first, draw(st.integers(first, 3000)))


@given(st.lists(numbers(), max_size=60), st.sampled_from(PREFIXES), st.sampled_from((2025, 2026)), blocks())
def test_the_index_finds_the_same_next_serial_as_parsing_every_number(used, prefix, year, block):
    expected = every_number_parsed(used, prefix, year, block)
    assert next_serial(UsedNumbers(used), prefix, year, block) == expected
    assert next_serial(used, prefix, year, block) == expected


@given(st.lists(numbers(), max_size=60), st.data())
def test_forgetting_numbers_leaves_the_index_of_those_kept(used, data):
    forgotten = data.draw(st.lists(st.sampled_from(used), unique=True) if used else st.just([]))
    index = UsedNumbers(used)
    kept = list(used)
    for number in forgotten:
        index.discard(number)
        kept.remove(number)
    assert index == UsedNumbers(kept)
    for prefix in PREFIXES:
        serials = [p[2] for p in map(parse_number, kept) if p and p[0] == prefix]
        assert index.highest(prefix) == max(serials, default=None)


def test_a_number_stored_twice_stays_used_until_both_are_forgotten():
    index = UsedNumbers(["甲保消〔2026〕3号", "甲保消〔2026〕3号"])
    index.discard("甲保消〔2026〕3号")
    assert index.highest("甲保消", 2026) == 3
    index.discard("甲保消〔2026〕3号")
    index.discard("甲保消〔2026〕3号")        # no longer there: nothing happens
    assert index.highest("甲保消", 2026) is None and len(index) == 0


def test_a_block_used_up_has_no_next_serial_and_numbers_above_it_are_not_this_devices():
    block = NumberBlock(1001, 1003)
    used = UsedNumbers(["甲保消〔2026〕1003号", "甲保消〔2026〕2001号"])
    assert next_serial(used, "甲保消", 2026, block) is None
    assert next_serial(used, "甲保消", 2026, NumberBlock(2001, 3000)) == 2002
    assert next_serial(used, "甲保消", 2026, NumberBlock(1, 1000)) == 1
    assert next_serial(used, "甲保消", 2027, FULL_BLOCK) == 1


def test_a_copy_changes_on_its_own():
    index = UsedNumbers(["甲保消〔2026〕1号"])
    copied = copy.copy(index)
    copied.add("甲保消〔2026〕2号")
    assert index.highest("甲保消", 2026) == 1 and copied.highest("甲保消", 2026) == 2
