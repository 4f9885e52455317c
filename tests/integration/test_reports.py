"""Campaign reports end to end: records made through the services on disk, with the clock moved
along July and August 2026; every document rendered and read back with poppler and qpdf."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, replace

import openpyxl
import pytest
from fontTools.ttLib import TTFont

from app import resources
from app.bootstrap import build
from app.cli import main
from app.cli import report as report_cli
from app.documents.ledger_sheet import FIELDS, ledger_csv, ledger_xlsx
from app.documents.reports_pdf import render_circular, render_ledger, render_monthly, render_summary
from app.domain.clock import FixedClock
from app.domain.errors import NotFound
from app.domain.model import Flag, HazardStatus, InspectionKind, Severity
from app.services import hazards as hz
from app.services import inspections as ins
from app.services import reports
from app.services.context import Context
from tests.integration.campaign_duties import submit_all_due
from tests.integration.pdf_tools import fonts, page_count, pdf_text, qpdf_check, rasterize, squash

K = InspectionKind
BAD_LINE_STARTS = "，。、；：）"
EVIDENCE = ("e" * 64,)


def shanghai(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment given in Shanghai wall-clock time (UTC+8), as the aware UTC datetime."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC) - dt.timedelta(hours=8)


@dataclass
class World:
    ctx: Context
    clock: FixedClock
    hazards: dict


def make_world(root) -> World:
    """Five units, July–August 2026 (the rectification phase):

    U01 fixes everything in time; U02 (spot-checked) leaves a major hazard overdue, defers one,
    has a fix rejected at the re-check and is listed; U03 fixes its only hazard; U04's hazard is
    not due yet; U05 fixed one of two due hazards (50%). A circular names U02 and U05.
    """
    clock = FixedClock(shanghai(7, 6))
    unit = build(root, clock, actor="王喆")           # the units' inspector
    bureau = replace(unit, actor="李堃")              # the bureau's re-check team
    h: dict = {}

    def at(month: int, day: int, hour: int = 9, minute: int = 0) -> None:
        clock.current = shanghai(month, day, hour, minute)

    def visit(ctx, code, kind, areas, inspectors=("王喆",)):
        inspection = ins.start_inspection(ctx, code, kind, list(inspectors))
        return inspection, [ins.add_area(ctx, inspection.id, t, name).id for t, name in areas]

    def hazard(ctx, inspection, area, text, deadline, **kw):
        return hz.raise_hazard(ctx, inspection.id, area, description=text, deadline=deadline, **kw).id

    at(7, 6)
    u1, (ward, sub) = visit(unit, "U01", K.SELF_CHECK, [("inpatient_ward", "住院部3号楼5层"),
                                                        ("substation", "门诊楼地下一层配电室")])
    h["u1_corridor"] = hazard(unit, u1, ward, "住院部3号楼5层东侧疏散走道堆放纸箱，占用疏散宽度超过一半",
                              dt.date(2026, 7, 13))
    h["u1_heater"] = hazard(unit, u1, ward, "护士站使用自带电暖器，私拉电线", dt.date(2026, 7, 6),
                            responsible="赵立新（护理部）", funds="350")
    h["u1_sub"] = hz.raise_hazard(unit, u1.id, sub, "ss-01", severity=Severity.MAJOR,
                                  deadline=dt.date(2026, 7, 20)).id
    at(7, 6, 15)
    hz.rectify(unit, h["u1_heater"], "已收缴电暖器，拆除私拉电线", EVIDENCE)
    at(7, 8)
    u2, (observe, pump) = visit(bureau, "U02", K.SPOT_CHECK, [("emergency_outpatient", "急诊科留观区"),
                                                             ("fire_pump_room", "消防泵房")], ("李堃", "张伟"))
    h["u2_exit"] = hazard(bureau, u2, observe, "急诊科留观区安全出口上锁，疏散通道被加床占用", dt.date(2026, 7, 20),
                          severity=Severity.MAJOR)
    h["u2_panel"] = hazard(bureau, u2, pump, "消防水泵控制柜处于手动状态，不能自动启动", dt.date(2026, 7, 15))
    h["u2_detector"] = hazard(bureau, u2, observe, "留观区火灾探测器被塑料罩遮挡", dt.date(2026, 7, 31))
    h["u2_gauge"] = hazard(bureau, u2, pump, "湿式报警阀压力表损坏，读数不准", dt.date(2026, 8, 10))
    at(7, 10)
    hz.rectify(unit, h["u1_corridor"], "纸箱已清运，通道宽度恢复", EVIDENCE)
    at(7, 14)
    hz.defer(unit, h["u2_panel"], "控制柜需整体更换，厂家供货周期约两个月",
             [(dt.date(2026, 7, 31), "完成采购"), (dt.date(2026, 9, 30), "更换控制柜并联动调试")],
             "消防泵房24小时专人值守")
    at(7, 18)
    hz.rectify(unit, h["u1_sub"], "杂物已清理，灭火器已更换", EVIDENCE)
    at(7, 20)
    u3, (u3_kitchen,) = visit(unit, "U03", K.SELF_CHECK, [("canteen_kitchen", "职工食堂后厨")])
    h["u3_gas"] = hazard(unit, u3, u3_kitchen, "燃气报警器未通电", dt.date(2026, 7, 25))
    at(7, 22)
    u5, (u5_ward,) = visit(unit, "U05", K.SELF_CHECK, [("inpatient_ward", "内科楼2层")])
    h["u5_sign"] = hazard(unit, u5, u5_ward, "安全出口标志灯不亮", dt.date(2026, 7, 29))
    h["u5_hose"] = hazard(unit, u5, u5_ward, "消火栓箱内水带缺失", dt.date(2026, 8, 5))
    at(7, 24)
    hz.rectify(unit, h["u3_gas"], "已接通电源并测试报警", EVIDENCE)
    at(7, 25)
    follow, _ = visit(bureau, "U01", K.FOLLOW_UP, [], ("李堃", "张伟"))
    hz.verify(bureau, h["u1_corridor"], follow.id, True)
    hz.verify(bureau, h["u1_sub"], follow.id, True)
    at(7, 28)
    hz.rectify(unit, h["u5_sign"], "已更换标志灯", EVIDENCE)
    at(8, 1, 0, 30)         # half past midnight in Shanghai is still 31 July in UTC: it counts for August
    hz.rectify(unit, h["u2_detector"], "遮挡罩已拆除", EVIDENCE)
    at(8, 3)
    hz.set_flag(bureau, h["u2_exit"], Flag.LISTED)
    at(8, 5)
    u1b, (kitchen,) = visit(unit, "U01", K.SELF_CHECK, [("canteen_kitchen", "职工食堂后厨")])
    h["u1_fryer"] = hazard(unit, u1b, kitchen, "油炸锅旁堆放纸质包装物", dt.date(2026, 8, 20))
    h["u1_duct"] = hazard(unit, u1b, kitchen, "后厨油烟管道积油严重，未定期清洗", dt.date(2026, 9, 5))
    at(8, 12)
    follow2, _ = visit(bureau, "U02", K.FOLLOW_UP, [], ("李堃", "张伟"))
    hz.verify(bureau, h["u2_detector"], follow2.id, False, "探测器仍被遮挡")
    at(8, 15)
    hz.rectify(unit, h["u1_fryer"], "包装物已移走", EVIDENCE)
    at(8, 20)
    u4, (u4_sub,) = visit(unit, "U04", K.SELF_CHECK, [("substation", "1号楼配电室")])
    h["u4_cable"] = hazard(unit, u4, u4_sub, "电缆沟盖板缺失", dt.date(2026, 9, 10))
    at(8, 31, 18)
    submit_all_due(unit)   # every duty submitted: only the hazards decide whom the circular names
    return World(unit, clock, h)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return make_world(tmp_path_factory.mktemp("reports") / "data")


@pytest.fixture(scope="module")
def documents(world) -> dict[str, bytes]:
    ctx = world.ctx
    return {
        "monthly": render_monthly(reports.monthly_report_data(ctx, "U02", 2026, 7)),
        "monthly_aug": render_monthly(reports.monthly_report_data(ctx, "U02", 2026, 8)),
        "summary": render_summary(reports.summary_data(ctx)),
        "ledger": render_ledger(reports.ledger_rows(ctx)),
        "circular": render_circular(reports.circular_data(ctx)),
    }


def name(ctx: Context, code: str) -> str:
    return ctx.catalog.units.get(code).name_zh


def description(ctx: Context, hazard_id: str) -> str:
    return squash(hz.get_hazard(ctx, hazard_id).description)


def in_cell(needle: str, text: str, slack: int = 80) -> bool:
    """`needle` appears in `text` in order, allowing other text between its characters within a
    short window: pdftotext reads a table row line by line, so a cell that wraps is interleaved
    with its neighbours ("…堆放纸箱，一般占用疏散…")."""
    start = text.find(needle[0])
    while start != -1:
        at, end = start, start + len(needle) + slack
        for char in needle[1:]:
            at = text.find(char, at + 1, end)
            if at == -1:
                break
        else:
            return True
        start = text.find(needle[0], start + 1)
    return False


# ---------------------------------------------------------------- the data


def test_monthly_data_counts_the_period_as_it_stood_on_the_day_the_report_is_due(world):
    july = reports.monthly_report_data(world.ctx, "U02", 2026, 7)
    assert (july.start, july.end, july.as_of, july.due) == (
        dt.date(2026, 6, 26), dt.date(2026, 7, 25), dt.date(2026, 7, 25), dt.date(2026, 7, 25))
    assert july.phases == ("自查自纠", "全面整治")           # 6/26–6/30 are still the self-check phase
    assert dict(july.inspections) == {K.SELF_CHECK: 0, K.SPOT_CHECK: 1, K.FOLLOW_UP: 0} and july.areas == 2
    m = july.this_month
    assert (m.found, m.major, m.rectified, m.deferred, m.listed) == (4, 1, 0, 1, 0)
    # on 25 July only the exit was overdue: the detector's fix (1 Aug, Shanghai) and reopening came later
    assert july.to_date.overdue == 1
    assert [line.description for line in july.overdue] == ["急诊科留观区安全出口上锁，疏散通道被加床占用"]
    rows = {r.location_type: r for r in july.by_location}
    assert (rows["emergency_outpatient"].found, rows["emergency_outpatient"].overdue) == (2, 1)
    assert (rows["fire_pump_room"].areas, rows["fire_pump_room"].found) == (1, 2)

    august = reports.monthly_report_data(world.ctx, "U02", 2026, 8)
    m, total = august.this_month, august.to_date
    assert dict(august.inspections)[K.FOLLOW_UP] == 1 and august.areas == 0
    assert (m.found, m.rectified, m.overdue, m.listed) == (0, 1, 2, 1)      # detector and gauge fell due
    assert (total.found, total.rectified, total.overdue, total.deferred, total.listed) == (4, 0, 3, 1, 1)
    assert august.overdue[0].days_overdue == 36 and august.overdue[0].listed      # 20 July → 25 August


def test_monthly_report_of_a_unit_that_fixed_everything(world):
    july = reports.monthly_report_data(world.ctx, "U01", 2026, 7)
    assert july.inspection_total == 2 and july.areas == 2
    assert (july.this_month.found, july.this_month.rectified, july.this_month.verified) == (3, 3, 2)
    assert july.to_date.overdue == 0 and july.to_date.rate == 1.0
    assert {r.location_type: (r.found, r.rectified) for r in july.by_location} == {
        "inpatient_ward": (2, 2), "substation": (1, 1)}


def test_a_month_not_yet_begun_or_an_unknown_unit_is_refused(world):
    with pytest.raises(ValueError):
        reports.monthly_report_data(world.ctx, "U01", 2026, 10)         # its period starts 26 September
    with pytest.raises(NotFound):
        reports.monthly_report_data(world.ctx, "U99", 2026, 7)


def test_ledger_rows_carry_lifecycle_dates_from_the_audit(world):
    rows = {r.hazard_id: r for r in reports.ledger_rows(world.ctx)}
    assert len(rows) == 13
    detector = rows[world.hazards["u2_detector"]]
    assert (detector.raised, detector.rectified, detector.reopened, detector.verified) == (
        dt.date(2026, 7, 8), dt.date(2026, 8, 1), dt.date(2026, 8, 12), None)
    assert detector.status is HazardStatus.REOPENED and detector.overdue and detector.days_overdue == 31
    corridor = rows[world.hazards["u1_corridor"]]
    assert (corridor.rectified, corridor.verified, corridor.inspection_kind) == (
        dt.date(2026, 7, 10), dt.date(2026, 7, 25), K.SELF_CHECK)
    panel = rows[world.hazards["u2_panel"]]
    assert (panel.deferred, panel.deadline, panel.overdue) == (dt.date(2026, 7, 14), dt.date(2026, 9, 30), False)
    assert rows[world.hazards["u1_heater"]].funds == "350.00"
    assert [r.unit for r in reports.ledger_rows(world.ctx, "U02")] == ["U02"] * 4


def test_circular_names_exactly_the_units_past_the_thresholds(world):
    data = reports.circular_data(world.ctx)
    assert [u.unit for u in data.lagging] == ["U02", "U05"]
    u2, u5 = data.lagging
    assert {r.kind for r in u2.reasons} == {"spot_check", "rectification_rate", "overdue_major"}
    assert [line.description for line in u2.spot_findings] == [       # what the bureau's spot-check found
        "急诊科留观区安全出口上锁，疏散通道被加床占用", "留观区火灾探测器被塑料罩遮挡",
        "湿式报警阀压力表损坏，读数不准"]
    assert u2.grade == 1 and u5.grade == 2
    assert (u2.due, u2.rectified_due, len(u2.overdue_major)) == (3, 0, 1)   # the deferred panel is not due
    assert [r.kind for r in u5.reasons] == ["rectification_rate"] and u5.due_rate == 0.5
    assert reports.late_obligations(world.ctx, "U01", data.as_of) == ()     # every duty was submitted


def test_summary_counts_per_unit_per_phase_and_in_total(world):
    data = reports.summary_data(world.ctx)
    assert len(data.units) == 36 and data.units_active == 5
    assert [p.id for p in data.phases] == ["self_check", "rectification", "consolidation"]
    total = data.total
    assert (total.inspections, total.found, total.rectified, total.major, total.overdue_major) == (8, 13, 6, 2, 1)
    assert total.phases[1].found == 13 and total.phases[0].found == 0
    assert {u.unit for u in data.units if u.lagging} == {"U02", "U05"}
    u1 = data.units[0]
    assert (u1.unit, u1.found, u1.rectified, u1.verified, u1.rate) == ("U01", 5, 4, 2, 0.8)


# ---------------------------------------------------------------- the documents


@pytest.mark.parametrize("kind", ["monthly", "monthly_aug", "summary", "ledger", "circular"])
def test_every_document_is_a_sound_pdf_in_the_bundled_font_with_page_numbers(documents, kind):
    pdf = documents[kind]
    qpdf_check(pdf)
    for font in fonts(pdf):
        assert font["name"].split("+")[-1] in (resources.FONT_FAMILY, resources.SONG_FAMILY), font
        assert font["emb"] == "yes", font
    text = pdf_text(pdf)
    total = page_count(pdf)
    for page in range(1, total + 1):
        assert f"第{page}页共{total}页" in squash(text)
    cmaps = [TTFont(path).getBestCmap() for path in (resources.font_path(), resources.song_font_path())]
    assert {c for c in text if not c.isspace() and not any(ord(c) in cmap for cmap in cmaps)} == set()
    lines = text.splitlines() + [
        part for line in pdf_text(pdf, layout=True).splitlines() for part in re.split(r"\s{2,}", line)
    ]
    assert [line for line in lines if line.strip() and line.strip()[0] in BAD_LINE_STARTS] == []
    page_one = rasterize(pdf, 1).convert("L")
    assert sum(page_one.histogram()[:100]) > 0.01 * page_one.width * page_one.height


def test_monthly_report_reads_back_unit_month_figures_hazards_and_chart(world, documents):
    text = squash(pdf_text(documents["monthly"]))
    for expected in (name(world.ctx, "U02"), "火灾隐患排查整治工作月报", "2026年7月", "统计截止：2026年7月25日",
                     "所处阶段：自查自纠、全面整治", "发现火灾隐患（处）44", "逾期未整改（处）11", "暂缓整改（处）11",
                     "门急诊", "消防泵房", "急诊科留观区", "2026年7月20日",
                     "发现隐患", "已整改", "逾期未改"):                 # the last three: the chart's legend
        assert expected in text, expected
    assert in_cell(description(world.ctx, world.hazards["u2_exit"]), text)
    assert not in_cell(description(world.ctx, world.hazards["u2_gauge"]), text)   # not overdue on 25 July
    august = squash(pdf_text(documents["monthly_aug"]))
    assert in_cell(description(world.ctx, world.hazards["u2_gauge"]), august) and "挂牌督办" in august


def test_same_data_renders_the_same_bytes(world, documents):
    assert render_monthly(reports.monthly_report_data(world.ctx, "U02", 2026, 7)) == documents["monthly"]
    assert render_circular(reports.circular_data(world.ctx)) == documents["circular"]


def test_summary_names_every_unit_and_the_lagging_ones(world, documents):
    text = squash(pdf_text(documents["summary"]))
    for code in ("U01", "U02", "U03", "U04", "U05", "U36"):
        assert name(world.ctx, code) in text, code
    for expected in ("自查自纠", "全面整治", "总结巩固", "发现火灾隐患13处", "整改率46.2%", "工作滞后单位2家"):
        assert expected in text, expected


def test_ledger_pdf_is_landscape_with_every_hazard_and_its_dates(world, documents):
    pdf = documents["ledger"]
    page = rasterize(pdf, 1, dpi=40)
    assert page.width > page.height
    text = squash(pdf_text(pdf))
    for hazard_id in world.hazards.values():
        assert in_cell(description(world.ctx, hazard_id), text)
    for expected in ("共13条", "2026-08-12", "复查未通过（2026-08-12）", "2026-09-30", "挂牌督办", "逾期42天"):
        assert expected in text, expected


def test_a_long_ledger_repeats_its_header_row_on_every_page(world):
    rows = reports.ledger_rows(world.ctx)
    many = [replace(row, number=n) for n, row in enumerate(rows * 6, start=1)]
    pdf = render_ledger(many)
    pages = pdf_text(pdf).split("\f")[:-1]
    assert len(pages) == page_count(pdf) > 1
    assert all(squash(page).count("隐患描述") == 1 for page in pages)
    assert f"共{len(many)}条" in squash(pages[0]) and str(len(many)) in squash(pages[-1])


def test_circular_names_the_lagging_units_and_why_and_no_others(world, documents):
    text = squash(pdf_text(documents["circular"]))
    for code in ("U02", "U05"):
        assert name(world.ctx, code) in text
    for code in ("U01", "U03", "U04"):
        assert name(world.ctx, code) not in text, code
    for expected in ("到期隐患整改率为0%，低于80%", "到期隐患整改率为50%",
                     "存在逾期未整改的可能构成重大火灾隐患的问题1处",
                     "一、抽查发现问题整改不到位的单位", "二、整改进展滞后的单位", "抽查发现、尚未整改的问题",
                     description(world.ctx, world.hazards["u2_exit"]), "已挂牌督办", "各直属单位：",
                     "示卫消整办〔2026〕1号", "抄送：", "印发", "直属单位火灾隐患专项排查整治行动领导小组办公室"):
        assert expected in text, expected


def test_ledger_spreadsheets_have_one_row_per_hazard_with_real_dates(world):
    rows = reports.ledger_rows(world.ctx)
    book = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(rows)))
    sheet = book["隐患台账"]
    header = [c.value for c in sheet[1]]
    assert header == [f[0] for f in FIELDS] and sheet.max_row == len(rows) + 1 == 14
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert sheet.column_dimensions["I"].width > sheet.column_dimensions["A"].width
    column = {h: n for n, h in enumerate(header)}
    found = [r[column["发现日期"]].value for r in sheet.iter_rows(min_row=2)]
    assert all(isinstance(v, dt.datetime) for v in found) and found[0].date() == dt.date(2026, 7, 6)
    descriptions = {r[column["隐患描述"]].value for r in sheet.iter_rows(min_row=2)}
    assert "后厨油烟管道积油严重，未定期清洗" in descriptions

    raw = ledger_csv(rows)
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(table) == 13
    detector = next(r for r in table if r["隐患描述"] == "留观区火灾探测器被塑料罩遮挡")
    assert (detector["状态"], detector["复查未通过日期"], detector["整改完成日期"]) == (
        "复查未过", "2026-08-12", "2026-08-01")


# ---------------------------------------------------------------- the command line


@pytest.fixture
def cli(world, monkeypatch, capsys):
    """`firesweep report …` on the world's data, on the world's clock."""
    monkeypatch.setattr(report_cli, "build", lambda data_dir: build(data_dir, world.clock))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["report", *args, "--data", str(world.ctx.repo.root)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_cli_writes_every_report(cli, tmp_path):
    for kind, extra, suffix in (("monthly", ["--unit", "U02", "--month", "2026-07"], "pdf"), ("summary", [], "pdf"),
                                ("circular", [], "pdf"), ("ledger", ["--unit", "U02"], "pdf"),
                                ("ledger", ["--format", "xlsx"], "xlsx"), ("ledger", ["--format", "csv"], "csv")):
        out = tmp_path / f"{kind}.{suffix}"
        code, stdout, stderr = cli(kind, *extra, "--out", str(out))
        assert (code, stderr) == (0, ""), stderr
        assert str(out) in stdout and out.stat().st_size > 1000
    assert (tmp_path / "monthly.pdf").read_bytes().startswith(b"%PDF")
    assert "共4条" in squash(pdf_text((tmp_path / "ledger.pdf").read_bytes()))


@pytest.mark.parametrize(("args", "message"), [
    (["monthly", "--unit", "U01", "--month", "2026-13"], "月份“2026-13”无效"),
    (["monthly", "--unit", "U01", "--month", "July"], "YYYY-MM"),
    (["monthly", "--month", "2026-07"], "--unit"),
    (["monthly", "--unit", "U01", "--month", "2026-09"], "还没有开始"),
    (["monthly", "--unit", "U99", "--month", "2026-07"], "找不到单位"),
    (["summary", "--format", "xlsx"], "只用于隐患台账"),
    (["circular", "--format", "csv"], "只用于隐患台账"),
    (["circular", "--unit", "U01"], "不能用 --unit"),
    (["quarterly"], "命令用法有误"),
])
def test_cli_refuses_bad_requests_with_a_localized_message(cli, tmp_path, args, message):
    code, stdout, stderr = cli(*args, "--out", str(tmp_path / "x"))
    assert code == 2 and message in stderr and stdout == ""
    assert not (tmp_path / "x").exists()


def test_cli_errors_are_in_english_when_asked(world, monkeypatch, capsys):
    monkeypatch.setattr(report_cli, "build", lambda data_dir: build(data_dir, world.clock))
    assert main(["--lang", "en", "report", "summary", "--format", "csv", "--data", str(world.ctx.repo.root)]) == 2
    assert "hazard ledger only" in capsys.readouterr().err


def test_documents_render_for_a_campaign_with_no_records_yet(tmp_path):
    ctx = build(tmp_path / "empty", FixedClock(shanghai(6, 22)))
    monthly = squash(pdf_text(render_monthly(reports.monthly_report_data(ctx, "U07", 2026, 6))))
    assert name(ctx, "U07") in monthly and "本月无检查部位和隐患记录" in monthly and "无逾期未整改隐患" in monthly
    circular = squash(pdf_text(render_circular(reports.circular_data(ctx))))
    assert "各单位均未达到通报标准" in circular and "进展情况的通报" in circular
    assert "暂无隐患记录" in squash(pdf_text(render_ledger(reports.ledger_rows(ctx), as_of=ctx.today())))
    summary = render_summary(reports.summary_data(ctx))
    qpdf_check(summary)
    assert "工作滞后单位0家" in squash(pdf_text(summary))
    assert len(list(csv.reader(io.StringIO(ledger_csv(()).decode("utf-8-sig"))))) == 1
