"""The platform's one job queue (Huey; ADR 0012) and the jobs the apps register on it.

An app declares its jobs in its own `jobs.py`, imported from its AppConfig.ready(), so the web
process and the worker (`anjian run_huey`) know the same jobs and no earlier stage imports a
later one:

    @periodic_job("inspections.escalate", _("Escalate overdue rectifications"), at="01:00")
    def escalate() -> None: ...

    @job("credit.collect_entity", _("Recompute one entity's credit"))
    def collect(entity_id: int) -> None: ...

A job is retried (`retries`, `retry_delay` seconds apart); every failed attempt, and every end
of a periodic job, is kept as a `JobRun` the administrator reads on the jobs page. Job
arguments are plain values (ids, ISO dates): they are pickled by the queue and shown on the page.
"""

from __future__ import annotations

import datetime
import logging
import traceback as tb
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    name: str
    label: str | Promise
    at: str  # "HH:MM" daily (Beijing time), or "" for a job queued on demand
    retries: int
    wrapper: Any  # Huey's TaskWrapper
    every: int = 0  # or every so many minutes (e.g. the audit log's checkpoints)

    @property
    def periodic(self) -> bool:
        return bool(self.at or self.every)


_jobs: dict[str, JobSpec] = {}


def _huey() -> Any:
    from huey.contrib.djhuey import HUEY

    return HUEY


def _hour_minute(at: str) -> tuple[int, int]:
    try:
        parsed = datetime.time.fromisoformat(at)
    except ValueError:
        raise ValueError(f"job time {at!r}: expected HH:MM") from None
    return parsed.hour, parsed.minute


def job(
    name: str, label: str | Promise, *, retries: int = 3, retry_delay: int = 60
) -> Callable[[Callable[..., Any]], Any]:
    """A job queued on demand: `wrapper(*args)` queues it (runs it at once in immediate mode)."""
    from huey.contrib.djhuey import db_task

    def decorator(fn: Callable[..., Any]) -> Any:
        wrapper = db_task(retries=retries, retry_delay=retry_delay, name=name)(fn)
        _jobs[name] = JobSpec(name=name, label=label, at="", retries=retries, wrapper=wrapper)
        return wrapper

    return decorator


def periodic_job(
    name: str,
    label: str | Promise,
    *,
    at: str = "",
    every_minutes: int = 0,
    retries: int = 2,
    retry_delay: int = 600,
) -> Callable[[Callable[[], Any]], Any]:
    """A job the worker runs every day at `at` (HH:MM, Beijing time), or every `every_minutes`
    minutes (at the minutes of the hour divisible by it, as cron's */N does)."""
    from huey import crontab
    from huey.contrib.djhuey import db_periodic_task

    if every_minutes:
        if not 1 <= every_minutes <= 60:
            raise ValueError(f"job {name}: every_minutes={every_minutes}, expected 1 to 60")
        schedule = crontab(minute=f"*/{every_minutes}")
    else:
        hour, minute = _hour_minute(at)
        schedule = crontab(minute=str(minute), hour=str(hour))

    def decorator(fn: Callable[[], Any]) -> Any:
        wrapper = db_periodic_task(schedule, retries=retries, retry_delay=retry_delay, name=name)(
            fn
        )
        _jobs[name] = JobSpec(
            name=name,
            label=label,
            at=at,
            retries=retries,
            wrapper=wrapper,
            every=every_minutes,
        )
        return wrapper

    return decorator


def jobs_registered() -> list[JobSpec]:
    return sorted(_jobs.values(), key=lambda j: (not j.periodic, j.name))


def job_spec(name: str) -> JobSpec | None:
    return _jobs.get(name)


def job_label(name: str) -> str:
    spec = _jobs.get(name)
    return str(spec.label) if spec else name


def job_enqueue(name: str, arguments: dict[str, Any] | None = None) -> None:
    """Queue job `name` with keyword `arguments` (a periodic job too: it runs once more now)."""
    spec = _jobs[name]
    kwargs = dict(arguments or {})
    args = kwargs.pop("args", [])
    _huey().enqueue(spec.wrapper.s(*args, **kwargs))


# --- what the worker reports ----------------------------------------------------------------


def _arguments(task: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if task.args:
        out["args"] = [_plain(a) for a in task.args]
    for key, value in (task.kwargs or {}).items():
        out[key] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _keep(task: Any, status: str, exc: BaseException | None = None) -> None:
    from anjian.jobs.models import JobRun

    try:
        JobRun.objects.create(
            name=task.name,
            task_id=str(task.id or ""),
            status=status,
            arguments=_arguments(task),
            retries_left=max(0, int(task.retries or 0)),
            error=f"{type(exc).__name__}: {exc}"[:2000] if exc is not None else "",
            traceback=tb.format_exc()[-20000:] if exc is not None else "",
        )
    except Exception:  # the record of a run must never stop the worker
        logger.exception("could not keep the run of job %s", task.name)


def _on_error(signal: str, task: Any, exc: BaseException | None = None) -> None:
    from anjian.jobs.models import RunStatus

    # Huey calls this before it decides: with retries left the task goes back on the queue.
    _keep(task, RunStatus.RETRYING if task.retries else RunStatus.FAILED, exc)


def _on_complete(signal: str, task: Any, exc: BaseException | None = None) -> None:
    from huey.api import PeriodicTask

    from anjian.jobs.models import RunStatus

    if isinstance(task, PeriodicTask):  # on-demand jobs are many; their successes are not kept
        _keep(task, RunStatus.SUCCEEDED)


_connected = False


def connect_signals() -> None:
    global _connected
    if _connected:
        return
    from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR

    huey = _huey()
    huey.signal(SIGNAL_ERROR)(_on_error)
    huey.signal(SIGNAL_COMPLETE)(_on_complete)
    _connected = True
