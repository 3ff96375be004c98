"""The audit trail's words for complaints and reports (registered from apps.py).

No event of this app carries what a reporter wrote or who they are: the `changes` hold codes,
states, dates and staff user names only (docs/complaints.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.complaints.models import ExposureEntry, Report, Reward

    register_actions(
        "complaints",
        _("Complaints and reports"),
        {
            "complaints.report.received": _("Report received"),
            "complaints.report.viewed": _("Report read by an officer"),
            "complaints.report.identity_viewed": _("Named reporter's identity read"),
            "complaints.report.attachment_viewed": _("Report attachment opened"),
            "complaints.report.followed_up": _("Reporter read the answers with the receipt code"),
            "complaints.report.supplemented": _("Reporter added information"),
            "complaints.report.accepted": _("Report accepted"),
            "complaints.report.rejected": _("Report not accepted"),
            "complaints.report.transferred": _("Report transferred to another bureau"),
            "complaints.report.assigned": _("Report assigned to an officer"),
            "complaints.report.duplicate_linked": _("Report merged with an earlier report"),
            "complaints.report.inspection_started": _("Inspection task made from a report"),
            "complaints.report.case_linked": _("Enforcement case linked to a report"),
            "complaints.report.entity_set": _("Registered entity named for a report"),
            "complaints.report.separated": _("Merged report separated and handled on its own"),
            "complaints.report.replied": _("Answer sent to the reporter"),
            "complaints.report.closed": _("Report handled and the result told"),
            "complaints.report.escalated": _("Overdue report escalated to the bureau above"),
            "complaints.reward.proposed": _("Reward proposed"),
            "complaints.reward.approved": _("Reward approved by the committee"),
            "complaints.reward.refused": _("Reward refused by the committee"),
            "complaints.reward.paid": _("Reward paid"),
            "complaints.exposure.published": _("Typical case published on the exposure page"),
            "complaints.exposure.withdrawn": _("Typical case withdrawn from the exposure page"),
        },
    )
    register_model(Report, lambda r: r.receipt_id)
    register_model(Reward, lambda r: r.report.receipt_id, related=("report",))
    register_model(ExposureEntry, lambda e: e.title)
