"""The bulk helpers that let a province-wide draw read and write tens of thousands of rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from anjian.core.bulk import column_values, insert_columns, keys_take
from anjian.core.models import Region
from anjian.entities.models import Entity
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(
    org: dict[str, Any], make_entity: Callable[..., Any], make_item: Callable[..., Any]
) -> dict[str, Any]:
    return {
        "bureau": org["county_admin"].bureau,
        "item": make_item(),
        "entities": [make_entity() for _ in range(3)],
    }


def test_in_array_takes_more_values_than_a_database_accepts_as_parameters() -> None:
    # SQLite refuses more than 32,766 bind parameters and PostgreSQL plans 45,000 of them
    # slowly; in_array sends the list as one parameter.
    codes = [r.code for r in Region.objects.all()[:3]]
    wanted = codes + [f"X{i:06d}" for i in range(40_000)]
    found = set(Region.objects.filter(code__in_array=wanted).values_list("code", flat=True))
    assert found == set(codes)


def test_in_array_with_no_values_matches_nothing() -> None:
    assert not Region.objects.filter(code__in_array=[]).exists()


def test_in_array_on_a_primary_and_a_foreign_key(made: dict[str, Any]) -> None:
    a, b, c = made["entities"]
    got = set(Entity.objects.filter(pk__in_array=[a.pk, c.pk]).values_list("pk", flat=True))
    assert got == {a.pk, c.pk} and b.pk not in got
    in_regions = Entity.objects.filter(region_id__in_array=["140603", "999999"])
    assert in_regions.count() == 3


def test_in_array_of_a_subquery_is_the_subquery_s_values(made: dict[str, Any]) -> None:
    # The ids are read into an array on the server (PostgreSQL) or tested with IN (SQLite);
    # either way the same rows as the list the subquery yields, and none for an empty one.
    a, b, c = made["entities"]
    ids = Entity.objects.filter(pk__in=[a.pk, c.pk]).values("pk")
    got = set(Entity.objects.filter(pk__in_array=ids).values_list("pk", flat=True))
    assert got == {a.pk, c.pk}
    none = Entity.objects.filter(pk__in=[]).values("pk")
    assert not Entity.objects.filter(pk__in_array=none).exists()
    assert Entity.objects.exclude(pk__in_array=ids).filter(pk=b.pk).exists()


def task_columns(
    made: dict[str, Any], entities: list[Any], due_on: datetime.date, **more: list[Any]
) -> dict[str, list[Any]]:
    """Columns of one drawn task per entity, starting 2026-12-01."""
    n = len(entities)
    return {
        "bureau_id": [made["bureau"].pk] * n,
        "entity_id": [e.pk for e in entities],
        "item_id": [made["item"].pk] * n,
        "source": [TaskSource.DRAW.value] * n,
        "period_start": [datetime.date(2026, 12, 1)] * n,
        "due_on": [due_on] * n,
        **more,
    }


def test_insert_columns_fills_defaults_and_reports_the_new_rows(made: dict[str, Any]) -> None:
    entities = made["entities"]
    day = datetime.date(2026, 12, 1)
    rows = insert_columns(
        InspectionTask,
        task_columns(made, entities, day + datetime.timedelta(days=30)),
        returning=["entity_id"],
    )
    assert sorted(e for _pk, e in rows) == sorted(e.pk for e in entities)
    for pk, entity_id in rows:
        task = InspectionTask.objects.get(pk=pk)
        assert task.entity_id == entity_id
        assert task.status == TaskStatus.OPEN  # the model default
        assert task.record_number == "" and task.division_id is None
        assert task.created_at is not None
        assert task.due_on == datetime.date(2026, 12, 31)


def test_insert_columns_is_checked_by_the_database_like_any_insert(made: dict[str, Any]) -> None:
    day = datetime.date(2026, 12, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        # Due the day before the period starts: refused.
        insert_columns(
            InspectionTask,
            task_columns(made, made["entities"][:1], day - datetime.timedelta(days=1)),
        )
    assert not InspectionTask.objects.exists()


def test_insert_columns_keeps_every_character_and_json_value(made: dict[str, Any]) -> None:
    # On PostgreSQL the rows travel as COPY text, where a tab, newline, carriage return or
    # backslash inside a value would otherwise split or shift the row: each comes back as
    # written, and so do JSON values with quotes, backslashes and Chinese text.
    from anjian.draws.models import Draw, DrawSelection

    bureau, entities = made["bureau"], made["entities"]
    day = datetime.date(2026, 12, 1)
    notes = ["制表\t符", "两行\n文字\r\n", 'C:\\目录\\N "引号"']
    rows = insert_columns(
        InspectionTask,
        task_columns(made, entities, day, note=notes, done_on=[None, day, None]),
        returning=["note"],
    )
    for pk, note in rows:
        task = InspectionTask.objects.get(pk=pk)
        assert task.note == note
    by_note = {t.note: t for t in InspectionTask.objects.all()}
    assert set(by_note) == set(notes)
    assert by_note[notes[1]].done_on == day and by_note[notes[0]].done_on is None

    draw = Draw.objects.create(
        bureau=bureau, title="抽查", inspection_from=day, inspection_until=day
    )
    reasons = [{"eligible": 0, "excluded": {"回避": 2}}, {}, {"note": 'a\\b\t"c"\n'}]
    insert_columns(
        DrawSelection,
        {
            "draw_id": [draw.pk] * 3,
            "entity_id": [e.pk for e in entities],
            "stratum": ["煤矿|140603", "化工\\危化", "x"],
            "forced": [True, False, False],
            "probability": [1.0, 0.05, 1 / 3],
            "unassigned_reasons": reasons,
            "team": [[3, 1], [], [2]],
        },
    )
    got = {s.entity_id: s for s in DrawSelection.objects.filter(draw=draw)}
    for i, e in enumerate(entities):
        s = got[e.pk]
        assert s.unassigned_reasons == reasons[i]
        assert s.team == [[3, 1], [], [2]][i]
        assert s.stratum == ["煤矿|140603", "化工\\危化", "x"][i]
        assert s.forced is (i == 0)
        assert s.probability == [1.0, 0.05, 1 / 3][i]


def test_the_collector_waits_inside_the_block_and_comes_back_as_it_was() -> None:
    import gc

    from anjian.core.bulk import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # a nested block (a service calling a service) keeps it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    @gc_paused()
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("refused")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()  # an error inside does not leave the collector off

    gc.disable()  # someone else turned it off: the block must not turn it on
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("keys taken ahead and values read as one text: PostgreSQL only")


@pytest.mark.postgres
def test_keys_taken_ahead_are_new_distinct_and_never_given_to_a_later_insert(
    made: dict[str, Any], make_entity: Callable[..., Any]
) -> None:
    _postgresql_only()
    stored = max(e.pk for e in made["entities"])
    keys = keys_take(Entity._meta.db_table, "id", 2_500)
    assert len(keys) == len(set(keys)) == 2_500
    assert min(keys) > stored
    assert make_entity().pk > max(keys)
    assert keys_take(Entity._meta.db_table, "id", 0) == []


@pytest.mark.postgres
def test_column_values_are_every_value_of_the_column_as_text(made: dict[str, Any]) -> None:
    _postgresql_only()
    table = connection.ops.quote_name(Entity._meta.db_table)
    assert sorted(column_values(f"SELECT uscc FROM {table}")) == sorted(
        e.uscc for e in made["entities"]
    )
    assert column_values(f"SELECT id FROM {table} WHERE id < 0") == []
    assert column_values("SELECT 7") == ["7"]
