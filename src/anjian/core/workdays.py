"""Chinese working days (工作日): statutory holidays are off, adjusted weekend workdays (调休)
are on.

The State Council publishes each year's schedule in the autumn before; chinese-calendar carries
the published years. For a year it does not carry yet (for example next year's plans, drafted in
November), Monday to Friday are taken as working days and `calendar_known(year)` says so, so that
pages can show that a deadline is provisional instead of pretending to know the holidays.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=64)
def calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: datetime.date) -> bool:
    if calendar_known(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def workday_on_or_before(day: datetime.date) -> datetime.date:
    """The last working day not after `day`: a deadline that falls in a holiday moves earlier,
    so that the work is due while the office is open."""
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def workdays_after(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (the day itself not counted), as statutory
    deadlines of “N 个工作日内” are counted."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    days = 0
    while start < end:
        start += datetime.timedelta(days=1)
        days += is_workday(start)
    return days
