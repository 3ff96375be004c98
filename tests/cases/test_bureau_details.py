"""The notice and the decision take the bureau's document details (address, telephone, where
fines are paid, reconsideration organ, court) and the acting officer's name, so a case worked
through the pages issues its documents; a bureau without them is told what to fill in."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from anjian.accounts.models import Bureau
from anjian.cases import services
from anjian.cases.models import Case
from anjian.core.errors import ServiceError
from anjian.documents.models import OfficialDocument
from anjian.documents.selectors import documents_for
from tests.cases.conftest import LONG_AGO, after_statement, investigating

pytestmark = pytest.mark.django_db


def _blank(world: dict[str, Any], *fields: str) -> None:
    Bureau.objects.filter(pk=world["bureau"].pk).update(**dict.fromkeys(fields, ""))


def _context(case: Case, kind: str) -> dict[str, Any]:
    return documents_for(case).get(kind=kind).context


def test_the_notice_prints_the_bureau_and_the_officer_without_a_document_dict(world) -> None:
    case = investigating(world)
    services.case_notify(actor=world["h1"], case=case, notified_on=LONG_AGO)
    context = _context(case, "penalty_notice")
    assert context["contact_person"] == world["h1"].full_name
    assert context["contact_phone"] == "0349-6012345"
    assert context["bureau_address"] == "朔州市平鲁区井坪镇府前街1号"
    assert context["proposed_penalty"] == "责令改正、罚款人民币40000元"


def test_a_caller_s_document_dict_wins_key_by_key(world) -> None:
    case = investigating(world)
    services.case_notify(
        actor=world["h1"], case=case, notified_on=LONG_AGO,
        document={"contact_phone": "0349-6099999", "contact_person": "法制科 王强"},
    )  # fmt: skip
    context = _context(case, "penalty_notice")
    assert context["contact_phone"] == "0349-6099999"
    assert context["contact_person"] == "法制科 王强"
    assert context["bureau_address"] == "朔州市平鲁区井坪镇府前街1号"  # from the bureau


def test_a_bureau_without_details_is_refused_the_notice_naming_them(world) -> None:
    _blank(world, "address", "phone")
    world["bureau"].refresh_from_db()
    case = investigating(world)
    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        services.case_notify(actor=world["h1"], case=case, notified_on=LONG_AGO)
    message = str(exc.value.message)
    assert message.startswith("本局文书信息不完整：")
    assert "办公地址" in message and "联系电话" in message and "请管理员在本局页面填写" in message
    assert "人民法院" not in message  # the notice does not print the court
    # Nothing happened: no notice (only the filing approval of the approval), the case still
    # under investigation.
    assert Case.objects.get(pk=case.pk).state == "investigating"
    assert list(documents_for(case).values_list("kind", flat=True)) == ["filing_approval"]


def test_an_explicit_document_dict_stands_in_for_missing_bureau_details(world) -> None:
    _blank(world, "address", "phone")
    case = investigating(world)
    services.case_notify(
        actor=world["h1"], case=case, notified_on=LONG_AGO,
        document={"contact_phone": "0349-6011111", "bureau_address": "平鲁区府前街1号"},
    )  # fmt: skip
    assert Case.objects.get(pk=case.pk).state == "notified"
    assert _context(case, "penalty_notice")["contact_phone"] == "0349-6011111"


def _decide(world: dict[str, Any], **proposal: Any) -> Case:
    case = Case.objects.get(pk=after_statement(world, **proposal).pk)
    if case.state == "legal_review":
        services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
        case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"],
            case=case,
            held_on=LONG_AGO,
            participants="班子",
            conclusion="同意",
        )
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def test_the_decision_prints_where_to_pay_appeal_and_sue(world) -> None:
    case = _decide(world)
    assert case.state == "decided"
    context = _context(case, "penalty_decision")
    assert context["reconsideration_organ"] == "朔州市平鲁区人民政府"
    assert context["court"] == "朔州市平鲁区人民法院"
    assert context["payment_place"].startswith("中国工商银行朔州平鲁支行")
    assert OfficialDocument.objects.filter(kind="penalty_decision").count() == 1


def test_a_decision_without_the_court_is_refused_and_nothing_is_decided(world) -> None:
    case = after_statement(world)
    _blank(world, "court", "reconsideration_organ")
    case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"],
            case=case,
            held_on=LONG_AGO,
            participants="班子",
            conclusion="同意",
        )
    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    message = str(exc.value.message)
    assert "行政复议机关" in message and "人民法院" in message and "缴纳" not in message
    case = Case.objects.get(pk=case.pk)
    assert case.state == "awaiting_decision" and case.decided_on is None
    assert not documents_for(case).filter(kind="penalty_decision").exists()


def test_a_warning_needs_no_payment_place(world) -> None:
    _blank(world, "payment_place")
    case = _decide(world, measures=["warning"], fine_amount=0, justification="初次违法且已改正")
    assert case.state == "decided"
    assert "payment_place" in _context(case, "penalty_decision")


def test_the_notify_button_on_the_page_issues_the_notice(world, login) -> None:
    case = investigating(world)
    response = login(world["h1"]).post(
        reverse("cases:case_step", kwargs={"pk": case.pk, "action": "notify"}),
        {"notified_on": LONG_AGO.isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).state == "notified"
    notice = documents_for(case).get(kind="penalty_notice")
    assert notice.number in response.content.decode()


def test_the_page_tells_the_officer_which_details_are_missing(world, login) -> None:
    _blank(world, "phone")
    case = investigating(world)
    client = login(world["h1"])
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        reverse("cases:case_step", kwargs={"pk": case.pk, "action": "notify"}),
        {"notified_on": LONG_AGO.isoformat()},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    page = response.content.decode()
    assert "本局文书信息不完整：联系电话" in page
    assert Case.objects.get(pk=case.pk).state == "investigating"
