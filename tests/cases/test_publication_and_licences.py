"""The publication of a decision: a period chosen by law with the setting only a floor; the
confiscated amount, the suspended or revoked licence and the data source published. A
suspension or revocation takes the entity's licences with it, and the registry says why."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from anjian.cases import services
from anjian.cases.models import Case
from tests.cases.conftest import MAJOR, TODAY, after_statement

pytestmark = pytest.mark.django_db


def decide(world, case) -> Case:
    case = Case.objects.get(pk=case.pk)
    if case.state == "legal_review":
        services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
        case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=case, held_on=TODAY, participants="班子", conclusion="同意"
        )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def publication_of(case):
    from anjian.publications.models import Publication

    return Publication.objects.get(subject_id=str(case.pk))


def test_a_floor_above_a_year_lengthens_the_period_instead_of_failing(world, settings) -> None:
    settings.ANJIAN_PUBLICATION_MIN_MONTHS = 24
    case = decide(world, after_statement(world))
    assert publication_of(case).period_months == 24


def test_the_law_s_period_stands_when_the_floor_is_lower(world, settings) -> None:
    settings.ANJIAN_PUBLICATION_MIN_MONTHS = 3
    case = decide(world, after_statement(world))
    assert publication_of(case).period_months == 12


def test_a_suspension_publishes_the_licence_and_updates_the_registry(world, client) -> None:
    from anjian.core.models import AuditEvent
    from anjian.entities.models import Licence

    licence = Licence.objects.create(
        entity=world["entity"],
        licence_type="safety_production",
        number="（晋）MK安许证字〔2024〕0123号",
        valid_until=TODAY + datetime.timedelta(days=400),
    )
    values = {
        **MAJOR,
        "measures": ["fine", "confiscation", "suspension"],
        "confiscation_amount": 12_000,
        "justification": "违法所得另行没收",
    }
    case = decide(world, after_statement(world, **values))
    fields = publication_of(case).fields
    assert publication_of(case).period_months == 36
    assert fields["confiscated_wan"] == "1.2"
    assert fields["licence"] == "暂扣安全生产许可证（（晋）MK安许证字〔2024〕0123号）"
    assert fields["data_source"] == world["bureau"].name
    licence.refresh_from_db()
    assert licence.status == "suspended"
    assert licence.status_reason == case.decision_number
    assert licence.status_changed_on == case.decided_on
    event = AuditEvent.objects.filter(action="entities.licence.status_changed").get()
    assert event.changes["decision_number"] == case.decision_number
    client.force_login(world["h1"])
    page = client.get(reverse("entities:entity_detail", args=[world["entity"].uscc]))
    assert case.decision_number in page.content.decode()
