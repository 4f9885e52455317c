"""What a hazard says when it is raised from chosen findings of a checklist item.

The notice, the ledger and the hazard form all show the hazard's description: it must say exactly
the findings the inspector tapped (not the item's compound wording), each once, in the
checklist's order. The location is the area's, printed beside it once, so findings never name it.
"""

from __future__ import annotations

from .checklist import ChecklistItem, Finding, chosen_findings

__all__ = ["FindingsText", "findings_text", "major_reason"]

SEPARATOR = "；"


class FindingsText:
    """Description, requirement, deadline days and major hint of a set of chosen findings."""

    def __init__(self, findings: tuple[Finding, ...], lang: str = "zh-CN"):
        self.findings = findings
        self.ids = tuple(f.id for f in findings)
        self.description = SEPARATOR.join(f.text(lang) for f in findings)
        self.requirement = SEPARATOR.join(f.requirement(lang) for f in findings)
        # the soonest deadline of those chosen: 0 (立即改正) wins
        self.deadline_days = min((f.deadline_days for f in findings), default=0)
        self.major_hint = any(f.major_hint for f in findings)


def findings_text(item: ChecklistItem, finding_ids: tuple[str, ...] | list[str], lang: str = "zh-CN") -> FindingsText:
    """The text of the chosen findings of `item` (KeyError names an id the item does not have)."""
    return FindingsText(chosen_findings(item, finding_ids), lang)


def major_reason(item: ChecklistItem, finding_ids: tuple[str, ...] | list[str] = (), lang: str = "zh-CN") -> str:
    """Why a hazard of this item may be a major one: the chosen major findings' reasons, else the item's."""
    if finding_ids and item.findings:
        reasons = [f.major_reason(lang) for f in chosen_findings(item, finding_ids) if f.major_hint]
        return SEPARATOR.join(dict.fromkeys(reasons))
    return item.major_reason(lang) if item.major_hint else ""
