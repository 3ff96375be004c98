"""The measures ladder (N3.6) and the rules that read a proposal: is it a penalty, is it major,
does the party have a right to a hearing, does it lie inside the discretion benchmark, is the
entity in its observation period (N3.5). Pure functions of the proposal and the settings, so the
services, the pages and the tests share one definition.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.catalog.discretion import answer_lines
from anjian.catalog.models import PenaltyKind


class MeasureKind(models.TextChoices):
    """From the lightest to the heaviest (N3.6). The first four are not penalties."""

    INTERVIEW = "interview", _("Interview (约谈)")
    ADMONITION = "admonition", _("Admonition (劝诫)")
    CORRECTION_ORDER = "correction_order", _("Order to correct (责令改正)")
    FIRST_OFFENCE_EXEMPT = "first_offence_exempt", _("No penalty for a first minor offence")
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    CONFISCATION = "confiscation", _("Confiscation of illegal gains")
    SUSPENSION = "suspension", _("Suspension of production or business")
    LICENCE_REVOCATION = "licence_revocation", _("Licence revocation")
    CLOSURE = "closure", _("Closure")
    LIFETIME_BAN = "lifetime_ban", _("Lifetime ban from the trade")
    JUDICIAL_TRANSFER = "judicial_transfer", _("Transfer to judicial organs")


M = MeasureKind
LADDER = [m.value for m in MeasureKind]
# Guidance measures: what an entity in its observation period receives (N3.5), and what a
# minor matter calls for.
GUIDANCE = frozenset({M.INTERVIEW, M.ADMONITION, M.CORRECTION_ORDER, M.FIRST_OFFENCE_EXEMPT})
# Administrative penalties (行政处罚法 第九条); a transfer to judicial organs is not one.
PENALTIES = frozenset(
    {M.WARNING, M.FINE, M.CONFISCATION, M.SUSPENSION, M.LICENCE_REVOCATION, M.CLOSURE,
     M.LIFETIME_BAN}
)  # fmt: skip
# The catalog's penalty kinds (catalog.models.PenaltyKind) for the measures that have one.
CATALOG_KIND = {
    M.CORRECTION_ORDER: "order_correction",
    M.WARNING: "warning",
    M.FINE: "fine",
    M.CONFISCATION: "confiscation",
    M.SUSPENSION: "suspension",
    M.LICENCE_REVOCATION: "licence_revocation",
    M.CLOSURE: "closure",
}


class PartyKind(models.TextChoices):
    UNIT = "unit", _("Unit")
    INDIVIDUAL = "individual", _("Natural person")


@dataclass(frozen=True)
class Proposal:
    """What the case proposes to decide: the party, the measures and the amounts."""

    party_kind: str
    measures: list[str]
    fine_amount: int = 0
    confiscation_amount: int = 0

    def has_penalty(self) -> bool:
        return bool(set(self.measures) & PENALTIES)


def _threshold(table: Any, party_kind: str) -> int:
    return int(table["fine_individual" if party_kind == PartyKind.INDIVIDUAL else "fine_unit"])


def hearing_entitled(p: Proposal) -> bool:
    """The party may ask for a hearing (行政处罚法 第六十三条): a large fine or confiscation,
    suspension, revocation, closure, a ban from the trade. Thresholds from settings."""
    table: dict[str, Any] = settings.ANJIAN_HEARING
    limit = _threshold(table, p.party_kind)
    if M.FINE in p.measures and p.fine_amount >= limit:
        return True
    if M.CONFISCATION in p.measures and p.confiscation_amount >= limit:
        return True
    return bool(set(p.measures) & set(table["measures"]))


def major_reasons(p: Proposal, *, outside_benchmark: bool) -> list[str]:
    """Why a decision is major (重大执法决定) and needs a passed legal review; empty if not."""
    table: dict[str, Any] = settings.ANJIAN_MAJOR_DECISION
    reasons: list[str] = []
    limit = _threshold(table, p.party_kind)
    if M.FINE in p.measures and p.fine_amount >= limit:
        reasons.append(gettext("A fine of %(limit)s yuan or more.") % {"limit": f"{limit:,}"})
    for m in p.measures:
        if m in table["measures"]:
            reasons.append(str(MeasureKind(m).label))
    if table["hearing_cases"] and hearing_entitled(p):
        reasons.append(gettext("The party is entitled to a hearing."))
    if outside_benchmark:
        reasons.append(gettext("The penalty lies outside the discretion benchmark."))
    return reasons


def deliberation_required(*, major: bool) -> bool:
    return settings.ANJIAN_CASE_DELIBERATION == "all" or major


@dataclass
class DiscretionCheck:
    """The proposal against the benchmark's recommendation (N5.1)."""

    recommendation: dict[str, Any] = field(default_factory=dict)
    deviations: list[str] = field(default_factory=list)

    @property
    def outside(self) -> bool:
        return bool(self.deviations)


def discretion_check(p: Proposal, rec: Any | None) -> DiscretionCheck:
    """`rec` is a catalog.discretion.Recommendation, or None when no benchmark applies (only
    measures that are not penalties may be proposed then)."""
    if rec is None:
        if p.has_penalty():
            return DiscretionCheck(deviations=[gettext("A penalty needs a discretion benchmark.")])
        return DiscretionCheck()
    out = DiscretionCheck(
        recommendation={
            "benchmark": rec.benchmark.code,
            "benchmark_id": rec.benchmark.pk,
            "effective_from": rec.benchmark.effective_from.isoformat(),
            "violation": rec.benchmark.violation,
            "level": rec.level,
            "label": rec.label,
            "penalty_kinds": list(rec.penalty_kinds),
            "penalty_kind_labels": [
                str(PenaltyKind(k).label) for k in rec.penalty_kinds if k in PenaltyKind.values
            ],
            "answers": answer_lines(rec.benchmark, rec.answers),
            "fine_min": rec.fine_min,
            "fine_max": rec.fine_max,
            "reasons": [str(r) for r in rec.reasons],
        }
    )
    allowed = set(rec.penalty_kinds)
    for m in p.measures:
        if m in PENALTIES and CATALOG_KIND.get(MeasureKind(m)) not in allowed:
            out.deviations.append(
                gettext("%(measure)s is not among the penalties of this level.")
                % {"measure": MeasureKind(m).label}
            )
    if M.FINE in p.measures and not rec.allows_fine(p.fine_amount):
        out.deviations.append(
            gettext("The fine of %(amount)s yuan lies outside %(min)s–%(max)s yuan.")
            % {
                "amount": f"{p.fine_amount:,}",
                "min": f"{rec.fine_min:,}",
                "max": f"{rec.fine_max:,}",
            }
        )
    return out


def observation_refusal(*, measures: list[str], shelter: Any) -> str | None:
    """N3.5: when the observation period shelters the violation (the catalog's rule,
    catalog.observation.shelter_decide: not unlicensed, not of an ordinary or heavier tier,
    unless the province's exemption list names it), the entity receives guidance first
    (interview, admonition, order to correct): a penalty is refused, with the reasons."""
    if not shelter.applies:
        return None
    heavier = [m for m in measures if m not in GUIDANCE]
    if not heavier:
        return None
    return gettext(
        "The entity was in its observation period (inclusive-prudent supervision) on the date "
        "of the act and the violation is sheltered: propose guidance (interview, admonition, "
        "order to correct); %(measures)s refused. Why: %(why)s"
    ) % {
        "measures": "、".join(str(MeasureKind(m).label) for m in heavier),
        "why": "".join(shelter.reasons),
    }


def proposal_digest(values: dict[str, Any]) -> str:
    """SHA-256 of the proposal's canonical JSON: what a legal review passed, and what the
    database compares before it lets a major case be decided."""
    raw = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def fact_key(*, entity_id: int, benchmark_code: str, act_date: datetime.date) -> str:
    """一事不再罚: the same violation (benchmark code) by the same entity on the same date is
    one fact. Shared findings make two cases one fact as well (checked by the services)."""
    return f"{entity_id}:{benchmark_code}:{act_date.isoformat()}"
