"""`firesweep checklists check` passes on shipped files and names each problem in broken copies."""

from __future__ import annotations

import shutil
import subprocess
import sys

from app import resources
from app.cli import main

SOURCE = resources.checklists_dir() / "substation.toml"


def broken_copy(tmp_path, old: str, new: str):
    target = tmp_path / "substation.toml"
    text = SOURCE.read_text("utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), "utf-8")
    return target


def test_shipped_files_pass(capsys):
    assert main(["checklists", "check"]) == 0
    assert "24 个检查表全部有效" in capsys.readouterr().out


def test_duplicate_id_fails_with_file_line_and_item_in_chinese(tmp_path, capsys):
    path = broken_copy(tmp_path, 'id = "ss-02"', 'id = "ss-01"')
    assert main(["checklists", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err and "条目 ss-01" in err and "检查项编号重复" in err


def test_every_problem_is_listed_in_english(tmp_path, capsys):
    path = broken_copy(tmp_path, "period_days = ", "period_days = -")
    text = path.read_text("utf-8").replace("photo_required = true", "photo_required = 1", 1)
    path.write_text(text, "utf-8")
    assert main(["--lang", "en", "checklists", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "rectification period" in err and "must be true or false" in err
    assert "2 problems found" in err


def test_syntax_error_is_one_clear_line_without_traceback(tmp_path):
    path = broken_copy(tmp_path, "[[items]]", "[[items]")
    result = subprocess.run(
        [sys.executable, "-m", "app", "checklists", "check", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "TOML 语法错误" in result.stderr and "Traceback" not in result.stderr


def test_a_folder_with_two_files_sharing_an_id_is_refused(tmp_path, capsys):
    shutil.copy(SOURCE, tmp_path / "a.toml")
    shutil.copy(SOURCE, tmp_path / "b.toml")
    assert main(["checklists", "check", str(tmp_path)]) == 2
    assert "检查表编号与" in capsys.readouterr().err


def test_bad_usage_exits_2_with_a_localized_line(capsys):
    assert main(["checklists", "frobnicate"]) == 2
    assert "命令用法有误" in capsys.readouterr().err
