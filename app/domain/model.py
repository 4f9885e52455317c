"""The records of an inspection campaign.

Every record carries what merging bundles needs: a uuid `id`, its `unit`, when it was made and
changed, the device that changed it last and that device's logical clock (`rev`). Records are
frozen; a change is a new value made with `dataclasses.replace`, so nothing is edited behind a
service's back and every change can be audited as before → after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "InspectionKind", "InspectionStatus", "Verdict", "Severity", "HazardStatus", "Flag",
    "Record", "Inspection", "Area", "Response", "PlanStep", "Rectification", "Verification",
    "Deferral", "Hazard", "AuditEvent", "Notice", "PhotoOwner", "Photo",
]


class InspectionKind(StrEnum):
    SELF_CHECK = "self_check"     # 自查
    SPOT_CHECK = "spot_check"     # 抽查
    FOLLOW_UP = "follow_up"       # 回头看


class InspectionStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"
    CLOSED = "closed"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    GENERAL = "general"   # 一般
    MAJOR = "major"       # 重大


class HazardStatus(StrEnum):
    OPEN = "open"                 # 待整改
    RECTIFYING = "rectifying"     # 整改中
    RECTIFIED = "rectified"       # 已整改
    VERIFIED = "verified"         # 已复查销号
    REOPENED = "reopened"         # 复查未通过
    DEFERRED = "deferred"         # 暂缓


class Flag(StrEnum):
    LISTED = "listed"                 # 挂牌督办
    SUSPENDED = "suspended"           # 停业整改
    EXPERT_REVIEW = "expert_review"   # 专家论证


@dataclass(frozen=True, kw_only=True, slots=True)
class Record:
    """What every stored record has, so that bundles can merge it (last writer wins on rev, device)."""

    id: str
    unit: str
    created_at: dt.datetime
    updated_at: dt.datetime
    device: str
    rev: int          # the writing device's logical clock when this version was made
    deleted: bool = False

    @property
    def version_key(self) -> tuple[int, str]:
        return (self.rev, self.device)


@dataclass(frozen=True, kw_only=True, slots=True)
class Inspection(Record):
    kind: InspectionKind
    date: dt.date
    inspectors: tuple[str, ...]
    status: InspectionStatus = InspectionStatus.DRAFT
    phase: str | None = None          # campaign phase id on `date`, None outside the campaign
    note: str = ""
    source_hazards: tuple[str, ...] = ()   # a follow-up's hazards to re-check


@dataclass(frozen=True, kw_only=True, slots=True)
class Area(Record):
    inspection_id: str
    location_type: str
    name: str
    checklist_id: str
    checklist_version: str
    checklist_sha256: str
    department: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Response(Record):
    inspection_id: str
    area_id: str
    item_id: str
    verdict: Verdict
    note: str = ""
    photos: tuple[str, ...] = ()   # SHA-256 of stored photo files


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One dated step of a phased rectification plan (分步整改方案)."""

    due: dt.date
    action: str


@dataclass(frozen=True, slots=True)
class Rectification:
    """Evidence that a hazard was fixed: a note and at least one photo."""

    note: str
    photos: tuple[str, ...]
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Verification:
    """A re-check's outcome, by someone other than who recorded the rectification."""

    passed: bool
    by: str
    at: dt.datetime
    inspection_id: str
    note: str = ""
    photos: tuple[str, ...] = ()   # re-check photos (SHA-256); a failed re-check shows what is still wrong


@dataclass(frozen=True, slots=True)
class Deferral:
    """Why a hazard cannot be fixed by its deadline, and how it is contained meanwhile."""

    explanation: str                  # 书面说明
    plan: tuple[PlanStep, ...]        # 分步整改方案
    temporary_measures: str           # 临时性防范措施
    requested_on: dt.date | None = None      # the day it was asked for: never after the deadline
    original_deadline: dt.date | None = None  # the deadline it moves (what stands until approved)
    requested_by: str = ""
    approved_by: str = ""             # the bureau person who approved a major or listed hazard's deferral
    approved_at: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Hazard(Record):
    inspection_id: str
    area_id: str
    item_id: str = ""                 # empty for an ad hoc hazard
    description: str
    findings: tuple[str, ...] = ()    # ids of the item's findings seen (检查发现的情形), in checklist order
    requirement: str = ""             # 整改要求, from the findings chosen
    basis: str = ""
    severity: Severity = Severity.GENERAL
    major_hint: bool = False
    deadline: dt.date
    status: HazardStatus = HazardStatus.OPEN
    flags: tuple[Flag, ...] = ()
    photos: tuple[str, ...] = ()
    responsible: str = ""             # 整改责任人
    measures: str = ""                # 整改措施
    funds: Decimal = Decimal("0")     # 整改资金 (CNY)
    department: str = ""
    raised_by: str = ""
    rectification: Rectification | None = None
    verifications: tuple[Verification, ...] = ()
    deferral: Deferral | None = None
    # A major or listed hazard's deferral waits here for the bureau: until approved, the deadline
    # and the status stand as they are (overdue stays overdue in every figure).
    deferral_request: Deferral | None = None
    closed_at: dt.datetime | None = None
    # The highest logical clock of each device whose changes this version includes: lets a
    # merge tell a later edit (which saw the other side) from a concurrent one (a conflict).
    seen: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class AuditEvent:
    """One change: who, when, on which device, to what, before → after. Never edited or removed."""

    id: str
    unit: str
    at: dt.datetime
    actor: str
    device: str
    rev: int
    entity: str                 # "inspection", "area", "response", "hazard", …
    entity_id: str
    action: str                 # "create", "update", "transition:rectified", …
    before: dict | None = None
    after: dict | None = None
    note: str = ""              # why, when the user had to say (e.g. the reason a hazard was withdrawn)


@dataclass(frozen=True, kw_only=True, slots=True)
class Notice(Record):
    """A rectification notice: its content is frozen once issued (PDF comes with documents)."""

    inspection_id: str
    number: str
    recipient: str
    issued_at: dt.datetime
    hazard_ids: tuple[str, ...]
    snapshot_sha256: str = ""
    pdf_sha256: str = ""
    version: int = 1
    supersedes: str = ""
    snapshot: dict = field(default_factory=dict)


class PhotoOwner(StrEnum):
    RESPONSE = "response"             # a checklist answer
    HAZARD = "hazard"                 # the hazard as found
    RECTIFICATION = "rectification"   # evidence of the fix
    RECHECK = "recheck"               # taken at the re-check


@dataclass(frozen=True, kw_only=True, slots=True)
class Photo(Record):
    """A stored photo: the stamped image, its thumbnail, and (optionally) the unstamped original.

    The files are content-addressed: each `*_sha256` names a file under `photos/`.
    """

    sha256: str                     # the stamped evidence image (≤ 2048 px, JPEG)
    thumb_sha256: str               # 320 px thumbnail
    unstamped_sha256: str = ""      # the same image before the stamp, when settings keep it
    print_sha256: str = ""          # ≤ 800 px copy of the stamped image, made once for notices
    owner: PhotoOwner
    owner_id: str                   # response, hazard (also for rectification and re-check) id
    taken_by: str
    original_name: str = ""
    original_size: int = 0
    width: int = 0
    height: int = 0
    annotated_from: str = ""        # sha256 of the photo this annotated copy was drawn on
    # when the camera took it: EXIF DateTimeOriginal as the camera wrote it ("YYYY-MM-DD HH:MM:SS",
    # its own clock, no time zone); "" when the file carried none (then only the upload time is known)
    taken_at: str = ""
    removed: bool = False           # soft removal: audited, the file stays as evidence
