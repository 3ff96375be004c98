"""Reaching the work: every role finds its pages in the navigation, no entry or link it is
offered answers 无权访问, and the home page shows the day's work with counts that open their
lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from anjian.accounts.context_processors import nav_items_for
from anjian.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, make_user) -> dict[str, Any]:
    """One user per role (the fixture org plus the county's leadership and division head)."""
    return {
        **org,
        "county_leader": make_user("140603", [Role.BUREAU_LEADER], username="county_leader"),
        "county_head": make_user("140603", [Role.DIVISION_HEAD], username="county_head"),
        "county_legal": make_user("140603", [Role.LEGAL_REVIEWER], username="county_legal"),
        "county_desk": make_user("140603", [Role.COMPLAINTS_DESK], username="county_desk"),
        "county_committee": make_user(
            "140603", [Role.REWARD_COMMITTEE], username="county_committee"
        ),
    }


def _nav(client) -> set[str]:
    html = client.get(reverse("accounts:home")).content.decode()
    sidebar = html.split('class="aj-sidebar', 1)[1].split("</aside>", 1)[0]
    return set(re.findall(r'href="([^"]+)"', sidebar))


def test_cases_reviews_and_transfers_are_in_the_navigation_of_who_uses_them(people, login) -> None:
    cases, reviews, transfers = (
        reverse("cases:case_list"),
        reverse("cases:review_queue"),
        reverse("cases:transfer_list"),
    )
    inspector = _nav(login(people["county_inspector"]))
    assert {cases, transfers} <= inspector and reviews not in inspector
    leader = _nav(login(people["county_leader"]))
    assert {cases, transfers} <= leader and reviews not in leader
    legal = _nav(login(people["county_legal"]))
    assert {cases, reviews} <= legal
    # The system administrator keeps accounts, not cases.
    admin = _nav(login(people["county_admin"]))
    assert cases not in admin and reviews not in admin
    assert reverse("accounts:user_list") in admin


def test_the_sidebar_is_in_sections(people, login) -> None:
    html = login(people["county_head"]).get(reverse("accounts:home")).content.decode()
    sections = re.findall(r'<div class="aj-nav-section">([^<]+)</div>', html)
    assert sections == ["日常工作", "监管执法", "基础数据", "系统管理"]


def test_results_to_publish_and_conflicts_only_for_who_may_open_them(people, login) -> None:
    for who in ("county_leader", "county_legal"):
        client = login(people[who])
        nav = _nav(client)
        assert reverse("inspections:publication_list") not in nav
        assert reverse("draws:conflict_list") not in nav
        draws = client.get(reverse("draws:draw_list")).content.decode()
        assert reverse("draws:conflict_list") not in draws  # 回避申报
        tasks = client.get(reverse("inspections:task_list")).content.decode()
        assert reverse("inspections:publication_list") not in tasks  # 待公示的检查结果
    inspector = login(people["county_inspector"])
    assert (
        reverse("draws:conflict_list") in inspector.get(reverse("draws:draw_list")).content.decode()
    )


_HREF = re.compile(r'href="(/[^"#]*)"')
_POST_FORM = re.compile(
    r'<form[^>]*method="post"[^>]*action="(/[^"]*)"|<form[^>]*action="(/[^"]*)"[^>]*method="post"'
)


def _refused_forms(user: Any, html: str) -> list[str]:
    """The POST forms on a page whose view needs a capability the viewer lacks."""
    from django.urls import Resolver404, resolve

    refused = []
    for match in _POST_FORM.finditer(html):
        action = (match.group(1) or match.group(2)).replace("&amp;", "&").split("?")[0]
        try:
            func = resolve(action).func
        except Resolver404:
            refused.append(f"{action} (no such page)")
            continue
        capability = getattr(func, "capability", None)
        if capability is not None and not user.can(capability):
            refused.append(action)
    return refused


# Files, the public portal and what leaves the session are not pages of the workspace.
_SKIP = re.compile(r"^/(static|media|i18n|portal|accounts/logout|api|admin)/|\.(pdf|docx|xlsx)$")


def test_every_nav_entry_and_every_link_on_it_opens_for_the_role(people, login) -> None:
    """Each role follows its navigation and the links on those pages, one level deep: nothing it
    was offered answers 403 (无权访问), 404 or 500, and no page offers it a form whose step its
    role may not take."""
    for who, user in people.items():
        client = login(user)
        entries = [reverse(item.url_name) for item in nav_items_for(user)]
        seen: set[str] = set()
        for url in entries:
            response = client.get(url)
            assert response.status_code == 200, f"{who}: nav entry {url} → {response.status_code}"
            html = response.content.decode()
            assert not _refused_forms(user, html), (
                f"{who}: {url} offers {_refused_forms(user, html)}"
            )
            for link in _HREF.findall(html):
                link = link.replace("&amp;", "&")
                if link in seen or _SKIP.search(link):
                    continue
                seen.add(link)
                linked = client.get(link)
                assert linked.status_code in (200, 302), (
                    f"{who}: {url} links {link} → {linked.status_code}"
                )
                if linked.status_code == 200 and linked.get("Content-Type", "").startswith(
                    "text/html"
                ):
                    forms = _refused_forms(user, linked.content.decode())
                    assert not forms, f"{who}: {link} offers {forms}"


def test_a_user_without_roles_sees_only_home(people, login) -> None:
    assert [i.url_name for i in nav_items_for(people["no_role"])] == ["accounts:home"]


def test_the_import_page_opens_with_a_batch_nobody_uploaded(people, login) -> None:
    """The demo loader's batches have no creator: the province's import page still opens."""
    from anjian.entities.models import ImportBatch

    ImportBatch.objects.create(
        kind="entities", file_name="demo.csv", file_sha256="0" * 64, region_id="140000"
    )
    response = login(people["province_admin"]).get(reverse("entities:import_upload"))
    assert response.status_code == 200 and "demo.csv" in response.content.decode()
