"""Shared test helpers. Fixtures stay small and real: real files in tmp_path, real tools."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI") == "true"


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it on a developer machine, fail under CI."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (run `bash scripts/system-deps.sh`)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)
