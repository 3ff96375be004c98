"""API of the case file (issue 19): the documents of the case in reading order, an on-demand
document (casefile_documents.py) and the art. 70 supply stop (supply_stop.py): the same
services as the case page. Routes on the cases router (imported at the end of cases/api.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.cases import casefile, casefile_documents, selectors, supply_stop
from anjian.cases.api import ERRORS, router
from anjian.core.api_support import InputSchema, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource


class CaseFileDocumentOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: datetime.date
    verification_code: str


class CaseFileOut(Schema):
    documents: list[CaseFileDocumentOut]
    on_demand: list[str]


class CaseFileDocumentIn(InputSchema):
    kind: str = Field(max_length=32)
    # The form's fields of the kind (casefile_documents.ON_DEMAND), as the page posts them.
    values: dict[str, Any] = Field(default_factory=dict)


class SupplyStopIn(InputSchema):
    supply: str = Field(max_length=16)
    supplier: str = Field(max_length=200)
    order: str = Field(max_length=300)
    facts: str = Field(max_length=4000)
    approved_by: str = Field(max_length=64)
    effective_at: datetime.datetime
    emergency: str = Field(default="", max_length=4000)


class SupplyReleaseIn(InputSchema):
    stop_id: int
    reason: str = Field(max_length=4000)


class SupplyStopOut(Schema):
    id: int
    supply: str
    supplier: str
    effective_at: datetime.datetime
    released_at: datetime.datetime | None


def _doc(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "number": d.number,
        "issued_on": d.issued_on,
        "verification_code": d.verification_code,
    }


def _out(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_get(request.user, case_id)
    return {
        "documents": [_doc(d) for d in casefile.casefile_documents(request.user, case)],
        "on_demand": casefile_documents.on_demand_for(request.user, case),
    }


@router.get("/cases/{case_id}/casefile", response={200: CaseFileOut, **ERRORS})
def case_file(request: HttpRequest, case_id: int) -> Any:
    """The case file's documents in the order a reviewer reads them (the PDF's contents)."""
    require_capability(request, Capability.WORKSPACE)
    return _out(request, case_id)


@router.post("/cases/{case_id}/casefile", response={200: CaseFileDocumentOut, **ERRORS})
def case_file_issue(request: HttpRequest, case_id: int, payload: CaseFileDocumentIn) -> Any:
    require_capability(request, Capability.DOCUMENTS_ISSUE)
    case = selectors.case_get(request.user, case_id)
    if payload.kind not in casefile_documents.ON_DEMAND:
        raise ServiceError.for_field("kind", "This document is not issued from the case page.")
    values = casefile_documents.form_values(payload.kind, payload.values)
    doc = casefile_documents.casefile_document_issue(
        actor=request.user, case=case, kind=payload.kind, values=values, source=AuditSource.API
    )
    return _doc(doc)


def _stop(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "supply": s.supply,
        "supplier": s.supplier,
        "effective_at": s.effective_at,
        "released_at": s.released_at,
    }


@router.post("/cases/{case_id}/supply-stops", response={200: SupplyStopOut, **ERRORS})
def case_supply_stop(request: HttpRequest, case_id: int, payload: SupplyStopIn) -> Any:
    require_capability(request, Capability.WORKSPACE)
    case = selectors.case_get(request.user, case_id)
    stop = supply_stop.supply_stop_decide(
        actor=request.user, case=case, source=AuditSource.API, **payload.dict()
    )
    return _stop(stop)


@router.post("/cases/{case_id}/supply-stops/release", response={200: SupplyStopOut, **ERRORS})
def case_supply_release(request: HttpRequest, case_id: int, payload: SupplyReleaseIn) -> Any:
    require_capability(request, Capability.WORKSPACE)
    case = selectors.case_get(request.user, case_id)
    found = case.supply_stops.filter(pk=payload.stop_id).first()
    if found is None:
        raise ServiceError.for_field("stop_id", "No such measure in this case.")
    stop = supply_stop.supply_stop_release(
        actor=request.user, case=case, stop=found, reason=payload.reason, source=AuditSource.API
    )
    return _stop(stop)
