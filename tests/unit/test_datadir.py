"""The demo data set's folder: where `make run` says (inside the checkout), else the user-data dir."""

from __future__ import annotations

from app.datadir import DEMO_ENV_VAR, demo_data_dir


def test_the_demo_folder_follows_the_environment_and_otherwise_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(DEMO_ENV_VAR, str(tmp_path / "demo"))
    assert demo_data_dir() == (tmp_path / "demo").resolve()
    monkeypatch.delenv(DEMO_ENV_VAR)
    assert demo_data_dir().name == "demo" and demo_data_dir() != (tmp_path / "demo").resolve()
