"""API of the verifiable log: checkpoints and proofs (docs/algorithms/audit-log.md).

Checkpoints, cosignatures and proofs are hashes and public (auth=None). An event's record and
the proof files for a document, evidence or draw need `audit.view` and the event in scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from anjian.accounts.roles import Capability
from anjian.auditlog import selectors, services
from anjian.auditlog.models import Checkpoint
from anjian.core.api_support import ErrorOut, InputSchema, require_capability
from anjian.core.errors import NotFound

router = Router(tags=["log"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class CosignatureOut(Schema):
    witness: str
    line: str
    signed_at: datetime.datetime


class CheckpointOut(Schema):
    origin: str
    algorithm: str
    tree_size: int
    root_hash: str
    created_at: datetime.datetime
    note: str
    cosignatures: list[CosignatureOut]

    @staticmethod
    def resolve_note(obj: Checkpoint) -> str:
        return services.checkpoint_note(obj)

    @staticmethod
    def resolve_cosignatures(obj: Checkpoint) -> list[Any]:
        return list(obj.cosignatures.all())


class CheckpointFilter(InputSchema):
    limit: int = 50


@router.get("/log/checkpoints", response={200: list[CheckpointOut], **ERRORS}, auth=None)
def checkpoint_list(request: HttpRequest, filters: Query[CheckpointFilter]) -> Any:
    """Signed checkpoints of the audit log, latest first (public)."""
    return list(selectors.checkpoint_list()[: max(1, min(filters.limit, 500))])


@router.get("/log/checkpoints/latest", response={200: CheckpointOut, **ERRORS}, auth=None)
def checkpoint_latest(request: HttpRequest) -> Any:
    checkpoint = selectors.checkpoint_latest()
    if checkpoint is None:
        raise NotFound()
    return checkpoint


@router.get(
    "/log/checkpoints/latest/note",
    auth=None,
    response={404: ErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "the signed note",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    },
)
def checkpoint_latest_note(request: HttpRequest) -> HttpResponse:
    """The latest checkpoint as a signed note (text/plain), what witnesses and verifiers read."""
    checkpoint = selectors.checkpoint_latest()
    if checkpoint is None:
        raise NotFound()
    return HttpResponse(
        services.checkpoint_note(checkpoint), content_type="text/plain; charset=utf-8"
    )


@router.get("/log/checkpoints/{tree_size}", response={200: CheckpointOut, **ERRORS}, auth=None)
def checkpoint_get(request: HttpRequest, tree_size: int) -> Any:
    return selectors.checkpoint_get(tree_size)


class CosignatureIn(InputSchema):
    line: str


@router.post(
    "/log/checkpoints/{tree_size}/cosignatures",
    response={201: CosignatureOut, **ERRORS},
    auth=None,
)
def cosignature_add(request: HttpRequest, tree_size: int, payload: CosignatureIn) -> Any:
    """A witness hands back its cosignature line; accepted only from a trusted witness key."""
    return Status(201, services.cosignature_add(tree_size=tree_size, line=payload.line))


class InclusionOut(Schema):
    leaf_index: int
    tree_size: int
    leaf_hash: str
    hashes: list[str]


class InclusionFilter(InputSchema):
    seq: int
    tree_size: int | None = None


@router.get("/log/proofs/inclusion", response={200: InclusionOut, **ERRORS}, auth=None)
def inclusion_proof(request: HttpRequest, filters: Query[InclusionFilter]) -> Any:
    """Event `seq` is leaf `seq − 1` of the checkpoint of `tree_size` (default: the latest)."""
    return selectors.inclusion_proof(seq=filters.seq, tree_size=filters.tree_size)


class ConsistencyOut(Schema):
    first: int
    second: int
    hashes: list[str]


class ConsistencyFilter(InputSchema):
    first: int
    second: int


@router.get("/log/proofs/consistency", response={200: ConsistencyOut, **ERRORS}, auth=None)
def consistency_proof(request: HttpRequest, filters: Query[ConsistencyFilter]) -> Any:
    """The checkpoint of `second` events extends the one of `first` (both signed)."""
    return selectors.consistency_proof(first=filters.first, second=filters.second)


class ProofFilter(InputSchema):
    tree_size: int | None = None


@router.get("/log/proofs/events/{seq}", response={200: dict[str, Any], **ERRORS})
def event_proof_file(request: HttpRequest, seq: int, filters: Query[ProofFilter]) -> Any:
    """The proof file (record, changes and inclusion proof) of an event in the caller's scope."""
    require_capability(request, Capability.AUDIT_VIEW)
    event = selectors.event_visible(request.user, seq)
    if event is None:
        raise NotFound()
    return selectors.proof_file(event, tree_size=filters.tree_size, with_changes=True)


@router.get("/log/proofs/{kind}/{object_id}", response={200: dict[str, Any], **ERRORS})
def object_proof_file(
    request: HttpRequest, kind: str, object_id: str, filters: Query[ProofFilter]
) -> Any:
    """The proof file of the event that made a document (issued), an evidence file (added) or
    a draw (drawn): kind is document, evidence or draw."""
    require_capability(request, Capability.AUDIT_VIEW)
    event = selectors.object_event(request.user, kind, object_id)
    return selectors.proof_file(event, tree_size=filters.tree_size, with_changes=True)
