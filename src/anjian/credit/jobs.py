"""Credit's jobs on the platform queue (ADR 0012): every night, gather all records and grade
every entity for the new day; on demand, one entity (a refresh that failed in the request)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.jobs.registry import job, periodic_job


@periodic_job(
    "credit.nightly", _("Recompute every credit grade"), at=settings.ANJIAN_JOBS_CREDIT_AT
)
def credit_nightly_job() -> dict[str, Any]:
    from anjian.credit.services import credit_nightly

    return credit_nightly()


@job("credit.refresh_entity", _("Recompute one entity's credit grade"), retries=3, retry_delay=30)
def credit_refresh_job(entity_id: int) -> None:
    from anjian.credit.services import credit_refresh

    credit_refresh(entity_ids=[entity_id])
