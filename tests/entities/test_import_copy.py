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


def _import_twice(first: str, second: str) -> tuple[tuple[int, ...], list[tuple], int]:
    """Both files imported in turn, then rolled back: the second import's counts, the stored
    rows by credit code, the update events it wrote."""
    from django.db import transaction

    from anjian.core.models import AuditEvent
    from anjian.core.services import SYSTEM_ACTOR, AuditSource
    from anjian.entities.importing import entity_import

    with transaction.atomic():
        for name, text in (("first.csv", first), ("second.csv", second)):
            before = AuditEvent.objects.count()
            batch = entity_import(
                actor=SYSTEM_ACTOR,
                source_file=text.encode("utf-8-sig"),
                file_name=name,
                source=AuditSource.SYSTEM,
            )
        counts = (
            batch.rows_created,
            batch.rows_updated,
            batch.rows_unchanged,
            batch.rows_rejected,
        )
        updates = AuditEvent.objects.filter(action="entities.entity.updated").count()
        assert AuditEvent.objects.count() - before == updates + 1  # and the batch's event
        stored = _stored()
        transaction.set_rollback(True)
    return counts, stored, updates


def test_a_reimport_compared_in_bulk_stores_what_the_row_by_row_comparison_stores(
    tmp_path, monkeypatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the bulk comparison is a COPY into a temporary table: PostgreSQL only")
    import csv
    import io

    from anjian.core.masking import mask_person_name
    from anjian.entities import bulk, importing
    from anjian.entities.demo import demo_entity_files_write

    path = demo_entity_files_write(tmp_path, entities=60, seed=3)["entities"]
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    again = [list(r) for r in rows[10:40]]
    again[0][6] += "（新址）"  # another address: an update
    again[1][7] = mask_person_name(again[1][7])  # an export's masked name: unchanged
    again[2][10] = "2001-02-03"  # another founding date: an update
    again[3][0] = again[4][0]  # the same code twice: both rejected

    def text(lines: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *lines])
        return out.getvalue()

    first, second = text(rows[:40]), text(again + rows[40:])
    row_by_row = _import_twice(first, second)

    used: list[int] = []
    compare = bulk.entities_unchanged

    def spy(values):
        same = compare(values)
        used.append(len(same))
        return same

    monkeypatch.setattr(importing, "KNOWN_CODES_FROM", 0)
    monkeypatch.setattr(bulk, "COMPARE_FROM", 0)
    monkeypatch.setattr(bulk, "entities_unchanged", spy)
    in_bulk = _import_twice(first, second)
    assert used == [25]  # 30 rows, two of them rejected, two updated, one masked
    assert in_bulk == row_by_row
    assert row_by_row[0] == (20, 2, 26, 2)
    assert row_by_row[2] == 2
