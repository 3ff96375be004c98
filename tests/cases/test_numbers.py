"""One case, one set of numbers: the case number in the bureau's document form, and the
decision number is the issued decision's own number everywhere it is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.cases import services
from anjian.cases.models import Case
from tests.cases.conftest import TODAY, after_statement, open_case

pytestmark = pytest.mark.django_db


def decided(world) -> Case:
    case = after_statement(world)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=case, held_on=TODAY, participants="班子", conclusion="同意"
        )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def test_the_case_number_has_the_bureau_s_document_form(world) -> None:
    first = open_case(world)
    assert first.number == f"（晋朔平）应急立〔{TODAY.year}〕1号"


def test_the_decision_number_is_the_issued_document_s_number(world, client) -> None:
    from anjian.documents.models import OfficialDocument
    from anjian.publications.models import Publication

    case = decided(world)
    doc = OfficialDocument.objects.get(subject_id=str(case.pk), kind="penalty_decision")
    assert doc.number == f"（晋朔平）应急罚〔{TODAY.year}〕1号"
    assert case.decision_number == doc.number
    publication = Publication.objects.get(subject_id=str(case.pk))
    assert publication.fields["decision_number"] == doc.number
    # The bureau's own listing of publications shows the same number.
    client.force_login(world["h1"])
    html = client.get(reverse("publications:publication_list")).content.decode()
    assert doc.number in html
    assert "平鲁应急罚" not in html and "平鲁区应急罚" not in html
