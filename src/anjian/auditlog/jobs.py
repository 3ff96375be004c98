"""The log's job on the platform queue (ADR 0012): a signed checkpoint every
ANJIAN_LOG_CHECKPOINT_MINUTES minutes (docs/algorithms/audit-log.md). An unchanged log is not
signed again, so a quiet night adds no checkpoints."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.jobs.registry import periodic_job


@periodic_job(
    "auditlog.checkpoint",
    _("Sign a checkpoint of the audit log"),
    every_minutes=settings.ANJIAN_LOG_CHECKPOINT_MINUTES,
    retry_delay=60,
)
def checkpoint_job() -> int:
    from anjian.auditlog.services import checkpoint_create

    return checkpoint_create().tree_size
