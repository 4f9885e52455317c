"""Checklists authored in a spreadsheet: export → import is lossless, a bad cell is named by row and column."""

from __future__ import annotations

from openpyxl import load_workbook

from app import resources
from app.cli import main
from app.store.catalog_files import checklist_paths

SHIPPED = checklist_paths(resources.checklists_dir())


def export(tmp_path, *extra: str):
    out = tmp_path / "checklists.xlsx"
    assert main(["checklists", "export", "--format", "xlsx", "--out", str(out), *extra]) == 0
    return out


def edit(path, sheet: str, cell: str, value) -> None:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def column_of(path, sheet: str, name: str) -> str:
    header = next(load_workbook(path, read_only=True)[sheet].iter_rows(min_row=1, max_row=1))
    return next(c.column_letter for c in header if c.value == name)


def test_export_then_import_gives_byte_identical_toml(tmp_path, capsys):
    workbook = export(tmp_path)
    assert "24 个检查表" in capsys.readouterr().out
    assert main(["checklists", "import", str(workbook), "--out", str(tmp_path / "out")]) == 0
    written = sorted((tmp_path / "out").glob("*.toml"))
    assert [p.name for p in written] == [p.name for p in SHIPPED]
    for path in SHIPPED:
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name
    # and what was written passes the same check as the shipped files
    assert main(["checklists", "check", str(tmp_path / "out")]) == 0


def test_a_bad_row_is_refused_with_its_sheet_row_and_column_and_nothing_is_written(tmp_path, capsys):
    workbook = export(tmp_path, str(resources.checklists_dir() / "substation.toml"))
    period = column_of(workbook, "items", "period_days")
    edit(workbook, "items", f"{period}5", -3)
    capsys.readouterr()
    assert main(["checklists", "import", str(workbook), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"［items］第 5 行 {period} 列" in err and "条目 ss-04" in err and "整改期限“-3”无效" in err
    assert not (tmp_path / "out").exists()


def test_every_bad_cell_is_listed_in_english_with_row_and_column(tmp_path, capsys):
    workbook = export(tmp_path, str(resources.checklists_dir() / "inpatient_ward.toml"))
    hint = column_of(workbook, "items", "major_hint")
    edit(workbook, "items", f"{hint}3", "maybe")
    edit(workbook, "findings", "A4", "iw-99")   # a finding of an item that does not exist
    basis = column_of(workbook, "items", "basis")
    note = column_of(workbook, "items", "note")
    edit(workbook, "items", f"{basis}6", "GB 25201-2010《建筑消防设施的维护管理》")
    edit(workbook, "items", f"{note}6", None)
    capsys.readouterr()
    assert main(["--lang", "en", "checklists", "import", str(workbook), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"[items] row 3, column {hint}" in err and "must be true or false" in err
    assert "[findings] row 4, column A" in err and "iw-99" in err
    assert f"[items] row 6, column {basis}" in err and "no note says why" in err


def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(tmp_path, capsys):
    fake = tmp_path / "not.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really")
    assert main(["checklists", "import", str(fake)]) == 2
    assert "不是可读取的 .xlsx 表格文件" in capsys.readouterr().err


def test_export_refuses_invalid_checklists_and_writes_nothing(tmp_path, capsys):
    broken = tmp_path / "substation.toml"
    text = (resources.checklists_dir() / "substation.toml").read_text("utf-8")
    broken.write_text(text.replace('id = "ss-02"', 'id = "ss-01"', 1), "utf-8")
    assert main(["checklists", "export", "--out", str(tmp_path / "x.xlsx"), str(broken)]) == 2
    assert not (tmp_path / "x.xlsx").exists()
    assert "检查项编号重复" in capsys.readouterr().err
