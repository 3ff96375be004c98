"""Self-inspections (自查, N4.2) against the catalog's checklists, with the hazards found and
their rectification and photos; the bureau reads them on the entity's profile."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.enterprise.models import SelfHazard, SelfInspection
from anjian.evidence.models import Evidence
from tests.evidence.subjects import JPEG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(make_item: Any) -> Any:
    return make_item().versions.get()


def _post(client: Any, checklist: Any, **extra: Any) -> Any:
    point = checklist.check_points.get()
    data = {
        f"answer_{point.pk}": "non_compliant",
        f"note_{point.pk}": "记录不全",
        "hazard_0_description": "瓦斯检查记录缺三天",
        "hazard_0_measures": "补齐记录，班组长签字",
        "hazard_0_deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "hazard_0_photos": [upload("记录.jpg", JPEG)],
        **extra,
    }
    return client.post(
        reverse("enterprise:self_inspection_new") + f"?checklist={checklist.pk}", data
    )


def test_file_a_self_inspection_with_a_hazard_and_photo(
    checklist: Any, principal: Any, own: Any, login: Any, org: dict
) -> None:
    client = login(principal)
    choose = client.get(reverse("enterprise:self_inspection_new")).content.decode()
    assert checklist.name in choose
    response = _post(client, checklist)
    assert response.status_code == 302
    inspection = SelfInspection.objects.get()
    assert inspection.entity == own and inspection.answers.get().answer == "non_compliant"
    hazard = inspection.hazards.get()
    assert hazard.done_on is None
    assert Evidence.objects.filter(subject_type="enterprise.selfhazard").count() == 1
    assert AuditEvent.objects.filter(action="enterprise.self_inspection.submitted").exists()
    client.post(reverse("enterprise:self_hazard_done", args=[hazard.pk]))
    assert SelfHazard.objects.get().done_on == timezone.localdate()
    # The bureau of the county reads it from the entity's profile.
    officer = login(org["county_inspector"])
    profile = officer.get(reverse("entities:entity_detail", args=[own.uscc])).content.decode()
    url = reverse("enterprise:bureau_self_inspection", args=[own.uscc, inspection.pk])
    assert url in profile
    assert "瓦斯检查记录缺三天" in officer.get(url).content.decode()
    assert login(org["other_county_inspector"]).get(url).status_code == 404


def test_a_non_compliant_point_needs_a_hazard_and_nothing_is_half_written(
    checklist: Any, principal: Any, login: Any
) -> None:
    response = _post(login(principal), checklist, hazard_0_description="")
    assert response.status_code == 400 and "隐患" in response.content.decode()
    assert not SelfInspection.objects.exists()


def test_another_entity_s_self_inspection_is_not_found(
    checklist: Any, principal: Any, login: Any, activate: Any, make_entity: Any
) -> None:
    _post(login(principal), checklist)
    inspection = SelfInspection.objects.get()
    stranger = activate(make_entity("140603"), "principal").user
    client = login(stranger)
    assert (
        client.get(reverse("enterprise:self_inspection_detail", args=[inspection.pk])).status_code
        == 404
    )
    hazard = inspection.hazards.get()
    assert client.post(reverse("enterprise:self_hazard_done", args=[hazard.pk])).status_code == 404


def test_the_enterprise_publishes_its_own_standard_listed_on_the_portal(
    principal: Any, own: Any, login: Any, client: Any
) -> None:
    from anjian.catalog.models import Standard

    response = login(principal).post(
        reverse("enterprise:standards"),
        {"new_code": "Q/PL 001-2026", "new_title": "井下通风管理规范", "url": ""},
    )
    assert response.status_code == 302
    standard = Standard.objects.get(code="Q/PL 001-2026")
    assert standard.kind == "enterprise" and standard.issued_by == own.name
    assert "Q/PL 001-2026" in client.get(reverse("catalog:standard_list")).content.decode()
    bad = login(principal).post(
        reverse("enterprise:standards"), {"new_code": "GB 1-2020", "new_title": "x"}
    )
    assert bad.status_code == 400 and "Q/" in bad.content.decode()
