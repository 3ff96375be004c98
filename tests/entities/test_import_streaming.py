"""A large file on PostgreSQL is written while it is read (`entities.streaming`): what it stores
and reports is exactly what the import stores and reports when it reads first and writes after.

The block size is made small here, so that a file of a few dozen rows spans many blocks; a file
of one block or less is never streamed, so the same file read in one block is the reference.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from anjian.core.services import SYSTEM_ACTOR
from anjian.entities import bulk, importing, streaming
from anjian.entities.importing import entity_import
from anjian.entities.models import Entity, EntityNameGram, ImportBatch
from anjian.entities.reading import EntityReader
from anjian.entities.search import grams_of
from anjian.entities.validation import EntityValues
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db

HEAD = "统一社会信用代码,企业名称,曾用名,行业类别,所属区县,注册地址,法定代表人,重点监管,成立日期"


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL imports stream (COPY from a thread of the import)")


def _file(*rows: str) -> bytes:
    return ("\r\n".join([HEAD, *rows]) + "\r\n").encode("utf-8-sig")


def _rows(first: int, n: int, county: str = "140603") -> list[str]:
    return [
        f"{make_uscc(county, i)},平鲁区第{i}号焦煤有限公司,旧名{i}号商行,煤矿,{county},"
        f"平鲁区井坪镇{i}号,张{i},{'是' if i % 3 == 0 else '否'},2010-0{1 + i % 9}-1{i % 10}"
        for i in range(first, first + n)
    ]


def _state() -> tuple[list[tuple[Any, ...]], set[tuple[str, int]], list[tuple[Any, ...]]]:
    """The stored entities (every registry field), their bigrams, and each import's report."""
    fields = ("uscc", *EntityValues.FIELDS, "credit_grade", "search_text")
    entities = list(Entity.objects.order_by("uscc").values_list(*fields))
    grams = set(EntityNameGram.objects.values_list("entity__uscc", "gram"))
    batches = list(
        ImportBatch.objects.order_by("pk").values_list(
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "dry_run",
            "errors",
        )
    )
    return entities, grams, batches


def _blocks_sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the blocks the import hands to the writing thread, as they are handed."""
    sent: list[int] = []
    original = streaming.EntityStream.put

    def spy(self: Any, values: list[EntityValues]) -> None:
        sent.append(len(values))
        original(self, values)

    monkeypatch.setattr(streaming.EntityStream, "put", spy)
    return sent


def _both(monkeypatch: pytest.MonkeyPatch, run: Any) -> tuple[Any, Any, list[int]]:
    """`run()` read in one block, then streamed in blocks of four rows; the database is put
    back between the two. Returns both states and the sizes of the blocks streamed."""
    point = transaction.savepoint()
    run()
    whole = _state()
    transaction.savepoint_rollback(point)
    monkeypatch.setattr(EntityReader, "BLOCK", 4)
    # Keys a few at a time: the COPY is ended and opened again whenever they run out.
    monkeypatch.setattr(streaming, "KEYS_FIRST", 3)
    sent = _blocks_sent(monkeypatch)
    run()
    return whole, _state(), sent


def test_a_first_load_streamed_stores_and_reports_what_one_reading_does(monkeypatch) -> None:
    _first_load_compared(monkeypatch)


@pytest.mark.db_owner  # CI's owner pass: the first load drops the keys and builds them back
def test_a_first_load_by_the_owner_streamed_stores_and_reports_what_one_reading_does(
    monkeypatch,
) -> None:
    _first_load_compared(monkeypatch)


def _first_load_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(1, 25)
    rows[7] = rows[7].replace(make_uscc("140603", 8), "91140603BAD")  # refused on its own
    rows[20] = f"{make_uscc('140603', 3)},同码另一家公司,,煤矿,140603,,,,"  # row 4's code again

    def run() -> None:
        entity_import(actor=SYSTEM_ACTOR, source_file=_file(*rows), file_name="s.csv")

    whole, streamed, sent = _both(monkeypatch, run)
    assert streamed == whole
    assert sum(sent) == 23 and len(sent) == 7  # all but the bad code and the repeat, then held
    entities, grams, (batch,) = streamed
    assert batch[1] == 22 and batch[4] == 3  # created; rejected: the bad code and both copies
    assert make_uscc("140603", 3) not in {e[0] for e in entities}
    assert make_uscc("140603", 3) not in {uscc for uscc, _g in grams}


def test_a_registry_with_entities_streams_only_the_new_and_plans_the_rest(
    org, make_entity, monkeypatch
) -> None:
    stored = [
        make_entity("140603", name=f"平鲁区第{i}号焦煤有限公司", uscc=make_uscc("140603", i))
        for i in (2, 5)
    ]
    theirs = make_entity("140525", name="泽州县已有企业")
    rows = _rows(1, 18)
    rows.append(f"{theirs.uscc},想改掉泽州县的企业,,煤矿,140603,,,,")  # another county's
    rows.extend(_rows(40, 3, county="140525"))  # outside the importer's county

    def run() -> None:
        entity_import(actor=org["county_inspector"], source_file=_file(*rows), file_name="r.csv")

    whole, streamed, sent = _both(monkeypatch, run)
    assert streamed == whole
    assert sum(sent) == 16  # the two stored, the other county's and those outside: planned
    (batch,) = streamed[2]
    assert (batch[1], batch[2], batch[4]) == (16, 2, 4)
    assert {s.uscc for s in stored} <= {e[0] for e in streamed[0]}


def test_all_or_nothing_with_a_bad_row_late_in_the_file_writes_nothing(org, monkeypatch) -> None:
    keys = _keys()
    monkeypatch.setattr(EntityReader, "BLOCK", 4)
    rows = [*_rows(1, 20), "91140603BAD,坏行,,煤矿,140603,,,,"]
    batch = entity_import(
        actor=org["county_inspector"], source_file=_file(*rows), file_name="a.csv", strict=True
    )
    assert (batch.rows_created, batch.rows_rejected, batch.dry_run) == (0, 1, True)
    assert not Entity.objects.exists() and not EntityNameGram.objects.exists()
    assert _keys() == keys  # the keys a first load drops are back


def test_a_failure_while_writing_a_block_leaves_the_database_as_it_was(org, monkeypatch) -> None:
    monkeypatch.setattr(EntityReader, "BLOCK", 4)
    entity_import(actor=SYSTEM_ACTOR, source_file=_file(*_rows(1, 5)), file_name="1.csv")
    before = (Entity.objects.count(), EntityNameGram.objects.count(), ImportBatch.objects.count())
    calls = []
    original = bulk._copy_text

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:  # the third block, after two were written
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(bulk, "_copy_text", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        entity_import(actor=SYSTEM_ACTOR, source_file=_file(*_rows(10, 30)), file_name="2.csv")
    after = (Entity.objects.count(), EntityNameGram.objects.count(), ImportBatch.objects.count())
    assert len(calls) == 3 and after == before


def test_a_failure_after_the_reading_stops_the_writing_thread(monkeypatch) -> None:
    monkeypatch.setattr(EntityReader, "BLOCK", 4)

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(importing, "_duplicates_reject", failing)
    with pytest.raises(RuntimeError, match="out of memory"):
        entity_import(actor=SYSTEM_ACTOR, source_file=_file(*_rows(1, 20)), file_name="f.csv")
    assert "anjian-import-stream" not in {t.name for t in threading.enumerate()}
    assert not Entity.objects.exists() and not EntityNameGram.objects.exists()


@pytest.mark.db_owner  # only the tables' owner drops keys (CI runs this as the owner)
def test_a_streamed_first_load_builds_back_every_key_it_dropped(monkeypatch) -> None:
    expected = _keys()
    monkeypatch.setattr(EntityReader, "BLOCK", 4)
    monkeypatch.setattr(streaming, "GRAM_FLUSH", 10)  # bigram rows sent while reading, too
    dropped: list[Any] = []
    original = bulk._entity_keys_drop

    def spy(cursor: Any, table: str) -> Any:
        dropped.append(original(cursor, table))
        return dropped[-1]

    monkeypatch.setattr(bulk, "_entity_keys_drop", spy)
    batch = entity_import(actor=SYSTEM_ACTOR, source_file=_file(*_rows(1, 30)), file_name="k.csv")
    assert batch.rows_created == 30
    with connection.cursor() as cursor:
        owner = bulk._may_alter(cursor, Entity._meta.db_table)
    if owner:  # as the owner the keys were dropped for the load, and are all back
        assert len(dropped) == 1 and dropped[0]
    assert _keys() == expected
    stored = Entity.objects.get(uscc=make_uscc("140603", 7))
    assert stored.name == "平鲁区第7号焦煤有限公司" and stored.former_names == ["旧名7号商行"]
    assert set(EntityNameGram.objects.filter(entity=stored).values_list("gram", flat=True)) == set(
        grams_of(stored.search_text)
    )


def _keys() -> set[tuple[str, str]]:
    """The entity and bigram tables' indexes and constraints, by name and definition."""
    tables = [Entity._meta.db_table, EntityNameGram._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [tables, tables],
        )
        return set(cursor.fetchall())


def test_an_xlsx_uploaded_on_the_import_page_streams_and_reports_as_ever(
    org, login, monkeypatch
) -> None:
    """The officer's path: an XLSX (whose size is not known before it is read, so the keys
    are taken in doubling batches) uploaded on the page, a bad row among many blocks."""
    monkeypatch.setattr(EntityReader, "BLOCK", 4)
    monkeypatch.setattr(streaming, "KEYS_FIRST", 2)
    sent = _blocks_sent(monkeypatch)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年平鲁区工贸企业名单"])
    sheet.append(["统一社会信用代码", "企业名称", "行业类别", "所属区县"])
    for i in range(1, 31):
        code = make_uscc("140603", i) if i != 17 else "911406030000000000"
        sheet.append([code, f"平鲁区第{i}号煤业有限公司", "煤矿", "平鲁区"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = login(org["county_inspector"])
    response = client.post(
        reverse("entities:import_upload"),
        {"kind": "entities", "file": SimpleUploadedFile("名单.xlsx", buffer.getvalue())},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert sum(sent) == 29 and len(sent) > 3
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (30, 29, 1)
    assert [e["row"] for e in batch.errors] == [19]  # title, header, then row 17 of the data
    assert Entity.objects.count() == 29
    assert EntityNameGram.objects.filter(entity__uscc=make_uscc("140603", 30)).exists()
    detail = client.get(response["Location"]).content.decode()
    assert "911406030000000000" in detail
