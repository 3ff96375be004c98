"""The PostgreSQL COPY path of large imports stores exactly what the generic path stores."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from anjian.entities.bulk import COPY_TEXT_FIELDS, _entities_copy, entities_insert
from anjian.entities.models import Entity, EntityNameGram
from anjian.entities.search import grams_of, search_text_of
from anjian.entities.validation import EntityValues
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def test_the_copy_text_writes_the_fields_in_their_order() -> None:
    assert EntityValues.FIELDS == COPY_TEXT_FIELDS


def _values(i: int, **changes) -> EntityValues:
    base = {
        "uscc": make_uscc("140603", i),
        "name": f"平鲁区第{i}焦煤有限公司",
        "former_names": [],
        "industry": "coal_mine",
        "sub_sector": "",
        "region_id": "140603",
        "address": "",
        "legal_representative": "",
        "business_status": "operating",
        "scale": "",
        "established_on": None,
        "key_supervision": False,
        "new_business_form": False,
        "observation_start": None,
        "observation_end": None,
        "major_hazard_source": False,
        "risk_level": "",
    }
    base.update(changes)
    return EntityValues(**base)


TRICKY = [
    _values(1),
    _values(
        2,
        name="朔州\\市\t鑫泰\n化工\r有限公司",
        former_names=['旧"名', "反\\斜"],
        address="平鲁区\t井坪镇\\N 12号",
        legal_representative="张\\三",
        established_on=datetime.date(2008, 2, 29),
        key_supervision=True,
        new_business_form=True,
        observation_start=datetime.date(2026, 1, 1),
        observation_end=datetime.date(2026, 12, 31),
        major_hazard_source=True,
        risk_level="major",
        standardisation_grade="level_2",
        sub_sector="0610",
        scale="small",
        business_status="suspended",
    ),
    _values(3, name="\\N", address="\\N"),
]


def _stored() -> list[tuple]:
    fields = ("uscc", *EntityValues.FIELDS, "search_text")
    return list(Entity.objects.order_by("uscc").values_list(*fields))


def test_tabs_newlines_backslashes_and_nulls_survive_the_copy_path() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY exists on PostgreSQL only; SQLite imports use executemany")
    entities_insert(TRICKY[:0])  # nothing to insert is nothing done
    texts = [search_text_of(v.name, v.former_names) for v in TRICKY]
    _entities_copy(TRICKY, texts)
    copied = _stored()
    for entity in Entity.objects.all():
        got = set(EntityNameGram.objects.filter(entity=entity).values_list("gram", flat=True))
        assert got == grams_of(entity.search_text)
    EntityNameGram.objects.all().delete()
    Entity.objects.all().delete()
    from anjian.entities import bulk

    bulk.COPY_FROM, saved = 10**9, bulk.COPY_FROM
    try:
        entities_insert(TRICKY)  # the generic executemany path
    finally:
        bulk.COPY_FROM = saved
    assert copied == _stored()
    assert copied[1][1] == "朔州\\市\t鑫泰\n化工\r有限公司"
    assert copied[2][1] == "\\N" and copied[2][6] == "\\N"
