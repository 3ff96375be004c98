"""Working days follow the published holiday schedule, including adjusted weekend workdays."""

from __future__ import annotations

import datetime

from anjian.core import workdays

D = datetime.date


def test_national_day_week_is_off_and_adjusted_saturday_is_on() -> None:
    # 2025: 10月1日至8日放假调休, 9月28日（周日）、10月11日（周六）上班.
    assert not workdays.is_workday(D(2025, 10, 3))
    assert not workdays.is_workday(D(2025, 10, 8))
    assert workdays.is_workday(D(2025, 9, 28))
    assert workdays.is_workday(D(2025, 10, 11))


def test_twenty_working_days_skip_the_spring_festival() -> None:
    # 2025 春节: 1月28日至2月4日放假, 1月26日（周日）、2月8日（周六）上班.
    assert workdays.workdays_after(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert workdays.workdays_after(D(2025, 1, 27), 1) == D(2025, 2, 5)
    end = workdays.workdays_after(D(2025, 1, 20), 20)
    assert workdays.workdays_between(D(2025, 1, 20), end) == 20
    assert end == D(2025, 2, 21)  # 21–24, 26, 27, 2/5–2/8, 2/10–14, 2/17–21


def test_a_deadline_in_a_holiday_moves_to_the_last_working_day_before() -> None:
    assert workdays.workday_on_or_before(D(2025, 10, 5)) == D(2025, 9, 30)
    assert workdays.workday_on_or_before(D(2025, 10, 11)) == D(2025, 10, 11)


def test_a_year_without_a_published_schedule_counts_weekdays_and_says_so() -> None:
    year = 2099
    assert not workdays.calendar_known(year)
    assert workdays.calendar_known(2025)
    assert workdays.is_workday(D(year, 1, 1)) == (D(year, 1, 1).weekday() < 5)
    assert workdays.workday_on_or_before(D(2099, 1, 4)) == D(2099, 1, 2)  # Sunday -> Friday
