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
statuses and dates; record ids are the services' uuid4s. The bureau's units are simulated in two
parts (`PARTS`, run side by side by `demo.build`): every part draws every unit's site and people
from the seed, then its own units' lives from a stream of its own, so a part does not depend on
what another one did.

Photos are real files: synthetic camera pictures (`app.media.synthetic`) go through the photo
services like any photo — checked, stamped, stored by hash — for every hazard and every
rectification.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from app.domain import lifecycle
from app.domain.catalog import Catalog
from app.domain.checklist import ChecklistItem
from app.domain.clock import CAMPAIGN_TZ, FixedClock, local_date
from app.domain.model import Flag, Hazard, HazardStatus, InspectionKind, Severity, Verdict
from app.domain.notice import Signature
from app.domain.units import Unit
from app.media.signature import render_signature
from app.media.synthetic import sample_photo
from app.services import hazards as hz
from app.services import inspections as ins
from app.services import notices
from app.services import photos as ph
from app.services import settings as device_settings
from app.services.context import Context
from app.services.notices import Signatures

from .content import (
    BUREAU_TEAM,
    DEFAULT_REMEDY,
    FAIL_NOTES,
    GENERAL_DEPTS,
    GIVEN,
    PASS_NOTES,
    PLAN_STEPS,
    RECTIFY_NOTES,
    REMEDIES,
    REOPEN_NOTES,
    SURNAMES,
    TEMP_MEASURES,
    WARD_DEPTS,
)
from .enrollment import enroll_demo
from .obligations import simulate_obligations

__all__ = ["SCALES", "PARTS", "DemoSummary", "simulate", "finish"]

K, S = InspectionKind, HazardStatus
SCALES = ("small", "unit-year", "bureau")
# Parts a scale is built in, side by side (`demo.build`): the bureau's 36 units take two cores.
PARTS = {"small": 1, "unit-year": 1, "bureau": 2}
# Inspections (self-check, spot-check, follow-up) per unit, or in total for the bureau.
_COUNTS = {"small": {"U01": (2, 1, 1), "U02": (1, 1, 1), "U03": (1, 1, 1)}, "unit-year": {"U01": (190, 30, 80)}}
_BUREAU_TOTALS = (1500, 250, 500)
_AREAS = {  # areas walked per inspection: (fewest, most)
    "small": {K.SELF_CHECK: (4, 5), K.SPOT_CHECK: (3, 4), K.FOLLOW_UP: (2, 3)},
    "unit-year": {K.SELF_CHECK: (8, 10), K.SPOT_CHECK: (8, 10), K.FOLLOW_UP: (5, 8)},
    "bureau": {K.SELF_CHECK: (9, 12), K.SPOT_CHECK: (9, 12), K.FOLLOW_UP: (6, 9)},
}
FAIL_RATE, NA_RATE = 0.105, 0.03
PICTURES = 97   # distinct camera pictures the photos are taken from (drawn once each)
_KIND_FAIL = {K.SELF_CHECK: 1.0, K.SPOT_CHECK: 1.2, K.FOLLOW_UP: 0.8}
_PHASE_WEIGHT = {  # how often each kind happens in phase 0, the middle ones, the last, and outside
    K.SELF_CHECK: (4.0, 1.5, 1.0, 0.6), K.SPOT_CHECK: (0.3, 3.0, 1.0, 0.3), K.FOLLOW_UP: (0.0, 1.5, 3.0, 0.6),
}
# Final fates, drawn per hazard when it is raised: (general weight, major weight). Most units keep
# up (a major hazard is fixed or properly deferred); a few lag, and those are the ones a circular names.
_FATES = {"fixed": (90, 81), "reopen": (4, 4), "rectifying": (3, 0), "deferred": (1, 15), "open": (2, 0)}
_LAGGING_FATES = {"fixed": (74, 50), "reopen": (5, 5), "rectifying": (8, 14), "deferred": (2, 15), "open": (11, 16)}
LAGGING_SHARE = 0.15   # of units
# After a deferral's plan, or a failed re-check: how often the unit plans the work and does it
# (a unit that keeps up always does for a major hazard: it is what the bureau watches)
FOLLOW_THROUGH = {False: 0.9, True: 0.35}   # keeps up / lags
# The first hazards of every build take these fates, so every status and flag exists at any scale.
_FORCED = (
    ("fixed", Severity.GENERAL, None), ("reopen", Severity.GENERAL, None), ("late", Severity.GENERAL, None),
    ("rectifying", Severity.GENERAL, None), ("deferred", Severity.MAJOR, Flag.EXPERT_REVIEW),
    ("open", Severity.MAJOR, Flag.LISTED), ("deferred", Severity.MAJOR, Flag.SUSPENDED),
    ("open", Severity.GENERAL, None), ("fixed", Severity.MAJOR, None),
)



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
    notices: int
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
    lagging: bool = False                # slow to rectify: what a circular is for


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


def simulate(ctx: Context, clock: FixedClock, scale: str, seed: int, progress: Callable[[str], None] | None = None,
             part: int = 0, parts: int = 1) -> DemoSummary:
    """Simulate the units of part `part` of `parts` (every unit, in one part) into `ctx`'s store:
    inspections, hazards' lives, paperwork. What it made, counted."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    return _Simulation(ctx, clock, scale, seed, progress, part, parts).run()


def _share(plan: dict[str, tuple[int, int, int]], codes: list[str], parts: int) -> list[set[str]]:
    """`codes` in `parts` shares of about equal work: the unit with the most inspections first, each
    to the share with the least so far (a unit's paperwork counts as one). Part 0 has the most."""
    loads, shares = [0] * parts, [set[str]() for _ in range(parts)]
    for code in sorted(codes, key=lambda c: (-sum(plan.get(c, ())), c)):
        least = loads.index(min(loads))
        shares[least].add(code)
        loads[least] += sum(plan.get(code, ())) + 1
    return shares


def finish(ctx: Context, clock: FixedClock, summary: DemoSummary) -> DemoSummary:
    """The build's last steps, on the whole store: it opens on its own date; the small demo enrolls."""
    clock.current = _moment(summary.today, 18 * 60)
    ctx.actor = "demo"
    device_settings.mark_demo(ctx, summary.today)     # opened later on its own date
    if summary.scale == "small":   # the app's demo: an enrolled bureau and unit tablets to see the roles
        enroll_demo(ctx, ctx.repo.root)
    return summary


def _remedy(hazard_text: str) -> tuple[str, str]:
    """(measures, works needing a deferral or "") for a checklist item's hazard text."""
    return next(((m, w) for keys, m, w in REMEDIES if any(k in hazard_text for k in keys)), DEFAULT_REMEDY)


@functools.cache
def _signature_png(name: str) -> bytes:
    """A made-up hand signature for a demo person: a few strokes seeded by the name."""
    rng = random.Random(name)
    strokes, x = [], 0.06
    for _ in name:
        points = [(x + i * 0.03, 0.5 + rng.uniform(-0.3, 0.3)) for i in range(7)]
        strokes.append(points)
        x += 0.28
    return render_signature(strokes)


@functools.cache
def _sample(index: int) -> bytes:
    return sample_photo(index, 640, 480)


def _moment(day: dt.date, minutes: float) -> dt.datetime:
    """`minutes` after local midnight of `day`, as a UTC instant (what `SystemClock` gives)."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=CAMPAIGN_TZ) + dt.timedelta(minutes=minutes)
    return local.astimezone(dt.UTC)


class _Simulation:
    def __init__(self, ctx: Context, clock: FixedClock, scale: str, seed: int,
                 progress: Callable[[str], None] | None, part: int = 0, parts: int = 1):
        self.ctx, self.clock, self.scale, self.seed = ctx, clock, scale, seed
        self.part, self.parts = part, parts
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
        self.forced = list(_FORCED) if part == 0 else []   # in one part: they are few, and that one always runs
        self.used_names = set(BUREAU_TEAM) | {u.contact_name for u in self.catalog.units.units}
        self.item_weight = {i.id: self.rng.uniform(0.4, 1.8) for c in self.catalog.checklists for i in c.items}
        self.counts: Counter[str] = Counter()
        self.started: set[str] = set()                  # units whose first inspection is stored

    # ---- the event loop -----------------------------------------------------------------------

    def at(self, when: dt.datetime, action: Callable[..., None], *args) -> None:
        heapq.heappush(self.heap, (when, next(self.seq), action, args))

    def run(self) -> DemoSummary:
        """Simulate this part's units (every unit, in one part): their inspections, their hazards'
        lives and their paperwork. What a part made, counted; `finish` completes the store."""
        roster = self.catalog.units
        plan = _COUNTS.get(self.scale) or self._bureau_counts()
        # the campaign's paperwork: every unit of the roster (one hospital's own for unit-year)
        roster_codes = list(plan) if self.scale == "unit-year" else [u.code for u in roster.units]
        mine = _share(plan, roster_codes, self.parts)[self.part]
        sites = []
        for code, counts in plan.items():
            unit = roster.get(code)
            assert unit is not None, code
            site = self._site(unit)   # every part draws every unit's people: names stay unique
            if self.parts == 1:
                self._schedule(site, counts)
            elif code in mine:
                sites.append((site, counts))
        if self.parts > 1:   # each part its own stream from here: it does not depend on the others
            self.rng = random.Random(f"{self.seed}:part{self.part}")
            for site, counts in sites:
                self._schedule(site, counts)
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
        paperwork_seed = self.seed if self.parts == 1 else self.seed * 1000 + self.part   # a stream per part
        simulate_obligations(self.ctx, self.clock, [c for c in roster_codes if c in mine], paperwork_seed,
                             self.today, reports_for=set(plan))
        return self._summary(len(mine & set(plan)))

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
            responses=self.counts["responses"], hazards=len(final), notices=self.counts["notices"],
            by_status={s.value: sum(h.status is s for h in final) for s in HazardStatus},
            by_severity={s.value: sum(h.severity is s for h in final) for s in Severity},
            by_flag={f.value: sum(f in h.flags for h in final) for f in Flag},
            overdue=sum(lifecycle.is_overdue(h, self.today) for h in final),
        )

    # ---- units: sites, people, schedules ----------------------------------------------------------

    def _name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
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
            depts = WARD_DEPTS.get(unit.type, GENERAL_DEPTS)
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
        departments = dict.fromkeys(p.department for p in places)
        # drawn from the unit's own stream: which units lag does not shift the rest of the build
        lagging = random.Random(f"{self.seed}:{unit.code}").random() < LAGGING_SHARE
        return _Site(unit, places, unit.contact_name, staff, {d: self._name() for d in departments},
                     FAIL_RATE * rng.uniform(0.7, 1.3), lagging)

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
        """A camera picture from a set of `PICTURES`, drawn once each: every photo is still checked,
        stamped (its own time, place, inspector and id) and stored as its own record and files; only
        its unstamped copy is shared with the other photos of the same picture (stored once, by hash)."""
        return _sample(self.rng.getrandbits(32) % PICTURES)

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
        raised_before = self.counts["hazards"]
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
                                    note=f"现场检查发现：{item.hazard_zh}{rng.choice(FAIL_NOTES)}")
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
        elif self.counts["hazards"] > raised_before:
            self._notice(site, inspection_id, team)   # completes the inspection too
        else:
            ins.complete_inspection(ctx, inspection_id)

    def _notice(self, site: _Site, inspection_id: str, team: list[str]) -> None:
        """The rectification notices for what a visit found, issued on site as it ends: signed on the
        pad by every inspector of the team, each received by someone of the inspected side (a
        department's head for the security office's notice, the security head for the bureau's).
        Hazards of the security office's own areas get no notice (it never serves itself)."""
        pending = notices.notice_recipients(self.ctx, inspection_id)
        if not pending:
            ins.complete_inspection(self.ctx, inspection_id)
            return
        inspectors = tuple(Signature(name, _signature_png(name)) for name in team)
        for recipient in pending:
            self._tick(5, 15)
            receiver = site.dept_heads.get(recipient) or site.head
            if receiver in team:
                receiver = next(p for p in [*site.dept_heads.values(), *site.staff] if p not in team)
            signed = Signatures(inspectors, Signature(receiver, _signature_png(receiver)))
            notices.issue_notice(self.ctx, inspection_id, signed, recipient)
            self.counts["notices"] += 1

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
        note = self.rng.choice(PASS_NOTES if passed else REOPEN_NOTES)
        track.hazard = hz.verify(self.ctx, track.hazard.id, inspection_id, passed, note=note)
        track.fail_next = False
        if not passed and not track.forced and self._follows_through(track):
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
            fates = _LAGGING_FATES if site.lagging else _FATES
            weights = [w[1] if major else w[0] for w in fates.values()]
            fate, flag = rng.choices(list(fates), weights)[0], None
            if fate == "deferred" and not _remedy(item.hazard_zh)[1]:
                # nothing here could justify a deferral (training, clutter…): done, or left half-done
                fate = "rectifying" if site.lagging else "fixed"
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
            if rng.random() < 0.15 and (track.site.lagging or hazard.severity is Severity.GENERAL):
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

    def _follows_through(self, track: _Track) -> bool:
        if not track.site.lagging and track.hazard.severity is Severity.MAJOR:
            return True
        return self.rng.random() < FOLLOW_THROUGH[track.site.lagging]

    def _responsible(self, track: _Track) -> str:
        return track.site.dept_heads[track.place.department]

    def _assign(self, track: _Track) -> None:
        rng = self.rng
        self.ctx.actor = track.site.head
        measures, works = _remedy(track.item.hazard_zh)
        # money that fits the measures: works only for what is deferred to be rebuilt; a lock,
        # clutter or paperwork costs little or nothing
        if track.fate == "deferred" and works:
            funds = str(rng.randrange(30, 400) * 1000)
        elif works:
            funds = str(rng.randrange(5, 120) * 100)
        else:
            funds = "0" if rng.random() < 0.5 else str(rng.randrange(2, 30) * 100)
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
        note = self.rng.choice(RECTIFY_NOTES).format(m=measures)
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
        if today > track.hazard.deadline:   # asked too late: 暂缓 is asked for before the deadline
            if track.flag is not None:         # the area is still stopped, or sent to the experts
                self.ctx.actor = rng.choice(BUREAU_TEAM)
                track.hazard = hz.set_flag(self.ctx, track.hazard.id, track.flag)
            return
        self.ctx.actor = track.site.head
        steps = [PLAN_STEPS[0], *rng.sample(PLAN_STEPS[1:3], rng.randint(0, 1)), PLAN_STEPS[3]]
        due, plan = today, []
        for n, action in enumerate(steps):
            due += dt.timedelta(days=rng.randint(15, 30) if n == 0 else rng.randint(30, 75))
            plan.append((due, action))
        work = _remedy(track.item.hazard_zh)[1] or DEFAULT_REMEDY[1]
        explanation = (f"该隐患整改涉及{work}，需履行立项审批和政府采购程序，并需停用相关区域施工，"
                       f"无法在{track.hazard.deadline:%Y年%m月%d日}前完成，特申请暂缓整改。")
        track.hazard = hz.defer(self.ctx, track.hazard.id, explanation, plan, rng.choice(TEMP_MEASURES))
        if track.hazard.deferral_request is not None:   # major or listed: the bureau decides, days later
            self.at(self._later(self.ctx.now(), rng.randint(2, 6)), self._approve_deferral, track)
        flag = track.flag or (rng.choice((Flag.EXPERT_REVIEW, Flag.SUSPENDED, *[None] * 8))
                              if track.hazard.severity is Severity.MAJOR else None)
        if flag is not None:
            self.ctx.actor = rng.choice(BUREAU_TEAM)
            track.hazard = hz.set_flag(self.ctx, track.hazard.id, flag)
        if not track.forced and self._follows_through(track):
            self._plan_rectify(track, (due - today).days - rng.randint(5, 15), (due - today).days)

    def _approve_deferral(self, track: _Track) -> None:
        self._refresh(track)
        if track.hazard.deferral_request is None or track.hazard.status in lifecycle.DONE:
            return
        self.ctx.actor = self.rng.choice(BUREAU_TEAM)
        track.hazard = hz.decide_deferral(self.ctx, track.hazard.id, approve=True,
                                          note="经审核，同意暂缓整改，请严格落实临时性防范措施。")

    def _list(self, track: _Track) -> None:
        forced = track.flag is Flag.LISTED
        if lifecycle.should_propose_listing(track.hazard, self.ctx.today()) and (forced or self.rng.random() < 0.3):
            self.ctx.actor = BUREAU_TEAM[0]
            track.hazard = hz.set_flag(self.ctx, track.hazard.id, Flag.LISTED)
