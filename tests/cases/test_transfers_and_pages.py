"""Clue transfer round trip (N4.1), the pages (scope, CSRF, masking of the natural person, only
the buttons the viewer may take) and the API's error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from anjian.cases import services, transfers
from anjian.cases.models import Case, ClueTransfer
from anjian.core.errors import NotPermitted, ServiceError
from tests.cases.conftest import TODAY, investigating, open_case, proposal

pytestmark = pytest.mark.django_db


def test_clue_transfer_round_trip_between_bureaus(world, make_user, make_certificate) -> None:
    case = investigating(world)
    receiver = make_user("140600", ["inspector"], username="sz_insp")
    transfer = transfers.clue_transfer_send(
        actor=world["h1"], case=case, to_bureau=receiver.bureau, reason="涉及市级管辖事项"
    )
    with pytest.raises(NotPermitted):  # the sender does not receive its own transfer
        transfers.clue_transfer_receive(actor=world["h1"], transfer=transfer)
    transfers.clue_transfer_receive(actor=receiver, transfer=transfer)
    transfers.clue_transfer_answer(actor=receiver, transfer=transfer, accepted=True, note="受理")
    transfers.clue_transfer_result(actor=receiver, transfer=transfer, result="已立案查处")
    transfer.refresh_from_db()
    assert transfer.status == "result_returned" and transfer.result == "已立案查处"
    assert transfer.received_on == TODAY
    assert Case.objects.get(pk=case.pk).state == "investigating"  # a clue; the case goes on


def test_a_declined_transfer_says_why(world, make_user) -> None:
    case = investigating(world)
    receiver = make_user("140600", ["inspector"], username="sz_insp")
    transfer = transfers.clue_transfer_send(
        actor=world["h1"], case=case, to_bureau=receiver.bureau, reason="x"
    )
    transfers.clue_transfer_receive(actor=receiver, transfer=transfer)
    with pytest.raises(ServiceError):
        transfers.clue_transfer_answer(actor=receiver, transfer=transfer, accepted=False)
    transfers.clue_transfer_answer(
        actor=receiver, transfer=transfer, accepted=False, note="不属管辖"
    )
    assert ClueTransfer.objects.get(pk=transfer.pk).status == "declined"


def test_whole_case_to_judicial_organs(world) -> None:
    case = investigating(world)
    transfer = services.case_transfer(
        actor=world["h1"],
        case=case,
        to_department="朔州市公安局平鲁分局",
        reason="涉嫌重大责任事故罪",
    )
    assert Case.objects.get(pk=case.pk).state == "transferred" and transfer.whole_case
    # The sender records what comes back from an outside department.
    transfers.clue_transfer_receive(actor=world["h1"], transfer=transfer)
    transfers.clue_transfer_answer(actor=world["h1"], transfer=transfer, accepted=True)
    transfers.clue_transfer_result(actor=world["h1"], transfer=transfer, result="已立案侦查")
    assert ClueTransfer.objects.get(pk=transfer.pk).status == "result_returned"


def test_a_finding_can_be_transferred(world) -> None:
    transfer = transfers.clue_transfer_send(
        actor=world["h1"], finding=world["finding"], to_department="朔州市市场监督管理局",
        reason="特种设备问题",
    )  # fmt: skip
    assert transfer.entity == world["entity"] and transfer.finding == world["finding"]


def test_the_receiving_bureau_sees_the_transfer_page(world, make_user, login) -> None:
    case = investigating(world)
    receiver = make_user("140525", ["inspector"], username="zz_insp2")
    transfer = transfers.clue_transfer_send(
        actor=world["h1"], case=case, to_bureau=receiver.bureau, reason="x"
    )
    client = login(receiver)
    assert client.get(reverse("cases:transfer_detail", args=[transfer.pk])).status_code == 200
    # ...but not the sending bureau's case.
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    client.post(reverse("cases:transfer_step", args=[transfer.pk]), {"action": "receive"})
    assert ClueTransfer.objects.get(pk=transfer.pk).status == "received"


def test_the_case_page_shows_the_timeline_and_only_allowed_buttons(world, login) -> None:
    case = open_case(world)
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert case.number in page and 'data-action="approve"' not in page
    page = login(world["leader"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-action="approve"' in page and 'data-action="refuse"' in page


def test_another_countys_case_is_404(world, org, login) -> None:
    case = open_case(world)
    client = login(org["other_county_inspector"])
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404
    response = client.get(f"/api/cases/{case.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert case.number not in client.get(reverse("cases:case_list")).content.decode()


def test_steps_need_the_csrf_token(world) -> None:
    case = open_case(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["leader"])
    response = client.post(reverse("cases:case_step", args=[case.pk, "approve"]), {})
    assert response.status_code == 403
    response = client.post(
        f"/api/cases/{case.pk}/steps", json.dumps({"action": "approve"}),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == "filing"


def test_the_natural_person_is_masked_for_those_who_do_not_handle_the_case(
    world, org, login
) -> None:
    case = investigating(
        world, party_kind="individual", party_name="赵小六", party_id_number="140602199001011236",
        measures=["fine"], fine_amount=5_000, justification="个人从轻",
    )  # fmt: skip
    handler_page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk]))
    assert "赵小六" in handler_page.content.decode()
    city = login(org["city_head"])  # in scope, does not handle the case
    page = city.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "赵小六" not in page and "140602199001011236" not in page and "赵*六" in page
    body = city.get(f"/api/cases/{case.pk}").json()
    assert body["party_name"] == "赵*六" and body["party_masked"]


def test_the_page_flow_opens_and_steps_a_case(world, login) -> None:
    client = login(world["h1"])
    url = reverse("cases:case_new") + f"?finding={world['finding'].pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "培训案", "source_kind": "inspection",
            "handlers": [world["h1"].pk, world["h2"].pk], "findings": [str(world["finding"].pk)],
        },
    )  # fmt: skip
    case = Case.objects.get(title="培训案")
    assert response.status_code == 302 and case.findings.count() == 1
    login(world["leader"]).post(reverse("cases:case_step", args=[case.pk, "approve"]), {})
    response = client.post(
        reverse("cases:case_proposal", args=[case.pk]),
        {
            "measures": ["correction_order", "fine"], "fine_amount": "40000",
            "benchmark_code": "AQF-TEST-1", "facts": "x", "act_date": case.act_date.isoformat(),
            "party_kind": "unit",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(pk=case.pk).fine_amount == 40_000


def test_the_reviewer_queue_shows_the_file(world, login) -> None:
    from tests.cases.conftest import MAJOR, after_statement

    case = after_statement(world, **MAJOR)
    client = login(world["reviewer"])
    queue = client.get(reverse("cases:review_queue")).content.decode()
    assert case.number in queue
    page = client.get(reverse("cases:review_detail", args=[case.pk])).content.decode()
    assert case.proposal_hash in page and "100000" in page  # the benchmark's range
    client.post(reverse("cases:case_step", args=[case.pk, "review_pass"]), {"note": "合法"})
    assert Case.objects.get(pk=case.pk).state == "deliberation"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("140602199001011235", "check digit"),  # one digit off: GB 11643 catches it
        ("14060219900101123", "18 characters"),
        ("140602199013011233", "birth date"),  # month 13
        ("140602209901011238", "future"),  # born in 2099
    ],
)
def test_a_natural_persons_id_number_is_checked_not_just_shaped(world, typed, reason) -> None:
    case = investigating(world, _no_proposal=True)
    with pytest.raises(ServiceError) as err:
        services.case_proposal_set(
            actor=world["h1"],
            case=case,
            values=proposal(
                party_kind="individual", party_name="赵小六", party_id_number=typed,
                measures=["fine"], fine_amount=5_000, justification="个人从轻",
            ),
        )  # fmt: skip
    with translation.override("en"):
        assert reason in str(err.value.fields["party_id_number"])
    assert Case.objects.get(pk=case.pk).party_id_number == ""  # nothing half-written


def test_an_id_number_typed_with_spaces_full_width_or_small_x_is_stored_clean(world) -> None:
    # 11010519491231002X with a lower-case x, full-width digits and spaces, as people type it.
    typed = "１１０１０５ 19491231 002x"
    case = investigating(
        world, party_kind="individual", party_name="赵小六", party_id_number=typed,
        measures=["fine"], fine_amount=5_000, justification="个人从轻",
    )  # fmt: skip
    assert case.party_id_number == "11010519491231002X"


# --- the 案件移送书 of a clue transfer (issue 19) ------------------------------------------------


def test_a_findings_clue_goes_with_its_transfer_letter(world, login) -> None:
    from anjian.documents.selectors import documents_for
    from tests.cases.test_casefile import number_re, pdf_text

    transfer = transfers.clue_transfer_send(
        actor=world["h1"], finding=world["finding"], to_department="朔州市市场监督管理局",
        reason="涉及特种设备安全，属市场监管部门管辖",
    )  # fmt: skip
    letter = documents_for(transfer).get(kind="case_transfer")
    assert number_re("应急移").match(letter.number) and letter.issued_on == transfer.sent_on
    assert letter.context["clue"] == "finding"
    text = pdf_text(letter)
    assert "朔州市市场监督管理局" in text and world["entity"].name in text
    assert "安全生产监督检查" in text and "现将该线索移送你单位处理" in text
    assert world["finding"].description in text and "立案调查" not in text
    page = login(world["h1"]).get(reverse("cases:transfer_detail", args=[transfer.pk]))
    assert letter.number in page.content.decode()  # the letter on the transfer's page


def test_a_cases_clue_has_its_own_letter_and_the_case_goes_on(world, make_user) -> None:
    from anjian.documents.selectors import documents_for
    from tests.cases.test_casefile import pdf_text

    case = investigating(world)
    receiver = make_user("140600", ["inspector"], username="sz_insp")
    transfer = transfers.clue_transfer_send(
        actor=world["h1"], case=case, to_bureau=receiver.bureau, reason="涉及市级管辖事项"
    )
    letter = documents_for(transfer).get(kind="case_transfer")
    text = pdf_text(letter)
    assert receiver.bureau.name in text and case.number in text and "该线索" in text
    # The case's own file has no transfer letter: the case was not transferred.
    assert not documents_for(case).filter(kind="case_transfer").exists()


def test_a_refused_clue_transfer_issues_nothing(world) -> None:
    from anjian.documents.models import OfficialDocument

    before = OfficialDocument.objects.filter(kind="case_transfer").count()
    with pytest.raises(ServiceError):
        transfers.clue_transfer_send(actor=world["h1"], finding=world["finding"], reason=" ")
    assert OfficialDocument.objects.filter(kind="case_transfer").count() == before
