"""The entity API: profile by credit code, search, registration, and its errors."""

from __future__ import annotations

import json

import pytest

from anjian.entities.models import Entity
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def test_the_profile_by_credit_code(org, login, make_entity) -> None:
    entity = make_entity(name="山西焦煤平鲁煤业有限公司", legal_representative="王小明")
    body = login(org["county_inspector"]).get(f"/api/entities/{entity.uscc}").json()
    assert body["name"] == "山西焦煤平鲁煤业有限公司"
    assert body["region_code"] == "140603" and body["region_name"] == "朔州市平鲁区"
    assert body["legal_representative"] == "王小明"
    assert body["missing_filings"] == ["emergency_plan"]
    assert body["timeline"][0]["kind"] == "registry"
    city = login(org["city_head"]).get(f"/api/entities/{entity.uscc.lower()}").json()
    assert city["legal_representative"] == "王*明"


def test_search_and_keyset_pages(org, login, make_entity) -> None:
    for i in range(5):
        make_entity(name=f"平鲁区焦煤{i}号有限公司")
    make_entity(name="平鲁区化工有限公司", industry="hazardous_chemicals")
    client = login(org["county_inspector"])
    first = client.get("/api/entities", {"q": "焦煤", "limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = client.get("/api/entities", {"q": "焦煤", "cursor": first["next_cursor"]}).json()
    names = {e["name"] for e in first["items"] + rest["items"]}
    assert names == {f"平鲁区焦煤{i}号有限公司" for i in range(5)}


def test_registration_errors_name_the_field(org, login) -> None:
    client = login(org["county_inspector"])
    code = make_uscc("140603", 3)
    payload = {
        "uscc": code[:17] + ("1" if code[17] != "1" else "2"),
        "name": "某公司",
        "industry": "coal_mine",
        "region_code": "140603",
    }
    response = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"uscc"}
    payload["uscc"] = code
    created = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201 and created.json()["uscc"] == code
    again = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    payload.update(uscc=make_uscc("140603", 4), industry="bakery")
    bad = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert bad.status_code == 400 and "industry" in bad.json()["error"]["fields"]
    assert Entity.objects.count() == 1


def test_registration_in_another_county_is_404(org, login) -> None:
    payload = {
        "uscc": make_uscc("140525", 3),
        "name": "某公司",
        "industry": "coal_mine",
        "region_code": "140525",
    }
    response = login(org["county_inspector"]).post(
        "/api/entities", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Entity.objects.exists()


def test_grade_and_risk_level_in_the_profile_the_list_and_the_registration(
    org, login, make_entity
) -> None:
    entity = make_entity(name="平鲁区评级煤业有限公司", credit_grade="A", risk_level="major")
    make_entity(name="平鲁区未评级煤业有限公司")
    client = login(org["county_inspector"])
    body = client.get(f"/api/entities/{entity.uscc}").json()
    assert (body["credit_grade"], body["risk_level"]) == ("A", "major")
    graded = client.get("/api/entities", {"credit_grade": "A"}).json()["items"]
    assert [e["uscc"] for e in graded] == [entity.uscc]
    assert client.get("/api/entities", {"risk_level": "low"}).json()["items"] == []
    every = client.get("/api/entities").json()["items"]
    assert {(e["credit_grade"], e["risk_level"]) for e in every} == {("A", "major"), ("", "")}
    payload = {
        "uscc": make_uscc("140603", 5),
        "name": "平鲁区接口评级有限公司",
        "industry": "coal_mine",
        "region_code": "140603",
        "risk_level": "general",
    }
    created = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["credit_grade"], created.json()["risk_level"]) == ("", "general")
    payload.update(uscc=make_uscc("140603", 6), risk_level="red")
    bad = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"risk_level"}
    # A grade is never typed in: credit computes it, an override sets it by hand.
    payload.update(uscc=make_uscc("140603", 7), risk_level="low", credit_grade="A")
    typed = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert typed.status_code == 400
    assert "信用等级调整" in typed.json()["error"]["fields"]["credit_grade"][0]
    assert not Entity.objects.filter(uscc=make_uscc("140603", 7)).exists()
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert {"credit_grade", "risk_level"} <= set(schema["EntityIn"]["properties"])


def test_the_standardisation_grade_through_the_api_and_the_form(org, login) -> None:
    """安全生产标准化等级: registered and read through the API (in its OpenAPI schema), set
    and changed in the registry form, shown on the profile; an unknown value is refused."""
    from django.urls import reverse

    client = login(org["county_inspector"])
    payload = {
        "uscc": make_uscc("140603", 91),
        "name": "平鲁区标准化化工有限公司",
        "industry": "hazardous_chemicals",
        "region_code": "140603",
        "standardisation_grade": "level_2",
    }
    created = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["standardisation_grade"] == "level_2"
    payload.update(uscc=make_uscc("140603", 92), standardisation_grade="level_4")
    bad = client.post("/api/entities", json.dumps(payload), content_type="application/json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"standardisation_grade"}
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "standardisation_grade" in schema["EntityIn"]["properties"]
    assert "standardisation_grade" in schema["EntityOut"]["properties"]
    code = make_uscc("140603", 91)
    edit = reverse("entities:entity_edit", kwargs={"uscc": code})
    form = {
        "uscc": code,
        "name": "平鲁区标准化化工有限公司",
        "industry": "hazardous_chemicals",
        "region": "140603",
        "business_status": "operating",
        "standardisation_grade": "level_1",
    }
    assert client.post(edit, form).status_code == 302
    assert Entity.objects.get(uscc=code).standardisation_grade == "level_1"
    profile = client.get(
        reverse("entities:entity_detail", kwargs={"uscc": code}),
        headers={"Accept-Language": "zh-hans"},
    ).content.decode()
    assert "安全生产标准化等级" in profile and "一级" in profile
