"""API for enforcement cases: list, detail, proposal and steps, calling the same services as
the pages (the legal-review gate holds here too)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.cases import selectors, services, transfers
from anjian.cases.measures import MeasureKind
from anjian.cases.services import ProposalValues
from anjian.cases.states import CaseState
from anjian.catalog.discretion import circumstance_label, penalty_kind_labels
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource

router = Router(tags=["cases"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class CaseOut(Schema):
    id: int
    number: str
    title: str
    state: str
    state_label: str
    bureau: str
    region_code: str
    uscc: str
    entity_name: str
    major: bool
    hearing_entitled: bool
    opened_on: datetime.date
    decided_on: datetime.date | None
    # A responsible person's proceedings: the unit's case (双罚, /cases/{id}/parties).
    lead_id: int | None = None

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        state = obj["state"] if isinstance(obj, dict) else obj.state
        return str(CaseState(state).label)

    @staticmethod
    def resolve_bureau(obj: Any) -> str:
        return obj["bureau"] if isinstance(obj, dict) else obj.bureau.name

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj["region_code"] if isinstance(obj, dict) else obj.region_id

    @staticmethod
    def resolve_uscc(obj: Any) -> str:
        return obj["uscc"] if isinstance(obj, dict) else obj.entity.uscc

    @staticmethod
    def resolve_entity_name(obj: Any) -> str:
        return obj["entity_name"] if isinstance(obj, dict) else obj.entity.name


class EventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str
    note: str
    at: datetime.datetime

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return obj.action_label()

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.username if obj.actor else ""


class CaseDetailOut(CaseOut):
    party_kind: str
    party_name: str
    party_id_number: str
    party_masked: bool
    party_position: str
    facts: str
    act_date: datetime.date
    provisions: str
    measures: list[str]
    measure_labels: list[str]
    fine_amount: int
    confiscation_amount: int
    justification: str
    major_reasons: list[str]
    discretion: dict
    # The discretion's codes in words: {"level": "严重", "penalty_kinds": ["责令改正", ...]}.
    discretion_labels: dict
    proposal_hash: str
    statement_deadline: datetime.date | None
    hearing_deadline: datetime.date | None
    timeline: list[EventOut]
    actions: list[str]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseQuery(InputSchema):
    state: str = ""
    cursor: str | None = None
    limit: int = 50


def _discretion_labels(calculation: dict[str, Any]) -> dict[str, Any]:
    recommendation = (calculation or {}).get("recommendation") or {}
    if not recommendation:
        return {}
    return {
        "level": circumstance_label(recommendation.get("level", "")),
        "penalty_kinds": penalty_kind_labels(recommendation.get("penalty_kinds")),
    }


def _detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_get(request.user, case_id)
    party = selectors.party_for(request.user, case)
    out: dict[str, Any] = {
        field: getattr(case, field)
        for field in ("id", "number", "title", "state", "major", "hearing_entitled")
    }
    out.update(
        lead_id=case.lead_id,
        party_position=case.party_position,
        opened_on=case.opened_on,
        decided_on=case.decided_on,
        bureau=case.bureau.name,
        region_code=case.region_id,
        uscc=case.entity.uscc,
        entity_name=case.entity.name,
        party_kind=case.party_kind,
        party_name=party.name,
        party_id_number=party.id_number,
        party_masked=party.masked,
        facts=case.facts,
        act_date=case.act_date,
        provisions=case.provisions,
        measures=list(case.measures),
        measure_labels=[str(MeasureKind(m).label) for m in case.measures],
        fine_amount=case.fine_amount,
        confiscation_amount=case.confiscation_amount,
        justification=case.justification,
        major_reasons=list(case.major_reasons),
        discretion=case.discretion,
        discretion_labels=_discretion_labels(case.discretion),
        proposal_hash=case.proposal_hash,
        statement_deadline=case.statement_deadline,
        hearing_deadline=case.hearing_deadline,
        timeline=list(selectors.timeline(case)),
        actions=selectors.actions_for(request.user, case),
    )
    return out


@router.get("/cases", response={200: CasePage, **ERRORS})
def case_list(request: HttpRequest, query: Query[CaseQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = selectors.case_list(request.user, state=query.state)
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **ERRORS})
def case_get(request: HttpRequest, case_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return _detail(request, case_id)


class ProposalIn(InputSchema):
    measures: list[str]
    facts: str = Field("", max_length=10000)
    provisions: str = Field("", max_length=500)
    act_date: datetime.date | None = None
    party_kind: str = "unit"
    party_name: str = Field("", max_length=64)
    party_id_number: str = Field("", max_length=24)  # spaces allowed; stored as 18
    party_address: str = Field("", max_length=200)  # a natural person's 住址
    benchmark_code: str = Field("", max_length=30)
    discretion_facts: dict = Field(
        {},
        description="The answers to the benchmark's questions on its tiers' conditions and the "
        'factors present: {"answers": {"<question key>": number | true/false}, "factors": '
        '["<factor name>"]}. Benchmarks without conditions as data also read the flat keys '
        '"first_offence", "corrected_in_time", "not_corrected".',
    )
    fine_amount: int = Field(0, ge=0)
    confiscation_amount: int = Field(0, ge=0)
    justification: str = Field("", max_length=4000)


@router.post("/cases/{case_id}/proposal", response={200: CaseDetailOut, **ERRORS})
def case_proposal(request: HttpRequest, case_id: int, payload: ProposalIn) -> Any:
    require_capability(request, Capability.CASES_HANDLE)
    case = selectors.case_get(request.user, case_id)
    services.case_proposal_set(
        actor=request.user,
        case=case,
        values=ProposalValues(**payload.dict()),
        source=AuditSource.API,
    )
    return _detail(request, case_id)


class StepIn(InputSchema):
    action: str = Field(
        description="approve, refuse, notify, hearing_waive, hearing_request, hearing_record, "
        "defence_close, review_pass, review_return, deliberate, decide, serve, payment, execute, "
        "close, withdraw, transfer, clue."
    )
    note: str = Field("", max_length=4000)
    on: datetime.date | None = None
    party_waived: bool = False
    return_to: str = "investigating"
    participants: str = Field("", max_length=2000)
    method: str = ""
    amount: int = 0
    to_bureau_id: int | None = None
    to_department: str = Field("", max_length=200)


@router.post("/cases/{case_id}/steps", response={200: CaseDetailOut, **ERRORS})
def case_step(request: HttpRequest, case_id: int, payload: StepIn) -> Any:
    require_capability(request, Capability.WORKSPACE)
    case = selectors.case_get(request.user, case_id)
    u, p, api = request.user, payload, AuditSource.API
    day = p.on or timezone.localdate()
    to_bureau = None
    if p.to_bureau_id is not None:
        to_bureau = Bureau.objects.filter(pk=p.to_bureau_id, is_active=True).first()
        if to_bureau is None:
            raise ServiceError.for_field("to_bureau_id", "No such bureau.")
    calls: dict[str, Any] = {
        "approve": lambda: services.case_filing_decide(
            actor=u, case=case, approve=True, note=p.note, source=api
        ),
        "refuse": lambda: services.case_filing_decide(
            actor=u, case=case, approve=False, note=p.note, source=api
        ),
        "notify": lambda: services.case_notify(actor=u, case=case, notified_on=p.on, source=api),
        "hearing_waive": lambda: services.case_hearing_waive(
            actor=u, case=case, waived_on=p.on, note=p.note, source=api
        ),
        "hearing_request": lambda: services.case_hearing_request(
            actor=u, case=case, requested_on=p.on, source=api
        ),
        "hearing_record": lambda: services.case_hearing_record(
            actor=u, case=case, held_on=day, report=p.note, source=api
        ),
        "defence_close": lambda: services.case_defence_close(
            actor=u, case=case, statement=p.note, party_waived=p.party_waived, source=api
        ),
        "review_pass": lambda: services.case_review_decide(
            actor=u, case=case, passed=True, opinion=p.note, source=api
        ),
        "review_return": lambda: services.case_review_decide(
            actor=u, case=case, passed=False, opinion=p.note, return_to=p.return_to, source=api
        ),
        "deliberate": lambda: services.case_deliberate(
            actor=u,
            case=case,
            held_on=day,
            participants=p.participants,
            conclusion=p.note,
            source=api,
        ),
        "decide": lambda: services.case_decide(actor=u, case=case, decided_on=p.on, source=api),
        "serve": lambda: services.case_serve(
            actor=u, case=case, served_on=day, method=p.method, source=api
        ),
        "payment": lambda: services.case_payment_record(
            actor=u, case=case, amount=p.amount, paid_on=day, note=p.note, source=api
        ),
        "execute": lambda: services.case_execute(
            actor=u, case=case, executed_on=day, note=p.note, source=api
        ),
        "close": lambda: services.case_close(actor=u, case=case, note=p.note, source=api),
        "withdraw": lambda: services.case_withdraw(actor=u, case=case, reason=p.note, source=api),
        "transfer": lambda: services.case_transfer(
            actor=u,
            case=case,
            reason=p.note,
            to_bureau=to_bureau,
            to_department=p.to_department,
            source=api,
        ),
        "clue": lambda: transfers.clue_transfer_send(
            actor=u,
            case=case,
            reason=p.note,
            to_bureau=to_bureau,
            to_department=p.to_department,
            source=api,
        ),
    }
    if p.action not in calls:
        raise ServiceError.for_field("action", "Unknown step.")
    calls[p.action]()
    return _detail(request, case_id)


# The unpaid fine, the handling period, 查封扣押 and the art. 58 review request, the case file's
# documents and the art. 70 supply stop, and the parties of a case add their routes to this router.
from anjian.cases import casefile_api, execution_api, party_api  # noqa: E402, F401
