"""The web client's loader, as served: flet-web's own, plus CPU raster where WebGL has no GPU."""

from __future__ import annotations

import os

import pytest

from app.ui import web_assets

CHECK_START = "// firesweep (app/ui/web_assets.py)"


def test_the_loader_is_flet_webs_own_with_the_software_gl_check_before_the_engine_starts():
    stock = (web_assets._package_web() / "flutter_bootstrap.js").read_text("utf-8")
    served = web_assets.bootstrap_js()
    check = served.index(CHECK_START)
    assert check < served.index("_flutter.loader.load({") and served.count("_flutter.loader.load({") == 1
    assert served.index("var flutterConfig") < check          # the config exists when the check sets it
    assert "flutterConfig.canvasKitForceCpuOnly = true" in served
    for soft in web_assets.SOFTWARE_GL:
        assert f'"{soft}"' in served
    # nothing else changed: without the check it is the installed file, byte for byte
    end = served.index("_flutter.loader.load({")
    assert served[:check] + served[end:] == stock


def test_a_changed_loader_is_refused_rather_than_patched_blindly(tmp_path, monkeypatch):
    (tmp_path / "flutter_bootstrap.js").write_text("var flutterConfig = {};\n_flutter.loader.start();", "utf-8")
    monkeypatch.setattr(web_assets, "_package_web", lambda: tmp_path)
    with pytest.raises(RuntimeError, match=r"flutter_bootstrap\.js changed"):
        web_assets.bootstrap_js()


def test_the_served_folder_holds_the_offline_index_and_the_loader(monkeypatch):
    monkeypatch.setitem(os.environ, "FIRESWEEP_WEB_ROOT", "")
    folder = web_assets.prepare_web_assets()
    assert (folder / "flutter_bootstrap.js").read_text("utf-8") == web_assets.bootstrap_js()
    assert web_assets.CSP in (folder / "index.html").read_text("utf-8")


def test_the_installed_engine_still_reads_the_setting_the_loader_sets():
    """A flet-web upgrade whose Flutter engine no longer knows the key would ignore it silently."""
    engine = (web_assets._package_web() / "main.dart.js").read_text("utf-8", errors="replace")
    assert "canvasKitForceCpuOnly" in engine
