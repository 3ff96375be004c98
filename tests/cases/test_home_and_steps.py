"""The case page offers only the steps the viewer may take now and says why one is held back;
the leader's and the legal reviewer's home pages count the cases waiting for them, and each count
opens a list of exactly those cases."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from anjian.cases import services
from anjian.cases.models import Case

from .conftest import MAJOR, after_statement, investigating, open_case

pytestmark = pytest.mark.django_db


def _home_counts(client) -> dict[str, tuple[int, str]]:
    html = client.get(reverse("accounts:home")).content.decode()
    found = re.findall(
        r'class="[^"]*aj-home-count" href="([^"]+)"><span>([^<]+)</span><span[^>]*>(\d+)</span>',
        html,
    )
    return {label: (int(n), url.replace("&amp;", "&")) for url, label, n in found}


def test_a_case_before_its_proposal_offers_no_notice_and_says_why(world, login) -> None:
    case = investigating(world, _no_proposal=True)
    handler = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk]))
    html = handler.content.decode()
    assert 'data-action="notify"' not in html
    assert "拟处理意见确定后，方可送达行政处罚告知书" in html
    assert reverse("cases:case_proposal", args=[case.pk]) in html  # what to do instead
    # The leader cannot notify at all: no button, and no reason about a step not theirs.
    leader = login(world["leader"]).get(reverse("cases:case_detail", args=[case.pk]))
    assert 'data-action="notify"' not in leader.content.decode()
    assert "拟处理意见确定后" not in leader.content.decode()


def test_the_notice_is_offered_once_the_proposal_is_set(world, login) -> None:
    case = investigating(world)
    html = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-action="notify"' in html
    assert "拟处理意见确定后" not in html


def test_the_leaders_home_counts_cases_waiting_for_filing_approval(world, login) -> None:
    case = open_case(world)
    client = login(world["leader"])
    counts = _home_counts(client)
    count, url = counts["待立案审批的案件"]
    assert count == 1 and "state=filing" in url
    listed = client.get(url)
    assert listed.context["page"].paginator.count == 1
    assert counts["待作出决定的案件"][0] == 0
    assert counts["待集体讨论的案件"][0] == 0
    # The audit list is the audit administrator's desk, not the leader's home page.
    assert "aj-hash" not in client.get(reverse("accounts:home")).content.decode()
    # Approved, it waits no longer.
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    assert _home_counts(client)["待立案审批的案件"][0] == 0


def test_the_legal_reviewers_home_counts_the_queue(world, login) -> None:
    case = after_statement(world, **MAJOR)
    assert Case.objects.get(pk=case.pk).state == "legal_review"
    client = login(world["reviewer"])
    count, url = _home_counts(client)["待法制审核的案件"]
    assert count == 1 and url == reverse("cases:review_queue")
    assert len(client.get(url).context["reviews"]) == 1
    # A handler has no review queue on the home page.
    assert "待法制审核的案件" not in _home_counts(login(world["h1"]))
