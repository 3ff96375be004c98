"""From the proposal to the decision's eve: the handlers' proposal against the benchmark (N5.1),
the notice (告知), statement and defence, the hearing, legal review (N5.2) and deliberation
(集体讨论). The shared checks are in `_common`; `services` re-exports the public functions.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases import integration
from anjian.cases._common import (
    _allowed,
    _findings_punished,
    _lock,
    _not_future,
    _record,
    _require_handler,
    _same_bureau,
    _step,
    _today,
    id_number_clean,
    id_number_problem,
)
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
    Deliberation,
    LegalReview,
    ReviewResult,
)
from anjian.cases.states import CaseAction, CaseState
from anjian.catalog.discretion import answers_of, recommend_penalty
from anjian.catalog.observation import EXEMPTION_QUESTION, shelter_decide
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region, actor_require_visible
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import workdays_after

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
    from anjian.cases import correction_record, parties

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
    if rec is not None:  # the not-corrected branch against the correction orders on record
        # What the officer answered (typed as the benchmark reads it), not the defaults.
        answers = {
            k: rec.answers.get(k, value)
            for k, value in answers_of(v.discretion_facts or {}).items()
        }
        problem = correction_record.branch_problems(
            case,
            answers=answers,
            article=parties.benchmark_article(rec.benchmark.code),
            co_party=parties.is_co_party(case),
            today=_today(),
        )
        if problem:
            errors["discretion_facts"] = problem
        note = correction_record.branch_note(case, answers)
        if note:
            rec = dataclasses.replace(rec, reasons=[*rec.reasons, note])
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
