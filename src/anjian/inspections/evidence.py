"""Which inspection records take evidence (photos, recordings, documents), and who may add it.

An on-site record and its findings take evidence from the inspectors named in the record while
it is a draft; once submitted, the record is final and so is its evidence. A correction order
takes evidence (photos of the rectification, the entity's papers) from the inspectors of its
bureau until it is closed as rectified.
"""

from __future__ import annotations

from typing import Any

from anjian.accounts.roles import Capability
from anjian.inspections.models import (
    CorrectionOrder,
    Finding,
    InspectionRecord,
    OrderStatus,
    RecordStatus,
)


def record_may_attach(user: Any, record: InspectionRecord) -> bool:
    return bool(
        user.is_authenticated
        and user.can(Capability.INSPECT)
        and record.status == RecordStatus.DRAFT
        and record.inspectors.filter(pk=user.pk).exists()
    )


def order_may_attach(user: Any, order: CorrectionOrder) -> bool:
    """The bureau's inspectors, or the entity's own account (photos of its rectification, the
    order's entity scope), until the order is closed as rectified."""
    return bool(
        user.is_authenticated
        and (user.can(Capability.INSPECT) or user.can(Capability.ENTERPRISE_SELF))
        and order.status != OrderStatus.RECTIFIED
        and CorrectionOrder.objects.visible_to(user).filter(pk=order.pk).exists()
    )


def evidence_subjects_register() -> None:
    from anjian.evidence.registry import evidence_subject_register

    evidence_subject_register(
        InspectionRecord,
        may_attach=record_may_attach,
        region_of=lambda record: record.region_id,
        bureau_of=lambda record: record.bureau,
    )
    evidence_subject_register(
        Finding,
        may_attach=lambda user, finding: record_may_attach(user, finding.record),
        region_of=lambda finding: finding.record.region_id,
        bureau_of=lambda finding: finding.record.bureau,
    )
    evidence_subject_register(
        CorrectionOrder,
        may_attach=order_may_attach,
        region_of=lambda order: order.record.region_id,
        bureau_of=lambda order: order.record.bureau,
    )
