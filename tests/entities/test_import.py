"""Importing entity lists as bureaus really send them: XLSX with title rows, GBK CSV, bad rows."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.db import connection

from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR
from anjian.entities import bulk, importing, reading
from anjian.entities.importing import entity_import, filing_import, licence_import
from anjian.entities.models import Entity, EntityNameGram, Filing, ImportBatch, Licence
from anjian.entities.search import grams_of, search_text_of
from anjian.entities.validation import EntityValues
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业类别",
    "所属区县",
    "法定代表人",
    "经营状态",
    "重点监管",
]


def _xlsx(rows: list[list], *, title: str | None = "2026年平鲁区工贸企业名单") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD = [
    [make_uscc("140603", 1), "朔州市平鲁区焦煤甲有限公司", "煤矿", "140603", "张三", "在营", "是"],
    [make_uscc("140603", 2), "平鲁区化工乙有限公司", "危化", "朔州市平鲁区", "李四", "", "否"],
    [make_uscc("140603", 3), "平鲁区商贸丙店", "商贸", "平鲁区", "", "停业", ""],
]


def _errors(batch: ImportBatch) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for e in batch.errors:
        out.setdefault(e["row"], []).append((e["column"], e["reason"]))
    return out


def test_an_xlsx_with_bad_rows_imports_the_good_rows_and_reports_the_bad(org) -> None:
    bad_check = make_uscc("140603", 4)
    bad_check = bad_check[:17] + ("1" if bad_check[17] != "1" else "2")
    rows = [
        *GOOD,
        [bad_check, "校验位错误公司", "煤矿", "140603", "", "", ""],
        [make_uscc("140603", 5), "", "煤矿", "140603", "", "", ""],
        [make_uscc("140603", 6), "行业不明公司", "面包", "140603", "", "", ""],
        [make_uscc("140603", 7), "区县不明公司", "煤矿", "城区", "", "", ""],
        [make_uscc("140603", 8), '=HYPERLINK("http://evil","点我")', "煤矿", "140603", "", "", ""],
        [make_uscc("140603", 9), "是否不明公司", "煤矿", "140603", "", "", "也许"],
    ]
    batch = entity_import(
        actor=org["county_inspector"], source_file=_xlsx(rows), file_name="名单.xlsx"
    )
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (9, 3, 6)
    errors = _errors(batch)
    # Excel's row numbers: title row 1, header row 2, data from row 3.
    assert sorted(errors) == [6, 7, 8, 9, 10, 11]
    assert errors[6][0][0] == "统一社会信用代码" and bad_check[17] not in errors[6][0][1][-3:]
    assert errors[7][0][0] == "企业名称"
    assert errors[8][0][0] == "行业类别"
    assert errors[9][0][0] == "所属区县"
    assert errors[10][0][0] == "企业名称"
    assert errors[11][0][0] == "重点监管"
    assert all(
        any("\u4e00" <= ch <= "\u9fff" for ch in reason)
        for row in errors.values()
        for _c, reason in row
    )
    assert Entity.objects.count() == 3
    assert Entity.objects.get(uscc=GOOD[1][0]).industry == "hazardous_chemicals"
    assert Entity.objects.get(uscc=GOOD[2][0]).business_status == "suspended"
    assert EntityNameGram.objects.filter(entity__uscc=GOOD[0][0]).exists()


def test_reimporting_the_same_file_changes_nothing(org) -> None:
    data = _xlsx(GOOD)
    entity_import(actor=org["county_inspector"], source_file=data, file_name="a.xlsx")
    snapshot = list(Entity.objects.order_by("pk").values())
    grams = EntityNameGram.objects.count()
    events = AuditEvent.objects.exclude(action__startswith="entities.import").count()
    again = entity_import(actor=org["county_inspector"], source_file=data, file_name="a.xlsx")
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert list(Entity.objects.order_by("pk").values()) == snapshot
    assert EntityNameGram.objects.count() == grams
    assert AuditEvent.objects.exclude(action__startswith="entities.import").count() == events


def test_a_changed_row_is_updated_and_audited_per_entity(org) -> None:
    entity_import(actor=org["county_inspector"], source_file=_xlsx(GOOD), file_name="a.xlsx")
    changed = [list(r) for r in GOOD]
    changed[0][1] = "朔州市平鲁区焦煤甲改名有限公司"
    batch = entity_import(
        actor=org["county_inspector"], source_file=_xlsx(changed), file_name="b.xlsx"
    )
    assert (batch.rows_updated, batch.rows_unchanged) == (1, 2)
    event = AuditEvent.objects.get(action="entities.entity.updated")
    assert event.changes["name"][1] == "朔州市平鲁区焦煤甲改名有限公司"
    assert event.changes["import_batch"] == batch.pk


def test_gbk_csv_is_read_and_the_encoding_reported(org) -> None:
    batch = entity_import(
        actor=org["county_inspector"], source_file=_csv(GOOD, "gbk"), file_name="gbk.csv"
    )
    assert batch.rows_created == 3
    assert batch.encoding in ("gb18030", "gbk")
    assert Entity.objects.filter(name="平鲁区化工乙有限公司").exists()


def test_duplicate_credit_codes_in_one_file_reject_every_copy(org) -> None:
    rows = [GOOD[0], [GOOD[0][0], "同码不同名公司", "煤矿", "140603", "", "", ""], GOOD[1]]
    batch = entity_import(actor=org["county_inspector"], source_file=_csv(rows), file_name="d.csv")
    assert batch.rows_created == 1
    assert sorted(_errors(batch)) == [2, 3]
    assert not Entity.objects.filter(uscc=GOOD[0][0]).exists()


def test_a_missing_required_column_rejects_the_file_and_names_the_column(org) -> None:
    data = (
        "统一社会信用代码,企业名称,所属区县\r\n".encode()
        + f"{GOOD[0][0]},某公司,140603\r\n".encode()
    )
    with pytest.raises(ServiceError) as exc:
        entity_import(actor=org["county_inspector"], source_file=data, file_name="m.csv")
    assert "行业类别" in str(exc.value.message)
    assert not Entity.objects.exists()


def test_not_a_spreadsheet_is_refused_clearly(org) -> None:
    with pytest.raises(ServiceError) as exc:
        entity_import(
            actor=org["county_inspector"],
            source_file=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            file_name="old.xls",
        )
    assert exc.value.code == "invalid_file"


def test_strict_and_dry_run_write_nothing(org) -> None:
    rows = [*GOOD, ["bad", "坏行", "煤矿", "140603", "", "", ""]]
    strict = entity_import(
        actor=org["county_inspector"], source_file=_csv(rows), file_name="s.csv", strict=True
    )
    assert strict.dry_run and strict.rows_rejected == 1 and strict.rows_created == 0
    dry = entity_import(
        actor=org["county_inspector"], source_file=_csv(GOOD), file_name="s.csv", dry_run=True
    )
    assert dry.rows_rejected == 0
    assert not Entity.objects.exists()


def test_a_failure_half_way_leaves_the_database_as_it_was(org, monkeypatch) -> None:
    from anjian.entities import bulk

    entity_import(actor=org["county_inspector"], source_file=_csv(GOOD[:1]), file_name="1.csv")
    before = (Entity.objects.count(), EntityNameGram.objects.count(), AuditEvent.objects.count())
    written = {"entities": 0}
    original = bulk.grams_of

    def failing(text):
        # by now the new entity rows are in the table: the failure comes after a real write
        written["entities"] = Entity.objects.count()
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "grams_of", failing)
    with pytest.raises(RuntimeError):
        entity_import(actor=org["county_inspector"], source_file=_csv(GOOD), file_name="2.csv")
    monkeypatch.setattr(bulk, "grams_of", original)
    assert written["entities"] == 3
    after = (Entity.objects.count(), EntityNameGram.objects.count(), AuditEvent.objects.count())
    assert after == before
    assert ImportBatch.objects.count() == 1


def test_an_importer_cannot_write_outside_their_jurisdiction(org, make_entity) -> None:
    theirs = make_entity("140525", name="泽州县已有企业")
    rows = [
        [make_uscc("140525", 50), "泽州县新企业", "煤矿", "140525", "", "", ""],
        [theirs.uscc, "想改掉泽州县的企业", "煤矿", "140603", "", "", ""],
        GOOD[0],
    ]
    batch = entity_import(actor=org["county_inspector"], source_file=_csv(rows), file_name="x.csv")
    assert batch.rows_created == 1
    assert sorted(_errors(batch)) == [2, 3]
    theirs.refresh_from_db()
    assert theirs.name == "泽州县已有企业" and theirs.region_id == "140525"


def test_a_masked_legal_representative_does_not_overwrite_the_stored_one(org) -> None:
    entity_import(actor=SYSTEM_ACTOR, source_file=_csv(GOOD), file_name="a.csv")
    masked = [list(r) for r in GOOD]
    masked[0][4] = "张*"  # as a city officer's export shows it
    batch = entity_import(actor=org["city_head"], source_file=_csv(masked), file_name="b.csv")
    assert batch.rows_updated == 0
    assert Entity.objects.get(uscc=GOOD[0][0]).legal_representative == "张三"


def test_licences_and_filings_import_and_reimport_idempotently(org) -> None:
    entity_import(actor=org["county_inspector"], source_file=_csv(GOOD), file_name="a.csv")
    licences = (
        "统一社会信用代码,许可证类型,许可证编号,发证机关,有效期起,有效期至\r\n"
        f"{GOOD[0][0]},安全生产许可证,（晋）MK安许证字〔2024〕0001号,山西省应急管理厅,2024/3/1,2027年2月28日\r\n"
        f"{GOOD[1][0]},危险化学品经营许可证,晋朔危化经字〔2023〕000123,朔州市应急管理局,2023-06-01,2022-01-01\r\n"
        f"{make_uscc('140603', 99)},安全生产许可证,X-1,,2024-01-01,2027-01-01\r\n"
    ).encode()
    batch = licence_import(actor=org["county_inspector"], source_file=licences, file_name="l.csv")
    assert batch.rows_created == 1 and sorted(_errors(batch)) == [3, 4]
    again = licence_import(actor=org["county_inspector"], source_file=licences, file_name="l.csv")
    assert (again.rows_created, again.rows_unchanged) == (0, 1)
    assert Licence.objects.count() == 1
    filings = (
        "统一社会信用代码,备案事项,备案日期,有效期至\r\n"
        f"{GOOD[0][0]},应急预案备案,2025-04-10,2028-04-09\r\n"
        f"{GOOD[0][0]},不存在的备案,2025-04-10,\r\n"
    ).encode()
    batch = filing_import(actor=org["county_inspector"], source_file=filings, file_name="f.csv")
    assert batch.rows_created == 1 and sorted(_errors(batch)) == [3]
    assert (
        filing_import(
            actor=org["county_inspector"], source_file=filings, file_name="f.csv"
        ).rows_created
        == 0
    )
    assert Filing.objects.count() == 1


def test_the_import_command_reports_and_exits_nonzero_on_rejected_rows(tmp_path, org) -> None:
    from django.core.management import call_command

    path = tmp_path / "名单.csv"
    path.write_bytes(_csv([*GOOD, ["bad", "坏行", "煤矿", "140603", "", "", ""]]))
    report = tmp_path / "errors.xlsx"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "entities", str(path), "--report", str(report), stdout=out)
    assert exc.value.code == 1
    assert Entity.objects.count() == 3
    sheet = openpyxl.load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == 5 and rows[1][1] == "统一社会信用代码"


def test_text_is_stored_as_written_while_codes_and_dates_of_any_width_are_read(org) -> None:
    code = make_uscc("140603", 61)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)  # the same code in full-width characters
    data = (
        "统一社会信用代码,企业名称,行业类别,所属区县,成立日期,行业代码\r\n"
        f"{wide},山西焦煤集团（平鲁）煤业有限公司,煤矿,１４０６０３,２００８年５月２０日,０６１０\r\n"
    ).encode()
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="w.csv")
    assert batch.rows_created == 1, batch.errors
    entity = Entity.objects.get()
    assert entity.uscc == code and entity.region_id == "140603" and entity.sub_sector == "0610"
    assert entity.name == "山西焦煤集团（平鲁）煤业有限公司"  # full-width brackets kept
    assert entity.established_on.isoformat() == "2008-05-20"
    licences = (
        "统一社会信用代码,许可证类型,许可证编号,有效期至\r\n"
        f"{code},安全生产许可证,（晋）MK安许证字〔2024〕0001号,2027-02-28\r\n"
    ).encode()
    licence_import(actor=org["county_inspector"], source_file=licences, file_name="l.csv")
    assert Licence.objects.get().number == "（晋）MK安许证字〔2024〕0001号"


def test_a_changed_licence_row_is_updated_and_stamped(org) -> None:
    entity_import(actor=org["county_inspector"], source_file=_csv(GOOD[:1]), file_name="a.csv")
    head = "统一社会信用代码,许可证类型,许可证编号,发证机关,有效期至\r\n"
    row = f"{GOOD[0][0]},安全生产许可证,A-1,{{}},2027-01-01\r\n"
    first = (head + row.format("朔州市应急管理局")).encode()
    licence_import(actor=org["county_inspector"], source_file=first, file_name="l.csv")
    before = Licence.objects.get()
    second = (head + row.format("山西省应急管理厅")).encode()
    batch = licence_import(actor=org["county_inspector"], source_file=second, file_name="l.csv")
    after = Licence.objects.get()
    assert batch.rows_updated == 1 and after.issuing_authority == "山西省应急管理厅"
    assert after.updated_at > before.updated_at


def test_risk_levels_import_and_the_grade_column_is_ignored_with_a_note(org) -> None:
    """风险分级 is an alias of the header, each row uses another written form. The credit grade
    (信用评级 here) is credit's to compute: the column is ignored, and the report says so on
    the header row without rejecting any row."""
    from django.utils import translation

    head = "统一社会信用代码,企业名称,行业类别,所属区县,信用评级,风险分级\r\n"
    rows = [
        (make_uscc("140603", 31), "A级", "红", "major"),
        (make_uscc("140603", 32), "ｂ", "较大", "significant"),
        (make_uscc("140603", 33), "C", "黄色", "general"),
        (make_uscc("140603", 34), "AAA", "低风险", "low"),  # not read, so not refused
        (make_uscc("140603", 35), "", "", ""),  # empty: unknown
    ]
    body = "".join(
        f"{code},平鲁区评级{i}有限公司,煤矿,140603,{grade},{risk}\r\n"
        for i, (code, grade, risk, _want) in enumerate(rows)
    )
    data = (head + body).encode()
    with translation.override("zh-hans"):
        batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="g.csv")
    assert (batch.rows_created, batch.rows_rejected) == (5, 0), batch.errors
    [note] = batch.errors
    assert (note["row"], note["column"]) == (1, "信用评级")
    assert "已忽略" in note["reason"] and "信用等级调整" in note["reason"]
    stored = {
        code: (grade, risk)
        for code, grade, risk in Entity.objects.values_list("uscc", "credit_grade", "risk_level")
    }
    assert stored == {code: ("", want) for code, _g, _r, want in rows}
    again = entity_import(actor=org["county_inspector"], source_file=data, file_name="g.csv")
    assert (again.rows_updated, again.rows_unchanged) == (0, 5)


def test_an_unknown_risk_level_rejects_the_row_naming_the_column(org) -> None:
    from django.utils import translation

    data = (
        "统一社会信用代码,企业名称,行业类别,所属区县,风险等级\r\n"
        f"{make_uscc('140603', 41)},平鲁区好行有限公司,煤矿,140603,一般\r\n"
        f"{make_uscc('140603', 43)},平鲁区坏风险有限公司,煤矿,140603,高\r\n"
    ).encode()
    with translation.override("zh-hans"):
        batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="b.csv")
    assert batch.rows_created == 1
    errors = _errors(batch)
    assert sorted(errors) == [3]
    [(column, reason)] = errors[3]
    assert column == "风险等级" and "风险等级" in reason and "高" in reason


def test_standardisation_grades_import_in_the_forms_bureau_sheets_use(org) -> None:
    """安全生产标准化等级 as sheets write it: 一级, 一级企业, 1级, 二级达标, 安全生产标准化三级
    企业, Ⅱ级, 未达标, 未评定, empty; the export writes it back and it re-imports unchanged."""
    from anjian.entities.exports import entity_export_header, entity_export_rows

    forms = [
        ("一级", "level_1"),
        ("一级企业", "level_1"),
        ("1级", "level_1"),
        ("二级达标", "level_2"),
        ("Ⅱ级", "level_2"),
        ("安全生产标准化三级企业", "level_3"),
        ("三级（达标）", "level_3"),
        ("未达标", ""),
        ("未评定", ""),
        ("", ""),
    ]
    head = "统一社会信用代码,企业名称,行业类别,所属区县,标准化等级\r\n"
    body = "".join(
        f"{make_uscc('140603', 60 + i)},平鲁区标准化{i}有限公司,危化,140603,{text}\r\n"
        for i, (text, _want) in enumerate(forms)
    )
    batch = entity_import(
        actor=org["county_inspector"], source_file=(head + body).encode(), file_name="s.csv"
    )
    assert (batch.rows_created, batch.rows_rejected) == (len(forms), 0), batch.errors
    stored = dict(Entity.objects.values_list("uscc", "standardisation_grade"))
    assert stored == {make_uscc("140603", 60 + i): want for i, (_t, want) in enumerate(forms)}
    header = entity_export_header()
    rows = list(entity_export_rows(user=org["county_inspector"], entities=Entity.objects.all()))
    column = header.index("安全生产标准化等级")
    assert sorted({r[column] for r in rows}) == ["", "一级", "三级", "二级"]
    exported = "\r\n".join(
        ",".join("" if c is None else str(c) for c in [r[0], r[1], "危化", r[3], r[column]])
        for r in rows
    )
    again = entity_import(
        actor=org["county_inspector"],
        source_file=(
            "统一社会信用代码,企业名称,行业类别,所属区县,安全生产标准化等级\r\n" + exported + "\r\n"
        ).encode(),
        file_name="e.csv",
    )
    assert (again.rows_updated, again.rows_unchanged, again.rows_rejected) == (0, len(forms), 0)


def test_an_unknown_standardisation_grade_rejects_the_row_naming_row_and_column(org) -> None:
    from django.utils import translation

    data = (
        "统一社会信用代码,企业名称,行业类别,所属区县,安全生产标准化等级\r\n"
        f"{make_uscc('140603', 81)},平鲁区好标准有限公司,冶金,140603,二级\r\n"
        f"{make_uscc('140603', 82)},平鲁区坏标准有限公司,冶金,140603,四级\r\n"
        f"{make_uscc('140603', 83)},平鲁区乱标准有限公司,冶金,140603,优秀\r\n"
    ).encode()
    with translation.override("zh-hans"):
        batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="b.csv")
    assert (batch.rows_created, batch.rows_rejected) == (1, 2)
    errors = _errors(batch)
    assert sorted(errors) == [3, 4]
    for row, value in ((3, "四级"), (4, "优秀")):
        [(column, reason)] = errors[row]
        assert column == "安全生产标准化等级"
        assert value in reason and "安全生产标准化等级" in reason and "一级" in reason
    assert not Entity.objects.filter(name__in=["平鲁区坏标准有限公司", "平鲁区乱标准有限公司"])


def test_a_file_without_the_grade_columns_imports_as_before(org) -> None:
    """The layout of earlier lists (no 信用等级, no 风险等级): the entities are registered with
    both unknown, and importing the same list again changes nothing."""
    entity_import(actor=org["county_inspector"], source_file=_xlsx(GOOD), file_name="a.xlsx")
    assert set(Entity.objects.values_list("credit_grade", "risk_level")) == {("", "")}
    again = entity_import(
        actor=org["county_inspector"], source_file=_xlsx(GOOD), file_name="a.xlsx"
    )
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 3)


# Columns a file does not have ---------------------------------------------------------------

REQUIRED_HEAD = "统一社会信用代码,企业名称,行业类别,所属区县"


def _rows_csv(head: str, *rows: str) -> bytes:
    return ("\r\n".join([head, *rows]) + "\r\n").encode()


@pytest.fixture
def graded(make_entity):
    """An entity with a value in every optional field."""
    return make_entity(
        name="平鲁区满格煤业有限公司",
        former_names=["平鲁区旧名煤业有限公司"],
        sub_sector="0610",
        address="朔州市平鲁区井坪镇南街1号",
        legal_representative="王五",
        business_status="suspended",
        scale="large",
        established_on=datetime.date(2008, 5, 20),
        key_supervision=True,
        new_business_form=True,
        observation_start=datetime.date(2025, 1, 1),
        observation_end=datetime.date(2026, 12, 31),
        major_hazard_source=True,
        credit_grade="B",
        risk_level="major",
    )


def _stored(entity) -> dict:
    return {f: getattr(Entity.objects.get(pk=entity.pk), f) for f in EntityValues.FIELDS}


@pytest.fixture(params=["chunked", "large-file", "streamed"])
def import_path(request, monkeypatch) -> str:
    """Every plan: per-chunk lookups; the large-file path that reads every stored credit code
    first (and takes new rows by COPY on PostgreSQL), forced here at a small size; and, on
    PostgreSQL, new rows written while the file is read, a row per block."""
    if request.param in ("large-file", "streamed"):
        monkeypatch.setattr(importing, "KNOWN_CODES_FROM", 0)
        monkeypatch.setattr(bulk, "COPY_FROM", 0)
    if request.param == "streamed":
        monkeypatch.setattr(reading.EntityReader, "BLOCK", 1)
    return request.param


def test_columns_the_file_does_not_have_keep_the_stored_values(org, graded, import_path) -> None:
    before = _stored(graded)
    data = _rows_csv(REQUIRED_HEAD, f"{graded.uscc},平鲁区满格煤业改名有限公司,煤矿,140603")
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="r.csv")
    assert (batch.rows_updated, batch.rows_rejected) == (1, 0), batch.errors
    after = _stored(graded)
    assert after.pop("name") == "平鲁区满格煤业改名有限公司"
    before.pop("name")
    assert after == before
    event = AuditEvent.objects.get(action="entities.entity.updated", object_id=str(graded.pk))
    assert set(event.changes) == {"name", "import_batch"}
    # The search follows the new name and still finds the former one.
    entity = Entity.objects.get(pk=graded.pk)
    assert entity.search_text == search_text_of(entity.name, ["平鲁区旧名煤业有限公司"])
    assert EntityNameGram.objects.filter(
        entity_id=graded.pk, gram__in=grams_of(search_text_of("改名", []))
    ).exists()
    again = entity_import(actor=org["county_inspector"], source_file=data, file_name="r.csv")
    assert (again.rows_updated, again.rows_unchanged) == (0, 1)


def test_an_empty_cell_in_a_column_the_file_has_still_clears(org, graded, import_path) -> None:
    head = f"{REQUIRED_HEAD},重点监管,信用等级,风险等级,注册地址,法定代表人"
    data = _rows_csv(head, f"{graded.uscc},{graded.name},煤矿,140603,,,,,")
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="e.csv")
    assert batch.rows_updated == 1, batch.errors
    entity = Entity.objects.get(pk=graded.pk)
    # The grade column is ignored: the grade stays credit's.
    assert (entity.key_supervision, entity.credit_grade, entity.risk_level) == (False, "B", "")
    assert (entity.address, entity.legal_representative) == ("", "")
    # the columns it does not have are kept
    assert (entity.scale, entity.business_status, entity.major_hazard_source) == (
        "large",
        "suspended",
        True,
    )
    assert entity.observation_start == datetime.date(2025, 1, 1)
    event = AuditEvent.objects.get(action="entities.entity.updated", object_id=str(graded.pk))
    assert set(event.changes) == {
        "key_supervision",
        "risk_level",
        "address",
        "legal_representative",
        "import_batch",
    }


def test_a_new_entity_from_a_file_without_optional_columns_takes_the_defaults(
    org, graded, import_path
) -> None:
    code = make_uscc("140603", 71)
    data = _rows_csv(
        REQUIRED_HEAD,
        f"{code},平鲁区新来商贸有限公司,商贸,140603",
        f"{graded.uscc},{graded.name},煤矿,140603",
    )
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="n.csv")
    assert (batch.rows_created, batch.rows_unchanged) == (1, 1), batch.errors
    new = Entity.objects.get(uscc=code)
    assert (new.key_supervision, new.new_business_form, new.major_hazard_source) == (
        False,
        False,
        False,
    )
    assert (new.credit_grade, new.risk_level, new.scale, new.address) == ("", "", "", "")
    assert (new.business_status, new.former_names, new.sub_sector) == ("operating", [], "")
    assert new.observation_start is None and new.established_on is None
    assert Entity.objects.get(pk=graded.pk).credit_grade == "B"


def test_the_observation_check_reads_the_stored_period_for_absent_columns(
    org, graded, import_path
) -> None:
    head = f"{REQUIRED_HEAD},新业态"
    new_code = make_uscc("140603", 72)
    data = _rows_csv(
        head,
        f"{graded.uscc},{graded.name},煤矿,140603,是",  # the stored period stands
        f"{new_code},平鲁区新业态无期有限公司,煤矿,140603,是",  # new: no period at all
    )
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="o.csv")
    assert (batch.rows_unchanged, batch.rows_created) == (1, 0)
    errors = _errors(batch)
    assert sorted(errors) == [3] and errors[3][0][0] == "观察期开始"
    # No longer a new business form, but the stored period is still there: refused, not
    # silently half-changed.
    ended = _rows_csv(head, f"{graded.uscc},{graded.name},煤矿,140603,否")
    batch = entity_import(actor=org["county_inspector"], source_file=ended, file_name="o2.csv")
    assert batch.rows_rejected == 1 and _errors(batch)[2][0][0] == "新业态"
    assert _stored(graded)["new_business_form"] is True
    # Given the period columns too, the change is made.
    head_all = f"{head},观察期开始,观察期结束"
    cleared = _rows_csv(head_all, f"{graded.uscc},{graded.name},煤矿,140603,否,,")
    batch = entity_import(actor=org["county_inspector"], source_file=cleared, file_name="o3.csv")
    assert batch.rows_updated == 1, batch.errors
    stored = _stored(graded)
    assert (stored["new_business_form"], stored["observation_start"]) == (False, None)
    assert Entity.objects.get(pk=graded.pk).credit_grade == "B"


def test_a_new_industry_is_checked_against_the_stored_class_code(org, graded, import_path) -> None:
    moved = _rows_csv(REQUIRED_HEAD, f"{graded.uscc},{graded.name},商贸,140603")
    batch = entity_import(actor=org["county_inspector"], source_file=moved, file_name="i.csv")
    [(column, reason)] = _errors(batch)[2]
    assert column == "行业类别" and "0610" in reason
    assert _stored(graded)["industry"] == "coal_mine"
    with_class = _rows_csv(f"{REQUIRED_HEAD},行业代码", f"{graded.uscc},{graded.name},商贸,140603,")
    batch = entity_import(actor=org["county_inspector"], source_file=with_class, file_name="j.csv")
    assert batch.rows_updated == 1, batch.errors
    stored = _stored(graded)
    assert (stored["industry"], stored["sub_sector"], stored["scale"]) == (
        "commerce_trade",
        "",
        "large",
    )


def test_a_first_load_checks_a_partial_observation_layout_row_by_row(org, monkeypatch) -> None:
    """The large-file path into an empty registry skips the lookups, not the checks."""
    monkeypatch.setattr(importing, "KNOWN_CODES_FROM", 0)
    data = _rows_csv(
        f"{REQUIRED_HEAD},新业态,观察期开始",
        f"{make_uscc('140603', 81)},平鲁区新业态甲有限公司,煤矿,140603,是,2025-01-01",
        f"{make_uscc('140603', 82)},平鲁区新业态乙有限公司,煤矿,140603,是,",
    )
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="f.csv")
    # Issue 19: an observation period needs its end, which neither row (nor the registry) has.
    errors = _errors(batch)
    assert batch.rows_created == 0 and sorted(errors) == [2, 3]
    assert [column for column, _ in errors[2]] == ["观察期结束"]


@pytest.mark.postgres
def test_the_copy_path_and_the_update_keep_absent_columns_on_postgresql(
    org, graded, monkeypatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("COPY exists on PostgreSQL only; SQLite imports use executemany")
    monkeypatch.setattr(importing, "KNOWN_CODES_FROM", 0)
    monkeypatch.setattr(bulk, "COPY_FROM", 0)
    copied: list[int] = []
    original = bulk._entities_copy

    def spy(values, texts):
        copied.append(len(values))
        return original(values, texts)

    monkeypatch.setattr(bulk, "_entities_copy", spy)
    before = _stored(graded)
    data = _rows_csv(
        f"{REQUIRED_HEAD},信用等级",
        f"{graded.uscc},平鲁区满格煤业改名有限公司,煤矿,140603,B",
        f"{make_uscc('140603', 91)},平鲁区复制新增有限公司,煤矿,140603,C",
    )
    batch = entity_import(actor=org["county_inspector"], source_file=data, file_name="p.csv")
    assert (batch.rows_created, batch.rows_updated) == (1, 1), batch.errors
    assert copied == [1]
    after = _stored(graded)
    assert after.pop("name") == "平鲁区满格煤业改名有限公司"
    before.pop("name")
    assert after == before
    new = Entity.objects.get(uscc=make_uscc("140603", 91))
    assert (new.credit_grade, new.key_supervision, new.risk_level) == ("", False, "")


def test_licence_and_filing_columns_the_file_does_not_have_are_kept(org, graded) -> None:
    full = _rows_csv(
        "统一社会信用代码,许可证类型,许可证编号,发证机关,许可范围,有效期起,有效期至,许可证状态",
        f"{graded.uscc},安全生产许可证,A-7,山西省应急管理厅,煤炭开采,2024-03-01,2027-02-28,暂扣",
    )
    licence_import(actor=org["county_inspector"], source_file=full, file_name="l.csv")
    renewed = _rows_csv(
        "统一社会信用代码,许可证类型,许可证编号,有效期至",
        f"{graded.uscc},安全生产许可证,A-7,2030-02-28",
    )
    batch = licence_import(actor=org["county_inspector"], source_file=renewed, file_name="l2.csv")
    assert batch.rows_updated == 1, batch.errors
    licence = Licence.objects.get()
    assert licence.valid_until == datetime.date(2030, 2, 28)
    assert (licence.issuing_authority, licence.scope, licence.status) == (
        "山西省应急管理厅",
        "煤炭开采",
        "suspended",
    )
    assert licence.valid_from == datetime.date(2024, 3, 1)
    # The stored start still bounds a new end.
    early = _rows_csv(
        "统一社会信用代码,许可证类型,许可证编号,有效期至",
        f"{graded.uscc},安全生产许可证,A-7,2023-01-01",
    )
    batch = licence_import(actor=org["county_inspector"], source_file=early, file_name="l3.csv")
    assert sorted(_errors(batch)) == [2] and _errors(batch)[2][0][0] == "有效期至"
    assert Licence.objects.get().valid_until == datetime.date(2030, 2, 28)

    filed = _rows_csv(
        "统一社会信用代码,备案事项,备案编号,备案机关,备案日期,有效期至",
        f"{graded.uscc},应急预案备案,BA-1,平鲁区应急管理局,2025-04-10,2028-04-09",
    )
    filing_import(actor=org["county_inspector"], source_file=filed, file_name="f.csv")
    extended = _rows_csv(
        "统一社会信用代码,备案事项,备案日期,有效期至",
        f"{graded.uscc},应急预案备案,2025-04-10,2029-04-09",
    )
    batch = filing_import(actor=org["county_inspector"], source_file=extended, file_name="f2.csv")
    assert batch.rows_updated == 1, batch.errors
    filing = Filing.objects.get()
    assert (filing.number, filing.authority) == ("BA-1", "平鲁区应急管理局")
    assert filing.valid_until == datetime.date(2029, 4, 9)


def test_a_file_of_many_bad_rows_reports_the_first_rows_whatever_column_failed(
    org, monkeypatch
) -> None:
    """Columns are checked a block at a time; the report still keeps the errors of the first
    rows (by row, then column) when there are more than it keeps."""
    monkeypatch.setattr(reading, "MAX_ERRORS_KEPT", 5)
    monkeypatch.setattr(reading.EntityReader, "BLOCK", 4)
    rows = [
        [make_uscc("140603", i), f"平鲁区第{i}商店", "商贸", "140603", "", "", "也许"]
        for i in range(1, 13)
    ]
    rows[9][3] = "火星"  # a bad county in a late row, found in the block's second column pass
    batch = entity_import(actor=SYSTEM_ACTOR, source_file=_csv(rows), file_name="bad.csv")
    assert batch.rows_rejected == 12
    assert [e["row"] for e in batch.errors] == [2, 3, 4, 5, 6]
    assert all(e["column"] == "重点监管" for e in batch.errors)
