"""A unit's own reports and its 工作情况, read back from the PDFs; the CLI forms."""

from __future__ import annotations

import pytest

from app.cli import main
from app.documents.reports_pdf import render_monthly, render_summary
from app.documents.unit_report_pdf import render_unit_report
from app.domain.errors import InvalidInput
from app.domain.figures import percent_text
from app.domain.reports import WorkReport, parse_work_report
from app.services import reports, unit_reports, work_reports
from tests.integration.pdf_tools import pdf_text, qpdf_check, squash
from tests.integration.test_reports import make_world

WORK = """
meetings = "7月3日召开专项行动推进会，院长主持"
letters = "与28个科室签订消防安全责任书"
funds = "落实整改资金12.6万元"
training = "开展全员消防培训4场、疏散演练2次"
problems = "老旧病房楼疏散楼梯改造受场地限制"
experience = "实行科室主任负责制"
mechanisms = "每月一次防火检查"
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return make_world(tmp_path_factory.mktemp("unit-reports") / "data")


def test_a_units_rectification_report_carries_its_figures_words_and_open_hazards(world):
    ctx = world.ctx
    data = unit_reports.unit_report_data(ctx, "U02", "rectification", parse_work_report(WORK))
    pdf = render_unit_report(data)
    qpdf_check(pdf)
    text = squash(pdf_text(pdf))
    f = data.figures
    assert (f.found, f.rectified, f.open, f.overdue, f.deferred, f.listed) == (4, 0, 4, 3, 1, 1)
    for expected in ("示例市第三中心医院", "关于直属单位火灾隐患专项排查整治行动自查整改工作情况的报告",
                     "示例市卫生健康委员会保卫处：", f"发现火灾隐患{f.found}处", f"整改率{percent_text(f.rate)}",
                     "7月3日召开专项行动推进会", "与28个科室签订消防安全责任书", "老旧病房楼疏散楼梯改造受场地限制",
                     "消防泵房24小时专人值守",                       # the deferred hazard's interim measures
                     "急诊科留观区安全出口上锁", "单位负责人（签名）", "（盖章处）", "2026年9月15日前"):
        assert expected in text, expected
    assert "成功经验和先进模式" not in text                        # the summary's sections only


def test_a_units_summary_report_adds_experience_and_mechanisms(world):
    data = unit_reports.unit_report_data(world.ctx, "U01", "summary", parse_work_report(WORK))
    text = squash(pdf_text(render_unit_report(data)))
    for expected in ("关于直属单位火灾隐患专项排查整治行动的总结报告", "成功经验和先进模式", "实行科室主任负责制",
                     "长效工作机制", "每月一次防火检查", "总结巩固", "2026年9月26日前"):
        assert expected in text, expected


def test_the_monthly_report_prints_the_units_work_and_signature_blocks(world):
    ctx = world.ctx
    key = work_reports.report_key("monthly", (2026, 7))
    work_reports.save_work_report(ctx, "U05", key, WorkReport(meetings="7月10日召开推进会"))
    text = squash(pdf_text(render_monthly(reports.monthly_report_data(ctx, "U05", 2026, 7))))
    assert "五、工作情况" in text and "7月10日召开推进会" in text and "（未填报）" in text
    assert "单位负责人（签名）" in text and "填报人" in text and "（盖章处）" in text
    assert "示例市卫生健康委员会保卫处" in text


def test_the_bureau_summary_has_its_narrative_drafted_from_the_data(world):
    text = squash(pdf_text(render_summary(reports.summary_data(world.ctx))))
    for expected in ("六、成功经验和先进模式", "七、存在的问题", "八、长效工作机制", "2家单位工作进展滞后",
                     "自2026年6月20日开始"):
        assert expected in text, expected


def test_a_bad_work_file_is_refused_naming_the_problem():
    for text, reason in (('meetings = "a"\ncolour = "red"', "bad_work_file"), ("meetings = 3", "bad_work_file"),
                         ("meetings = ", "bad_work_file"), (f'meetings = "{"长" * 2001}"', "too_long")):
        with pytest.raises(InvalidInput) as caught:
            parse_work_report(text)
        assert caught.value.reason == reason


def test_the_cli_writes_unit_reports_and_reads_the_work_file(world, tmp_path, capsys):
    root = str(world.ctx.repo.root)
    work = tmp_path / "work.toml"
    work.write_text(WORK, "utf-8")
    for kind in ("summary", "rectification"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["report", kind, "--data", root, "--unit", "U02", "--work", str(work), "--out", str(out)]) == 0
        assert "与28个科室签订消防安全责任书" in squash(pdf_text(out.read_bytes()))
    out = tmp_path / "monthly.pdf"
    assert main(["report", "monthly", "--data", root, "--unit", "U02", "--month", "2026-08", "--work", str(work),
                 "--out", str(out)]) == 0
    assert "开展全员消防培训4场" in squash(pdf_text(out.read_bytes()))
    assert main(["report", "rectification", "--data", root, "--out", str(out)]) == 2      # needs --unit
    work.write_text("meetings = 1", "utf-8")
    assert main(["report", "monthly", "--data", root, "--unit", "U02", "--work", str(work), "--out", str(out)]) == 2
    assert "工作情况文件有误" in capsys.readouterr().err
    assert main(["report", "circular", "--data", root, "--serial", "0", "--out", str(out)]) == 2
