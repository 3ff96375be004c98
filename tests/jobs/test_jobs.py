"""Background jobs (ADR 0012): registered jobs, a failure kept and shown to the province
administrator only, retries, running again, and the daily escalation as a job."""

from __future__ import annotations

from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from anjian.core.models import AuditEvent
from anjian.jobs.models import JobRun, RunStatus
from anjian.jobs.registry import job, job_spec, jobs_registered

pytestmark = pytest.mark.django_db

calls: list[int] = []


@job("tests.flaky", "测试任务", retries=1, retry_delay=0)
def flaky(n: int) -> int:
    calls.append(n)
    if n < 0:
        raise ValueError(f"bad n {n}")
    return n


def test_tests_run_jobs_immediately() -> None:
    assert HUEY.immediate  # settings_test: ANJIAN_JOBS=immediate
    calls.clear()
    flaky(3)
    assert calls == [3]
    assert not JobRun.objects.exists()  # an on-demand success is not kept


def test_the_daily_jobs_are_registered() -> None:
    names = {spec.name for spec in jobs_registered() if spec.periodic}
    assert "inspections.rectifications_escalate" in names
    spec = job_spec("inspections.rectifications_escalate")
    assert spec is not None and spec.at == "01:00"


def test_a_failing_job_is_retried_then_kept_as_failed() -> None:
    calls.clear()
    flaky(-1)
    assert calls == [-1, -1]  # the first attempt and its one retry
    first, last = JobRun.objects.order_by("id")
    assert first.status == RunStatus.RETRYING and last.status == RunStatus.FAILED
    assert last.error == "ValueError: bad n -1"
    assert "Traceback" in last.traceback
    assert last.arguments == {"args": [-1]}


def _failed() -> JobRun:
    return JobRun.objects.create(
        name="tests.flaky", status=RunStatus.FAILED, arguments={"args": [5]}, error="boom"
    )


def test_the_province_administrator_sees_failures_and_runs_one_again(
    org: dict[str, Any], login: Any
) -> None:
    run = _failed()
    client = login(org["province_admin"])
    page = client.get("/jobs/").content.decode()
    assert "后台任务" in page and "测试任务" in page and "boom" in page
    assert "督办逾期未整改事项" in page  # the daily job, in words
    calls.clear()
    response = client.post(f"/jobs/failures/{run.pk}/requeue/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.resolved_at is not None and run.resolution == "requeued"
    assert AuditEvent.objects.filter(action="jobs.run.requeued").exists()
    assert "boom" not in client.get("/jobs/").content.decode().split("已处理的失败")[0]


def test_requeue_runs_the_job_with_its_arguments(
    org: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from anjian.jobs import services

    run = _failed()
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_run_requeue(actor=org["province_admin"], run=run)
    assert calls == [5]


def test_marking_a_failure_dealt_with_needs_a_reason(org: dict[str, Any], login: Any) -> None:
    run = _failed()
    client = login(org["province_admin"])
    client.post(f"/jobs/failures/{run.pk}/resolve/", {"note": ""})
    run.refresh_from_db()
    assert run.resolved_at is None
    client.post(f"/jobs/failures/{run.pk}/resolve/", {"note": "次日已成功"})
    run.refresh_from_db()
    assert run.resolution == "次日已成功"


def test_other_administrators_and_officers_cannot_see_the_jobs(
    org: dict[str, Any], login: Any
) -> None:
    run = _failed()
    assert login(org["city_admin"]).get("/jobs/").status_code == 404
    assert login(org["city_admin"]).get(f"/jobs/failures/{run.pk}/").status_code == 404
    assert login(org["county_inspector"]).get("/jobs/").status_code == 403
    assert "/jobs/" not in login(org["city_admin"]).get("/home/").content.decode()
    assert "/jobs/" in login(org["province_admin"]).get("/home/").content.decode()


def test_the_daily_escalation_runs_as_a_job() -> None:
    spec = job_spec("inspections.rectifications_escalate")
    assert spec is not None
    assert spec.wrapper.call_local() == 0  # nothing overdue: nothing escalated
    HUEY.execute(spec.wrapper.s())  # as the worker runs it: a periodic success is kept
    assert JobRun.objects.filter(
        name="inspections.rectifications_escalate", status=RunStatus.SUCCEEDED
    ).exists()


def test_the_queue_settings() -> None:
    from anjian import settings as base

    assert base.ANJIAN_JOBS in {"sqlite", "redis", "immediate"}
