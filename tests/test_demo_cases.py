"""`make demo` cases: what a newcomer logging in as pl_legal, pl_head or a visitor sees."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import User
from anjian.cases.models import Case, ClueTransfer
from anjian.demo import (
    demo_cases_load,
    demo_catalog_load,
    demo_entities_load,
    demo_inspections_load,
    demo_organisations_load,
    demo_plans_load,
)
from anjian.documents.selectors import documents_for
from anjian.publications.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> dict[str, int]:
    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    demo_plans_load()
    demo_inspections_load()
    return demo_cases_load()


def test_the_demo_cases_fill_the_queues_the_portal_and_keep_the_trail(
    demo: dict[str, int], login: Callable[[User], Client]
) -> None:
    assert demo == {"cases": 4}
    assert demo_cases_load() == {"cases": 0}  # a second run adds nothing
    by_state = {c.state: c for c in Case.objects.select_related("entity")}
    assert set(by_state) == {"closed", "served", "legal_review", "investigating"}
    assert {c.region_id for c in by_state.values()} == {"140603"}

    # pl_legal's queue holds the 120,000-yuan case, after its hearing.
    pending = by_state["legal_review"]
    assert pending.fine_amount == 120_000 and pending.hearing_held_on and pending.major
    legal = User.objects.get(username="pl_legal")
    queue = login(legal).get(reverse("cases:review_queue")).content.decode()
    assert pending.number in queue and pending.entity.name in queue
    # ...and the reviewer can open it (the discretion calculation is there to check).
    review = login(legal).get(reverse("cases:review_detail", kwargs={"pk": pending.pk}))
    assert review.status_code == 200 and "120" in review.content.decode()

    # The closed case: its approval forms, notice and decision issued, publication on the
    # portal, workers masked.
    closed = by_state["closed"]
    kinds = {d.kind: d for d in documents_for(closed)}
    assert set(kinds) == {
        "filing_approval", "penalty_notice", "penalty_decision", "closing_approval"
    }  # fmt: skip
    assert all(d.pdf_sha256 and d.docx_sha256 for d in kinds.values())
    assert "王小平" in closed.facts
    visitor = Client()
    portal = visitor.get(reverse("publications:portal_list")).content.decode()
    assert closed.entity.name in portal
    assert by_state["served"].entity.name not in portal  # never published
    published = Publication.objects.get(subject_id=str(closed.pk), status="published")
    shown = visitor.get(
        reverse("publications:portal_detail", kwargs={"pk": published.pk})
    ).content.decode()
    assert "王*平" in shown and "陈*刚" in shown
    assert "王小平" not in shown and "陈志刚" not in shown

    # The served case's publication is overdue: pl_head sees it in red.
    late = Publication.objects.get(subject_id=str(by_state["served"].pk))
    assert late.status == "scheduled" and late.due_on < timezone.localdate()
    page = login(User.objects.get(username="pl_head")).get(reverse("publications:publication_list"))
    text = page.content.decode()
    assert by_state["served"].entity.name in text and "table-danger" in text

    # The case under investigation came from a violation found on site; its clue went to the
    # city bureau and waits there to be received.
    investigating = by_state["investigating"]
    (finding,) = investigating.findings.all()
    assert finding.kind == "violation" and finding.record.status == "submitted"
    (transfer,) = ClueTransfer.objects.all()
    assert transfer.case_id == investigating.pk and transfer.to_bureau is not None
    assert transfer.to_bureau.region_id == "140600" and transfer.status == "sent"
    city = login(User.objects.get(username="sz_head"))
    listed = city.get(reverse("cases:transfer_list")).content.decode()
    assert investigating.entity.name in listed
    received = city.post(
        reverse("cases:transfer_step", kwargs={"pk": transfer.pk}), {"action": "receive"}
    )
    assert received.status_code in (200, 302)
    transfer.refresh_from_db()
    assert transfer.status == "received"  # the city's division head can take it in

    # The timeline shows the days the steps were taken, not the day the demo was loaded.
    days = [e.at.date() for e in closed.events.order_by("id")]
    assert days == sorted(days) and days[0] == closed.opened_on
    assert days[-1] == closed.closed_on and closed.closed_on < late.due_on

    call_command("audit", "verify")  # exits non-zero on a broken chain or altered document


def test_an_older_demo_database_gets_the_new_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Organisations loaded by a demo from before pl_leader and pl_legal: the cases demo
    creates them (they log in with the demo password) and still loads its cases."""
    import anjian.demo
    from anjian.demo import DEMO_PASSWORD, NAMED_ACCOUNTS

    older = [a for a in NAMED_ACCOUNTS if a[0] not in ("pl_leader", "pl_legal")]
    monkeypatch.setattr(anjian.demo, "NAMED_ACCOUNTS", older)
    demo_organisations_load()
    monkeypatch.setattr(anjian.demo, "NAMED_ACCOUNTS", NAMED_ACCOUNTS)
    assert not User.objects.filter(username__in=["pl_leader", "pl_legal"]).exists()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    demo_plans_load()
    demo_inspections_load()
    assert demo_cases_load() == {"cases": 4}
    for name in ("pl_leader", "pl_legal"):
        user = User.objects.get(username=name)
        assert user.bureau is not None and user.bureau.region_id == "140603"
        assert user.check_password(DEMO_PASSWORD)


def test_a_case_s_steps_keep_their_order_when_their_days_fall_on_one_working_day() -> None:
    # On a Tuesday, "25 days ago" and "24 days ago" are a Friday and a Saturday, and both go
    # back to that Friday: the service at 10:30 must still come after the decision at 16:30.
    from anjian.demo_cases import Step, case_steps

    steps: list[Step] = []
    friday = datetime.date(2026, 11, 13)
    taken: list[str] = []
    one, two = case_steps(steps), case_steps(steps)
    one(friday, 16, 30, lambda: taken.append("decided"))
    one(friday, 10, 30, lambda: taken.append("served"))
    two(friday, 9, 0, lambda: taken.append("another case opened"))
    for _moment, _n, step in sorted(steps, key=lambda t: (t[0], t[1])):
        step()
    assert taken == ["another case opened", "decided", "served"]
