"""Inclusive-prudent supervision (包容审慎监管, N3.5): when the observation period of a new
business form shelters a violation, so that it is handled by guidance first (interview,
admonition, order to correct, no penalty for a first offence) and a penalty is refused.

The rule, in the order it is applied (docs/algorithms/discretion.md, "Observation period"):

1. Only an entity marked as a new business form whose observation period, with both its start
   and its END date, covers the date of the act. An open period (no end date) is not a valid
   observation period and shelters nothing: the registry must record its end.
2. A grave matter is never sheltered: the benchmark's grave tier (e.g. not corrected by the
   deadline) or a major hazard among the case's findings.
3. The province's published exemption list (首违不罚 / 轻微不罚清单, `ExemptionEntry`) in force
   on the date of the act: a row naming the benchmark, and the tier when the row limits its
   tiers, shelters the violation, even when it is unlicensed operation or its tier is ordinary
   or heavier. The row says on what conditions (初次违法、危害后果轻微、及时改正): the officer
   confirms them (`exemption_conditions_met`).
4. Otherwise not sheltered: operating without a licence (the benchmark's
   `unlicensed_operation`), or a tier of ordinary circumstances or heavier. A lettered tier
   (应急〔2024〕90号: A, B, C …) counts as ordinary or heavier unless the benchmark marks it
   `"minor": true`: the catalog does not guess which letter is 情节轻微.
5. A minor tier of a licensed activity is sheltered.

The result carries each step's reason in words, for the officer and for the case file.
Cases ask here (`shelter_decide`); the logic stays in the catalog.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from anjian.catalog.models import CircumstanceLevel, DiscretionBenchmark, ExemptionEntry

# The answer by which the officer confirms an exemption row's conditions (asked by the proposal
# form when the list names the benchmark: catalog.discretion.questions_for).
EXEMPTION_QUESTION = "exemption_conditions_met"


@dataclass(frozen=True)
class Shelter:
    """Whether the observation period shelters the violation, and why."""

    applies: bool
    in_observation: bool
    reasons: list[str] = field(default_factory=list)
    exemption: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "applies": self.applies,
            "in_observation": self.in_observation,
            "reasons": list(self.reasons),
            "exemption": dict(self.exemption),
        }


def observation_state(entity: Any, day: datetime.date) -> tuple[bool, str]:
    """(in a valid observation period on `day`, the reason in words)."""
    if not entity.new_business_form or entity.observation_start is None:
        return False, _("The entity is not a new business form with an observation period.")
    if entity.observation_end is None:
        return False, _(
            "The entity's observation period has no end date: an open observation period is not "
            "valid and shelters nothing (record its end date in the registry)."
        )
    if not entity.observation_start <= day <= entity.observation_end:
        return False, _(
            "The date of the act (%(day)s) lies outside the observation period "
            "(%(start)s to %(end)s)."
        ) % {
            "day": day.isoformat(),
            "start": entity.observation_start.isoformat(),
            "end": entity.observation_end.isoformat(),
        }
    return True, _(
        "The date of the act (%(day)s) lies within the observation period (%(start)s to %(end)s)."
    ) % {
        "day": day.isoformat(),
        "start": entity.observation_start.isoformat(),
        "end": entity.observation_end.isoformat(),
    }


def tier_of(benchmark: DiscretionBenchmark, level: str) -> dict[str, Any]:
    return next((t for t in benchmark.levels if str(t.get("level")) == level), {"level": level})


def tier_is_minor(tier: dict[str, Any]) -> bool:
    """A tier of minor circumstances: the older `minor`, or a tier the benchmark marks minor."""
    return tier.get("level") == CircumstanceLevel.MINOR or tier.get("minor") is True


def exemption_for(code: str, level: str | None, day: datetime.date) -> ExemptionEntry | None:
    """The exemption list's row in force on `day` that names benchmark `code` at tier `level`
    (any tier when `level` is None)."""
    rows = ExemptionEntry.objects.filter(benchmark_code=code, effective_from__lte=day).order_by(
        "-effective_from", "-id"
    )
    for row in rows:
        if row.in_force_on(day) and (level is None or not row.tiers or level in row.tiers):
            return row
    return None


def exemption_question(code: str, day: datetime.date) -> dict[str, Any] | None:
    """The yes/no question confirming the conditions of the list's row for `code` on `day`."""
    row = exemption_for(code, None, day)
    if row is None:
        return None
    return {
        "key": EXEMPTION_QUESTION,
        "label": _("The conditions of the province's exemption list are met: %(conditions)s")
        % {"conditions": row.conditions},
        "kind": "yes_no",
    }


def exemption_dict(row: ExemptionEntry) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "kind_label": str(row.get_kind_display()),
        "benchmark_code": row.benchmark_code,
        "conditions": row.conditions,
        "source": row.source,
        "effective_from": row.effective_from.isoformat(),
    }


def shelter_decide(
    *,
    entity: Any,
    act_date: datetime.date,
    recommendation: Any | None,
    major_finding: bool = False,
    exemption_conditions_met: bool = False,
) -> Shelter:
    """Apply the rule above. `recommendation`: the catalog.discretion.Recommendation chosen for
    the case (None: no benchmark, so no penalty can be proposed anyway). `major_finding`: a
    major hazard among the findings. `exemption_conditions_met`: the officer confirms the
    exemption row's conditions (first offence, slight consequences, corrected in time)."""
    if not entity.new_business_form:
        return Shelter(applies=False, in_observation=False)  # nothing to explain
    inside, why = observation_state(entity, act_date)
    reasons = [why]
    if not inside:
        return Shelter(applies=False, in_observation=False, reasons=reasons)
    if recommendation is None:
        reasons.append(_("No discretion benchmark applies: guidance first."))
        return Shelter(applies=True, in_observation=True, reasons=reasons)
    benchmark: DiscretionBenchmark = recommendation.benchmark
    tier = tier_of(benchmark, recommendation.level)
    tier_words = recommendation.label or recommendation.level
    if recommendation.grave or major_finding:
        reasons.append(
            _("The matter is grave (%(what)s): the observation period does not shelter it.")
            % {"what": tier_words if recommendation.grave else _("a major hazard was found")}
        )
        return Shelter(applies=False, in_observation=True, reasons=reasons)
    row = exemption_for(benchmark.code, recommendation.level, act_date)
    if row is not None:
        listed = exemption_dict(row)
        if exemption_conditions_met:
            reasons.append(
                _(
                    "The province's exemption list (%(source)s, %(kind)s) names %(code)s: "
                    "guidance first, on its conditions: %(conditions)s"
                )
                % {
                    "source": row.source,
                    "kind": row.get_kind_display(),
                    "code": benchmark.code,
                    "conditions": row.conditions,
                }
            )
            return Shelter(applies=True, in_observation=True, reasons=reasons, exemption=listed)
        reasons.append(
            _(
                "The province's exemption list (%(source)s) names %(code)s, but the officer has "
                "not confirmed its conditions (%(conditions)s)."
            )
            % {"source": row.source, "code": benchmark.code, "conditions": row.conditions}
        )
    else:
        reasons.append(
            _("The province's exemption list in force on %(day)s does not name %(code)s.")
            % {"day": act_date.isoformat(), "code": benchmark.code}
        )
    if benchmark.unlicensed_operation:
        reasons.append(
            _(
                "Operating without a licence (%(violation)s) is not sheltered by the observation "
                "period."
            )
            % {"violation": benchmark.violation}
        )
        return Shelter(applies=False, in_observation=True, reasons=reasons)
    if not tier_is_minor(tier):
        reasons.append(
            _(
                "The tier chosen (%(tier)s) is of ordinary circumstances or heavier: the "
                "observation period does not shelter it."
            )
            % {"tier": tier_words}
        )
        return Shelter(applies=False, in_observation=True, reasons=reasons)
    reasons.append(
        _("The tier chosen (%(tier)s) is minor and the activity is licensed: guidance first.")
        % {"tier": tier_words}
    )
    return Shelter(applies=True, in_observation=True, reasons=reasons)
