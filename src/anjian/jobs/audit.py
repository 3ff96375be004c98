"""The audit trail's words for the background jobs (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.jobs.models import JobRun
    from anjian.jobs.registry import job_label

    register_actions(
        "jobs",
        _("Background jobs"),
        {
            "jobs.job.queued": _("Background job started by hand"),
            "jobs.run.requeued": _("Failed background job run again"),
            "jobs.run.resolved": _("Failed background job marked as dealt with"),
        },
    )
    register_model(JobRun, lambda r: job_label(r.name))
