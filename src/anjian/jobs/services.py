"""Writes of the jobs page: run a job now, run a failed one again, mark a failure dealt with.
Only a province administrator (the platform's jobs serve every bureau), audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.scope import ALL, visible_region_codes
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.jobs.models import JobRun, RunStatus
from anjian.jobs.registry import job_enqueue, job_spec


def jobs_may_manage(user: Any) -> bool:
    """The jobs page is the province administrator's: a job serves every bureau."""
    if isinstance(user, Actor):
        return True
    return bool(user.can(Capability.JOBS_MANAGE)) and visible_region_codes(user) is ALL


def _require(actor: Any) -> None:
    if not jobs_may_manage(actor):
        raise NotPermitted()


@transaction.atomic
def job_start(*, actor: Any, name: str, source: str = AuditSource.WEB) -> None:
    """Queue job `name` now (a periodic job once more, outside its time)."""
    _require(actor)
    spec = job_spec(name)
    if spec is None or not spec.periodic:
        raise ServiceError.for_fields({"name": _("No such periodic job.")})
    audit_record(
        actor=actor,
        action="jobs.job.queued",
        object_type="jobs.job",
        object_id=name,
        region=settings.ANJIAN_PROVINCE_CODE,
        changes={"job": name},
        source=source,
    )
    transaction.on_commit(lambda: job_enqueue(name))


def _open_failure(run: JobRun) -> JobRun:
    locked = JobRun.objects.select_for_update().get(pk=run.pk)
    if locked.status == RunStatus.SUCCEEDED or locked.resolved_at is not None:
        raise Conflict(_("This run is not an open failure."))
    return locked


@transaction.atomic
def job_run_requeue(*, actor: Any, run: JobRun, source: str = AuditSource.WEB) -> JobRun:
    """Run a failed job again with the same arguments; the failure leaves the open list."""
    _require(actor)
    locked = _open_failure(run)
    if job_spec(locked.name) is None:
        raise Conflict(_("This job no longer exists."))
    locked.resolved_at = clock.now()
    locked.resolved_by = None if isinstance(actor, Actor) else actor
    locked.resolution = "requeued"
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action="jobs.run.requeued",
        obj=locked,
        region=settings.ANJIAN_PROVINCE_CODE,
        changes={"job": locked.name, "arguments": locked.arguments},
        source=source,
    )
    name, arguments = locked.name, dict(locked.arguments)
    transaction.on_commit(lambda: job_enqueue(name, arguments))
    return locked


@transaction.atomic
def job_run_resolve(*, actor: Any, run: JobRun, note: str, source: str = AuditSource.WEB) -> JobRun:
    """Mark a failure dealt with (e.g. a later run succeeded), with a note saying why."""
    _require(actor)
    note = note.strip()
    if not note:
        raise ServiceError.for_fields({"note": _("Say why the failure needs nothing more.")})
    locked = _open_failure(run)
    locked.resolved_at = clock.now()
    locked.resolved_by = None if isinstance(actor, Actor) else actor
    locked.resolution = note[:200]
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_record(
        actor=actor,
        action="jobs.run.resolved",
        obj=locked,
        region=settings.ANJIAN_PROVINCE_CODE,
        changes={"job": locked.name, "note": locked.resolution},
        source=source,
    )
    return locked
