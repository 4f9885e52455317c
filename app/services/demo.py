"""Demo data (`firesweep demo`): a realistic, deterministic campaign built through the services only.

A small discrete-event simulation. Each unit gets a site (wards, outpatient floors, kitchen, pump
room…) and a schedule of inspections; every failed answer raises a hazard whose later life
(assigned, rectifying, rectified, deferred, flagged) is scheduled as further events; follow-ups
and spot-checks re-check what was rectified (pass → verified, fail → reopened). Events run in
time order on a `FixedClock` set to each event's moment. Each inspection is one transaction, and
each run of hazard updates between inspections another, so a year commits hundreds of times
instead of once per answer. A unit's own time never goes back; units run side by side, so the
clock may step back when the next event belongs to another unit.

Deterministic in content, not in ids: the same seed gives the same areas, answers, descriptions,
statuses and dates; record ids are the services' uuid4s. Photos are real files: synthetic
camera pictures (`app.media.synthetic`) go through the photo services like any photo — checked,
stamped, stored by hash — for every hazard and every rectification.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import bootstrap
from app.domain import lifecycle
from app.domain.catalog import Catalog
from app.domain.checklist import ChecklistItem
from app.domain.clock import CAMPAIGN_TZ, FixedClock, local_date
from app.domain.errors import InvalidInput
from app.domain.model import Flag, Hazard, HazardStatus, InspectionKind, Severity, Verdict
from app.domain.units import Unit
from app.media.synthetic import sample_photo

from . import hazards as hz
from . import inspections as ins
from . import photos as ph
from .context import Context

__all__ = ["SCALES", "DemoSummary", "build_demo"]

K, S = InspectionKind, HazardStatus
SCALES = ("small", "unit-year", "bureau")
# Inspections (self-check, spot-check, follow-up) per unit, or in total for the bureau.
_COUNTS = {"small": {"U01": (2, 1, 1), "U02": (1, 1, 1), "U03": (1, 1, 1)}, "unit-year": {"U01": (190, 30, 80)}}
_BUREAU_TOTALS = (1500, 250, 500)
_AREAS = {  # areas walked per inspection: (fewest, most)
    "small": {K.SELF_CHECK: (4, 5), K.SPOT_CHECK: (3, 4), K.FOLLOW_UP: (2, 3)},
    "unit-year": {K.SELF_CHECK: (8, 10), K.SPOT_CHECK: (8, 10), K.FOLLOW_UP: (5, 8)},
    "bureau": {K.SELF_CHECK: (9, 12), K.SPOT_CHECK: (9, 12), K.FOLLOW_UP: (6, 9)},
}
FAIL_RATE, NA_RATE = 0.105, 0.03
_KIND_FAIL = {K.SELF_CHECK: 1.0, K.SPOT_CHECK: 1.2, K.FOLLOW_UP: 0.8}
_PHASE_WEIGHT = {  # how often each kind happens in phase 0, the middle ones, the last, and outside
    K.SELF_CHECK: (4.0, 1.5, 1.0, 0.6), K.SPOT_CHECK: (0.3, 3.0, 1.0, 0.3), K.FOLLOW_UP: (0.0, 1.5, 3.0, 0.6),
}
# Final fates, drawn per hazard when it is raised: (general weight, major weight).
_FATES = {"fixed": (78, 55), "reopen": (5, 5), "rectifying": (6, 12), "deferred": (2, 15), "open": (9, 13)}
# The first hazards of every build take these fates, so every status and flag exists at any scale.
_FORCED = (
    ("fixed", Severity.GENERAL, None), ("reopen", Severity.GENERAL, None), ("late", Severity.GENERAL, None),
    ("rectifying", Severity.GENERAL, None), ("deferred", Severity.MAJOR, Flag.EXPERT_REVIEW),
    ("open", Severity.MAJOR, Flag.LISTED), ("deferred", Severity.MAJOR, Flag.SUSPENDED),
    ("open", Severity.GENERAL, None), ("fixed", Severity.MAJOR, None),
)

BUREAU_TEAM = ("李堃", "赵立新", "孙海燕", "周明远", "钱思远", "吴晓东", "郑丽华", "冯建国")
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
             "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤")
_GIVEN = (
    "建国", "志强", "海燕", "丽华", "晓东", "秀英", "明", "伟", "芳", "静", "磊", "敏", "军", "洋", "勇", "艳",
    "杰", "娟", "涛", "超", "霞", "平", "刚", "桂英", "玉兰", "文博", "浩然", "思远", "立新", "春燕", "国庆",
    "红梅", "振宇", "佳", "琳", "鹏", "斌", "颖", "宁", "婷", "晨", "昊", "瑶", "喆", "堃", "珺", "昇", "祎",
    "志刚", "建华", "雪梅", "永福", "海波", "亚楠",
)
_WARD_DEPTS = {
    "tcm_hospital": ("针灸科", "中医内科", "骨伤科", "肛肠科", "脾胃病科", "脑病科", "康复科", "治未病中心"),
    "maternal_child": ("产科", "妇科", "新生儿科", "儿科", "生殖医学科", "乳腺科", "儿童保健科"),
    "psychiatric": ("精神科一病区", "精神科二病区", "老年精神科", "心境障碍科", "物质依赖科", "儿少精神科"),
    "infectious_disease": ("感染一科", "感染二科", "肝病科", "结核科", "发热病区", "重症医学科"),
}
_GENERAL_DEPTS = (
    "心血管内科", "呼吸与危重症医学科", "消化内科", "神经内科", "内分泌科", "肾内科", "普外科", "骨科", "神经外科",
    "泌尿外科", "胸外科", "肿瘤科", "血液科", "老年医学科", "康复医学科", "重症医学科",
)
# What is done about a hazard, by keywords of the checklist's hazard text (first match wins), and
# the works that could make it too big to fix in time ("" for what can never justify a deferral).
_REMEDIES = (
    (("不熟悉", "不会", "培训", "演练", "预案"), "组织专题培训和灭火疏散实操演练，逐人考核并签字确认", ""),
    (("电动车", "电动自行车"), "清理违规停放的电动自行车，设置禁停标识，引导至室外集中充电区", ""),
    (("防火门", "防火分隔", "卷帘", "封堵", "孔洞", "可燃装修", "夹芯"),
     "修复防火门闭门器和防火卷帘，管线孔洞采用防火材料封堵", "防火分隔和防火门改造"),
    (("应急照明", "备用照明", "疏散指示"), "更换损坏的应急照明和疏散指示标志，完成断电切换测试", "应急照明系统改造"),
    (("安全出口", "疏散", "楼梯", "消防车通道", "堵塞", "加床"),
     "立即清理疏散通道和安全出口堆放物，拆除门锁改为推闩，纳入每日防火巡查", "疏散楼梯和安全出口改造"),
    (("灭火器", "灭火毯", "消火栓", "泄漏应急器材"),
     "更换失压、过期灭火器，补齐消火栓箱器材，清除遮挡并每月检查登记", ""),
    (("喷淋", "喷头", "报警阀", "喷水", "放水", "充气压力"),
     "委托消防维保单位检修自动喷水灭火系统，完成末端试水和联动测试", "自动喷水灭火系统更新改造"),
    (("水泵", "稳压", "水池", "泵房"),
     "委托维保单位检修消防给水设施，恢复自动状态并完成启泵试验", "消防给水设施更新改造"),
    (("值班", "持证", "脱岗"), "落实消防控制室24小时双人持证值班，补齐值班记录并开展操作考核", ""),
    (("探测器", "联动", "控制器", "报警按钮", "消防电话", "广播", "排烟", "气体灭火", "报警装置"),
     "修复火灾自动报警和联动控制设施故障点，解除屏蔽，完成联动测试", "火灾自动报警系统更新改造"),
    (("油烟", "燃气", "灶", "液化气", "自动灭火装置"),
     "清洗排油烟管道，更换燃气软管，加装可燃气体报警和自动切断装置", "厨房燃气和灭火设施改造"),
    (("氧气", "明火", "吸烟", "火种", "动火"), "清除火源，重新张贴禁烟禁火标志，落实动火审批和现场监护", ""),
    (("化学品", "试剂", "易燃", "物料", "甲、乙类", "药品"),
     "按性质分类分库存放，清理超量物品，落实双人双锁和出入库登记", "危险品库房迁建改造"),
    (("电线", "插线板", "电器", "电气", "充电", "配电", "电缆", "线缆", "防爆", "消防电源", "开关"),
     "拆除私拉乱接电线，由持证电工规范敷设线路，更换老化电气设备", "电气线路和配电设施改造"),
    (("记录", "台账", "责任", "巡查", "制度", "管理", "登记"),
     "补齐记录和台账，修订管理制度，明确责任人并签字确认", ""),
    (("堆放", "杂物", "可燃物", "灯具", "废弃", "挪作", "堆垛"),
     "清理堆放的杂物和可燃物，保持与灯具、喷头的安全距离，纳入日常巡查", ""),
)
_DEFAULT_REMEDY = ("制定整改方案，明确专人负责，限期整改到位", "土建和设备改造")
_FAIL_NOTES = ("", "，已拍照取证", "，已当场告知科室负责人", "，科室人员在场确认", "，已要求立即整改")
_RECTIFY_NOTES = ("已完成整改：{m}。科室自查确认整改到位，附整改后照片。", "{m}，现已整改完毕，请予复查。",
                  "按整改通知要求落实：{m}。")
_PASS_NOTES = ("现场复查，整改到位，同意销号", "复查合格，整改措施已落实", "已复查，问题不再存在，予以销号")
_REOPEN_NOTES = ("复查发现问题仍然存在，要求重新整改", "整改不彻底，现场再次发现同类问题",
                 "复查不合格：现场与整改照片不符，要求重新整改")
_TEMP_MEASURES = (
    "设置临时灭火器材和警示标识，安排专人值守，每两小时巡查一次并记录",
    "限制该区域使用人数，增配灭火器和应急照明，夜间加强巡查",
    "相关区域暂停使用并设置硬隔离，落实专人看护，微型消防站加强巡逻",
)
_PLAN_STEPS = ("完成现场勘察和整改设计方案", "完成立项审批和招标采购", "组织施工改造", "完成验收并申请复查销号")


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build made: counts of every kind, hazards by status, severity and flag."""

    scale: str
    seed: int
    today: dt.date                      # the data set's "now": the clock when the build ended
    units: int
    inspections: int
    drafts: int
    areas: int
    responses: int
    hazards: int
    by_status: dict[str, int]
    by_severity: dict[str, int]
    by_flag: dict[str, int]
    overdue: int


@dataclass(frozen=True)
class _Place:
    location_type: str
    name: str
    department: str


@dataclass
class _Site:
    unit: Unit
    places: list[_Place]
    head: str                            # head of the unit's security office (保卫处)
    staff: list[str]
    dept_heads: dict[str, str]
    fail_rate: float


@dataclass
class _Track:
    """The simulation's view of one hazard: its latest stored version and its planned fate."""

    hazard: Hazard
    site: _Site
    place: _Place
    item: ChecklistItem
    fate: str
    forced: bool = False                 # one of `_FORCED`: its life is short and certain
    flag: Flag | None = None
    fail_next: bool = False              # the next re-check finds it back
    rectified_by: str = ""

    @property
    def unit(self) -> Unit:
        return self.site.unit


def build_demo(data_dir: Path, scale: str, seed: int = 1,
               progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Build the demo data set `scale` into `data_dir`; refuse a directory that holds inspections.

    `progress` is called with each simulated month ("2026-07") as the build reaches it.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    clock = FixedClock(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    ctx = bootstrap.build(Path(data_dir), clock=clock, actor="demo")
    if ctx.repo.inspections():
        raise InvalidInput("data", "not_empty", path=str(data_dir))
    return _Simulation(ctx, clock, scale, seed, progress).run()


def _remedy(hazard_text: str) -> tuple[str, str]:
    """(measures, works needing a deferral or "") for a checklist item's hazard text."""
    return next(((m, w) for keys, m, w in _REMEDIES if any(k in hazard_text for k in keys)), _DEFAULT_REMEDY)


def _moment(day: dt.date, minutes: float) -> dt.datetime:
    """`minutes` after local midnight of `day`, as a UTC instant (what `SystemClock` gives)."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=CAMPAIGN_TZ) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


class _Simulation:
    def __init__(self, ctx: Context, clock: FixedClock, scale: str, seed: int,
                 progress: Callable[[str], None] | None):
        self.ctx, self.clock, self.scale, self.seed = ctx, clock, scale, seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda month: None)
        self.catalog: Catalog = ctx.catalog
        campaign = self.catalog.campaign
        self.today = campaign.end + dt.timedelta(days=21)
        if scale == "unit-year":
            self.first, self.last = self.today - dt.timedelta(days=364), self.today - dt.timedelta(days=7)
        else:
            self.first, self.last = campaign.start, campaign.end
        self.heap: list[tuple[dt.datetime, int, Callable[..., None], tuple]] = []
        self.seq = itertools.count()
        self.busy: dict[str, dt.datetime] = {}          # per unit: its own clock never goes back
        self.tracks: dict[str, list[_Track]] = {}
        self.forced = list(_FORCED)
        self.used_names = set(BUREAU_TEAM) | {u.contact_name for u in self.catalog.units.units}
        self.item_weight = {i.id: self.rng.uniform(0.4, 1.8) for c in self.catalog.checklists for i in c.items}
        self.counts: Counter[str] = Counter()
        self.started: set[str] = set()                  # units whose first inspection is stored

    # ---- the event loop -----------------------------------------------------------------------

    def at(self, when: dt.datetime, action: Callable[..., None], *args) -> None:
        heapq.heappush(self.heap, (when, next(self.seq), action, args))

    def run(self) -> DemoSummary:
        roster = self.catalog.units
        plan = _COUNTS.get(self.scale) or self._bureau_counts()
        for code, counts in plan.items():
            unit = roster.get(code)
            assert unit is not None, code
            self._schedule(self._site(unit), counts)
        month = ""
        while self.heap and local_date(self.heap[0][0]) <= self.today:
            day = local_date(self.heap[0][0])
            if day.strftime("%Y-%m") != month:
                month = day.strftime("%Y-%m")
                self.progress(month)
            if self.heap[0][2] == self._inspect:   # an inspection manages its own transaction
                self._next(day)
                continue
            with self.ctx.repo.transaction():      # a run of hazard updates commits once
                while self._due(day) and self.heap[0][2] != self._inspect:
                    self._next(day)
        self.clock.current = _moment(self.today, 18 * 60)
        return self._summary(len(plan))

    def _due(self, day: dt.date) -> bool:
        return bool(self.heap) and local_date(self.heap[0][0]) == day

    def _next(self, day: dt.date) -> None:
        """Run the next event, no earlier than its unit's last one ended (until 17:00; later, in parallel)."""
        when, _, action, args = heapq.heappop(self.heap)
        unit = args[0].unit.code
        start = max(when, self.busy.get(unit, when))
        self.clock.current = start if start <= _moment(day, 17 * 60) else when
        action(*args)
        self.busy[unit] = self.clock.current

    def _summary(self, units: int) -> DemoSummary:
        final = [t.hazard for ts in self.tracks.values() for t in ts]
        return DemoSummary(
            scale=self.scale, seed=self.seed, today=self.today, units=units,
            inspections=self.counts["inspections"], drafts=self.counts["drafts"], areas=self.counts["areas"],
            responses=self.counts["responses"], hazards=len(final),
            by_status={s.value: sum(h.status is s for h in final) for s in HazardStatus},
            by_severity={s.value: sum(h.severity is s for h in final) for s in Severity},
            by_flag={f.value: sum(f in h.flags for h in final) for f in Flag},
            overdue=sum(lifecycle.is_overdue(h, self.today) for h in final),
        )

    # ---- units: sites, people, schedules ----------------------------------------------------------

    def _name(self) -> str:
        while True:
            name = self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _site(self, unit: Unit) -> _Site:
        rng, beds = self.rng, unit.beds
        places: list[_Place] = []

        def add(kind: str, dept: str, *names: str) -> None:
            places.extend(_Place(kind, n, dept) for n in names)

        logistics = "后勤保障部" if beds else "后勤服务中心"
        if beds:
            buildings = min(4, 1 + beds // 450)
            depts = _WARD_DEPTS.get(unit.type, _GENERAL_DEPTS)
            for b in range(1, buildings + 1):
                for floor in range(3, 4 + min(9, beds // (buildings * 45))):
                    add("inpatient_ward", rng.choice(depts), f"住院部{b}号楼{floor}层")
                add("alarm_valve_room", logistics, f"住院部{b}号楼报警阀间")
                add("shared_fire_facilities", "保卫处", f"住院部{b}号楼公共区域消防设施")
            add("emergency_outpatient", "门诊部", *(f"门诊楼{f}层" for f in range(1, 2 + min(4, beds // 300))))
            add("emergency_outpatient", "急诊科", "急诊科抢救区", "急诊科留观区", "发热门诊")
            add("canteen_kitchen", "营养膳食科", "食堂操作间", *(["营养食堂配餐间"] if beds >= 500 else []))
            add("basement", logistics, "地下一层车库", "门诊楼地下一层库房",
                *(["地下二层设备层"] if beds >= 800 else []))
            add("substation", logistics, "1号变配电室", *(["2号变配电室"] if beds >= 800 else []))
            add("refrigeration_plant", logistics, "制冷机房")
            add("hazardous_chemicals_store", "检验科", "危险化学品库", "检验科试剂库", "病理科试剂间")
            add("pharmacy_store", "药学部", "药库", "静脉用药调配中心",
                *(["中药饮片库"] if unit.type == "tcm_hospital" else []))
            add("shared_fire_facilities", "保卫处", "门诊楼疏散楼梯与安全出口", "消防车通道与登高场地")
        else:
            add("basement", logistics, "地下一层车库", "办公楼地下一层")
            add("substation", logistics, "变配电室")
            add("alarm_valve_room", logistics, "报警阀室")
            add("refrigeration_plant", logistics, "空调机房")
            add("canteen_kitchen", "综合办公室", "职工食堂操作间")
            add("hazardous_chemicals_store", "实验室管理科", "危险化学品库", "实验楼试剂库")
            if unit.type == "emergency_center":
                add("pharmacy_store", "急救药品器材科", "急救药品库")
            add("shared_fire_facilities", "保卫科", "办公楼疏散通道与楼梯间", "实验楼公共区域消防设施")
        add("fire_control_room", "保卫处" if beds else "保卫科", "消防控制室")
        add("fire_pump_room", logistics, "消防水泵房")
        add("safety_management", "保卫处" if beds else "保卫科", "消防安全管理")
        staff = [self._name() for _ in range(3 if beds else 2)]
        depts = dict.fromkeys(p.department for p in places)
        return _Site(unit, places, unit.contact_name, staff, {d: self._name() for d in depts},
                     FAIL_RATE * rng.uniform(0.7, 1.3))

    def _bureau_counts(self) -> dict[str, tuple[int, int, int]]:
        units = self.catalog.units.units
        weights = [0.6 + u.beds / 900 for u in units]
        total = sum(weights)
        return {u.code: tuple(max(2, round(n * w / total)) for n in _BUREAU_TOTALS)  # type: ignore[misc]
                for u, w in zip(units, weights, strict=True)}

    def _weekdays(self, kind: InspectionKind) -> tuple[list[dt.date], list[float]]:
        phases = self.catalog.campaign.phases
        days, weights = [], []
        day = self.first
        while day <= self.last:
            phase = self.catalog.campaign.phase_on(day)
            index = 3 if phase is None else 0 if phase == phases[0] else 2 if phase == phases[-1] else 1
            weight = _PHASE_WEIGHT[kind][index]
            if kind is K.FOLLOW_UP and (day - self.first).days < 45:
                weight = 0.0
            if day.weekday() < 5 and weight:
                days.append(day)
                weights.append(weight)
            day += dt.timedelta(days=1)
        return days, weights

    def _schedule(self, site: _Site, counts: tuple[int, int, int]) -> None:
        rng = self.rng
        visits = [(rng.choice(self._weekdays(K.SELF_CHECK)[0][:5]), K.SELF_CHECK)]   # the campaign opens with one
        for kind, count in zip((K.SELF_CHECK, K.SPOT_CHECK, K.FOLLOW_UP), counts, strict=True):
            days, weights = self._weekdays(kind)
            extra = count - 1 if kind is K.SELF_CHECK else count
            visits += [(d, kind) for d in rng.choices(days, weights, k=extra)]
        visits.sort()
        for n, (day, kind) in enumerate(visits):
            draft = n == len(visits) - 1 and (site.unit.code == "U01" or rng.random() < 0.3)
            self.at(_moment(day, rng.uniform(8.5 * 60, 10.5 * 60)), self._inspect, site, kind, draft)

    def _team(self, site: _Site, kind: InspectionKind) -> list[str]:
        rng = self.rng
        if kind is K.SPOT_CHECK or (kind is K.FOLLOW_UP and rng.random() < 0.35):
            return rng.sample(BUREAU_TEAM, rng.choice((2, 2, 3)))
        people = [site.head, *site.staff]
        lead = site.head if rng.random() < 0.6 else rng.choice(site.staff)
        return [lead, *rng.sample([p for p in people if p != lead], rng.choice((0, 1, 1, 2)))]

    # ---- inspections -------------------------------------------------------------------------------

    def _tick(self, low: int, high: int) -> None:
        self.clock.advance(seconds=self.rng.randint(low, high))

    def _picture(self) -> bytes:
        return sample_photo(self.rng.getrandbits(32), 640, 480)

    def _inspect(self, site: _Site, kind: InspectionKind, draft: bool) -> None:
        ctx = self.ctx
        team = self._team(site, kind)
        ctx.actor = team[0]
        rechecks = self._rechecks(site, kind, team) if kind is not K.SELF_CHECK else []
        note = {K.SELF_CHECK: "保卫处组织防火检查", K.SPOT_CHECK: "局保卫处专项行动抽查",
                K.FOLLOW_UP: f"隐患整改“回头看”，复查 {len(rechecks)} 条已整改隐患"}[kind]
        with contextlib.ExitStack() as transaction:
            # The TinyDB store cannot read back, in the same transaction, an inspection staged for a
            # unit whose folder is not on disk yet: a unit's first inspection is started on its own.
            first = site.unit.code not in self.started
            if not first:
                transaction.enter_context(ctx.repo.transaction())
            inspection = ins.start_inspection(ctx, site.unit.code, kind, team, date=local_date(ctx.now()),
                                              note=note, source_hazards=tuple(t.hazard.id for t in rechecks))
            self.started.add(site.unit.code)
            if first:
                transaction.enter_context(ctx.repo.transaction())
            self._walk(site, kind, inspection.id, rechecks, team, draft)

    def _walk(self, site: _Site, kind: InspectionKind, inspection_id: str, rechecks: list[_Track],
              team: list[str], draft: bool) -> None:
        """Areas, every answer, the hazards they raise and the re-checks of one inspection."""
        ctx, rng = self.ctx, self.rng
        self.counts["inspections"] += 1
        low, high = _AREAS[self.scale][kind]
        places = list(dict.fromkeys(t.place for t in rechecks))[:high]
        others = [p for p in site.places if p not in places]
        wanted = max(0, min(rng.randint(low, high) - len(places), len(others)))
        places += rng.sample(others, wanted)
        rate = site.fail_rate * _KIND_FAIL[kind]
        for place in places:
            self._tick(120, 600)
            area = ins.add_area(ctx, inspection_id, place.location_type, place.name, place.department)
            self.counts["areas"] += 1
            checked: dict[str, bool] = {}   # item → found back (any of its hazards here)
            for t in rechecks:
                if t.place == place:
                    checked[t.hazard.item_id] = checked.get(t.hazard.item_id, False) or t.fail_next
            for item in self.catalog.checklist(place.location_type).items:
                self._tick(20, 70)
                roll = rng.random()
                if item.id in checked:
                    verdict = Verdict.FAIL if checked[item.id] else Verdict.PASS
                elif roll < rate * self.item_weight[item.id]:
                    verdict = Verdict.FAIL
                else:
                    verdict = Verdict.NOT_APPLICABLE if roll > 1 - NA_RATE else Verdict.PASS
                self.counts["responses"] += 1
                if verdict is not Verdict.FAIL:
                    ins.record_response(ctx, inspection_id, area.id, item.id, verdict,
                                        note="本部位不涉及" if verdict is Verdict.NOT_APPLICABLE else "")
                    continue
                ins.record_response(ctx, inspection_id, area.id, item.id, verdict,
                                    note=f"现场检查发现：{item.hazard_zh}{rng.choice(_FAIL_NOTES)}")
                if item.id not in checked:
                    self._raise(site, inspection_id, area.id, place, item)
                else:   # found again while being re-checked: the answer keeps its own photo
                    ph.add_response_photo(ctx, inspection_id, area.id, item.id, self._picture(), "IMG.jpg")
        for track in rechecks:
            self._tick(30, 120)
            self._recheck(track, inspection_id, team)
        ctx.actor = team[0]
        if draft:
            self.counts["drafts"] += 1
        else:
            ins.complete_inspection(ctx, inspection_id)

    def _rechecks(self, site: _Site, kind: InspectionKind, team: list[str]) -> list[_Track]:
        """Rectified hazards this visit re-checks: the oldest first, in a bounded number of places."""
        most = _AREAS[self.scale][kind][1] if kind is K.FOLLOW_UP else 2
        chosen: list[_Track] = []
        places: set[_Place] = set()
        for track in self.tracks.get(site.unit.code, []):
            if track.hazard.status is S.RECTIFIED:
                self._refresh(track)   # the store is the truth; the simulation's copy may lag
            if track.hazard.status is not S.RECTIFIED or all(p == track.rectified_by for p in team):
                continue
            if track.place in places or len(places) < most:
                places.add(track.place)
                chosen.append(track)
        return chosen

    def _refresh(self, track: _Track) -> None:
        track.hazard = hz.get_hazard(self.ctx, track.hazard.id)

    def _recheck(self, track: _Track, inspection_id: str, team: list[str]) -> None:
        self.ctx.actor = next(p for p in team if p != track.rectified_by)
        passed = not track.fail_next
        note = self.rng.choice(_PASS_NOTES if passed else _REOPEN_NOTES)
        track.hazard = hz.verify(self.ctx, track.hazard.id, inspection_id, passed, note=note)
        track.fail_next = False
        if not passed and not track.forced and self.rng.random() < 0.5:
            self._plan_rectify(track, self.rng.randint(1, 4), self.rng.randint(5, 20))

    # ---- hazards and their life ----------------------------------------------------------------------

    def _raise(self, site: _Site, inspection_id: str, area_id: str, place: _Place, item: ChecklistItem) -> None:
        rng = self.rng
        raised = self.counts["hazards"]
        self.counts["hazards"] += 1
        works = bool(_remedy(item.hazard_zh)[1])
        fits = [f for f in self.forced if f[1] is Severity.GENERAL
                or ((item.major_hint or raised >= 12) and (works or f[0] != "deferred"))]
        forced = bool(fits)
        if forced:
            fate, severity, flag = fits[0]
            self.forced.remove(fits[0])
        else:
            major = rng.random() < (0.12 if item.major_hint else 0.003)
            severity = Severity.MAJOR if major else Severity.GENERAL
            weights = [w[1] if major else w[0] for w in _FATES.values()]
            fate, flag = rng.choices(list(_FATES), weights)[0], None
            if fate == "deferred" and not _remedy(item.hazard_zh)[1]:
                fate = "rectifying"   # nothing here could justify a deferral (training, clutter…)
        description = f"{place.name}：{item.hazard_zh}" if rng.random() < 0.3 else ""
        self._tick(60, 180)
        hazard = hz.raise_hazard(self.ctx, inspection_id, area_id, item.id, description=description,
                                 severity=severity)
        ph.add_hazard_photo(self.ctx, hazard.id, self._picture(), f"IMG_{raised + 1:04d}.jpg")
        hazard = hz.get_hazard(self.ctx, hazard.id)
        track = _Track(hazard, site, place, item, fate, forced, flag)
        self.tracks.setdefault(site.unit.code, []).append(track)
        self._plan(track)

    def _later(self, after: dt.datetime, days: int) -> dt.datetime:
        """An office-hours moment `days` after `after` (later the same day when `days` is 0)."""
        if days <= 0:
            return after + dt.timedelta(minutes=self.rng.uniform(20, 180))
        return max(after + dt.timedelta(minutes=5),
                   _moment(local_date(after) + dt.timedelta(days=days), self.rng.uniform(9 * 60, 17.5 * 60)))

    def _plan(self, track: _Track) -> None:
        rng, now, hazard = self.rng, self.ctx.now(), track.hazard
        period = max(0, (hazard.deadline - local_date(now)).days)
        if track.fate != "open" or rng.random() < 0.8:
            now = self._later(now, rng.choice((0, 0, 1, 2)))
            self.at(now, self._assign, track)
        if hazard.severity is Severity.MAJOR:
            self.at(_moment(hazard.deadline + dt.timedelta(days=rng.randint(3, 10)), 10 * 60), self._list, track)
        if track.fate in ("fixed", "reopen"):
            done = rng.randint(0, 3) if period == 0 else round(period * rng.uniform(0.2, 1.0))
            if rng.random() < 0.15:
                done = round(period * rng.uniform(1.1, 2.0)) + 1
            if track.forced:   # done early, so that a later re-check surely sees it
                done = rng.randint(2, 5)
            track.fail_next = track.fate == "reopen"
            self._plan_rectify(track, rng.randint(0, done) if rng.random() < 0.6 else None, done, now)
        elif track.fate == "late":
            days = (self.today - local_date(now)).days - rng.randint(1, 3)
            self._plan_rectify(track, None, days, now)
        elif track.fate == "rectifying":
            self.at(self._later(now, rng.randint(1, 5)), self._start, track)
        elif track.fate == "deferred":
            when = self._later(now, rng.randint(3, 12))
            self.at(when, self._defer, track)

    def _plan_rectify(self, track: _Track, start: int | None, done: int, base: dt.datetime | None = None) -> None:
        base = base or self.ctx.now()
        if start is not None:
            base = self._later(base, start)
            self.at(base, self._start, track)
        self.at(self._later(base, max(0, done - (start or 0))), self._rectify, track)

    def _responsible(self, track: _Track) -> str:
        return track.site.dept_heads[track.place.department]

    def _assign(self, track: _Track) -> None:
        rng = self.rng
        self.ctx.actor = track.site.head
        measures = _remedy(track.item.hazard_zh)[0]
        if track.hazard.severity is Severity.MAJOR and _remedy(track.item.hazard_zh)[1]:
            funds = str(rng.randrange(20, 600) * 1000)
        else:
            funds = "0" if rng.random() < 0.35 else str(rng.randrange(2, 80) * 100)
        responsible = f"{self._responsible(track)}（{track.place.department}）"
        track.hazard = hz.update_hazard(self.ctx, track.hazard.id, responsible=responsible, measures=measures,
                                        funds=funds)

    def _start(self, track: _Track) -> None:
        self._refresh(track)
        if S.RECTIFYING in lifecycle.ALLOWED[track.hazard.status]:
            self.ctx.actor = self._responsible(track)
            track.hazard = hz.start_rectifying(self.ctx, track.hazard.id)

    def _rectify(self, track: _Track) -> None:
        self._refresh(track)
        if S.RECTIFIED not in lifecycle.ALLOWED[track.hazard.status]:
            return
        self.ctx.actor = self._responsible(track)
        measures = track.hazard.measures or _remedy(track.item.hazard_zh)[0]
        note = self.rng.choice(_RECTIFY_NOTES).format(m=measures)
        photos = tuple(
            ph.add_evidence_photo(self.ctx, track.hazard.id, self._picture(), "rectified.jpg").sha256
            for _ in range(self.rng.choice((1, 1, 2)))
        )
        track.hazard = hz.rectify(self.ctx, track.hazard.id, note, photos)
        track.rectified_by = self.ctx.actor

    def _defer(self, track: _Track) -> None:
        self._refresh(track)
        if S.DEFERRED not in lifecycle.ALLOWED[track.hazard.status]:
            return
        rng, today = self.rng, self.ctx.today()
        self.ctx.actor = track.site.head
        steps = [_PLAN_STEPS[0], *rng.sample(_PLAN_STEPS[1:3], rng.randint(0, 1)), _PLAN_STEPS[3]]
        due, plan = today, []
        for n, action in enumerate(steps):
            due += dt.timedelta(days=rng.randint(15, 30) if n == 0 else rng.randint(30, 75))
            plan.append((due, action))
        work = _remedy(track.item.hazard_zh)[1] or _DEFAULT_REMEDY[1]
        explanation = (f"该隐患整改涉及{work}，需履行立项审批和政府采购程序，并需停用相关区域施工，"
                       f"无法在{track.hazard.deadline:%Y年%m月%d日}前完成，特申请暂缓整改。")
        track.hazard = hz.defer(self.ctx, track.hazard.id, explanation, plan, rng.choice(_TEMP_MEASURES))
        flag = track.flag or (rng.choice((Flag.EXPERT_REVIEW, Flag.SUSPENDED, *[None] * 8))
                              if track.hazard.severity is Severity.MAJOR else None)
        if flag is not None:
            self.ctx.actor = rng.choice(BUREAU_TEAM)
            track.hazard = hz.set_flag(self.ctx, track.hazard.id, flag)
        if not track.forced and rng.random() < 0.35:
            self._plan_rectify(track, (due - today).days - rng.randint(5, 15), (due - today).days)

    def _list(self, track: _Track) -> None:
        forced = track.flag is Flag.LISTED
        if lifecycle.should_propose_listing(track.hazard, self.ctx.today()) and (forced or self.rng.random() < 0.3):
            self.ctx.actor = BUREAU_TEAM[0]
            track.hazard = hz.set_flag(self.ctx, track.hazard.id, Flag.LISTED)
