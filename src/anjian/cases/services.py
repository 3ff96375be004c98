"""Writes for enforcement cases: open, propose, and one service per step of the workflow.

Each step goes through `_step`: it checks the table in `states.py` (current state, capability),
the actor's bureau and, for the handlers' steps, that the actor handles the case; it locks the
case, changes it by compare-and-swap, appends the timeline row and the audit event, in one
transaction. Pages, the API, the admin and the shell all call these.

The legal-review gate (N5.2) is in `case_decide`: a major decision needs a passed legal review
of the proposal as it stands now. The database repeats the check (`triggers.py`).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from anjian.accounts.models import Bureau, Division, User
from anjian.accounts.roles import Capability
from anjian.accounts.selectors import certificates_valid_on
from anjian.cases import integration
from anjian.cases.measures import (
    LADDER,
    PENALTIES,
    MeasureKind,
    PartyKind,
    Proposal,
    deliberation_required,
    discretion_check,
    hearing_entitled,
    major_reasons,
    observation_refusal,
    proposal_digest,
)
from anjian.cases.models import (
    Case,
    CaseEvent,
    CaseSource,
    ClueTransfer,
    Deliberation,
    LegalReview,
    Payment,
    ReviewResult,
    ServiceMethod,
)
from anjian.cases.states import ENDED_STATES, PAYING_STATES, TRANSITIONS, CaseAction, CaseState
from anjian.cases.transfers import transfer_create, transfer_recipient_errors
from anjian.catalog.discretion import recommend_penalty
from anjian.catalog.observation import EXEMPTION_QUESTION, shelter_decide
from anjian.core import audit_chain, clock
from anjian.core.abbreviations import bureau_abbreviation
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region, actor_require_visible
from anjian.core.scope import region_codes_under
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import workdays_after
from anjian.entities.models import Entity
from anjian.inspections.models import Finding


def id_number_clean(value: str) -> str:
    """A 公民身份号码 as people type it (spaces, full-width digits, a lower-case x) in its
    stored form."""
    return "".join(unicodedata.normalize("NFKC", value).split()).replace("-", "").upper()


def id_number_problem(value: str) -> Any:
    """Why `value` (cleaned) is not a resident identity number, or None. python-stdnum's
    `cn.ric` checks the length, the digits, the GB 11643 check digit and the birth date. Its
    birth-place check is left out: a person keeps the county code they were born under after a
    re-division withdraws it, and a table of codes cannot hold every withdrawn one."""
    try:
        ric.validate(value)
    except (InvalidLength, InvalidFormat):
        return _("An ID number has 18 characters: 17 digits and a digit or X.")
    except InvalidChecksum:
        return _("The ID number's check digit does not match: compare it with the ID card.")
    except InvalidComponent:
        pass  # the birth date (checked next) or the birth place (accepted, see above)
    try:
        born = ric.get_birth_date(value)
    except InvalidComponent:
        return _("The ID number's birth date (digits 7 to 14) is not a date.")
    if born > _today():
        return _("The ID number's birth date (digits 7 to 14) is in the future.")
    return None


def _today() -> datetime.date:
    return clock.today()


def _not_future(name: str, day: datetime.date | None) -> datetime.date:
    day = day or _today()
    if day > _today():
        raise ServiceError.for_field(name, _("The date cannot be in the future."))
    return day


def _same_bureau(actor: Any, bureau_id: int) -> None:
    if isinstance(actor, Actor):
        return
    if getattr(actor, "bureau_id", None) != bureau_id:
        raise NotPermitted(_("Only the case's own bureau takes this step."))


def _require_handler(actor: Any, case: Case) -> None:
    """The handlers' steps (承办) are taken by the case's handlers."""
    if isinstance(actor, Actor):
        return
    if not case.handlers.filter(pk=actor.pk).exists():
        raise NotPermitted(_("Only the case's handlers take this step."))


def _allowed(
    actor: Any, case: Case, action: str, table: Mapping[str, tuple[Any, Any, Any]] = TRANSITIONS
) -> None:
    """The table's checks for one step: capability, jurisdiction, bureau, state, handler. Run
    first by every step, so a caller without the right learns nothing about the case. The
    execution steps pass their own table (states.EXECUTION_TRANSITIONS)."""
    starts, _to, capability = table[action]
    actor_require(actor, capability)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    if case.state not in starts:
        raise Conflict(
            _("The case is %(state)s; this step is not open now.")
            % {"state": CaseState(case.state).label}
        )
    if capability == Capability.CASES_HANDLE:
        _require_handler(actor, case)


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))  # not the bureau and entity rows
        .select_related("bureau", "entity", "region")
        .get(pk=case.pk)
    )


def _record(
    *,
    actor: Any,
    case: Case,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    source: str,
) -> None:
    """The timeline row and the audit event of one step, in the caller's transaction."""
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=None if isinstance(actor, Actor) else actor,
        note=note,
        data=audit_chain.to_jsonable(data or {}),
    )
    changes: dict[str, Any] = {"number": case.number, **(data or {})}
    if from_state or to_state:
        changes["state"] = [from_state, to_state]
    if note:
        changes["note"] = note
    audit_record(
        actor=actor,
        action=f"cases.case.{action}",
        obj=case,
        region=case.region_id,
        changes=changes,
        source=source,
    )
    # The step's document, if the law ties one to it (案件移送书), in the same transaction.
    from anjian.cases.casefile_documents import step_documents

    step_documents(actor=actor, case=case, code=f"cases.case.{action}", data=data or {}, note=note)


def _step(
    *,
    actor: Any,
    case: Case,
    action: str,
    to: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    update: dict[str, Any] | None = None,
    source: str,
) -> Case:
    """Check the table, then change the state (and `update`'s columns) by compare-and-swap."""
    _allowed(actor, case, action)
    target = to or TRANSITIONS[action][1]
    assert target is not None
    fields = {"state": target, **(update or {})}
    try:
        changed = Case.objects.filter(pk=case.pk, state=case.state).update(**fields)
    except IntegrityError as exc:  # the database's own gate (triggers.py)
        if "penalty_fact_key" in str(exc):  # another case of this party took the fact first
            from anjian.cases.parties import twice_refusal

            raise Conflict(twice_refusal()) from exc
        raise Conflict(_("The database refused the step: %(reason)s") % {"reason": exc}) from exc
    if not changed:
        raise Conflict()
    start = case.state
    for key, value in fields.items():
        setattr(case, key, value)
    _record(
        actor=actor,
        case=case,
        action=action,
        from_state=start,
        to_state=target,
        note=note,
        data=data,
        source=source,
    )
    return case


# --- opening -------------------------------------------------------------------------------


def _case_number(bureau: Bureau, year: int) -> str:
    """`（晋朔平）应急立〔2026〕3号`: the bureau's abbreviation as its documents print it, the
    year, a running number that goes on if the abbreviation changes within the year."""
    taken = Case.objects.filter(
        bureau=bureau, lead__isnull=True, number__contains=f"应急立〔{year}〕"
    ).count()
    return f"（{bureau_abbreviation(bureau)}）应急立〔{year}〕{taken + 1}号"


def _certified(users: Iterable[User], day: datetime.date) -> list[User]:
    users = list(users)
    valid = set(certificates_valid_on(users, day).values_list("holder_id", flat=True))
    return [u for u in users if u.pk in valid]


def _findings_in_use(findings: list[Finding], *, exclude_case: int | None = None) -> list[str]:
    """Findings already in an open case, or punished by a decided one (一事不再罚)."""
    qs = Case.objects.filter(findings__in=findings).exclude(state__in=ENDED_STATES)
    punished = Case.objects.filter(findings__in=findings, penalty_fact_key__isnull=False)
    if exclude_case:
        qs = qs.exclude(pk=exclude_case)
        punished = punished.exclude(pk=exclude_case)
    return sorted({c.number for c in qs} | {c.number for c in punished})


@transaction.atomic
def case_open(
    *,
    actor: Any,
    bureau: Bureau,
    entity: Entity,
    title: str,
    handlers: list[User],
    findings: list[Finding] | None = None,
    source_kind: str = CaseSource.INSPECTION,
    facts: str = "",
    act_date: datetime.date | None = None,
    division: Division | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """Open a case (立案), awaiting the leadership's approval. From findings, the act date is
    the earliest finding's date and the facts are their descriptions unless given."""
    actor_require(actor, Capability.CASES_HANDLE)
    actor_require_region(actor, bureau.region_id)
    _same_bureau(actor, bureau.pk)
    if entity.region_id not in region_codes_under(bureau.region_id):
        raise NotFound()  # a bureau acts within its own jurisdiction
    findings = list(findings or [])
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("This value is required.")
    if source_kind not in CaseSource.values:
        errors["source_kind"] = _("Choose one of the listed values.")
    for f in findings:
        actor_require_region(actor, f.record.region_id)
        if f.record.entity_id != entity.pk:
            errors["findings"] = _("Every finding must concern the case's entity.")
    busy = _findings_in_use(findings)
    if busy:
        errors["findings"] = _("These findings are already in case %(numbers)s.") % {
            "numbers": "、".join(busy)
        }
    if act_date is None and findings:
        act_date = min(f.fact_date for f in findings)
    if act_date is None:
        errors["act_date"] = _("Give the date of the act.")
    elif act_date > _today():
        errors["act_date"] = _("The date cannot be in the future.")
    handlers = list(dict.fromkeys(handlers))
    if len(handlers) < 2:
        # 行政处罚法 第四十二条: no fewer than two enforcement officers.
        errors["handlers"] = _("A case needs at least two handlers.")
    elif any(h.bureau_id != bureau.pk for h in handlers):
        errors["handlers"] = _("The handlers must belong to the case's bureau.")
    else:
        uncertified = set(handlers) - set(_certified(handlers, _today()))
        if uncertified:
            errors["handlers"] = _("Without an enforcement certificate valid today: %(names)s") % {
                "names": "、".join(u.full_name or u.username for u in uncertified)
            }
    if division is not None and division.bureau_id != bureau.pk:
        errors["division"] = _("Choose a division of the case's bureau.")
    if errors:
        raise ServiceError.for_fields(errors)
    assert act_date is not None
    if not facts.strip() and findings:
        facts = "\n".join(f.description for f in findings)
    case = Case.objects.create(
        bureau=bureau,
        division=division,
        region_id=bureau.region_id,
        entity=entity,
        number=_case_number(bureau, _today().year),
        title=title.strip(),
        source=source_kind,
        facts=facts.strip(),
        act_date=act_date,
        opened_on=_today(),
        created_by=None if isinstance(actor, Actor) else actor,
    )
    case.handlers.set(handlers)
    if findings:
        case.findings.set(findings)
    _record(
        actor=actor,
        case=case,
        action="open",
        to_state=CaseState.FILING,
        data={
            "entity": entity.uscc,
            "findings": sorted(f.pk for f in findings),
            "handlers": sorted(h.username for h in handlers),
            "act_date": act_date,
        },
        source=source,
    )
    return case


@transaction.atomic
def case_filing_decide(
    *, actor: Any, case: Case, approve: bool, note: str = "", source: str = AuditSource.WEB
) -> Case:
    """立案审批: the leadership approves (investigation begins) or refuses with a reason."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.APPROVE)
    if not approve and not note.strip():
        raise ServiceError.for_field("note", _("Say why the case is not filed."))
    if approve:
        return _step(
            actor=actor,
            case=case,
            action=CaseAction.APPROVE,
            note=note,
            update={"filed_on": _today()},
            source=source,
        )
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.REFUSE,
        note=note,
        update={"end_reason": note.strip(), "closed_on": _today()},
        source=source,
    )


# --- the proposal --------------------------------------------------------------------------


@dataclass
class ProposalValues:
    """What the handlers propose after the investigation."""

    measures: list[str]
    facts: str = ""
    provisions: str = ""
    act_date: datetime.date | None = None
    party_kind: str = PartyKind.UNIT
    party_name: str = ""
    party_id_number: str = ""
    party_address: str = ""  # a natural person's 住址; kept out of the proposal's hash
    benchmark_code: str = ""
    discretion_facts: dict[str, Any] = field(default_factory=dict)
    fine_amount: int = 0
    confiscation_amount: int = 0
    justification: str = ""


def _proposal_snapshot(case: Case) -> dict[str, Any]:
    """The proposal as the party is told it and the reviewer passes it."""
    return {
        "case": case.pk,
        "entity": case.entity.uscc,
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "facts": case.facts,
        "act_date": case.act_date.isoformat(),
        "provisions": case.provisions,
        "benchmark": case.benchmark_id,
        "level": case.recommended_level,
        "measures": list(case.measures),
        "fine_amount": case.fine_amount,
        "confiscation_amount": case.confiscation_amount,
        "justification": case.justification,
        "findings": sorted(case.findings.values_list("pk", flat=True)),
    }


def proposal_hash_of(case: Case) -> str:
    return proposal_digest(_proposal_snapshot(case))


def _proposal_evaluate(case: Case, v: ProposalValues) -> dict[str, Any]:
    """Check the values and compute what follows from them; raise with every reason at once."""
    from anjian.cases import parties

    v = parties.proposal_values_for(case, v)
    errors: dict[str, Any] = {}
    measures = list(dict.fromkeys(v.measures))
    if not measures:
        errors["measures"] = _("Choose at least one measure.")
    if any(m not in LADDER for m in measures):
        errors["measures"] = _("Choose one of the listed values.")
        measures = [m for m in measures if m in LADDER]
    if MeasureKind.FIRST_OFFENCE_EXEMPT in measures and set(measures) & PENALTIES:
        errors["measures"] = _("No penalty for a first offence excludes every penalty.")
    fine = int(v.fine_amount or 0)
    confiscation = int(v.confiscation_amount or 0)
    if fine < 0 or confiscation < 0:
        errors["fine_amount"] = _("Amounts cannot be negative.")
    if MeasureKind.FINE in measures and fine <= 0:
        errors["fine_amount"] = _("Give the fine in yuan.")
    if MeasureKind.FINE not in measures and fine:
        errors["fine_amount"] = _("A fine amount needs the fine among the measures.")
    if MeasureKind.CONFISCATION in measures and confiscation <= 0:
        errors["confiscation_amount"] = _("Give the amount to confiscate in yuan.")
    if MeasureKind.CONFISCATION not in measures and confiscation:
        errors["confiscation_amount"] = _("An amount needs confiscation among the measures.")
    if v.party_kind not in PartyKind.values:
        errors["party_kind"] = _("Choose one of the listed values.")
    if v.party_kind == PartyKind.INDIVIDUAL:
        if not v.party_name.strip():
            errors["party_name"] = _("Give the natural person's name.")
        problem = v.party_id_number and id_number_problem(id_number_clean(v.party_id_number))
        if problem:
            errors["party_id_number"] = problem
    act_date = v.act_date or case.act_date
    if act_date > _today():
        errors["act_date"] = _("The date cannot be in the future.")
    if not (v.facts or case.facts).strip():
        errors["facts"] = _("This value is required.")
    rec = None
    code = v.benchmark_code.strip()
    if code:
        try:
            # 从旧兼从轻: the decision is expected today, so the version in force today is
            # weighed against the act's.
            rec = recommend_penalty(
                code, v.discretion_facts or {}, on=act_date, decided_on=_today()
            )
        except NotFound as exc:
            errors["benchmark_code"] = exc.message
        except ServiceError as exc:
            errors.update({k: m[0] for k, m in exc.fields.items()})
    if rec is not None:  # a responsible person's fine against the person's range (ADR 0011)
        rec, problem = parties.recommendation_for_party(case, v.party_kind, rec)
        if problem:
            errors["benchmark_code"] = problem
    proposal = Proposal(
        party_kind=v.party_kind,
        measures=measures,
        fine_amount=fine,
        confiscation_amount=confiscation,
    )
    check = discretion_check(proposal, rec)
    if (
        rec is None
        and proposal.has_penalty()
        and not {"benchmark_code", "discretion_facts"} & set(errors)
    ):
        errors["benchmark_code"] = _("A penalty is bounded by a discretion benchmark (N5.1).")
    if check.outside and not v.justification.strip() and rec is not None:
        errors["justification"] = _(
            "The proposal lies outside the benchmark: give a written justification. %(why)s"
        ) % {"why": "；".join(check.deviations)}
    findings = list(case.findings.all())
    major_finding = any(f.severity == "major" for f in findings)
    grave = (rec is not None and rec.grave) or major_finding
    # N3.5: the catalog says whether the observation period shelters this violation.
    shelter = shelter_decide(
        entity=case.entity,
        act_date=act_date,
        recommendation=rec,
        major_finding=major_finding,
        exemption_conditions_met=bool(
            ((v.discretion_facts or {}).get("answers") or {}).get(EXEMPTION_QUESTION)
        ),
    )
    refusal = observation_refusal(measures=measures, shelter=shelter)
    if refusal:
        errors["measures"] = refusal
    key = ""
    if proposal.has_penalty() and rec is not None:
        key = parties.penalty_key(
            entity_id=case.entity_id,
            benchmark_code=rec.benchmark.code,
            act_date=act_date,
            party_kind=v.party_kind,
            id_number=id_number_clean(v.party_id_number),
            name=v.party_name,
        )
        if Case.objects.filter(penalty_fact_key=key).exclude(pk=case.pk).exists():
            errors["benchmark_code"] = (
                parties.twice_refusal()
                if v.party_kind == PartyKind.INDIVIDUAL
                else _(
                    "This entity has already been penalised for this violation on this date "
                    "(no second penalty for the same fact)."
                )
            )
        busy = _findings_punished(case)
        if busy:
            errors["measures"] = _(
                "A finding of this case was already penalised in case %(numbers)s."
            ) % {"numbers": "、".join(busy)}
    if errors:
        raise ServiceError.for_fields(errors)
    outside = check.outside
    reasons = major_reasons(proposal, outside_benchmark=outside)
    calculation = {
        "facts": v.discretion_facts or {},
        "recommendation": check.recommendation,
        "law": rec.law if rec else {},
        "deviations": check.deviations,
        "outside": outside,
        "in_observation": shelter.in_observation,
        "shelter": shelter.as_dict(),
        "grave": grave,
    }
    return {
        "facts": (v.facts or case.facts).strip(),
        "provisions": v.provisions.strip(),
        "act_date": act_date,
        "party_kind": v.party_kind,
        "party_name": v.party_name.strip() if v.party_kind == PartyKind.INDIVIDUAL else "",
        "party_id_number": (
            id_number_clean(v.party_id_number) if v.party_kind == PartyKind.INDIVIDUAL else ""
        ),
        "party_address": (
            " ".join(v.party_address.split()) if v.party_kind == PartyKind.INDIVIDUAL else ""
        ),
        "benchmark": rec.benchmark if rec else None,
        "discretion_facts": _facts_stored(v.discretion_facts or {}, rec),
        "recommended_level": rec.level if rec else "",
        "discretion": calculation,
        "measures": [m for m in LADDER if m in measures],
        "fine_amount": fine,
        "confiscation_amount": confiscation,
        "justification": v.justification.strip() if outside else "",
        "grave": grave,
        "hearing_entitled": hearing_entitled(proposal),
        "major": bool(reasons),
        "major_reasons": reasons,
    }


def _facts_stored(facts: dict[str, Any], rec: Any) -> dict[str, Any]:
    """The officer's answers as typed by the benchmark (numbers as numbers), with the rest."""
    if rec is None:
        return facts
    return {**facts, "answers": {**(facts.get("answers") or {}), **rec.answers}}


def _findings_punished(case: Case) -> list[str]:
    return sorted(
        Case.objects.filter(findings__in=case.findings.all(), penalty_fact_key__isnull=False)
        .exclude(pk=case.pk)
        .values_list("number", flat=True)
        .distinct()
    )


@transaction.atomic
def case_proposal_set(
    *, actor: Any, case: Case, values: ProposalValues, source: str = AuditSource.WEB
) -> Case:
    """The handlers' proposal: measures from the ladder, checked against the benchmark in force
    on the act date (N5.1), the observation period (N3.5) and 一事不再罚. Open while the case is
    being investigated; a change voids any earlier legal review (its hash no longer matches)."""
    actor_require(actor, Capability.CASES_HANDLE)
    case = _lock(case)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    _require_handler(actor, case)
    if case.state != CaseState.INVESTIGATING:
        raise Conflict(_("The proposal is set while the case is being investigated."))
    evaluated = _proposal_evaluate(case, values)
    for key, value in evaluated.items():
        setattr(case, key, value)
    case.proposal_hash = proposal_hash_of(case)
    case.save()
    _record(
        actor=actor,
        case=case,
        action="propose",
        data={
            "measures": case.measures,
            "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount,
            "benchmark": case.benchmark.code if case.benchmark else "",
            "level": case.recommended_level,
            "outside_benchmark": case.discretion.get("outside", False),
            "hearing_entitled": case.hearing_entitled,
            "major": case.major,
            "proposal_hash": case.proposal_hash,
        },
        source=source,
    )
    return case


# --- notice, statement and defence, hearing ------------------------------------------------


@transaction.atomic
def case_notify(
    *,
    actor: Any,
    case: Case,
    notified_on: datetime.date | None = None,
    document: dict[str, Any] | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """行政处罚告知: the proposal is served on the party, with the deadline for a statement and
    defence and, when the party is entitled, for asking for a hearing (working days)."""
    from django.conf import settings

    case = _lock(case)
    _allowed(actor, case, CaseAction.NOTIFY)
    if not case.measures or not case.proposal_hash:
        raise ServiceError.for_field("measures", _("Set the proposal before the notice."))
    if case.proposal_hash != proposal_hash_of(case):
        raise Conflict(_("The proposal changed without the service; set it again."))
    day = _not_future("notified_on", notified_on)
    if day < case.opened_on:
        raise ServiceError.for_field("notified_on", _("The notice follows the opening."))
    hearing = (
        workdays_after(day, settings.ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS)
        if case.hearing_entitled
        else None
    )
    _step(
        actor=actor,
        case=case,
        action=CaseAction.NOTIFY,
        update={
            "notified_on": day,
            "statement_deadline": workdays_after(day, settings.ANJIAN_CASE_STATEMENT_WORKING_DAYS),
            "hearing_deadline": hearing,
            "hearing_waived_on": None,
            "hearing_requested_on": None,
            "hearing_held_on": None,
            "statement": "",
        },
        data={"notified_on": day, "hearing_entitled": case.hearing_entitled},
        source=source,
    )
    integration.notice_issued(actor=actor, case=case, document=document)
    return case


@transaction.atomic
def case_hearing_waive(
    *,
    actor: Any,
    case: Case,
    waived_on: datetime.date | None = None,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """The party waives the hearing in writing (recorded; the written waiver goes in the
    evidence)."""
    actor_require(actor, Capability.CASES_HANDLE)
    case = _lock(case)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    _require_handler(actor, case)
    if case.state != CaseState.NOTIFIED or not case.hearing_entitled:
        raise Conflict(_("Only a party entitled to a hearing, after the notice, waives it."))
    if case.hearing_waived_on:
        raise Conflict(_("The hearing has already been waived."))
    day = _not_future("waived_on", waived_on)
    Case.objects.filter(pk=case.pk).update(hearing_waived_on=day)
    case.hearing_waived_on = day
    _record(
        actor=actor,
        case=case,
        action="hearing_waive",
        note=note,
        data={"waived_on": day},
        source=source,
    )
    return case


@transaction.atomic
def case_hearing_request(
    *,
    actor: Any,
    case: Case,
    requested_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    case = _lock(case)
    _allowed(actor, case, CaseAction.HEARING_REQUEST)
    day = _not_future("requested_on", requested_on)
    if not case.hearing_entitled:
        raise Conflict(_("The proposed penalty does not entitle the party to a hearing."))
    if case.hearing_waived_on:
        raise Conflict(_("The party waived the hearing in writing."))
    if case.hearing_deadline and day > case.hearing_deadline:
        raise ServiceError.for_field(
            "requested_on",
            _("The request came after the deadline of %(day)s.") % {"day": case.hearing_deadline},
        )
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.HEARING_REQUEST,
        update={"hearing_requested_on": day},
        data={"requested_on": day},
        source=source,
    )


@transaction.atomic
def case_party_statement(
    *, actor: Any, case: Case, text: str, source: str = AuditSource.WEB
) -> Case:
    """陈述申辩 sent by the party itself through its enterprise account (enterprise app, which
    checks who may sign): recorded on the case's timeline within the statement period, for the
    handlers to weigh; closing the step (`case_defence_close`) takes it as the statement."""
    actor_require(actor, Capability.ENTERPRISE_SELF)
    case = _lock(case)
    actor_require_visible(actor, case)
    if case.state != CaseState.NOTIFIED:
        raise Conflict(_("The statement and defence is not open in this case now."))
    text = text.strip()
    if not text:
        raise ServiceError.for_field("text", _("Write the statement and defence."))
    if len(text) > 10000:
        raise ServiceError.for_field("text", _("At most %(n)d characters.") % {"n": 10000})
    if case.statement_deadline and _today() > case.statement_deadline:
        raise ServiceError.for_field(
            "text",
            _("The period for a statement ended on %(day)s.") % {"day": case.statement_deadline},
        )
    _record(
        actor=actor,
        case=case,
        action="party_statement",
        note=text,
        data={"received_on": _today()},
        source=source,
    )
    return case


@transaction.atomic
def case_party_hearing_request(*, actor: Any, case: Case, source: str = AuditSource.WEB) -> Case:
    """The party's own request for a hearing through its enterprise account, within the period
    (the same step as an officer's record of a request, dated today)."""
    actor_require(actor, Capability.ENTERPRISE_SELF)
    actor_require_visible(actor, case)
    return case_hearing_request(
        actor=Actor(id=actor.pk, name=actor.get_username()), case=case, source=source
    )


def party_statements(case: Case) -> str:
    """What the party sent through its account, in order (for the step that closes it)."""
    notes = (
        case.events.filter(action="party_statement").order_by("id").values_list("note", flat=True)
    )
    return "\n\n".join(notes)


def _after_statement(case: Case) -> str:
    if case.major or case.review_reasons:  # or the handler's reasons of 第五十八条
        return CaseState.LEGAL_REVIEW
    if deliberation_required(major=False):
        return CaseState.DELIBERATION
    return CaseState.AWAITING_DECISION


def _review_open(actor: Any, case: Case) -> None:
    """Send the file to legal review: the review pins the proposal by its hash."""
    from anjian.cases.selectors import case_file_hash

    LegalReview.objects.create(
        case=case,
        snapshot_hash=case.proposal_hash,
        file_hash=case_file_hash(case),
        submitted_by=None if isinstance(actor, Actor) else actor,
    )


@transaction.atomic
def case_hearing_record(
    *,
    actor: Any,
    case: Case,
    held_on: datetime.date,
    report: str,
    source: str = AuditSource.WEB,
) -> Case:
    """听证: the hearing was held; its report goes with the file to the next step."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.HEARING_RECORD)
    day = _not_future("held_on", held_on)
    if not report.strip():
        raise ServiceError.for_field("report", _("Summarise the hearing."))
    target = _after_statement(case)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.HEARING_RECORD,
        to=target,
        note=report.strip(),
        update={"hearing_held_on": day, "statement": report.strip()},
        data={"held_on": day},
        source=source,
    )
    if target == CaseState.LEGAL_REVIEW:
        _review_open(actor, case)
    return case


@transaction.atomic
def case_defence_close(
    *,
    actor: Any,
    case: Case,
    statement: str = "",
    party_waived: bool = False,
    source: str = AuditSource.WEB,
) -> Case:
    """陈述申辩: record what the party said (or that it said nothing); the deadlines protect the
    party's rights: before they pass, only its statement or written waiver closes this step."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.DEFENCE_CLOSE)
    today = _today()
    statement = statement.strip() or party_statements(case)
    if (
        not statement
        and not party_waived
        and case.statement_deadline
        and today <= case.statement_deadline
    ):
        raise Conflict(
            _("The party may make a statement until %(day)s.") % {"day": case.statement_deadline}
        )
    if (
        case.hearing_entitled
        and not case.hearing_waived_on
        and case.hearing_deadline
        and today <= case.hearing_deadline
    ):
        raise Conflict(
            _("The party may ask for a hearing until %(day)s, unless it waives it in writing.")
            % {"day": case.hearing_deadline}
        )
    target = _after_statement(case)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.DEFENCE_CLOSE,
        to=target,
        note=statement,
        update={"statement": statement},
        data={"party_waived": party_waived, "statement_given": bool(statement)},
        source=source,
    )
    if target == CaseState.LEGAL_REVIEW:
        _review_open(actor, case)
    return case


# --- legal review, deliberation, decision --------------------------------------------------


@transaction.atomic
def case_review_decide(
    *,
    actor: Any,
    case: Case,
    passed: bool,
    opinion: str,
    return_to: str = CaseState.INVESTIGATING,
    source: str = AuditSource.WEB,
) -> LegalReview:
    """法制审核: the reviewer of the case's bureau, who does not handle it, passes the proposal
    or returns the case (to investigating, or to the statement and defence) with reasons."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.REVIEW_PASS)
    if not isinstance(actor, Actor) and case.handlers.filter(pk=actor.pk).exists():
        raise NotPermitted(_("A handler of the case does not review it."))
    if not opinion.strip():
        raise ServiceError.for_field("opinion", _("Give the review's opinion and reasons."))
    if not passed and return_to not in (CaseState.INVESTIGATING, CaseState.NOTIFIED):
        raise ServiceError.for_field("return_to", _("Choose one of the listed values."))
    review = (
        LegalReview.objects.select_for_update()
        .filter(case=case, result=ReviewResult.PENDING)
        .order_by("-id")
        .first()
    )
    if review is None and case.state == CaseState.LEGAL_REVIEW:
        raise Conflict(_("No review is pending for this case."))
    if review is not None and review.snapshot_hash != case.proposal_hash:
        raise Conflict(_("The proposal changed after it was sent to review."))
    target: str
    if passed:
        target = (
            CaseState.DELIBERATION
            if deliberation_required(major=case.major)
            else CaseState.AWAITING_DECISION
        )
        action = CaseAction.REVIEW_PASS
    else:
        target, action = return_to, CaseAction.REVIEW_RETURN
    _step(
        actor=actor,
        case=case,
        action=action,
        to=target,
        note=opinion.strip(),
        data={"proposal_hash": case.proposal_hash},
        source=source,
    )
    assert review is not None
    review.result = ReviewResult.PASS if passed else ReviewResult.RETURN
    review.reviewer = None if isinstance(actor, Actor) else actor
    review.decided_at = clock.now()
    review.opinion = opinion.strip()
    review.returned_to = "" if passed else return_to
    review.save()
    audit_record(
        actor=actor,
        action="cases.review.passed" if passed else "cases.review.returned",
        obj=review,
        region=case.region_id,
        changes={"case": case.number, "snapshot_hash": review.snapshot_hash},
        source=source,
    )
    return review


@transaction.atomic
def case_deliberate(
    *,
    actor: Any,
    case: Case,
    held_on: datetime.date,
    participants: str,
    conclusion: str,
    source: str = AuditSource.WEB,
) -> Deliberation:
    """集体讨论 by the bureau's leadership (行政处罚法 第五十七条)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.DELIBERATE)
    day = _not_future("held_on", held_on)
    errors = {}
    if not participants.strip():
        errors["participants"] = _("This value is required.")
    if not conclusion.strip():
        errors["conclusion"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.DELIBERATE,
        note=conclusion.strip(),
        data={"held_on": day},
        source=source,
    )
    return Deliberation.objects.create(
        case=case,
        held_on=day,
        participants=participants.strip(),
        conclusion=conclusion.strip(),
        recorded_by=None if isinstance(actor, Actor) else actor,
    )


def gate_refusal(case: Case) -> str | None:
    """Why the case cannot be decided now under the legal-review gate (N5.2), or None.

    "Major" is computed again from the proposal (not read from the stored flag), and the
    passed review must be of this very proposal: a change after the review voids it."""
    current = proposal_hash_of(case)
    if current != case.proposal_hash:
        return str(_("The proposal changed without the service; it needs a new review."))
    proposal = Proposal(
        party_kind=case.party_kind,
        measures=list(case.measures),
        fine_amount=case.fine_amount,
        confiscation_amount=case.confiscation_amount,
    )
    reasons = major_reasons(proposal, outside_benchmark=bool(case.discretion.get("outside")))
    if case.review_reasons:  # the handler's reasons of 第五十八条 (legal_review.py)
        from anjian.cases.legal_review import review_reason_labels

        reasons = [*reasons, *review_reason_labels(case)]
    if not reasons and not case.major:
        return None
    passed = LegalReview.objects.filter(
        case=case, result=ReviewResult.PASS, snapshot_hash=current
    ).exists()
    if passed:
        return None
    return str(
        _(
            "A major decision (%(why)s) needs a passed legal review of the current proposal "
            "(重大执法决定法制审核)."
        )
        % {"why": "；".join(reasons or case.major_reasons)}
    )


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: Case,
    decided_on: datetime.date | None = None,
    document: dict[str, Any] | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """The decision. Refused for a major case without a passed legal review of the current
    proposal, whatever the caller; a penalty's fact is taken (一事不再罚)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.DECIDE)
    refusal = gate_refusal(case)
    if refusal:
        raise NotPermitted(refusal)
    day = _not_future("decided_on", decided_on)
    # The decision number is the issued decision's own number (integration.decision_issued).
    update: dict[str, Any] = {"decided_on": day}
    if set(case.measures) & PENALTIES and case.benchmark is not None:
        from anjian.cases.parties import case_penalty_key, twice_refusal

        key = case_penalty_key(case)
        if Case.objects.filter(penalty_fact_key=key).exists():
            raise Conflict(twice_refusal())
        if _findings_punished(case):
            raise Conflict(_("This fact has already been penalised (一事不再罚)."))
        update["penalty_fact_key"] = key
    _step(
        actor=actor,
        case=case,
        action=CaseAction.DECIDE,
        update=update,
        data={
            "decided_on": day,
            "measures": case.measures,
            "fine_amount": case.fine_amount,
            "major": case.major,
            "proposal_hash": case.proposal_hash,
        },
        source=source,
    )
    integration.decision_issued(actor=actor, case=case, document=document)
    return case


# --- after the decision --------------------------------------------------------------------


@transaction.atomic
def case_serve(
    *,
    actor: Any,
    case: Case,
    served_on: datetime.date,
    method: str,
    source: str = AuditSource.WEB,
) -> Case:
    """送达: the decision reached the party (date and method)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.SERVE)
    day = _not_future("served_on", served_on)
    if method not in ServiceMethod.values:
        raise ServiceError.for_field("method", _("Choose one of the listed values."))
    if case.decided_on and day < case.decided_on:
        raise ServiceError.for_field("served_on", _("Service follows the decision."))
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.SERVE,
        update={"served_on": day, "service_method": method},
        data={"served_on": day, "method": method},
        source=source,
    )


def amount_due(case: Case) -> int:
    """The fine, the confiscated amount and the late-payment surcharge once decided."""
    return int(case.fine_amount) + int(case.confiscation_amount) + int(case.surcharge_amount)


def amount_paid(case: Case) -> int:
    return int(case.payments.aggregate(s=Sum("amount"))["s"] or 0)


@transaction.atomic
def case_payment_record(
    *,
    actor: Any,
    case: Case,
    amount: int,
    paid_on: datetime.date,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Payment:
    """A payment towards the fine and confiscation; several partial payments add up."""
    actor_require(actor, Capability.CASES_HANDLE)
    case = _lock(case)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    _require_handler(actor, case)
    if case.state not in PAYING_STATES:
        raise Conflict(_("Payments are recorded after the decision is served."))
    day = _not_future("paid_on", paid_on)
    remaining = amount_due(case) - amount_paid(case)
    if amount <= 0 or amount > remaining:
        raise ServiceError.for_field(
            "amount",
            _("Give an amount between 1 and the %(left)s yuan still due.")
            % {"left": f"{remaining:,}"},
        )
    payment = Payment.objects.create(
        case=case,
        amount=amount,
        paid_on=day,
        note=note.strip(),
        recorded_by=None if isinstance(actor, Actor) else actor,
    )
    _record(
        actor=actor,
        case=case,
        action="payment",
        note=note.strip(),
        data={"amount": amount, "paid_on": day, "remaining": remaining - amount},
        source=source,
    )
    return payment


@transaction.atomic
def case_execute(
    *,
    actor: Any,
    case: Case,
    executed_on: datetime.date,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """执行: the fine is paid in full and the other measures carried out."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.EXECUTE)
    day = _not_future("executed_on", executed_on)
    remaining = amount_due(case) - amount_paid(case)
    if remaining > 0:
        raise Conflict(
            _("%(left)s yuan are still unpaid.") % {"left": f"{remaining:,}"},
        )
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.EXECUTE,
        to=CaseState.EXECUTED,
        note=note,
        update={"executed_on": day},
        data={"executed_on": day},
        source=source,
    )


@transaction.atomic
def case_close(*, actor: Any, case: Case, note: str = "", source: str = AuditSource.WEB) -> Case:
    """结案: when every party's decision is executed or otherwise ended (parties.py)."""
    from anjian.cases import parties

    case = _lock(case)
    _allowed(actor, case, CaseAction.CLOSE)
    refusal = parties.close_refusal(case)
    if refusal:
        raise Conflict(refusal)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.CLOSE,
        note=note,
        update={"closed_on": _today()},
        source=source,
    )
    parties.close_parties(actor=actor, case=case, note=note, source=source)
    return case


@transaction.atomic
def case_withdraw(*, actor: Any, case: Case, reason: str, source: str = AuditSource.WEB) -> Case:
    """撤案, with the reason (e.g. the facts do not hold, or the matter is time-barred)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.WITHDRAW)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the case is withdrawn."))
    from anjian.cases import parties

    refusal = parties.withdraw_refusal(case)
    if refusal:
        raise Conflict(refusal)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.WITHDRAW,
        note=reason.strip(),
        update={"end_reason": reason.strip(), "closed_on": _today()},
        source=source,
    )
    parties.withdraw_parties(actor=actor, case=case, reason=reason.strip(), source=source)
    return case


# --- transfer of the whole case (N4.1) ----------------------------------------------------


@transaction.atomic
def case_transfer(
    *,
    actor: Any,
    case: Case,
    reason: str,
    to_bureau: Bureau | None = None,
    to_department: str = "",
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    """移送: the whole case goes to the body that has jurisdiction; it ends here as
    transferred, and the receipt and result come back on the transfer."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.TRANSFER)
    errors = transfer_recipient_errors(case.bureau, to_bureau, to_department)
    if not reason.strip():
        errors["reason"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.TRANSFER,
        note=reason.strip(),
        update={"end_reason": reason.strip(), "closed_on": _today()},
        data={
            "to_bureau": to_bureau.name if to_bureau else "",
            "to_department": to_department.strip(),
        },
        source=source,
    )
    return transfer_create(
        actor=actor,
        entity=case.entity,
        from_bureau=case.bureau,
        case=case,
        finding=None,
        whole_case=True,
        to_bureau=to_bureau,
        to_department=to_department,
        reason=reason,
        source=source,
    )


def open_cases_of(findings: Iterable[Finding]) -> Any:
    """Cases (not ended) that hold any of these findings."""
    return Case.objects.filter(Q(findings__in=list(findings))).exclude(state__in=ENDED_STATES)
