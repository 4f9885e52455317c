"""The layers in DESIGN.md are real: checked by reading imports, not by trust."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ADAPTERS = {"flet", "flet_web", "tinydb", "PIL", "reportlab", "openpyxl", "qrcode", "cryptography", "pillow_heif"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


def test_domain_imports_only_itself_and_the_standard_library():
    for path in modules("domain"):
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top not in ADAPTERS, f"{path.name} imports {name}"
            assert not name.startswith("app.") or name.startswith("app.domain"), f"{path.name} imports {name}"


def test_only_the_ui_imports_flet():
    for path in APP.rglob("*.py"):
        if "ui" in path.relative_to(APP).parts or path.name == "main.py":
            continue
        flet_imports = {n for n in imports_of(path) if n.split(".")[0] in {"flet", "flet_web"}}
        # the `app` command imports flet lazily inside its handler; nothing else may
        assert not flet_imports or path.name == "serve.py", f"{path} imports flet"


def test_views_and_cli_never_touch_the_store():
    for folder in ("ui", "cli"):
        for path in modules(folder):
            bad = {n for n in imports_of(path) if n.startswith("app.store") or n.split(".")[0] == "tinydb"}
            assert not bad, f"{path} imports {bad}"


def test_services_reach_libraries_only_through_adapters():
    """Pillow, reportlab, TinyDB and flet live behind app/media, app/documents, app/store, app/ui."""
    for path in modules("services"):
        bad = {n for n in imports_of(path) if n.split(".")[0] in ADAPTERS}
        assert not bad, f"{path.name} imports {bad}"
