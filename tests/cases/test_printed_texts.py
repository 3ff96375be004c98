"""The notice and the decision read as the party reads them: the hearing period the settings
give, the evidence listed (not the facts again), one full stop, laws in 《》 under their full
names, a person's own address."""

from __future__ import annotations

import pytest

from anjian.cases import services
from anjian.cases.models import Case
from tests.cases.conftest import TODAY, after_statement, investigating

pytestmark = pytest.mark.django_db


def text_of(doc) -> str:
    from anjian.documents.services import document_layout

    return "\n".join(
        getattr(b, "label", "") + getattr(b, "text", "") for b in document_layout(doc).blocks
    )


def doc_of(case, kind):
    from anjian.documents.models import OfficialDocument

    return OfficialDocument.objects.get(subject_id=str(case.pk), kind=kind)


def decide(world, case) -> Case:
    case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=case, held_on=TODAY, participants="班子", conclusion="同意"
        )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def test_the_notice_prints_the_hearing_period_of_the_settings(world, settings) -> None:
    settings.ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS = 7
    case = investigating(world, fine_amount=55_000)
    assert case.hearing_entitled
    services.case_notify(actor=world["h1"], case=case, notified_on=TODAY)
    text = text_of(doc_of(case, "penalty_notice"))
    assert "有要求举行听证的权利，可在收到本告知书之日起七日内" in text
    assert "五日内" not in text


def test_the_decision_lists_the_evidence_and_cites_the_law_in_full(world) -> None:
    case = investigating(world, _no_proposal=True)
    Case.objects.filter(pk=case.pk).update(
        facts="2026年10月2日，我局接群众举报后对该矿进行检查，发现三名井下作业人员未经安全培训"
        "上岗作业，有现场检查记录等证据证实。"
    )
    from tests.cases.conftest import proposal

    services.case_proposal_set(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), values=proposal()
    )
    services.case_notify(actor=world["h1"], case=Case.objects.get(pk=case.pk), notified_on=TODAY)
    services.case_defence_close(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), statement="对违法事实无异议"
    )
    case = decide(world, case)
    doc = doc_of(case, "penalty_decision")
    record_number = world["record"].number
    assert doc.context["evidence"] == [f"{record_number}现场检查记录", "当事人的陈述申辩"]
    text = text_of(doc)
    assert f"以上事实有{record_number}现场检查记录、当事人的陈述申辩等证据为证。" in text
    assert "以上事实有2026年10月2日" not in text
    assert "。。" not in text
    assert "违反了《中华人民共和国安全生产法》第二十八条的规定" in text
    assert "依据《中华人民共和国安全生产法》第九十七条的规定" in text


def test_a_person_s_decision_prints_the_person_s_own_address(world) -> None:
    person = {
        "party_kind": "individual",
        "party_name": "赵小六",
        "party_id_number": "140602199001011236",
        "measures": ["fine"],
        "fine_amount": 5_000,
        "justification": "个人从轻",
    }
    case = after_statement(world, **person, party_address="朔州市平鲁区井坪镇南关村3号")
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
    case = decide(world, case)
    text = text_of(doc_of(case, "penalty_decision"))
    assert "住址：朔州市平鲁区井坪镇南关村3号" in text
    assert world["entity"].address not in text


def test_a_person_s_decision_without_the_person_s_address_is_refused(world) -> None:
    from anjian.core.errors import ServiceError

    case = after_statement(
        world, party_kind="individual", party_name="赵小六", measures=["fine"], fine_amount=5_000,
        justification="个人从轻",
    )  # fmt: skip
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
    with pytest.raises(ServiceError) as exc:
        decide(world, case)
    assert "party_address" in exc.value.fields
