"""What the administrator sees of the background jobs: each run that failed (retried or not)
and each run of a periodic job that ended, kept in the platform's database (the queue itself
lives in SQLite or Redis and forgets a task once it ran)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField


class RunStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    RETRYING = "retrying", _("Failed, will be retried")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    name = models.CharField(_("job"), max_length=100, db_index=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices)
    # The job's arguments as given (ids and dates), so that a failed run can be run again.
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    retries_left = models.PositiveSmallIntegerField(_("retries left"), default=0)
    error = models.TextField(_("error"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    finished_at = ClockDateTimeField(_("finished"), auto_now_add=True)
    # A failure the administrator dealt with (ran again, or judged harmless) leaves the list.
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        indexes = [models.Index(fields=["status", "resolved_at"], name="jobs_run_open")]

    def __str__(self) -> str:
        return f"{self.name} {self.status} {self.finished_at:%Y-%m-%d %H:%M}"
