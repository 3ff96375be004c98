"""The evidence endpoints: download in scope with safe headers, upload with CSRF and the record's
own permission, withdrawal kept and shown struck through; the fragments with and without HTMX."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.evidence.models import Evidence
from anjian.evidence.selectors import evidence_for
from anjian.evidence.services import evidence_add, evidence_withdraw
from tests.evidence.subjects import EXE, JPEG, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(make_entity):
    return make_entity("140603", name="平鲁区测试煤业有限公司")


def _upload_url(entity) -> str:
    return reverse(
        "evidence:evidence_upload",
        kwargs={"subject_type": "entities.entity", "subject_id": entity.pk},
    )


def test_an_image_is_shown_inline_with_nosniff(org, login, entity) -> None:
    photo = evidence_add(
        org["county_inspector"], upload=upload("现场.jpg", JPEG), subject=entity, region="140603"
    )
    response = login(org["county_inspector"]).get(
        reverse("evidence:evidence_download", args=[photo.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "%E7%8E%B0%E5%9C%BA.jpg" in response["Content-Disposition"]  # 现场.jpg, encoded
    assert "sandbox" in response["Content-Security-Policy"]


def test_other_files_are_always_downloaded(org, login, entity) -> None:
    pdf = evidence_add(
        org["county_inspector"], upload=upload("<script>.pdf", PDF), subject=entity, region="140603"
    )
    response = login(org["county_inspector"]).get(
        reverse("evidence:evidence_download", args=[pdf.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_city_above_sees_it_and_another_county_gets_404(org, login, entity) -> None:
    photo = evidence_add(
        org["county_inspector"], upload=upload("a.jpg", JPEG), subject=entity, region="140603"
    )
    url = reverse("evidence:evidence_download", args=[photo.pk])
    assert login(org["city_head"]).get(url).status_code == 200
    assert login(org["other_county_inspector"]).get(url).status_code == 404
    assert login(org["no_role"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_upload_attaches_every_file_and_goes_back(org, login, entity) -> None:
    client = login(org["county_inspector"])
    response = client.post(
        _upload_url(entity),
        {
            "files": [upload("一.jpg", JPEG), upload("二.pdf", PDF)],
            "caption": "现场",
            "next": f"/entities/{entity.uscc}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/entities/{entity.uscc}/"
    assert sorted(e.original_name for e in evidence_for(entity)) == ["一.jpg", "二.pdf"]


def test_upload_never_redirects_off_site(org, login, entity) -> None:
    response = login(org["county_inspector"]).post(
        _upload_url(entity), {"files": [upload("a.jpg", JPEG)], "next": "https://evil.example/"}
    )
    assert "evil.example" not in response["Location"]


def test_a_refused_file_does_not_stop_the_others_and_is_named(org, login, entity) -> None:
    client = login(org["county_inspector"])
    response = client.post(
        _upload_url(entity),
        {"files": [upload("照片.jpg", EXE), upload("好的.jpg", JPEG)]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "照片.jpg" in body and 'class="alert alert-danger' in body  # the refusal, named
    assert "好的.jpg" in body  # the list, refreshed
    assert [e.original_name for e in evidence_for(entity)] == ["好的.jpg"]


def test_upload_needs_the_csrf_token(org, entity) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["county_inspector"])
    response = client.post(_upload_url(entity), {"files": [upload("a.jpg", JPEG)]})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_upload_needs_the_records_permission(org, login, entity) -> None:
    # the legal reviewer may see the entity but not manage it
    response = login(org["legal"]).post(_upload_url(entity), {"files": [upload("a.jpg", JPEG)]})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_upload_to_an_unregistered_kind_of_record_is_404(org, login) -> None:
    bureau = org["county_inspector"].bureau
    url = reverse(
        "evidence:evidence_upload",
        kwargs={"subject_type": "accounts.bureau", "subject_id": bureau.pk},
    )
    response = login(org["county_inspector"]).post(url, {"files": [upload("a.jpg", JPEG)]})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_upload_to_another_countys_record_is_404(org, login, make_entity) -> None:
    foreign = make_entity("140525")
    response = login(org["county_inspector"]).post(
        _upload_url(foreign), {"files": [upload("a.jpg", JPEG)]}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_withdrawn_evidence_stays_listed_struck_through_with_the_reason(org, login, entity) -> None:
    inspector = org["county_inspector"]
    photo = evidence_add(
        inspector, upload=upload("错拍.jpg", JPEG), subject=entity, region="140603"
    )
    response = login(inspector).post(
        reverse("evidence:evidence_withdraw", args=[photo.pk]),
        {"reason": "拍错了企业", "list_id": "ev-1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="ev-1"' in body
    assert re.search(r"<del><a [^>]*>错拍\.jpg</a></del>", body)
    assert "拍错了企业" in body
    photo.refresh_from_db()
    assert photo.is_withdrawn and photo.withdrawn_by == inspector
    event = AuditEvent.objects.get(action="evidence.file.withdrawn")
    assert event.changes == {"sha256": photo.sha256, "reason": "拍错了企业"}
    # the file is kept and can still be read
    download = login(inspector).get(reverse("evidence:evidence_download", args=[photo.pk]))
    assert download.status_code == 200


def test_withdrawal_needs_a_reason_and_happens_once(org, entity) -> None:
    from anjian.core.errors import Conflict, ServiceError

    inspector = org["county_inspector"]
    photo = evidence_add(inspector, upload=upload("a.jpg", JPEG), subject=entity, region="140603")
    with pytest.raises(ServiceError):
        evidence_withdraw(inspector, evidence=photo, reason="  ")
    evidence_withdraw(inspector, evidence=photo, reason="重复")
    with pytest.raises(Conflict):
        evidence_withdraw(inspector, evidence=photo, reason="再次")
    # after a withdrawal the same file may be attached again, as a new attachment
    again = evidence_add(inspector, upload=upload("a.jpg", JPEG), subject=entity, region="140603")
    assert again.pk != photo.pk


def test_the_panel_shows_the_list_and_a_camera_form_to_those_who_may_attach(org, entity) -> None:
    photo = evidence_add(
        org["county_inspector"], upload=upload("现场.jpg", JPEG), subject=entity, region="140603"
    )
    template = Template("{% load evidence %}{% evidence_panel entity list_id='ev-x' %}")

    def render(user) -> str:
        request = RequestFactory().get("/somewhere/")
        request.user = user
        return template.render(Context({"entity": entity, "request": request}))

    html = render(org["county_inspector"])
    assert 'id="ev-x"' in html
    assert photo.sha256 in html and photo.sha256[:16] + "…" in html
    assert f'src="/evidence/{photo.pk}/"' in html  # the photo itself, no thumbnail
    assert 'capture="environment"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html and 'hx-post="' + _upload_url(entity) in html
    assert "测试用户" in html  # who added it
    reader = render(org["legal"])
    assert photo.sha256 in reader and 'type="file"' not in reader
