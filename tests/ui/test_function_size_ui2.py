"""Screens are built from sections small enough to see at once (issue 20): no function in these
screen modules runs over 80 lines, nested handlers included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
MAX_LINES = 80
FILES = ["campaign.py", "reports.py", "start_recheck.py", "new_inspection.py", "hazard_detail.py", "areas.py",
         "deferral_request.py", "field_kit.py", "pairing.py", "verify_notice.py", "shell.py"]


def _too_long(source: str) -> list[str]:
    """`name (line N): L lines` for every function or method longer than MAX_LINES."""
    return [f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_LINES]


@pytest.mark.parametrize("name", FILES)
def test_no_function_in_the_screen_is_over_80_lines(name):
    assert _too_long((UI / name).read_text(encoding="utf-8")) == []


def test_the_measure_catches_a_long_nested_handler():
    body = "\n".join(f"        x{n} = {n}" for n in range(MAX_LINES))
    source = f"def build():\n    def handler():\n{body}\n    return handler\n"
    assert [line.split(" ")[0] for line in _too_long(source)] == ["build", "handler"]
