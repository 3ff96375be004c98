"""The bureau's document details (address, telephone, where fines are paid, reconsideration
organ, court): set by its administrator or one above, audited, nobody else's to change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anjian.accounts.models import Bureau
from anjian.accounts.services import bureau_document_details_set
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DETAILS = {
    "address": "朔州市平鲁区井坪镇府前街1号",
    "phone": "0349-6012345",
    "payment_place": "中国工商银行朔州平鲁支行（账户：朔州市平鲁区财政局非税收入汇缴结算户）",
    "reconsideration_organ": "朔州市平鲁区人民政府",
    "court": "朔州市平鲁区人民法院",
}


def _county(org: dict[str, Any]) -> Bureau:
    return org["county_admin"].bureau


def test_the_administrator_sets_them_and_the_change_is_audited(org) -> None:
    bureau = bureau_document_details_set(actor=org["county_admin"], bureau=_county(org), **DETAILS)
    stored = Bureau.objects.get(pk=bureau.pk)
    assert {k: getattr(stored, k) for k in DETAILS} == DETAILS
    event = AuditEvent.objects.filter(action="accounts.bureau.document_details_changed").get()
    assert event.region == "140603"
    assert event.changes["court"] == ["", "朔州市平鲁区人民法院"]
    # Saving the same values again changes nothing and records nothing.
    bureau_document_details_set(actor=org["county_admin"], bureau=stored, **DETAILS)
    assert AuditEvent.objects.filter(action="accounts.bureau.document_details_changed").count() == 1


def test_the_city_administrator_may_set_a_county_s_details(org) -> None:
    bureau_document_details_set(actor=org["city_admin"], bureau=_county(org), **DETAILS)
    assert Bureau.objects.get(pk=_county(org).pk).court == "朔州市平鲁区人民法院"


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("other_county_admin", NotFound), ("county_inspector", NotPermitted),
     ("province_auditor", NotPermitted)],
)  # fmt: skip
def test_others_may_not(org, who: str, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        bureau_document_details_set(actor=org[who], bureau=_county(org), **DETAILS)
    assert Bureau.objects.get(pk=_county(org).pk).court == ""


def test_a_telephone_must_look_like_one(org) -> None:
    with pytest.raises(ServiceError) as exc:
        bureau_document_details_set(
            actor=org["county_admin"], bureau=_county(org), **{**DETAILS, "phone": "请拨打值班室"}
        )
    assert "phone" in exc.value.fields
    assert Bureau.objects.get(pk=_county(org).pk).address == ""


def test_the_page_shows_and_saves_them(org, login) -> None:
    client = login(org["county_admin"])
    bureau = _county(org)
    page = client.get(reverse("accounts:bureau_detail", args=[bureau.pk])).content.decode()
    assert reverse("accounts:bureau_document_details", args=[bureau.pk]) in page
    response = client.post(
        reverse("accounts:bureau_document_details", args=[bureau.pk]), DETAILS, follow=True
    )
    assert response.status_code == 200
    assert "朔州市平鲁区人民法院" in response.content.decode()  # back on the bureau page
    assert Bureau.objects.get(pk=bureau.pk).phone == "0349-6012345"


def test_the_page_shows_a_refused_value_on_its_field(org, login) -> None:
    bureau = _county(org)
    response = login(org["county_admin"]).post(
        reverse("accounts:bureau_document_details", args=[bureau.pk]), {**DETAILS, "phone": "abc"}
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert Bureau.objects.get(pk=bureau.pk).phone == ""


def test_an_inspector_sees_them_but_no_edit_link(org, login) -> None:
    bureau = _county(org)
    Bureau.objects.filter(pk=bureau.pk).update(court="朔州市平鲁区人民法院")
    client = login(org["county_inspector"])
    page = client.get(reverse("accounts:bureau_detail", args=[bureau.pk])).content.decode()
    assert "朔州市平鲁区人民法院" in page
    assert reverse("accounts:bureau_document_details", args=[bureau.pk]) not in page
    response = client.post(reverse("accounts:bureau_document_details", args=[bureau.pk]), DETAILS)
    assert response.status_code == 403
    assert Bureau.objects.get(pk=bureau.pk).phone == ""


def test_another_county_s_bureau_is_not_found(org, login) -> None:
    bureau = _county(org)
    response = login(org["other_county_admin"]).post(
        reverse("accounts:bureau_document_details", args=[bureau.pk]), DETAILS
    )
    assert response.status_code == 404
    assert Bureau.objects.get(pk=bureau.pk).address == ""


def test_the_form_needs_the_csrf_token(org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["county_admin"])
    bureau = _county(org)
    response = client.post(reverse("accounts:bureau_document_details", args=[bureau.pk]), DETAILS)
    assert response.status_code == 403
    assert Bureau.objects.get(pk=bureau.pk).address == ""


# --- the abbreviation heading the bureau's numbers -----------------------------------------


def test_the_administrator_changes_the_abbreviation_with_audit(org) -> None:
    bureau = bureau_document_details_set(
        actor=org["county_admin"], bureau=_county(org), **DETAILS, document_abbreviation="晋朔鲁"
    )
    assert Bureau.objects.get(pk=bureau.pk).document_abbreviation == "晋朔鲁"
    event = AuditEvent.objects.filter(action="accounts.bureau.document_details_changed").get()
    assert event.changes["document_abbreviation"] == ["", "晋朔鲁"]


def test_another_bureau_s_abbreviation_is_refused_in_chinese(org) -> None:
    from django.utils import translation

    other = org["other_county_admin"].bureau  # 泽州县: its default is 晋城泽
    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        bureau_document_details_set(
            actor=org["county_admin"],
            bureau=_county(org),
            **DETAILS,
            document_abbreviation="晋城泽",
        )
    message = str(exc.value.fields["document_abbreviation"][0])
    assert other.name in message and "已" in message
    assert Bureau.objects.get(pk=_county(org).pk).document_abbreviation == ""


def test_the_abbreviation_must_be_chinese_characters(org) -> None:
    with pytest.raises(ServiceError) as exc:
        bureau_document_details_set(
            actor=org["county_admin"], bureau=_county(org), **DETAILS, document_abbreviation="PL-1"
        )
    assert "document_abbreviation" in exc.value.fields


def test_the_database_refuses_a_duplicate_abbreviation(org) -> None:
    from django.db import IntegrityError, transaction

    Bureau.objects.filter(pk=_county(org).pk).update(document_abbreviation="晋朔鲁")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bureau.objects.filter(pk=org["other_county_admin"].bureau_id).update(
            document_abbreviation="晋朔鲁"
        )
    # Blank (the region's default) is not a value two bureaus share.
    Bureau.objects.filter(pk=_county(org).pk).update(document_abbreviation="")
    assert Bureau.objects.filter(document_abbreviation="").count() >= 2


def test_the_page_changes_the_abbreviation(org, login) -> None:
    client = login(org["county_admin"])
    bureau = _county(org)
    url = reverse("accounts:bureau_document_details", args=[bureau.pk])
    assert 'value="晋朔平"' in client.get(url).content.decode()  # the default, shown
    client.post(url, {**DETAILS, "document_abbreviation": "晋朔鲁"})
    assert Bureau.objects.get(pk=bureau.pk).document_abbreviation == "晋朔鲁"
    page = client.post(url, {**DETAILS, "document_abbreviation": "晋城泽"}).content.decode()
    assert "晋城泽" in page and Bureau.objects.get(pk=bureau.pk).document_abbreviation == "晋朔鲁"
