"""API of the parties of a case (双罚, cases/parties.py): add a responsible person, list the
parties. Routes on the cases router (imported at the end of cases/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.cases import parties, selectors
from anjian.cases.api import ERRORS, CaseDetailOut, _detail, router
from anjian.core.api_support import InputSchema, require_capability
from anjian.core.services import AuditSource


class PartyIn(InputSchema):
    name: str = Field(max_length=64)
    id_number: str = Field(max_length=24)  # spaces allowed; stored as 18
    address: str = Field(max_length=200)  # the person's own 住址
    position: str = Field(max_length=64)  # e.g. 主要负责人


class PartyOut(Schema):
    case_id: int  # the party's own proceedings (their steps go to /cases/{case_id}/…)
    is_unit_case: bool
    party_kind: str
    name: str  # masked for viewers who do not handle the case
    id_number: str
    position: str
    state: str
    measures: list[str]
    fine_amount: int
    hearing: str
    decision_number: str
    paid: int
    due: int


@router.post("/cases/{case_id}/parties", response={201: CaseDetailOut, **ERRORS})
def case_party_add(request: HttpRequest, case_id: int, payload: PartyIn) -> Any:
    """Add a responsible person of the unit as a party: their proceedings, under investigation."""
    require_capability(request, Capability.CASES_HANDLE)
    case = selectors.case_get(request.user, case_id)
    person = parties.case_party_add(
        actor=request.user, case=case, source=AuditSource.API, **payload.dict()
    )
    return Status(201, _detail(request, person.pk))


@router.get("/cases/{case_id}/parties", response={200: list[PartyOut], **ERRORS})
def case_parties(request: HttpRequest, case_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    case = selectors.case_get(request.user, case_id)
    return [
        PartyOut(
            case_id=r.case.pk,
            is_unit_case=r.is_lead,
            party_kind=r.case.party_kind,
            name=r.name,
            id_number=r.id_number,
            position=r.position,
            state=r.case.state,
            measures=list(r.case.measures),
            fine_amount=r.fine_amount,
            hearing=r.hearing,
            decision_number=r.case.decision_number,
            paid=r.paid,
            due=r.due,
        )
        for r in parties.parties_of(request.user, case)
    ]
