"""The annual plan's workflow (N1.3: 编制、报批、印发、报备), declared as data and checked in one
place (`transition_check`). Who may take each step is part of the table.

    draft ──submit──> submitted ──approve──> approved ──issue──> issued ──file──> filed
      ^                  │
      └─────reject───────┘   (with the reason)

Approval is by the bureau above (a county's plan by its city, a city's by the province; the
province's own plan by its own leadership); issuing is the plan's own bureau; filing (报备)
records the issued plan with the bureau above, which then sees it as filed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    FILED = "filed", _("Filed with the bureau above")


class PlanAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for approval")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Return to draft")
    ISSUE = "issue", _("Issue")
    FILE = "file", _("File with the bureau above")


# action -> (from, to, whose bureau acts: "own" or "above")
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    PlanAction.SUBMIT: (PlanStatus.DRAFT, PlanStatus.SUBMITTED, "own"),
    PlanAction.APPROVE: (PlanStatus.SUBMITTED, PlanStatus.APPROVED, "above"),
    PlanAction.REJECT: (PlanStatus.SUBMITTED, PlanStatus.DRAFT, "above"),
    PlanAction.ISSUE: (PlanStatus.APPROVED, PlanStatus.ISSUED, "own"),
    PlanAction.FILE: (PlanStatus.ISSUED, PlanStatus.FILED, "own"),
}
