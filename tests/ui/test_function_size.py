"""Screens are built from sections small enough to see at once (issue 20): no function anywhere in
app/ui runs over 80 lines, nested handlers included; screens and shared widgets live apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
MAX_LINES = 80
MODULES = sorted(p.relative_to(UI).as_posix() for p in UI.rglob("*.py"))


def _too_long(source: str) -> list[str]:
    """`name (line N): L lines` for every function or method longer than MAX_LINES."""
    return [f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_LINES]


@pytest.mark.parametrize("name", MODULES)
def test_no_function_in_the_ui_is_over_80_lines(name):
    assert _too_long((UI / name).read_text(encoding="utf-8")) == []


def test_the_measure_catches_a_long_nested_handler():
    body = "\n".join(f"        x{n} = {n}" for n in range(MAX_LINES))
    source = f"def build():\n    def handler():\n{body}\n    return handler\n"
    assert [line.split(" ")[0] for line in _too_long(source)] == ["build", "handler"]


def test_every_screen_is_in_screens_and_nothing_else_is():
    """A screen is a module with `build(ui, ...)`: the shell imports it from app/ui/screens/."""
    def has_build(path: Path) -> bool:
        return any(isinstance(n, ast.FunctionDef) and n.name == "build" for n in ast.parse(path.read_text()).body)

    screens = {p.name for p in (UI / "screens").glob("*.py") if has_build(p)}
    elsewhere = [m for m in MODULES if not m.startswith("screens/") and has_build(UI / m)]
    assert len(screens) >= 15 and elsewhere == []
