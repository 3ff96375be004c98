"""Registering and changing entities, licences and filings through the services."""

from __future__ import annotations

import datetime

import pytest

from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.entities import selectors, services
from anjian.entities.models import Entity, EntityNameGram
from anjian.entities.search import grams_of
from anjian.entities.validation import EntityValues
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def _values(**extra) -> EntityValues:
    data = {
        "uscc": make_uscc("140603", 77),
        "name": "朔州市平鲁区焦煤测试有限公司",
        "former_names": ["平鲁区老煤矿"],
        "industry": "coal_mine",
        "sub_sector": "0610",
        "region_id": "140603",
        "address": "井坪镇",
        "legal_representative": "王小明",
        "business_status": "operating",
        "scale": "medium",
        "established_on": datetime.date(2008, 5, 20),
        "key_supervision": True,
        "new_business_form": False,
        "observation_start": None,
        "observation_end": None,
        "major_hazard_source": False,
    }
    data.update(extra)
    return EntityValues(**data)


def test_entity_create_writes_the_entity_its_bigrams_and_an_audit_event(org) -> None:
    entity = services.entity_create(actor=org["county_inspector"], values=_values())
    assert entity.search_text == "朔州市平鲁区焦煤测试有限公司\x1f平鲁区老煤矿"
    stored = set(EntityNameGram.objects.filter(entity=entity).values_list("gram", flat=True))
    assert stored == grams_of(entity.search_text)
    event = AuditEvent.objects.get(action="entities.entity.created", object_id=str(entity.pk))
    assert event.region == "140603"
    assert event.changes["name"] == [None, entity.name]


def test_a_wrong_check_character_is_refused_naming_the_field(org) -> None:
    good = make_uscc("140603", 5)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ServiceError) as exc:
        services.entity_create(actor=org["county_inspector"], values=_values(uscc=bad))
    message = str(exc.value.fields["uscc"][0])
    assert good[17] in message  # it says what the check character should be
    assert not Entity.objects.exists()


def test_two_entities_never_share_a_credit_code(org) -> None:
    services.entity_create(actor=org["county_inspector"], values=_values())
    with pytest.raises(Conflict) as exc:
        services.entity_create(actor=org["county_inspector"], values=_values(name="另一家"))
    assert "uscc" in exc.value.fields
    assert Entity.objects.count() == 1


def test_lower_case_and_spaces_in_the_credit_code_are_normalised(org) -> None:
    code = make_uscc("140603", 12)
    spaced = code[:6].lower() + " " + code[6:]
    entity = services.entity_create(actor=org["county_inspector"], values=_values(uscc=spaced))
    assert entity.uscc == code


def test_a_county_cannot_register_an_entity_in_another_county(org) -> None:
    with pytest.raises(NotFound):
        services.entity_create(actor=org["county_inspector"], values=_values(region_id="140525"))
    assert not Entity.objects.exists()


def test_a_city_or_province_code_is_not_a_county(org) -> None:
    with pytest.raises(ServiceError) as exc:
        services.entity_create(actor=org["province_admin"], values=_values(region_id="140600"))
    assert "region" in exc.value.fields


def test_a_legal_reviewer_may_read_but_not_register(org) -> None:
    with pytest.raises(NotPermitted):
        services.entity_create(actor=org["legal"], values=_values())


def test_a_formula_in_the_name_is_refused(org) -> None:
    with pytest.raises(ServiceError) as exc:
        services.entity_create(
            actor=org["county_inspector"], values=_values(name='=HYPERLINK("http://x","点我")')
        )
    assert "name" in exc.value.fields


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"new_business_form": True}, "observation_start"),
        (
            {
                "new_business_form": True,
                "observation_start": datetime.date(2026, 1, 1),
                "observation_end": datetime.date(2025, 1, 1),
            },
            "observation_end",
        ),
        ({"observation_start": datetime.date(2026, 1, 1)}, "new_business_form"),
        # N3.5 (issue 19): an open observation period is refused.
        (
            {"new_business_form": True, "observation_start": datetime.date(2026, 1, 1)},
            "observation_end",
        ),
        ({"industry": "bakery"}, "industry"),
        ({"sub_sector": "2521"}, "sub_sector"),  # coking is not a coal mine
    ],
)
def test_inconsistent_values_are_refused_per_field(org, extra, field) -> None:
    with pytest.raises(ServiceError) as exc:
        services.entity_create(actor=org["county_inspector"], values=_values(**extra))
    assert field in exc.value.fields


def test_entity_update_records_what_changed_and_reindexes_the_name(org, make_entity) -> None:
    entity = make_entity(name="旧名称煤业有限公司")
    values = _values(
        uscc=entity.uscc, name="新名称焦化有限公司", former_names=["旧名称煤业有限公司"]
    )
    updated = services.entity_update(actor=org["county_inspector"], entity=entity, values=values)
    assert updated.name == "新名称焦化有限公司"
    found = selectors.entity_list(
        user=org["county_inspector"], filters=selectors.EntityFilters(q="焦化")
    )
    assert list(found) == [updated]
    by_former = selectors.entity_list(
        user=org["county_inspector"], filters=selectors.EntityFilters(q="旧名称")
    )
    assert list(by_former) == [updated]
    event = AuditEvent.objects.filter(action="entities.entity.updated").get()
    assert event.changes["name"] == ["旧名称煤业有限公司", "新名称焦化有限公司"]


def test_an_update_that_changes_nothing_records_nothing(org, make_entity) -> None:
    entity = make_entity()
    values = EntityValues(uscc=entity.uscc, **{f: getattr(entity, f) for f in EntityValues.FIELDS})
    services.entity_update(actor=org["county_inspector"], entity=entity, values=values)
    assert not AuditEvent.objects.filter(action="entities.entity.updated").exists()


def test_licence_dates_and_uniqueness(org, make_entity) -> None:
    entity = make_entity()
    with pytest.raises(ServiceError) as exc:
        services.licence_create(
            actor=org["county_inspector"],
            entity=entity,
            licence_type="safety_production",
            number="（晋）MK安许证字〔2024〕0001号",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2024, 1, 1),
        )
    assert "valid_until" in exc.value.fields
    services.licence_create(
        actor=org["county_inspector"],
        entity=entity,
        licence_type="safety_production",
        number="（晋）MK安许证字〔2024〕0001号",
        valid_until=datetime.date(2027, 1, 1),
    )
    with pytest.raises(Conflict):
        services.licence_create(
            actor=org["county_inspector"],
            entity=entity,
            licence_type="safety_production",
            number="（晋）MK安许证字〔2024〕0001号",
            valid_until=datetime.date(2027, 1, 1),
        )


def test_observation_period_is_inclusive(make_entity) -> None:
    entity = make_entity(
        new_business_form=True,
        observation_start=datetime.date(2026, 1, 1),
        observation_end=datetime.date(2026, 12, 31),
    )
    assert entity.in_observation_on(datetime.date(2026, 1, 1))
    assert entity.in_observation_on(datetime.date(2026, 12, 31))
    assert not entity.in_observation_on(datetime.date(2027, 1, 1))


def test_a_risk_level_is_stored_and_unknown_values_refused(org) -> None:
    entity = services.entity_create(
        actor=org["county_inspector"], values=_values(risk_level="major")
    )
    assert (entity.credit_grade, entity.risk_level) == ("", "major")
    with pytest.raises(ServiceError) as exc:
        services.entity_create(
            actor=org["county_inspector"],
            values=_values(uscc=make_uscc("140603", 78), risk_level="red"),
        )
    assert set(exc.value.fields) == {"risk_level"}


def test_the_registry_has_no_credit_grade_to_type(org, make_entity) -> None:
    """The grade is credit's: no registry value carries it, so neither the form nor an update
    can change it (a grade set by hand is a credit override)."""
    from anjian.entities.forms import EntityForm

    assert "credit_grade" not in EntityValues.FIELDS
    assert "credit_grade" not in EntityForm(user=org["county_inspector"]).fields
    entity = make_entity(credit_grade="D")
    values = EntityValues(uscc=entity.uscc, **{f: getattr(entity, f) for f in EntityValues.FIELDS})
    values.name = "平鲁区改名煤业有限公司"
    services.entity_update(actor=org["county_inspector"], entity=entity, values=values)
    entity.refresh_from_db()
    assert (entity.name, entity.credit_grade) == ("平鲁区改名煤业有限公司", "D")
