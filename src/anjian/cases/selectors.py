"""Reads for enforcement cases: lists in the viewer's scope, one case with its whole timeline,
the legal reviewer's queue, transfers in and out, who may read the party's personal data, and
which steps the viewer may take (the services decide for real)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case, ClueTransfer, LegalReview, ReviewResult
from anjian.cases.states import TRANSITIONS, CaseAction, CaseState
from anjian.core.masking import mask_id_number, mask_person_name
from anjian.core.scope import get_visible_or_404, visible_region_codes


def case_list(
    viewer: Any, *, state: str = "", q: str = "", own_bureau: bool = False
) -> QuerySet[Case]:
    qs = Case.objects.visible_to(viewer).select_related("bureau", "entity")
    if state:
        qs = qs.filter(state=state)
    if own_bureau:
        # The cases the viewer's own bureau approves and decides (its leadership's desk).
        qs = qs.filter(bureau_id=getattr(viewer, "bureau_id", None) or 0)
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(entity__name__icontains=q)
        )
    return qs.order_by("-id")


def case_get(viewer: Any, pk: int) -> Case:
    return get_visible_or_404(
        Case.objects.select_related("bureau", "entity", "division", "benchmark", "region"),
        viewer,
        pk=pk,
    )


def handles(viewer: Any, case: Case) -> bool:
    """Who reads the party's personal data in full: the handlers, and in the case's bureau
    those who approve, decide and review it. Everyone else in scope reads it masked."""
    if getattr(viewer, "is_superuser", False):
        return True
    if case.handlers.filter(pk=viewer.pk).exists():
        return True
    return getattr(viewer, "bureau_id", None) == case.bureau_id and (
        viewer.can(Capability.CASES_APPROVE) or viewer.can(Capability.REVIEW)
    )


@dataclass(frozen=True)
class Party:
    kind: str
    name: str
    id_number: str
    masked: bool


def party_for(viewer: Any, case: Case) -> Party:
    if case.party_kind != "individual":
        return Party(case.party_kind, case.entity.name, "", False)
    if handles(viewer, case):
        return Party(case.party_kind, case.party_name, case.party_id_number, False)
    return Party(
        case.party_kind,
        mask_person_name(case.party_name),
        mask_id_number(case.party_id_number),
        True,
    )


def actions_for(viewer: Any, case: Case) -> list[str]:
    """The steps this viewer may take on this case now (for the buttons)."""
    if getattr(viewer, "bureau_id", None) != case.bureau_id and not viewer.is_superuser:
        return []
    is_handler = case.handlers.filter(pk=viewer.pk).exists()
    out = []
    for action, (starts, _to, capability) in TRANSITIONS.items():
        if case.state not in starts or not viewer.can(capability):
            continue
        if capability == Capability.CASES_HANDLE and not is_handler:
            continue
        if capability == Capability.REVIEW and is_handler:
            continue
        if action == CaseAction.HEARING_REQUEST and (
            not case.hearing_entitled or case.hearing_waived_on
        ):
            continue
        if action in _PRECONDITIONS and _PRECONDITIONS[action](case):
            continue
        out.append(str(action))
    return out


# A step the viewer could take but for something missing in the file: the button is left out
# and the page says, in words, what to do first. The services check the same for real.
_PRECONDITIONS: dict[str, Callable[[Case], str]] = {
    CaseAction.NOTIFY: lambda case: (
        ""
        if case.measures and case.proposal_hash
        else str(_("The notice of proposed penalty can be issued once the proposal is set."))
    ),
}


def steps_held_back(viewer: Any, case: Case) -> list[str]:
    """Why steps the viewer would otherwise have now are not offered (for the case page)."""
    if getattr(viewer, "bureau_id", None) != case.bureau_id and not viewer.is_superuser:
        return []
    reasons = []
    for action, missing in _PRECONDITIONS.items():
        starts, _to, capability = TRANSITIONS[action]
        if case.state not in starts or not viewer.can(capability):
            continue
        if (
            capability == Capability.CASES_HANDLE
            and not case.handlers.filter(pk=viewer.pk).exists()
        ):
            continue
        reason = missing(case)
        if reason:
            reasons.append(reason)
    return reasons


def evidence_of(case: Case) -> list[Any]:
    """The evidence of the case and of its findings, with hashes, when the evidence app is
    installed."""
    if not apps.is_installed("anjian.evidence"):
        return []
    from anjian.evidence.selectors import evidence_for

    items: list[Any] = list(evidence_for(case))
    # A responsible person's proceedings rest on the unit's case file too (parties.py).
    lead = case.lead if case.lead_id is not None else None
    if lead is not None:
        items.extend(evidence_for(lead))
    for finding in (lead or case).findings.all():
        items.extend(evidence_for(finding))
    return items


def case_file_hash(case: Case) -> str:
    """SHA-256 of what the reviewer is shown: the proposal's hash, the discretion calculation
    and the evidence hashes. Stored with the review, so the file it saw can be named later."""
    body = {
        "proposal_hash": case.proposal_hash,
        "discretion": case.discretion,
        "evidence": sorted(getattr(e, "sha256", "") for e in evidence_of(case)),
    }
    raw = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def review_queue(viewer: Any) -> QuerySet[LegalReview]:
    """Pending reviews of the reviewer's own bureau, oldest first; not the cases they handle."""
    qs = (
        LegalReview.objects.visible_to(viewer)
        .filter(result=ReviewResult.PENDING, case__state=CaseState.LEGAL_REVIEW)
        .select_related("case__entity", "case__bureau", "submitted_by")
    )
    if not viewer.is_superuser:
        qs = qs.filter(case__bureau_id=getattr(viewer, "bureau_id", None) or 0).exclude(
            case__handlers=viewer
        )
    return qs.order_by("submitted_at", "id")


def transfers_visible(viewer: Any) -> QuerySet[ClueTransfer]:
    """Transfers sent from the viewer's jurisdiction, and those sent to a bureau in it."""
    codes = visible_region_codes(viewer)
    qs = ClueTransfer.objects.select_related("from_bureau", "to_bureau", "entity", "case")
    if codes is None:
        return qs.all()
    if not codes:
        return qs.none()
    return qs.filter(Q(from_bureau__region_id__in=codes) | Q(to_bureau__region_id__in=codes))


def transfer_get(viewer: Any, pk: int) -> ClueTransfer:
    from django.http import Http404

    found = transfers_visible(viewer).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def timeline(case: Case) -> QuerySet[Any]:
    """Every step of the case in order (reviews, deliberations, payments and transfers write
    their own step too)."""
    return case.events.select_related("actor").order_by("id")
