"""Screens are built from small sections (issue 20): no function in these screens is over 80 lines.

A `build` that grows into one long closure again fails here, naming the function and its length.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
SCREENS = ("sync", "settings", "recheck", "hazard_form", "review", "walkthrough", "hazard_actions", "enrollment",
           "enrollment_bureau")
LIMIT = 80


def _too_long(source: str) -> list[str]:
    """Every function (nested ones and methods too) longer than LIMIT lines, with its length."""
    return [f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > LIMIT]


@pytest.mark.parametrize("screen", SCREENS)
def test_no_function_in_the_screen_is_over_80_lines(screen):
    path = UI / f"{screen}.py"
    assert path.is_file(), f"{path} is gone: update SCREENS if the screen moved"
    assert _too_long(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_a_long_function():
    long_one = "def build():\n" + "    x = 1\n" * LIMIT
    nested = "def outer():\n    def inner():\n" + "        x = 1\n" * LIMIT
    assert _too_long(long_one) == ["build (line 1): 81 lines"]
    assert [line.split(" ")[0] for line in _too_long(nested)] == ["outer", "inner"]
    assert _too_long("def build():\n" + "    x = 1\n" * (LIMIT - 1)) == []
