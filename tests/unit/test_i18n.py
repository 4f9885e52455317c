"""Both languages say everything, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from app.domain.errors import InvalidInput
from app.i18n import Translator, catalog, describe_error, resolve_lang

APP = Path(__file__).resolve().parents[2] / "app"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys_and_placeholders():
    zh, en = catalog("zh-CN"), catalog("en")
    assert zh.keys() == en.keys()
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def test_every_message_key_used_in_code_exists():
    used: set[str] = set()
    for path in APP.rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_.]+)"', path.read_text("utf-8")))
        used |= set(re.findall(r'key = "([a-z_]+\.[a-z_.]+)"', path.read_text("utf-8")))
    missing = sorted(k for k in used if k not in catalog("zh-CN"))
    assert missing == []


def test_chinese_is_the_default_and_english_switches(monkeypatch):
    monkeypatch.delenv("FIRESWEEP_LANG", raising=False)
    assert resolve_lang(None) == "zh-CN"
    assert Translator().lang == "zh-CN"
    monkeypatch.setenv("FIRESWEEP_LANG", "en")
    assert resolve_lang(None) == "en"
    assert Translator("en")("app.title") == "Fire Hazard Sweep"
    assert Translator("zh-CN")("app.title") == "火灾隐患排查"
    assert resolve_lang("en-US") == "en" and resolve_lang("zh") == "zh-CN"


def test_errors_read_in_the_users_language():
    error = InvalidInput("deadline", "date_in_past", date="2026-01-01")
    assert "deadline" in describe_error(error, "en")
    assert "输入有误" in describe_error(error, "zh-CN")


def test_a_key_defined_in_two_fragments_is_refused(tmp_path, monkeypatch):
    import app.i18n as i18n

    (tmp_path / "en").mkdir()
    (tmp_path / "en.toml").write_text('[a]\nb = "one"\n', "utf-8")
    (tmp_path / "en" / "x.toml").write_text('[a]\nc = "two"\n', "utf-8")
    monkeypatch.setattr(i18n, "_DIR", tmp_path)
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("en") == {"a.b": "one", "a.c": "two"}
        i18n.catalog.cache_clear()
        (tmp_path / "en" / "y.toml").write_text('[a]\nb = "again"\n', "utf-8")
        with pytest.raises(RuntimeError, match=r"a\.b"):
            i18n.catalog("en")
    finally:
        i18n.catalog.cache_clear()
