"""publication_schedule / publish / withdraw and the selectors: masking before storage, due
dates in working days, periods, overdue lists, what the portal shows, scope."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR
from anjian.publications import selectors
from anjian.publications.models import Publication
from anjian.publications.services import (
    add_months,
    publication_due_on,
    publication_publish,
    publication_schedule,
    publication_withdraw,
)
from tests.publications.conftest import ID_NUMBER

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_today(clock) -> None:
    clock.pin_date(TODAY)  # a run crossing midnight keeps agreeing with TODAY


UNMASKED = (ID_NUMBER, "张三", "13812345678", "新建街12号")


def _raw_rows() -> str:
    """Everything stored about publications and their audit events, as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM publications_publication")
        rows = [list(map(str, r)) for r in cursor.fetchall()]
        cursor.execute("SELECT changes FROM core_auditevent WHERE action LIKE 'publications.%%'")
        rows += [list(map(str, r)) for r in cursor.fetchall()]
    return json.dumps(rows, ensure_ascii=False)


def test_masking_is_applied_before_storage(schedule) -> None:
    publication = schedule(individual=True)
    stored = _raw_rows()
    for secret in UNMASKED:
        assert secret not in stored
    publication.refresh_from_db()
    assert publication.party_name == "张*"
    facts = publication.fields["facts"]
    assert "张*（公民身份号码：140602********" in facts
    assert "住址：山西省朔州市平鲁区****" in facts and "138****5678" in facts
    assert "2026年3月5日" in facts


def test_an_individuals_id_number_given_as_credit_code_is_masked(schedule) -> None:
    publication = schedule(  # a mistyped one, too
        individual=True, party_kind="person", party_uscc="1406021985031245"
    )
    assert publication.fields["party_uscc"] == "140602******1245"
    assert publication.party_uscc == "140602******1245"


def test_a_units_name_code_and_legal_representative_stay(schedule) -> None:
    publication = schedule(legal_representative="李建国", facts="法定代表人李建国未履行职责")
    entity_name = publication.party_name
    assert entity_name.endswith("有限公司") and "*" not in entity_name
    assert publication.fields["legal_representative"] == "李建国"
    assert len(publication.fields["party_uscc"]) == 18


def test_persons_named_by_the_case_are_masked_everywhere(make_entity, org) -> None:
    entity = make_entity("140603", name="平鲁区王小明煤炭经销部")
    publication = publication_schedule(
        SYSTEM_ACTOR,
        subject=entity,
        bureau=org["county_admin"].bureau,
        kind="penalty_decision",
        decided_on=TODAY,
        fields={
            "party_name": entity.name,
            "party_uscc": entity.uscc,
            "decision_number": "平应急罚〔2026〕9号",
            "facts": "王小明安排赵大勇无证作业。",
        },
        period_months=12,
        persons=["王小明", "赵大勇"],
    )
    assert publication.party_name == "平鲁区王小明煤炭经销部"  # the unit's name is kept
    assert publication.fields["facts"] == "王*明安排赵*勇无证作业。"


def test_fields_organ_decision_date_and_fine_in_ten_thousand_yuan(schedule, org) -> None:
    publication = schedule(fine_amount="123,456.00", confiscated_amount="5000")
    assert publication.fields["fine_wan"] == "12.3456"
    assert publication.fields["confiscated_wan"] == "0.5"
    assert publication.fields["organ"] == org["county_admin"].bureau.name
    assert publication.fields["decided_on"] == TODAY.isoformat()
    assert "fine_amount" not in publication.fields
    assert "fine_wan" not in schedule(fine_amount="0").fields  # a warning: no fine shown


def test_due_date_counts_working_days_across_national_day() -> None:
    # 2025: 1–8 October off (National Day and Mid-Autumn), Saturday 11 October worked.
    assert publication_due_on(datetime.date(2025, 9, 30)) == datetime.date(2025, 10, 16)
    with override_settings(ANJIAN_PUBLICATION_DUE_WORKDAYS=1):
        assert publication_due_on(datetime.date(2025, 9, 30)) == datetime.date(2025, 10, 9)


def test_schedule_across_the_holiday_stores_the_due_date(schedule) -> None:
    publication = schedule(decided_on=datetime.date(2025, 9, 30))
    assert publication.due_on == datetime.date(2025, 10, 16)
    assert publication.ends_on == datetime.date(2026, 9, 29)


def test_period_months_from_the_decision_date() -> None:
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


@pytest.mark.parametrize("months", [0, 3, 11, 37])
def test_period_outside_the_bounds_is_refused(schedule, months: int) -> None:
    with pytest.raises(ServiceError) as exc:
        schedule(period_months=months)
    assert "period_months" in exc.value.fields
    assert not Publication.objects.exists()


def test_with_a_lower_minimum_three_months_are_allowed(schedule) -> None:
    with override_settings(ANJIAN_PUBLICATION_MIN_MONTHS=3):
        assert schedule(period_months=3).period_months == 3


def test_bad_fields_are_refused(schedule) -> None:
    with pytest.raises(ServiceError) as exc:
        schedule(decision_number="", nickname="x", fine_amount="a lot")
    assert set(exc.value.fields) >= {"decision_number", "fields", "fine_amount"}
    with pytest.raises(ServiceError) as exc:
        schedule(decided_on=TODAY + datetime.timedelta(days=1))
    assert "decided_on" in exc.value.fields


def test_a_decision_is_scheduled_once_until_withdrawn(schedule, org) -> None:
    first = schedule()
    subject = first.subject_type, first.subject_id
    from anjian.entities.models import Entity

    entity = Entity.objects.get(pk=first.subject_id)
    again = {
        "subject": entity,
        "bureau": first.bureau,
        "kind": "penalty_decision",
        "decided_on": TODAY,
        "fields": {"party_name": entity.name, "decision_number": "x"},
        "period_months": 12,
    }
    with pytest.raises(Conflict):
        publication_schedule(SYSTEM_ACTOR, **again)
    publication_withdraw(SYSTEM_ACTOR, first, "决定被撤销后重新作出")
    second = publication_schedule(SYSTEM_ACTOR, **again)
    assert (second.subject_type, second.subject_id) == subject


def test_schedule_checks_the_actors_jurisdiction(schedule, org) -> None:
    with pytest.raises(NotFound):
        schedule("140525", actor=org["county_inspector"])
    assert schedule("140603", actor=org["county_inspector"]).status == "scheduled"


def test_publish_and_withdraw_are_audited(schedule, make_user) -> None:
    head = make_user("140603", ["division_head"])
    publication = schedule()
    publication_publish(head, publication)
    publication.refresh_from_db()
    assert publication.status == "published" and publication.published_on == TODAY
    assert publication.published_by == head
    event = AuditEvent.objects.get(action="publications.publication.published")
    assert event.changes["late"] is False and event.region == "140603"
    with pytest.raises(Conflict):
        publication_publish(head, publication)
    with pytest.raises(ServiceError) as exc:
        publication_withdraw(head, publication, "  ")
    assert "reason" in exc.value.fields
    publication_withdraw(head, publication, "行政复议决定撤销")
    publication.refresh_from_db()
    assert publication.status == "withdrawn" and publication.withdrawn_reason == "行政复议决定撤销"
    assert AuditEvent.objects.filter(action="publications.publication.withdrawn").count() == 1
    with pytest.raises(Conflict):
        publication_withdraw(head, publication, "again")


def test_publish_needs_the_capability_and_the_jurisdiction(schedule, org, make_user) -> None:
    publication = schedule()
    with pytest.raises(NotPermitted):
        publication_publish(org["county_inspector"], publication)
    with pytest.raises(NotFound):
        publication_publish(make_user("140525", ["bureau_leader"]), publication)
    publication.refresh_from_db()
    assert publication.status == "scheduled"


def test_publish_on_a_day_between_the_decision_and_today(schedule, make_user) -> None:
    head = make_user("140603", ["division_head"])
    publication = schedule(decided_on=TODAY - datetime.timedelta(days=30))
    for bad in (TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=31)):
        with pytest.raises(ServiceError):
            publication_publish(head, publication, on=bad)
    late = publication_publish(head, publication, on=TODAY - datetime.timedelta(days=2))
    assert late.published_on == TODAY - datetime.timedelta(days=2)
    assert AuditEvent.objects.get(action="publications.publication.published").changes["late"]


def test_pending_and_overdue_lists(schedule, org) -> None:
    late = schedule(decided_on=datetime.date(2025, 9, 30))  # due 16 October 2025
    fresh = schedule(decided_on=TODAY)
    pending = selectors.publications_pending(org["county_admin"])
    assert [row.publication for row in pending] == [late, fresh]
    assert pending[0].overdue and pending[0].workdays > 0
    assert not pending[1].overdue and pending[1].workdays == 7
    assert list(selectors.publications_overdue(org["county_admin"])) == [late]
    on_the_day = selectors.publications_pending(
        org["county_admin"], today=datetime.date(2025, 10, 16)
    )[0]
    assert not on_the_day.overdue and on_the_day.workdays == 0
    day_after = selectors.publications_overdue(
        org["county_admin"], today=datetime.date(2025, 10, 17)
    )
    assert list(day_after) == [late]


def test_another_countys_pending_publications_are_invisible(schedule, org) -> None:
    schedule("140525", decided_on=datetime.date(2025, 9, 30))
    mine = schedule("140603")
    for who in ("county_admin", "city_admin"):
        assert [r.publication for r in selectors.publications_pending(org[who])] == [mine]
        assert not selectors.publications_overdue(org[who]).exists()
    assert len(selectors.publications_pending(org["province_admin"])) == 2
    assert selectors.publications_pending(org["no_role"]) == []


def test_the_portal_shows_published_and_current_only(schedule, make_user) -> None:
    head = make_user("140603", ["division_head"])
    current = schedule()
    publication_publish(head, current)
    scheduled = schedule()
    withdrawn = schedule()
    publication_publish(head, withdrawn)
    publication_withdraw(head, withdrawn, "x")
    # decided 13 months ago for 12 months: ended last month
    ended = schedule(decided_on=add_months(TODAY, -13))
    publication_publish(head, ended, on=ended.decided_on + datetime.timedelta(days=3))
    shown = list(selectors.publications_public())
    assert shown == [current]
    for hidden in (scheduled, withdrawn, ended):
        with pytest.raises(Exception) as exc:
            selectors.publication_public_get(hidden.pk)
        assert exc.typename == "Http404"
    # the last day of the period is still shown, the day after it is not
    assert list(selectors.publications_public(today=ended.ends_on)) == [ended]
    assert ended.ended() and not current.ended()


def test_the_portal_search(schedule, make_user) -> None:
    head = make_user("140603", ["division_head"])
    unit = schedule()
    person = schedule(individual=True)
    for p in (unit, person):
        publication_publish(head, p)
    assert list(selectors.publications_public(query=unit.party_uscc.lower())) == [unit]
    assert list(selectors.publications_public(query=unit.party_name[2:6])) == [unit]
    assert list(selectors.publications_public(query="张三")) == []  # only the masked name
    assert list(selectors.publications_public(query="张*")) == [person]
