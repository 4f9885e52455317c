"""The layers of ../shared/DESIGN.md are real: checked by reading imports, not by trust.

The rules, from the inside out:
- domain imports only itself and the standard library (no flet, tinydb, PIL, reportlab…);
- store, media and documents are adapters: they may import the domain, never the services or
  anything above them (a report's value types live in the domain, not in services);
- services are the use cases: they reach libraries only through the adapters, and never import
  what sits above them (bootstrap, ui, cli, the demo);
- ui and cli call services and never touch the store; only ui imports flet (and the `app` command,
  lazily); the demo sits above the services, beside the CLI.
"""

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


def _app_imports(path: Path, package: str | None = None) -> set[str]:
    """What a module imports from `app` (module names), relative imports resolved to absolute names."""
    tree = ast.parse(path.read_text("utf-8"))
    package = package or ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("app")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module == "app":
                names |= {f"app.{a.name}" for a in node.names}
            elif module.startswith("app"):
                names.add(module)
    return names


def test_adapters_never_import_services_or_anything_above():
    above = ("app.services", "app.ui", "app.cli", "app.bootstrap", "app.demo")
    for folder in ("store", "media", "documents"):
        for path in modules(folder):
            bad = {n for n in _app_imports(path) if n.startswith(above)}
            assert not bad, f"{path.relative_to(APP)} imports {bad}"


def test_services_never_import_bootstrap_ui_cli_or_the_demo():
    above = ("app.ui", "app.cli", "app.bootstrap", "app.demo")
    for path in modules("services"):
        bad = {n for n in _app_imports(path) if n.startswith(above)}
        assert not bad, f"{path.relative_to(APP)} imports {bad}"


def test_no_module_imports_another_modules_private_names():
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("app")):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{path.relative_to(APP)} imports private {private} from {node.module}"


def test_the_import_reader_sees_absolute_and_relative_imports(tmp_path):
    """The checks above can fail: an adapter importing services, either way, is seen."""
    probe = tmp_path / "probe.py"
    probe.write_text("from app.services import hazards\nfrom ..services.sync import import_bundle\n", "utf-8")
    assert _app_imports(probe, package="app.store") == {"app.services", "app.services.sync"}
