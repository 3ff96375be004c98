"""The inspector's and the division head's home page: the week's tasks, open records, overdue
work and results to publish (in working days), each count opening a list of exactly those rows;
a few COUNT queries, however much work there is."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.roles import Role
from anjian.core.workdays import workdays_after
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
from anjian.inspections.selectors import week_end

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _home_counts(client) -> dict[str, tuple[int, str]]:
    html = client.get(reverse("accounts:home")).content.decode()
    found = re.findall(
        r'class="[^"]*aj-home-count" href="([^"]+)"><span>([^<]+)</span><span[^>]*>(\d+)</span>',
        html,
    )
    return {label: (int(n), url.replace("&amp;", "&")) for url, label, n in found}


def _listed(client, url: str) -> int:
    context = client.get(url).context
    if "page" in context and hasattr(context["page"], "paginator"):
        return context["page"].paginator.count
    return len(context["rows"])


def _task(site: dict[str, Any], due: datetime.date, **extra: Any) -> InspectionTask:
    inspectors = extra.pop("inspectors", [site["inspector"], site["second"]])
    task = InspectionTask.objects.create(
        bureau=site["inspector"].bureau,
        entity=site["mine"],
        item=site["item"],
        source=extra.pop("source", TaskSource.AD_HOC),
        period_start=min(due, TODAY) - datetime.timedelta(days=30),
        due_on=due,
        **extra,
    )
    task.inspectors.set(inspectors)
    return task


def _work(site: dict[str, Any]) -> None:
    _task(site, TODAY)  # due this week
    _task(site, TODAY - datetime.timedelta(days=3))  # overdue
    _task(site, TODAY, inspectors=[site["second"]])  # this week, but not mine
    _task(site, week_end(TODAY) + datetime.timedelta(days=1))  # next week
    _task(site, TODAY, status=TaskStatus.DONE, done_on=TODAY)  # done already


def test_the_inspectors_home_shows_the_week_and_open_records(
    site, started, login, make_user
) -> None:
    _work(site)
    client = login(site["inspector"])
    counts = _home_counts(client)
    assert counts["本周到期的检查任务"][0] == 1
    assert counts["我的逾期任务"][0] == 1
    assert counts["未提交的检查记录"][0] == 1  # the record started in the fixture
    for label in ("本周到期的检查任务", "我的逾期任务", "未提交的检查记录"):
        count, url = counts[label]
        assert _listed(client, url) == count, label
    # The list says it is filtered, and how to see everything.
    week = client.get(counts["本周到期的检查任务"][1]).content.decode()
    assert "仅显示：分配给我的、本周到期" in week and "显示全部" in week
    # The second inspector is on the record's team; a third, on none, has none open.
    assert _home_counts(login(site["second"]))["未提交的检查记录"][0] == 1
    third = make_user("140603", [Role.INSPECTOR], username="county_insp3")
    assert _home_counts(login(third))["未提交的检查记录"][0] == 0
    # The inspector has no division's supervision panel.
    assert "逾期检查任务" not in counts


def test_the_division_heads_home_counts_overdue_work_and_results_to_publish(site, login) -> None:
    _work(site)
    # Random inspections done: one a week ago (to publish), one two months ago (overdue).
    recent = TODAY - datetime.timedelta(days=7)
    old = TODAY - datetime.timedelta(days=60)
    for done in (recent, old):
        _task(site, done, source=TaskSource.DRAW, status=TaskStatus.DONE, done_on=done)
    assert workdays_after(recent, 20) >= TODAY and workdays_after(old, 20) < TODAY
    client = login(site["head"])
    counts = _home_counts(client)
    assert counts["逾期检查任务"][0] == 1
    assert counts["待公示的检查结果"][0] == 2
    assert counts["逾期未公示的检查结果"][0] == 1
    assert counts["逾期未整改"][0] == 0
    for label in ("逾期检查任务", "待公示的检查结果", "逾期未公示的检查结果", "逾期未整改"):
        count, url = counts[label]
        assert _listed(client, url) == count, label
    assert "本周到期的检查任务" not in counts  # not an inspector


def test_the_home_page_stays_a_few_queries(site, login, django_assert_max_num_queries) -> None:
    for _ in range(3):
        _work(site)
    client = login(site["head"])
    client.get(reverse("accounts:home"))  # warm the session
    # 24 before the complaints panel (a division head handles the reports assigned to them)
    # added its count: one query per panel, never one per row. Then 30: the accident reports'
    # three counts (a division head receives them) and the inbox's unread count (one query for
    # the panel and the navigation's badge).
    with django_assert_max_num_queries(30):
        assert client.get(reverse("accounts:home")).status_code == 200
