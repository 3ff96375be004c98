"""The platform's clock: the time services stamp on records and the audit writer on events.

In production it is the server's clock (`django.utils.timezone.now`). The demo writes a story
that happened over the past year, and a story is only believable when its records and its audit
trail carry the times of the story: a plan approved in December, its tasks created when it was
issued, an inspection from 09:10 to 11:40 on a working day. `story_time(dt)` sets the clock to
`dt` for the code inside it; only the demo loader and tests use it. Inside it `now()` returns
exactly `dt`, so several steps taken "at" one moment share it and the audit chain's times stay
non-decreasing when the story is played in order.

Timestamps the platform sets by itself (`created_at`, `at`, `updated_at`) read the same clock
through `ClockDateTimeField`, a `DateTimeField` whose `auto_now`/`auto_now_add` ask `now()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils import timezone

_story: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "anjian_story_time", default=None
)


def now() -> datetime.datetime:
    """The current time (aware), or the story's time inside `story_time`."""
    told = _story.get()
    return told if told is not None else timezone.now()


def today() -> datetime.date:
    """The current date in the platform's time zone (Asia/Shanghai), or the story's date."""
    return timezone.localdate(now())


@contextlib.contextmanager
def story_time(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Run the code inside as at `moment` (aware). For the demo loader and tests only: a real
    request never runs inside a story."""
    if timezone.is_naive(moment):
        raise ValueError("story_time needs an aware datetime")
    token = _story.set(moment)
    try:
        yield moment
    finally:
        _story.reset(token)


class ClockDateTimeField(models.DateTimeField):
    """`auto_now`/`auto_now_add` stamped from `now()` above rather than the server's clock.

    In migrations it is a plain `DateTimeField`: the column, the options and the behaviour
    outside a story are Django's own, so swapping it in needs no migration."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
