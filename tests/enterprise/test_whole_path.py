"""Issue 21's "Done when", played through the pages as the users would: the county issues an
invitation, the principal activates the account and logs in, files a self-inspection with a
hazard, reports the rectification of a correction order with photos that the inspector reads
and accepts on re-inspection, agrees to electronic service and confirms receipt of a penalty
decision (which serves it), files an accident report that the county and the city forward;
at each step what each user sees is asserted, and another enterprise gets 404.

Services stand in only where no page exists for the step (the case's file up to its decision
is the cases app's own long story, tested there)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accidents.models import AccidentReport
from anjian.cases import services as case_services
from anjian.cases.models import Case
from anjian.core import clock as core_clock
from anjian.documents.models import OfficialDocument
from anjian.enterprise.models import EnterpriseMember, SelfInspection
from anjian.inspections.models import OrderStatus
from anjian.notifications.models import Notification
from tests.cases import conftest as cases_conftest
from tests.cases.conftest import after_statement
from tests.enterprise.conftest import GOOD, PHONE
from tests.evidence.subjects import upload

pytestmark = pytest.mark.django_db

world = cases_conftest.world  # a county bureau with its officers and an entity of 平鲁区


def _photo(colour: tuple[int, int, int]) -> bytes:
    """A real small JPEG (a phone's photo, in miniature)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _code_on(page: str) -> str:
    """The one-time code as the officer reads it off the page (groups of Crockford base-32)."""
    found = re.search(r"font-monospace[^>]*>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})<", page)
    assert found, "the invitation code is shown once"
    return found.group(1)


def _logged_in(username: str) -> Client:
    client = Client()
    page = client.post(reverse("accounts:login"), {"username": username, "password": GOOD})
    assert page.status_code == 302, "the enterprise logs in on the staff login page"
    return client


def test_the_enterprise_side_from_invitation_to_forwarded_accident_report(
    world: dict,
    item: Any,
    org: dict,
    login: Any,
    clock: Any,
    make_entity: Any,
    entity_file: Any,
    activate: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    cache.clear()
    clock.pin_date(timezone.localdate())
    entity = world["entity"]
    inspector = world["h1"]
    file = entity_file(entity, inspector)
    order, record = file["order"], file["record"]
    record.inspectors.add(inspector, world["h2"])

    # 1. The county issues an invitation on the entity's page; the code is shown once.
    officer = login(inspector)
    accounts_url = reverse("enterprise:entity_accounts", args=[entity.uscc])
    page = _text(officer.post(accounts_url, {"position": "principal"}))
    code = _code_on(page)
    assert code not in _text(officer.get(accounts_url)), "shown once only"

    # 2. The principal activates the account on the portal and logs in like the staff.
    public = Client()
    done = _text(
        public.post(
            reverse("enterprise:activate"),
            {
                "uscc": entity.uscc,
                "code": code.lower(),
                "full_name": "李矿长",
                "username": "pinglu_mine",
                "password": GOOD,
                "password_again": GOOD,
                "phone": PHONE,
            },
        )
    )
    assert entity.name in done
    member = EnterpriseMember.objects.get(user__username="pinglu_mine")
    assert member.entity == entity and member.position == "principal" and member.active
    ent = _logged_in("pinglu_mine")
    home = _text(ent.get(reverse("enterprise:home")))
    assert entity.name in home and entity.uscc in home
    assert "李矿长" in _text(officer.get(accounts_url))  # the bureau sees its new user

    # 3. A self-inspection against the catalog's checklist, with a hazard and its photo.
    checklist = item.versions.get()
    new_url = reverse("enterprise:self_inspection_new")
    choose = _text(ent.get(new_url))
    version_pk = re.search(r"\?checklist=(\d+)", choose)
    assert version_pk, "the checklist of the enterprise's industry is offered"
    form = _text(ent.get(f"{new_url}?checklist={version_pk.group(1)}"))
    point = re.search(r'name="answer_(\d+)"', form)
    assert point
    response = ent.post(
        f"{new_url}?checklist={version_pk.group(1)}",
        {
            f"answer_{point.group(1)}": "non_compliant",
            f"note_{point.group(1)}": "瓦斯检查记录缺三天",
            "hazard_0_description": "瓦斯检查记录缺三天",
            "hazard_0_measures": "补齐记录，班组长签字",
            "hazard_0_deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "hazard_0_photos": [upload("记录.jpg", _photo((200, 180, 40)), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    inspection = SelfInspection.objects.get(entity=entity)
    assert inspection.item_version == checklist
    shown = _text(ent.get(response["Location"]))
    assert "瓦斯检查记录缺三天" in shown and "补齐记录" in shown
    profile = _text(officer.get(reverse("entities:entity_detail", args=[entity.uscc])))
    bureau_url = reverse("enterprise:bureau_self_inspection", args=[entity.uscc, inspection.pk])
    assert bureau_url in profile and "1 项尚未整改" in profile
    assert "瓦斯检查记录缺三天" in _text(officer.get(bureau_url))

    # 4. The rectification report of the open correction order, with two photos.
    listing = _text(ent.get(reverse("enterprise:inspection_list")))
    assert record.number in listing
    response = ent.post(
        reverse("enterprise:order_report", args=[order.pk]),
        {
            "text": "已补齐瓦斯检查记录并组织培训。",
            "photos": [
                upload("整改后1.jpg", _photo((40, 120, 200)), "image/jpeg"),
                upload("整改后2.jpg", _photo((60, 160, 60)), "image/jpeg"),
            ],
        },
    )
    assert response.status_code == 302
    report = order.reports.get()
    assert report.submitted_by.username == "pinglu_mine" and not report.on_paper
    # The inspector reads report and photos on the order's page, and accepts it there.
    order_page = _text(officer.get(reverse("inspections:order_detail", args=[order.pk])))
    assert "已补齐瓦斯检查记录" in order_page
    assert "整改后1.jpg" in order_page and "整改后2.jpg" in order_page
    response = officer.post(
        reverse("inspections:order_reinspect", args=[order.pk]),
        {
            "on": timezone.localdate().isoformat(),
            "inspectors": [inspector.pk, world["h2"].pk],
            "result": "passed",
            "opinion": "经复查，整改到位。",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.RECTIFIED
    detail = _text(ent.get(reverse("enterprise:inspection_detail", args=[record.pk])))
    assert "经复查，整改到位。" in detail

    # 5. A penalty decision, served electronically: the principal records the agreement, then
    # confirms receipt of the decision in the account; the case counts it as its service.
    with django_capture_on_commit_callbacks(execute=True):
        case = after_statement(world)
        case_services.case_decide(actor=world["leader"], case=case)
    decision = OfficialDocument.objects.get(
        kind="penalty_decision",
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=str(case.pk),
    )
    inbox = _text(ent.get(reverse("notifications:inbox")))
    assert decision.number in inbox, "the inbox tells the enterprise of the decision"
    ent.post(reverse("enterprise:service"), {"scope": "decisions"})
    documents = _text(ent.get(reverse("enterprise:document_list")))
    assert decision.number in documents and "确认签收" in documents
    ent.post(reverse("enterprise:document_confirm", args=[decision.pk]))
    case.refresh_from_db()
    assert case.state == "served" and case.service_method == "electronic"
    assert case.served_on == timezone.localdate()
    assert "已电子送达" in _text(ent.get(reverse("enterprise:document_list")))
    case_page = _text(ent.get(reverse("enterprise:case_detail", args=[case.pk])))
    assert case.number in case_page

    # 6. An accident report within the hour (较大: three dead, so it goes up to the province,
    # 条例 art. 10); the county is told and forwards within its two hours, the city after it;
    # each level's times stand on the enterprise's page.
    occurred = core_clock.now() - datetime.timedelta(minutes=25)
    with django_capture_on_commit_callbacks(execute=True):
        response = ent.post(
            reverse("accidents:my_new"),
            {
                "entity": str(entity.pk),
                "occurred_at": timezone.localtime(occurred).strftime("%Y-%m-%dT%H:%M"),
                "place": "选煤厂皮带走廊",
                "accident_type": "workplace",
                "dead": "3",
                "injured": "1",
                "missing": "0",
                "cause": "皮带机绞伤",
                "measures": "停机救援，送医",
                "reporter_name": "李矿长",
                "reporter_phone": PHONE,
            },
        )
    assert response.status_code == 302
    accident = AccidentReport.objects.get(entity=entity)
    assert not accident.late and accident.level == "larger"
    county_inbox = _text(officer.get(reverse("notifications:inbox")))
    assert entity.name in county_inbox
    city = org["city_head"]
    assert login(city).get(reverse("accidents:report_detail", args=[accident.pk])).status_code == (
        404
    ), "the city sees it only once the county forwarded"
    clock.advance(minutes=40)
    officer = login(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("accidents:report_forward", args=[accident.pk]))
    city_client = login(city)
    assert entity.name in _text(city_client.get(reverse("notifications:inbox")))
    clock.advance(minutes=50)
    city_client = login(city)
    with django_capture_on_commit_callbacks(execute=True):
        city_client.post(reverse("accidents:report_forward", args=[accident.pk]))
    steps = list(accident.steps.order_by("received_at", "id"))
    assert [s.level for s in steps] == ["county", "city", "province"]
    county_step, city_step, province_step = steps
    assert county_step.forwarded_by == inspector and city_step.forwarded_by == city
    assert county_step.forwarded_at == city_step.received_at
    assert city_step.forwarded_at == province_step.received_at
    assert county_step.forwarded_at <= county_step.due_at
    ent = _logged_in("pinglu_mine")  # a new session: the earlier one idled out meanwhile
    mine = _text(ent.get(reverse("accidents:my_detail", args=[accident.pk])))
    for step in (county_step, city_step):
        stamp = timezone.localtime(step.forwarded_at).strftime("%Y-%m-%d %H:%M")
        assert stamp in mine, f"the {step.level} forwarding time is shown"
    assert mine.count("按时") >= 2

    # 7. Another enterprise of the same county reaches none of it.
    other = activate(make_entity("140603", name="平鲁另一家公司")).user
    stranger = login(other)
    for url in (
        reverse("enterprise:inspection_detail", args=[record.pk]),
        reverse("enterprise:case_detail", args=[case.pk]),
        reverse("enterprise:document_pdf", args=[decision.pk]),
        reverse("enterprise:self_inspection_detail", args=[inspection.pk]),
        reverse("accidents:my_detail", args=[accident.pk]),
    ):
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(
        reverse("enterprise:document_confirm", args=[decision.pk])
    ).status_code == (404)
    assert not Notification.objects.visible_to(other).filter(text__contains=entity.name).exists()
