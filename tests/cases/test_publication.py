"""The decision schedules its publication (执法公示): a natural person masked, a unit's legal
representative shown."""

from __future__ import annotations

import pytest

from anjian.cases import services
from anjian.cases.models import Case
from tests.cases.conftest import TODAY, after_statement, investigating, proposal

pytestmark = pytest.mark.django_db


def test_a_penalty_decision_is_scheduled_for_publication_masked(world) -> None:
    from django.apps import apps

    if not apps.is_installed("anjian.publications"):
        pytest.fail("the publications app should be installed with the cases")
    from anjian.publications.models import Publication

    case = after_statement(
        world, party_kind="individual", party_name="赵小六", measures=["fine"], fine_amount=5_000,
        party_address="朔州市平鲁区井坪镇南关村3号",
        justification="个人从轻",
    )  # fmt: skip
    # An individual's fine of 5,000 is below the 10,000 threshold but outside the benchmark.
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
    case.refresh_from_db()
    services.case_deliberate(
        actor=world["leader"], case=case, held_on=TODAY, participants="班子成员", conclusion="同意"
    )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    publication = Publication.objects.get(subject_id=str(case.pk))
    text = str(publication.fields)
    assert "赵小六" not in text and "赵" in text


def test_a_unit_s_legal_representative_is_published_in_full(world) -> None:
    """双公示: a unit's decision shows its legal representative; a worker named in the facts
    after a label (作业人员) is still masked by mask_text's rules."""
    from anjian.publications.models import Publication

    case = investigating(world, _no_proposal=True)
    Case.objects.filter(pk=case.pk).update(facts="该矿作业人员王小明等三人未经安全培训上岗。")
    services.case_proposal_set(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), values=proposal()
    )
    services.case_notify(actor=world["h1"], case=Case.objects.get(pk=case.pk), notified_on=TODAY)
    services.case_defence_close(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), statement="无"
    )
    case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=case, held_on=TODAY, participants="班子", conclusion="同意"
        )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    fields = Publication.objects.get(subject_id=str(case.pk)).fields
    assert fields["legal_representative"] == "张三丰"
    assert fields["party_name"] == "平鲁区测试煤业有限公司"
    assert "王小明" not in fields["facts"] and "王*明" in fields["facts"]
