"""Several parties per case (双罚, 安全生产法 第九十四条, 第九十七条 …; ADR 0011).

One violation often fines the unit and its principal or other responsible persons. The unit's
case keeps its row (the lead); each responsible person added to it gets a row of their own
that points to the lead (`Case.lead`) and shares its number, facts, act date and handlers. So
every party has their own proposal, notice and hearing right, legal review, decision (its own
document and number), payment and unpaid-fine path, all by the services that already run a
case, and the legal-review gate (services.gate_refusal, triggers.py) holds for each row.

What this module adds:
- `case_party_add`: the handlers add a responsible person (name, ID number, address, position);
- the person's range: a responsible person's fine is measured against the range the law sets
  for the person, not the unit's benchmark tiers (`recommendation_for_party`);
- 一事不再罚 keyed on the party as well as the fact (`penalty_key`): the unit and its principal
  can both be fined for one fact, the same party twice cannot;
- closing: the unit's case closes when every party's proceedings have ended, and closes the
  parties' rows with it (`close_refusal`, `close_parties`); a party's row never closes alone;
- transfer: the unit's case, transferred before any party's decision, takes its parties' open
  proceedings with it (`transfer_refusal`, `transfer_parties`).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.measures import MeasureKind, PartyKind, fact_key
from anjian.cases.models import Case
from anjian.cases.states import ENDED_STATES, CaseAction, CaseState
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.masking import mask_id_number
from anjian.core.services import Actor, AuditSource

S = CaseState

# Benchmarks (by the article of their code, 安全生产法 2021) whose tiers are a natural person's
# own: the principal (第九十四条) and the other managers (第九十六条).
PERSON_BENCHMARKS = frozenset({"AQF-94", "AQF-96"})

# Articles that fine the unit and, besides it, its directly responsible managers and other
# directly responsible persons (直接负责的主管人员和其他直接责任人员): the persons' own range in
# yuan (REFERENCE.md). A benchmark of the unit's tiers does not measure the person's fine.
RESPONSIBLE_PERSON_FINES: dict[str, tuple[int, int, str]] = {
    "AQF-97": (20_000, 50_000, "《中华人民共和国安全生产法》第九十七条"),
    # 拒不执行 (refusing to eliminate the hidden danger); the range is marked unverified.
    "AQF-102": (50_000, 100_000, "《中华人民共和国安全生产法》第一百零二条"),
}

# A party's proceedings have ended: executed, the court's ruling recorded, or otherwise.
PARTY_DONE = frozenset({S.EXECUTED, S.COURT_RULED}) | ENDED_STATES


def benchmark_article(code: str) -> str:
    """`AQF-97-3` and `AQF-97-7-MK` → `AQF-97`: the benchmark's article."""
    return "-".join(code.strip().upper().split("-")[:2])


def is_co_party(case: Case) -> bool:
    return case.lead_id is not None


# --- the person's range -----------------------------------------------------------------------


def recommendation_for_party(case: Case, party_kind: str, rec: Any) -> tuple[Any, str | None]:
    """The recommendation this party's proposal is measured against, or a refusal.

    A responsible person added to a unit's case: a person's own benchmark (第九十四条) as it
    stands; a unit's benchmark of an article that also fines its responsible persons with the
    person's range in place of the tier's fines, the fine as the only penalty; any other
    benchmark is refused. A unit's proposal is refused a person's benchmark. A natural person
    who is the case's own party (an individual business) keeps the benchmark as it stands."""
    article = benchmark_article(rec.benchmark.code)
    if not is_co_party(case):
        if party_kind == PartyKind.UNIT and article in PERSON_BENCHMARKS:
            return None, gettext(
                "Benchmark %(code)s fines the unit's principal or managers, not the unit: add "
                "the person as a party of the case and propose their fine there."
            ) % {"code": rec.benchmark.code}
        return rec, None
    if article in PERSON_BENCHMARKS:
        return rec, None
    found = RESPONSIBLE_PERSON_FINES.get(article)
    if found is None:
        return None, gettext(
            "Benchmark %(code)s does not fine a unit's responsible persons: choose the "
            "benchmark of the provision that fines the person (for the principal, article 94)."
        ) % {"code": rec.benchmark.code}
    low, high, law = found
    reason = gettext(
        "A responsible person's fine under %(law)s: %(min)s–%(max)s yuan, not the unit's range."
    ) % {"law": law, "min": f"{low:,}", "max": f"{high:,}"}
    return (
        dataclasses.replace(
            rec, fine_min=low, fine_max=high, penalty_kinds=["fine"], reasons=[*rec.reasons, reason]
        ),
        None,
    )


def proposal_values_for(case: Case, values: Any) -> Any:
    """A responsible person's proposal keeps the party the person was added as."""
    if not is_co_party(case):
        return values
    return dataclasses.replace(
        values,
        party_kind=PartyKind.INDIVIDUAL,
        party_name=case.party_name,
        party_id_number=case.party_id_number,
        party_address=case.party_address,
    )


# --- 一事不再罚 on the party and the fact -----------------------------------------------------


def penalty_key(
    *,
    entity_id: int,
    benchmark_code: str,
    act_date: datetime.date,
    party_kind: str,
    id_number: str = "",
    name: str = "",
) -> str:
    """The unit's key is the fact's (measures.fact_key, unchanged); a natural person's adds a
    digest of their ID number (or name), so the unit and its principal are two parties for one
    fact and the same person twice is one."""
    base = fact_key(entity_id=entity_id, benchmark_code=benchmark_code, act_date=act_date)
    if party_kind != PartyKind.INDIVIDUAL:
        return base
    who = (id_number or name).strip().upper()
    return f"{base}:p{hashlib.sha256(who.encode('utf-8')).hexdigest()[:16]}"


def case_penalty_key(case: Case) -> str | None:
    if case.benchmark is None:
        return None
    return penalty_key(
        entity_id=case.entity_id,
        benchmark_code=case.benchmark.code,
        act_date=case.act_date,
        party_kind=case.party_kind,
        id_number=case.party_id_number,
        name=case.party_name,
    )


def twice_refusal() -> str:
    return str(_("This party has already been penalised for this fact (一事不再罚)."))


# --- adding a responsible person --------------------------------------------------------------

ADD_STATES = frozenset(s for s in CaseState if s not in ENDED_STATES and s != S.FILING)


@transaction.atomic
def case_party_add(
    *,
    actor: Any,
    case: Case,
    name: str,
    id_number: str,
    address: str,
    position: str,
    source: str = AuditSource.WEB,
) -> Case:
    """A handler adds a responsible person of the unit (e.g. its principal) as a party of the
    case, once filed and before it ends. The person's proceedings start under investigation,
    with the case's number, facts, act date and handlers; their proposal follows."""
    from anjian.cases._common import (
        _lock,
        _record,
        _require_handler,
        _same_bureau,
        id_number_clean,
        id_number_problem,
    )

    actor_require(actor, Capability.CASES_HANDLE)
    lead = _lock(case)
    actor_require_region(actor, lead.region_id)
    _same_bureau(actor, lead.bureau_id)
    _require_handler(actor, lead)
    if lead.lead_id is not None:
        raise Conflict(_("Add the person to the unit's case, not to another party's."))
    if lead.state not in ADD_STATES:
        raise Conflict(
            _("The case is %(state)s; parties are added after the filing and before the end.")
            % {"state": CaseState(lead.state).label}
        )
    errors: dict[str, Any] = {}
    name = " ".join(name.split())
    number = id_number_clean(id_number)
    address = " ".join(address.split())
    position = " ".join(position.split())
    if not name:
        errors["name"] = _("Give the natural person's name.")
    if not number:
        errors["id_number"] = _("Give the person's ID number.")
    else:
        problem = id_number_problem(number)
        if problem:
            errors["id_number"] = problem
        elif (lead.party_kind == PartyKind.INDIVIDUAL and lead.party_id_number == number) or any(
            # Compared in Python: the ID number is sealed at rest (a fresh nonce each time),
            # so SQL cannot match it; a case has a handful of parties.
            p.party_id_number == number
            for p in lead.co_parties.only("pk", "party_id_number")
        ):
            errors["id_number"] = _("This person is already a party of the case.")
    if not address:
        errors["address"] = _("Give the person's address (住址) as the decision prints it.")
    if not position:
        errors["position"] = _("Give the person's position in the unit (e.g. 主要负责人).")
    if errors:
        raise ServiceError.for_fields(errors)
    person = Case.objects.create(
        lead=lead,
        bureau=lead.bureau,
        division=lead.division,
        region_id=lead.region_id,
        entity=lead.entity,
        number=lead.number,
        title=lead.title,
        source=lead.source,
        facts=lead.facts,
        act_date=lead.act_date,
        provisions=lead.provisions,
        party_kind=PartyKind.INDIVIDUAL,
        party_name=name,
        party_id_number=number,
        party_address=address,
        party_position=position,
        state=S.INVESTIGATING,
        opened_on=lead.opened_on,
        filed_on=lead.filed_on,
        created_by=None if isinstance(actor, Actor) else actor,
    )
    person.handlers.set(lead.handlers.all())
    data = {"party": name, "id_number": mask_id_number(number), "position": position}
    _record(
        actor=actor,
        case=lead,
        action="party_add",
        note=f"{name}（{position}）",
        data=data,
        source=source,
    )
    _record(
        actor=actor,
        case=person,
        action="party_open",
        to_state=S.INVESTIGATING,
        data={**data, "lead": lead.pk},
        source=source,
    )
    return person


# --- the end of the case ----------------------------------------------------------------------


def close_refusal(case: Case) -> str | None:
    """Why the case cannot close now for its parties, or None."""
    if is_co_party(case):
        return str(_("A party's proceedings close with the unit's case %(number)s.")) % {
            "number": case.number
        }
    open_ = [p for p in case.co_parties.all() if p.state not in PARTY_DONE]
    if not open_:
        return None
    return str(
        _("The case closes when every party's decision is executed or otherwise ended: %(who)s.")
    ) % {"who": "、".join(f"{p.party_name}（{CaseState(p.state).label}）" for p in open_)}


def close_parties(*, actor: Any, case: Case, note: str, source: str) -> None:
    """Close the parties' rows (executed, or the court's ruling recorded) with the unit's."""
    from anjian.cases._common import _lock, _step

    for person in case.co_parties.filter(state__in=[S.EXECUTED, S.COURT_RULED]).order_by("pk"):
        person = _lock(person)
        _step(
            actor=actor,
            case=person,
            action=CaseAction.CLOSE,
            note=note,
            update={"closed_on": case.closed_on},
            source=source,
        )


def withdraw_refusal(case: Case) -> str | None:
    """The unit's case is not withdrawn once a party's decision has been made; one person's
    proceedings may be (the facts do not hold for them)."""
    if is_co_party(case):
        return None
    decided = [p for p in case.co_parties.all() if p.decided_on is not None]
    if not decided:
        return None
    return str(_("A party's decision has been made: %(who)s; the case is not withdrawn.")) % {
        "who": "、".join(sorted({p.party_name for p in decided}))
    }


def withdraw_parties(*, actor: Any, case: Case, reason: str, source: str) -> None:
    from anjian.cases._common import _lock, _step

    for person in case.co_parties.exclude(state__in=list(PARTY_DONE)).order_by("pk"):
        person = _lock(person)
        _step(
            actor=actor,
            case=person,
            action=CaseAction.WITHDRAW,
            note=reason,
            update={"end_reason": reason, "closed_on": case.closed_on},
            source=source,
        )


def transfer_refusal(case: Case) -> str | None:
    """The unit's case goes to another body with its parties' proceedings; once a party's
    decision has been made this bureau has decided, and the case is not transferred."""
    if is_co_party(case):
        return None
    decided = [p for p in case.co_parties.exclude(state__in=list(ENDED_STATES)) if p.decided_on]
    if not decided:
        return None
    return str(_("A party's decision has been made: %(who)s; the case is not transferred.")) % {
        "who": "、".join(sorted({p.party_name for p in decided}))
    }


def transfer_parties(
    *, actor: Any, case: Case, reason: str, data: dict[str, Any], source: str
) -> list[Case]:
    """Move the co-parties' open proceedings with the unit's case to the receiving body: each
    row ends as transferred, on its own timeline and audit trail, naming the unit's case. The
    unit's 案件移送书 names them; they issue none of their own."""
    from anjian.cases._common import _lock, _step

    moved = []
    for person in case.co_parties.exclude(state__in=list(PARTY_DONE)).order_by("pk"):
        person = _lock(person)
        moved.append(
            _step(
                actor=actor,
                case=person,
                action=CaseAction.TRANSFER,
                note=reason,
                update={"end_reason": reason, "closed_on": case.closed_on},
                data={**data, "with_case": case.pk},
                source=source,
            )
        )
    return moved


# --- the case page ----------------------------------------------------------------------------


@dataclass
class PartyRow:
    case: Case
    name: str
    id_number: str
    position: str
    is_lead: bool
    measures: list[str]
    fine_amount: int
    hearing: str
    decision: Any  # the decision document (documents.OfficialDocument) or None
    paid: int
    due: int


def _decisions(viewer: Any, rows: list[Case]) -> dict[str, Any]:
    if not apps.is_installed("anjian.documents"):
        return {}
    from anjian.documents.selectors import documents_visible_for

    return {
        d.subject_id: d
        for d in reversed(documents_visible_for(viewer, rows))
        if d.kind == "penalty_decision" and d.status != "revoked"
    }


def _hearing(case: Case) -> str:
    if not case.notified_on:
        return gettext("not yet notified")
    if not case.hearing_entitled:
        return gettext("no hearing right")
    if case.hearing_held_on:
        return gettext("hearing held on %(day)s") % {"day": case.hearing_held_on.isoformat()}
    if case.hearing_requested_on:
        return gettext("hearing requested")
    if case.hearing_waived_on:
        return gettext("hearing waived in writing")
    return gettext("may ask for a hearing until %(day)s") % {
        "day": case.hearing_deadline.isoformat() if case.hearing_deadline else "—"
    }


def parties_of(viewer: Any, case: Case) -> list[PartyRow]:
    """The case's parties for its page: the unit (or the case's own party) first, then each
    responsible person, with the personal data masked for who does not handle the case."""
    from anjian.cases._common import amount_due, amount_paid
    from anjian.cases.selectors import party_for

    lead = case.lead if case.lead_id is not None else case
    assert lead is not None
    rows = [lead, *Case.objects.filter(lead=lead).order_by("pk")]
    decisions = _decisions(viewer, rows)
    out = []
    for c in rows:
        party = party_for(viewer, c)
        out.append(
            PartyRow(
                case=c,
                name=party.name,
                id_number=party.id_number,
                position=c.party_position,
                is_lead=c.pk == lead.pk,
                measures=[str(MeasureKind(m).label) for m in c.measures if m in MeasureKind],
                fine_amount=int(c.fine_amount),
                hearing=_hearing(c),
                decision=decisions.get(str(c.pk)),
                paid=amount_paid(c),
                due=amount_due(c),
            )
        )
    return out


def may_add(viewer: Any, case: Case) -> bool:
    return (
        case.lead_id is None
        and case.state in ADD_STATES
        and getattr(viewer, "bureau_id", None) == case.bureau_id
        and bool(viewer.can(Capability.CASES_HANDLE))
        and case.handlers.filter(pk=viewer.pk).exists()
    )
