"""Test helper: every unit submits every campaign duty due so far, so only hazards decide a circular."""

from __future__ import annotations

from app.domain import obligations as rules
from app.domain.obligations import Evidence, EvidenceKind
from app.services.context import Context, save

PROOF = (Evidence(EvidenceKind.PDF, "c" * 64, "proof.pdf"),)


def submit_all_due(ctx: Context) -> None:
    """One transaction: each unit of the roster submits each duty due by today (on time or not)."""
    campaign = ctx.catalog.campaign
    stored = {o.id for o in ctx.repo.obligations()}
    with ctx.repo.transaction():
        for unit in ctx.catalog.units.units:
            for duty in rules.duties(campaign):
                record = rules.pending_obligation(duty, unit.code, campaign.year, ctx.now())
                if duty.due <= ctx.today() and record.id not in stored:
                    save(ctx, rules.submit(record, PROOF, ctx.actor, ctx.now()), None, "transition:submitted")
