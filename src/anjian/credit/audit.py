"""The audit trail's words for credit supervision (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.credit.models import (
        Commitment,
        CreditRecord,
        CreditRequest,
        DishonestyListing,
        GradeOverride,
    )

    register_actions(
        "credit",
        _("Credit supervision"),
        {
            "credit.record.gathered": _("Credit record gathered from the platform"),
            "credit.record.corrected": _("Credit record corrected from its source"),
            "credit.record.voided": _("Credit record voided: its source changed"),
            "credit.record.proposed": _("Manual credit record proposed"),
            "credit.record.approved": _("Manual credit record approved"),
            "credit.record.rejected": _("Manual credit record refused"),
            "credit.grade.changed": _("Credit grade changed"),
            "credit.grades.recomputed": _("Every credit grade recomputed"),
            "credit.override.proposed": _("Credit grade override proposed"),
            "credit.override.approved": _("Credit grade override approved"),
            "credit.override.rejected": _("Credit grade override refused"),
            "credit.override.ended": _("Credit grade override ended early"),
            "credit.request.submitted": _("Objection or repair request recorded"),
            "credit.request.accepted": _("Objection or repair request accepted"),
            "credit.request.not_accepted": _("Objection or repair request not accepted"),
            "credit.request.answered": _("Objection or repair request answered"),
            "credit.record.withdrawn": _("Credit record withdrawn after an objection"),
            "credit.record.repaired": _("Credit record repaired: out of public view"),
            "credit.listing.proposed": _("Serious-dishonesty listing proposed"),
            "credit.listing.reviewed": _("Serious-dishonesty listing legally reviewed"),
            "credit.listing.listed": _("Entity listed as seriously dishonest"),
            "credit.listing.not_listed": _("Serious-dishonesty listing decided against"),
            "credit.listing.removed": _("Entity removed early from the serious-dishonesty list"),
            "credit.listing.expired": _("Serious-dishonesty listing ended"),
            "credit.listing.exported": _("Serious-dishonesty list exported"),
            "credit.commitment.recorded": _("Credit commitment recorded"),
            "credit.commitment.broken": _("Credit commitment broken"),
            "credit.commitment.kept": _("Credit commitment kept"),
        },
    )
    register_model(CreditRecord, lambda r: r.title)
    register_model(CreditRequest, lambda r: f"{r.get_kind_display()} {r.record_id}")
    register_model(
        DishonestyListing,
        lambda x: f"{x.entity.name} {x.get_trigger_display()}",
        related=("entity",),
    )
    register_model(Commitment, lambda c: c.text[:40])
    register_model(GradeOverride, lambda o: f"{o.entity.name} {o.grade}", related=("entity",))
