"""scripts/mobile_check.py: would `flet build apk` find a mobile wheel for every binary dependency?"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mobile_check.py"
PYPROJECT = (ROOT / "pyproject.toml").read_text("utf-8")


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def edited_copy(tmp_path: Path, pattern: str, replacement: str) -> Path:
    text, count = re.subn(pattern, replacement, PYPROJECT)
    assert count == 1, pattern
    copy = tmp_path / "pyproject.toml"
    copy.write_text(text, "utf-8")
    return copy


def test_the_repository_passes():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "mobile check passed" in result.stdout


def test_pillow_pinned_past_the_mobile_index_fails_naming_it(tmp_path):
    copy = edited_copy(tmp_path, r'"pillow>=[^"]*"', '"pillow==13.0.0"')
    result = run_check("--pyproject", str(copy))
    assert result.returncode == 1
    assert "pillow" in result.stderr and "12.2.0" in result.stderr and "==13.0.0" in result.stderr


def test_pillow_heif_as_a_dependency_fails_for_want_of_a_mobile_wheel(tmp_path):
    copy = edited_copy(tmp_path, r'("pillow>=[^"]*",)', r'\1 "pillow-heif>=1.8.1",')
    result = run_check("--pyproject", str(copy))
    assert result.returncode == 1
    assert "pillow-heif: a binary package with no wheel" in result.stderr


def test_an_open_requires_python_fails_because_flet_would_bundle_314(tmp_path):
    copy = edited_copy(tmp_path, r'requires-python = "[^"]*"', 'requires-python = ">=3.11"')
    result = run_check("--pyproject", str(copy))
    assert result.returncode == 1
    assert "Python 3.14" in result.stderr


def test_the_web_server_without_its_android_marker_fails(tmp_path):
    """uvicorn[standard] brings uvloop, which has no mobile wheel."""
    copy = edited_copy(tmp_path, r'"flet-web==1.0.5; [^"]*"', '"flet-web==1.0.5"')
    result = run_check("--pyproject", str(copy))
    assert result.returncode == 1
    assert "uvloop" in result.stderr


def test_mobile_constraints_take_the_index_versions_and_keep_the_other_pins():
    result = run_check("--constraints")
    assert result.returncode == 0, result.stderr
    pins = set(result.stdout.split())
    assert {"pillow==12.2.0", "cryptography==43.0.1", "orjson==3.11.9", "cffi==2.0.0", "tinydb==4.9.0"} <= pins


def test_the_build_declares_the_camera_permission_and_an_ios_usage_string():
    import tomllib

    flet = tomllib.loads(PYPROJECT)["tool"]["flet"]
    assert "camera" in flet["permissions"]
    assert flet["android"]["permission"]["android.permission.CAMERA"] is True
    assert "照片" in flet["ios"]["info"]["NSCameraUsageDescription"]
