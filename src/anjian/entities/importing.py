"""Imports of entities, licences and filings from the spreadsheets bureaus keep.

The file layout is docs/import-format.md. An import reads every row, checks it on its own,
compares it with what is stored, and then writes only the differences, in one transaction:
re-importing a file changes nothing, and a failure half-way leaves the database as it was.
Rejected rows are kept on the `ImportBatch` with row number, column, value and reason.

Bureaus' lists differ in their optional columns. A column the file does not have says nothing:
a record already stored keeps its value for it (it is neither compared nor written, and the
checks that combine fields read the stored value), and a new record takes the default. A column
that is present with an empty cell does clear the value.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.bulk import column_values
from anjian.core.errors import ServiceError
from anjian.core.guards import actor_require
from anjian.core.masking import MASK, mask_person_name
from anjian.core.scope import visible_region_codes
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.tabular import Column, Row, TableError, table_read
from anjian.entities.models import Entity, ImportBatch, ImportKind
from anjian.entities.reading import (  # noqa: F401 (`_field`, `MAX_ERRORS_KEPT`: for importing_records and tests)
    MAX_ERRORS_KEPT,
    EntityLayout,
    EntityReader,
    RowErrors,
    _field,
)
from anjian.entities.search import search_text_of
from anjian.entities.services import entity_grams_replace
from anjian.entities.validation import (
    EntityValues,
    RegionResolver,
)

CHUNK = 1000

USCC = Column("uscc", "统一社会信用代码", ("社会信用代码", "信用代码", "统一代码"), required=True)

ENTITY_COLUMNS = [
    USCC,
    Column("name", "企业名称", ("单位名称", "名称", "市场主体名称"), required=True),
    Column("industry", "行业类别", ("行业", "监管行业", "行业分类"), required=True),
    Column("region", "所属区县", ("行政区划代码", "区划代码", "所在地区", "区县"), required=True),
    Column("former_names", "曾用名", ("历史名称",)),
    Column("sub_sector", "行业代码", ("国民经济行业代码", "行业小类")),
    Column("address", "注册地址", ("地址", "住所", "经营地址")),
    Column("legal_representative", "法定代表人", ("负责人", "法人代表")),
    Column("business_status", "经营状态", ("登记状态", "状态")),
    Column("scale", "企业规模", ("规模",)),
    Column("established_on", "成立日期", ("注册日期",)),
    Column("key_supervision", "重点监管", ("是否重点监管",)),
    Column("new_business_form", "新业态", ("是否新业态",)),
    Column("observation_start", "观察期开始", ("观察期起",)),
    Column("observation_end", "观察期结束", ("观察期止",)),
    Column("major_hazard_source", "重大危险源", ("是否重大危险源",)),
    # Recognised so that it is reported, never read: the grade is computed by credit
    # (`GRADE_IGNORED`). An exported list carries it and imports back unchanged.
    Column("credit_grade", "信用等级", ("信用评级", "信用分级")),
    Column("risk_level", "风险等级", ("安全风险等级", "风险分级")),
    Column(
        "standardisation_grade",
        "安全生产标准化等级",
        ("标准化等级", "安全生产标准化", "标准化达标等级", "标准化级别"),
    ),
]
LICENCE_COLUMNS = [
    USCC,
    Column("licence_type", "许可证类型", ("证照类型", "许可类型"), required=True),
    Column("number", "许可证编号", ("证书编号", "证号", "编号"), required=True),
    Column("issuing_authority", "发证机关", ("发证单位",)),
    Column("scope", "许可范围", ("许可内容", "经营范围")),
    Column("valid_from", "有效期起", ("发证日期", "有效期自")),
    Column("valid_until", "有效期至", ("有效期止", "截止日期"), required=True),
    Column("status", "许可证状态", ("状态",)),
]
FILING_COLUMNS = [
    USCC,
    Column("activity", "备案事项", ("备案类型",), required=True),
    Column("number", "备案编号", ("编号",)),
    Column("authority", "备案机关", ("受理机关",)),
    Column("filed_on", "备案日期", ("备案时间",), required=True),
    Column("valid_until", "有效期至", ("有效期止",)),
]
COLUMNS: dict[str, list[Column]] = {
    ImportKind.ENTITIES: ENTITY_COLUMNS,
    ImportKind.LICENCES: LICENCE_COLUMNS,
    ImportKind.FILINGS: FILING_COLUMNS,
}


@dataclass
class Plan:
    """What an import will write."""

    create: list[Any] = field(default_factory=list)
    update: list[tuple[Any, Any]] = field(default_factory=list)  # (stored, new values)
    unchanged: int = 0
    # New entities already written while the file was read (`streaming`), besides `create`.
    streamed: int = 0

    @property
    def created(self) -> int:
        return len(self.create) + self.streamed


def _duplicates_reject(
    rows: list[tuple[int, Any]], key: Callable[[Any], Any], errors: RowErrors, column: str
) -> list[tuple[int, Any]]:
    """Rows that name the same record twice are all rejected: which one is right is unknowable."""
    keys = [key(values) for _n, values in rows]
    if len(set(keys)) == len(keys):  # the usual case: nothing to reject
        return rows
    seen: dict[Any, list[int]] = {}
    for (number, _v), k in zip(rows, keys, strict=True):
        seen.setdefault(k, []).append(number)
    kept = []
    for (number, values), k in zip(rows, keys, strict=True):
        numbers = seen[k]
        if len(numbers) > 1:
            others = "、".join(str(n) for n in numbers if n != number)
            errors.add(
                number,
                column,
                str(k[0] if isinstance(k, tuple) else k),
                _("The same record appears again in row(s) %(rows)s of this file.")
                % {"rows": others},
            )
        else:
            kept.append((number, values))
    return kept


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _scope_codes(actor: Any) -> set[str] | None:
    if isinstance(actor, Actor):
        return None
    codes = visible_region_codes(actor)
    return None if codes is None else set(codes)


_USCC = operator.attrgetter("uscc")
# Above this many rows, the plan reads every stored credit code once instead of asking per chunk.
KNOWN_CODES_FROM = 20_000


def _plan_entities(
    rows: list[tuple[int, EntityValues]],
    errors: RowErrors,
    scope: set[str] | None,
    reader: EntityReader,
    known: set[str] | None = None,
) -> Plan:
    """`known`: every stored credit code, if the caller has read them already."""
    plan = Plan()
    out_of_scope = _("This county is outside your jurisdiction.")
    in_scope = []
    for number, values in rows:
        if scope is not None and values.region_id not in scope:
            errors.add(number, "region", values.region_id, out_of_scope)
        else:
            in_scope.append((number, values))
    layout = reader.layout
    if known is None and len(in_scope) > KNOWN_CODES_FROM:
        # A large file: one pass over the stored codes, then full rows only for those present
        # (none at all for a first import), instead of a thousand-row query per chunk.
        known = _stored_codes()
    # A first load, or a file of entities none of which is registered yet: every row is new.
    if known is not None and known.isdisjoint(map(_USCC, (v for _n, v in in_scope))):
        if layout.observation_partial:
            plan.create = [v for n, v in in_scope if reader.combined_check(n, v, v.industry)]
        else:
            plan.create = [v for _n, v in in_scope]
        return plan
    fields = EntityValues.FIELDS
    # The fields the file carries; the others of a stored entity are carried over unchanged.
    carried = [f for f in fields if f not in layout.fields]
    same = _unchanged_in_bulk(in_scope, known) if not carried else set()
    changed: list[tuple[int, EntityValues]] = []
    # Larger IN lists on PostgreSQL; SQLite builds may cap a statement at 999 parameters.
    size = 5000 if connection.vendor == "postgresql" else 900
    for chunk in _chunks(in_scope, size):
        wanted = [
            v.uscc for _n, v in chunk if (known is None or v.uscc in known) and v.uscc not in same
        ]
        # Plain tuples for the comparison; model instances only for the rows that changed.
        stored = (
            {
                row[0]: row[1:]
                for row in Entity.objects.filter(uscc__in=wanted).values_list("uscc", *fields)
            }
            if wanted
            else {}
        )
        for number, values in chunk:
            if values.uscc in same:
                plan.unchanged += 1
                continue
            current = stored.get(values.uscc)
            if current is None:
                if not layout.observation_partial or reader.combined_check(
                    number, values, values.industry
                ):
                    plan.create.append(values)
                continue
            now = dict(zip(fields, current, strict=True))
            if scope is not None and now["region_id"] not in scope:
                errors.add(
                    number,
                    "uscc",
                    values.uscc,
                    _("An entity with this credit code is registered in another jurisdiction."),
                )
                continue
            for f in carried:
                setattr(values, f, now[f])
            if carried and not reader.combined_check(number, values, now["industry"]):
                continue
            _masked_keep(now["legal_representative"], values)
            if all(now[f] == getattr(values, f) for f in layout.fields):
                plan.unchanged += 1
            else:
                changed.append((number, values))
    for chunk in _chunks(changed):
        instances = Entity.objects.in_bulk([v.uscc for _n, v in chunk], field_name="uscc")
        plan.update.extend((instances[v.uscc], v) for _n, v in chunk)
    return plan


def _stored_codes() -> set[str]:
    """Every registered credit code (as one text on PostgreSQL: `core.bulk.column_values`)."""
    if connection.vendor != "postgresql":
        return set(Entity.objects.values_list("uscc", flat=True).iterator(chunk_size=20_000))
    table = connection.ops.quote_name(Entity._meta.db_table)
    return set(column_values(f"SELECT uscc FROM {table}"))  # noqa: S608


def _unchanged_in_bulk(rows: list[tuple[int, EntityValues]], known: set[str] | None) -> set[str]:
    """The rows of a large file that a file carrying every field leaves exactly as stored,
    found in one comparison on the database (`bulk.entities_unchanged`); empty elsewhere."""
    from anjian.entities import bulk

    if known is None or connection.vendor != "postgresql":
        return set()
    stored = [v for _n, v in rows if v.uscc in known]
    return bulk.entities_unchanged(stored) if len(stored) >= bulk.COMPARE_FROM else set()


def _masked_keep(stored: str, values: EntityValues) -> None:
    """An export made outside the owning bureau carries the masked legal representative
    (张*); importing it back must not overwrite the stored name with the mask."""
    shown = values.legal_representative
    if MASK in shown and shown == mask_person_name(stored):
        values.legal_representative = stored


def _entities_insert(values: list[EntityValues]) -> None:
    from anjian.entities.bulk import entities_insert

    entities_insert(values)


def _entities_update(
    actor: Any,
    updates: list[tuple[Entity, EntityValues]],
    batch: ImportBatch,
    source: str,
    written: tuple[str, ...],
) -> None:
    """Write the changed entities' `written` fields (those the file carries), one audit event
    each listing what changed."""
    from anjian.core.services import model_changes

    fields = [*written, "search_text", "updated_at"]
    now = clock.now()
    for chunk in _chunks(updates, 500):
        regram: list[tuple[Entity, str]] = []
        for current, values in chunk:
            before = {f: getattr(current, f) for f in written}
            after = {f: getattr(values, f) for f in written}
            for name, value in after.items():
                setattr(current, name, value)
            old_text = current.search_text
            current.search_text = search_text_of(current.name, current.former_names)
            current.updated_at = now
            if current.search_text != old_text:
                regram.append((current, old_text))
            # Each changed entity gets its own event: what the file changed, and which import.
            audit_record(
                actor=actor,
                action="entities.entity.updated",
                obj=current,
                region=current.region_id,
                changes={**model_changes(before, after), "import_batch": batch.pk},
                source=source,
            )
        Entity.objects.bulk_update([c for c, _v in chunk], fields)
        for entity, old_text in regram:
            entity_grams_replace(entity, old_text)


def _file_bytes(source_file: bytes | Path) -> bytes:
    return source_file if isinstance(source_file, bytes) else Path(source_file).read_bytes()


GRADE_IGNORED = _(
    "Column ignored: the credit grade is computed from the credit records and cannot be "
    "imported; to set a grade by hand, propose a grade override on the entity's credit page "
    "(with a reason, an approver and an end date)."
)


def _grade_column_note(table: Any, errors: RowErrors) -> None:
    """A file with a credit grade column: the column is ignored, and the report says so on
    its header row (a note, not a rejected row)."""
    if "credit_grade" in table.columns:
        errors.items.append(
            {
                "row": table.header_row,
                "column": table.columns["credit_grade"],
                "value": "",
                "reason": str(GRADE_IGNORED),
            }
        )


def _read(data: bytes, file_name: str, kind: str) -> tuple[Any, RowErrors]:
    try:
        table = table_read(data, file_name=file_name, columns=COLUMNS[kind])
    except TableError as exc:
        raise ServiceError(
            exc.message, fields={"file": [exc.message]}, code="invalid_file"
        ) from None
    headers = {c.key: table.columns.get(c.key, c.header) for c in COLUMNS[kind]}
    return table, RowErrors(headers=headers)


def _writes(*, dry_run: bool, strict: bool, errors: RowErrors) -> bool:
    """Whether an import writes what it planned: not for a check only, nor under "all or
    nothing" when a row was rejected."""
    return not dry_run and not (strict and errors.rows)


def _batch_save(
    *,
    actor: Any,
    kind: str,
    file_name: str,
    data: bytes,
    table: Any,
    errors: RowErrors,
    plan: Plan,
    total: int,
    dry_run: bool,
    strict: bool,
    source: str,
) -> tuple[ImportBatch, bool]:
    """Record the import and its report; say whether the plan is to be written (not for a check
    only, nor under "all or nothing" when a row was rejected)."""
    written = _writes(dry_run=dry_run, strict=strict, errors=errors)
    digest = hashlib.sha256(data).hexdigest()
    region = getattr(actor, "scope_region_code", None) if not isinstance(actor, Actor) else None
    batch = ImportBatch.objects.create(
        kind=kind,
        file_name=file_name[:255],
        file_sha256=digest,
        encoding=table.encoding or table.file_format,
        region_id=region,
        created_by=None if isinstance(actor, Actor) else actor,
        dry_run=dry_run or not written,
        rows_total=total,
        rows_created=plan.created if written else 0,
        rows_updated=len(plan.update) if written else 0,
        rows_unchanged=plan.unchanged,
        rows_rejected=len(errors.rows),
        errors=errors.kept(),
    )
    audit_record(
        actor=actor,
        action=f"entities.import.{kind}",
        obj=batch,
        region=region or "",
        changes={
            "file": file_name,
            "sha256": digest,
            "rows": total,
            "created": batch.rows_created,
            "updated": batch.rows_updated,
            "unchanged": batch.rows_unchanged,
            "rejected": batch.rows_rejected,
            "written": written,
        },
        source=source,
    )
    return batch, written


def _records_write(
    model: Any, plan: Plan, *, keys: tuple[str, ...], fields: tuple[str, ...]
) -> None:
    """Write a licence or filing plan: new rows from `keys`, changed rows' `fields` (only
    those the file carries: a stored record keeps the values of the absent columns)."""
    for chunk in _chunks(plan.create):
        model.objects.bulk_create([model(**{k: v[k] for k in keys}) for v in chunk])
    stamped = any(f.name == "updated_at" for f in model._meta.fields)
    now = clock.now()
    for current, values in plan.update:
        for f in fields:
            setattr(current, f, values[f])
        if stamped:  # bulk_update does not touch auto_now fields by itself
            current.updated_at = now
    update_fields = [*fields, "updated_at"] if stamped else list(fields)
    for chunk in _chunks(plan.update, 500):
        model.objects.bulk_update([c for c, _v in chunk], update_fields)


def _rows_collect(
    table: Any, errors: RowErrors, parse: Callable[[Row], Any]
) -> tuple[list[tuple[int, Any]], int]:
    rows: list[tuple[int, Any]] = []
    total = 0
    for row in table.rows:
        total += 1
        values = parse(row)
        if values is not None:
            rows.append((row.number, values))
    return rows, total


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """An import holds a million small objects that form no reference cycles; the cyclic
    collector would walk all of them again and again as they accumulate (a sixth of a large
    import's time). Reference counting still frees everything when the import returns."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@transaction.atomic
def entity_import(
    *,
    actor: Any,
    source_file: bytes | Path,
    file_name: str,
    dry_run: bool = False,
    strict: bool = False,
    source: str = AuditSource.WEB,
) -> ImportBatch:
    """Import an entity list. Rows that pass are written (all or none with `strict`; none with
    `dry_run`); every rejected row is reported."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    with _without_cyclic_gc():
        return _entity_import(
            actor=actor,
            source_file=source_file,
            file_name=file_name,
            dry_run=dry_run,
            strict=strict,
            source=source,
        )


def _entity_import(
    *,
    actor: Any,
    source_file: bytes | Path,
    file_name: str,
    dry_run: bool,
    strict: bool,
    source: str,
) -> ImportBatch:
    data = _file_bytes(source_file)
    table, errors = _read(data, file_name, ImportKind.ENTITIES)
    _grade_column_note(table, errors)
    reader = EntityReader(errors, RegionResolver(), EntityLayout.of(table.columns))
    scope = _scope_codes(actor)
    streams = (
        not dry_run and connection.vendor == "postgresql" and not reader.layout.observation_partial
    )
    expected = data.count(b"\n") if table.file_format == "csv" else None
    read = _Streamed(reader, scope, strict, expected) if streams else None
    known = None
    if read is None:
        rows, total = reader.read(table.rows)
        rows = _duplicates_reject(rows, _USCC, errors, "uscc")
    else:
        rows, total, known = read.read(table.rows)
    plan = _plan_entities(rows, errors, scope, reader, known)
    if read is not None and read.stream is not None:
        plan.streamed = read.stream.written
        if not _writes(dry_run=dry_run, strict=strict, errors=errors):
            read.stream.undo()
        else:
            read.stream.keep()
    batch, write = _batch_save(
        actor=actor,
        kind=ImportKind.ENTITIES,
        file_name=file_name,
        data=data,
        table=table,
        errors=errors,
        plan=plan,
        total=total,
        dry_run=dry_run,
        strict=strict,
        source=source,
    )
    if write:
        _entities_insert(plan.create)
        _entities_update(actor, plan.update, batch, source, reader.layout.fields)
    return batch


@dataclass
class _Streamed:
    """The reading of a large file on PostgreSQL, with the rows that are certainly new written
    meanwhile (`streaming.EntityStream`): a credit code neither registered nor met earlier in
    the file, a county in the importer's jurisdiction. Every other row is planned as usual
    after the reading. A file of one block or less is not streamed."""

    reader: EntityReader
    scope: set[str] | None
    strict: bool
    expected: int | None = None  # the file's lines, if it is text: at most that many rows
    stream: Any = None
    known: set[str] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)  # the rows written

    def read(
        self, table_rows: Iterable[Row]
    ) -> tuple[list[tuple[int, EntityValues]], int, set[str] | None]:
        """The rows read, after the file's duplicates are rejected, less those written already;
        the number of rows read; the stored credit codes if the file was streamed. Whatever
        fails on the way, the writing thread is stopped and its rows undone first."""
        try:
            rows, total = self._blocks(table_rows)
            kept = _duplicates_reject(rows, _USCC, self.reader.errors, "uscc")
            if self.stream is None:
                return kept, total, None
            return self._finish(rows, kept), total, self.known
        except BaseException:
            if self.stream is not None:
                self.stream.undo()
            raise

    def _blocks(self, table_rows: Iterable[Row]) -> tuple[list[tuple[int, EntityValues]], int]:
        from anjian.entities.streaming import EntityStream

        rows: list[tuple[int, EntityValues]] = []
        total = 0
        seen: set[str] = set()
        errors = self.reader.errors
        for block, size in self.reader.blocks(table_rows):
            rows.extend(block)
            total += size
            if self.stream is None and total == size == self.reader.BLOCK:
                self.known = _stored_codes()
                self.stream = EntityStream(self.expected)
            if self.stream is None:
                continue
            if self.strict and errors.rows:
                # "All or nothing" with a row rejected: nothing will be written.
                self.stream.undo()
                self.stream = None
                self.numbers.clear()
                continue
            new = []
            for number, values in block:
                code = values.uscc
                if code in self.known or code in seen:
                    continue
                if self.scope is not None and values.region_id not in self.scope:
                    continue
                seen.add(code)
                new.append(values)
                self.numbers.add(number)
            self.stream.put(new)
        return rows, total

    def _finish(
        self, read: list[tuple[int, EntityValues]], kept: list[tuple[int, EntityValues]]
    ) -> list[tuple[int, EntityValues]]:
        """After the file's duplicates are rejected (`read` became `kept`): the written rows
        found rejected are removed again; returns the rows left to plan (those not written)."""
        rejected = self.numbers & self.reader.errors.rows
        codes = {v.uscc for n, v in read if n in rejected} if rejected else set()
        self.stream.finish(codes)
        written = self.numbers
        return [(n, v) for n, v in kept if n not in written]


def __getattr__(name: str) -> Any:
    """Licences and filings are read in `importing_records` (built on the helpers above); they
    and the table of importers are found here too, looked up on first use so that either
    module may be imported first."""
    if name in ("licence_import", "filing_import", "IMPORTERS"):
        from anjian.entities import importing_records

        return getattr(importing_records, name)
    raise AttributeError(name)


def import_report_rows(batch: ImportBatch) -> Iterator[list[Any]]:
    """The rejected rows as the downloadable report lists them."""
    yield [_gettext("Row"), _gettext("Column"), _gettext("Value"), _gettext("Reason")]
    for item in batch.errors:
        yield [item["row"], item["column"], item["value"], item["reason"]]
