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
import functools
import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.choices import Industry
from anjian.core.errors import ServiceError
from anjian.core.guards import actor_require
from anjian.core.masking import MASK, mask_person_name
from anjian.core.scope import visible_region_codes
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.tabular import Column, Row, TableError, table_read
from anjian.entities.models import Entity, ImportBatch, ImportKind
from anjian.entities.search import search_text_of
from anjian.entities.sectors import SUB_SECTORS
from anjian.entities.services import entity_grams_replace
from anjian.entities.validation import (
    EntityValues,
    FieldInvalid,
    RegionResolver,
    bool_clean,
    business_status_parse,
    date_clean,
    industry_parse,
    names_split,
    observation_check,
    risk_level_parse,
    scale_parse,
    standardisation_grade_parse,
    sub_sector_clean,
    text_clean,
    uscc_clean,
)

MAX_ERRORS_KEPT = 10_000
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
class RowErrors:
    """Rejected rows, as the report lists them."""

    headers: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, value: str, reason: Any) -> None:
        self.rows.add(row)
        if len(self.items) >= 2 * MAX_ERRORS_KEPT:
            # Columns are checked a block at a time: keep the first rows' errors, whatever
            # order they were found in.
            self.items = self.kept()
        self.items.append(
            {
                "row": row,
                "column": self.headers.get(column, column),
                "value": value[:200],
                "reason": str(reason),
            }
        )

    def kept(self) -> list[dict[str, Any]]:
        """The errors the report keeps: the first MAX_ERRORS_KEPT by row, then column."""
        return sorted(self.items, key=lambda e: (e["row"], e["column"]))[:MAX_ERRORS_KEPT]


_REQUIRED = object()


def _field(
    errors: RowErrors,
    row: Row,
    key: str,
    parse: Callable[[str], Any],
    default: Any = None,
    empty: Any = _REQUIRED,
) -> Any:
    """Parse one cell; a rejected value is reported and `default` stands in for it.
    `empty` is the value of an empty optional cell (most cells of a real list are empty, and
    skipping the parser for them is a fifth of a large import's checking time)."""
    text = row.values.get(key, "")
    if not text and empty is not _REQUIRED:
        return empty
    try:
        return parse(text)
    except FieldInvalid as exc:
        errors.add(row.number, key, text, exc.message)
        return default


class Memo:
    """A cell parser run once per distinct text of its column.

    Most columns of a registry list repeat a few values (industry, county, status, yes/no,
    dates): checking each distinct text once instead of once per row was the largest part of a
    million-row import's checking time. Results are immutable (strings, dates, regions), and a
    refusal is remembered as its message. The table is bounded, so a column of unique values
    (addresses, representatives) costs a dictionary miss per row and no more memory than that.
    """

    __slots__ = ("parse", "seen")
    LIMIT = 50_000

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.seen: dict[str, tuple[Any, Any]] = {}

    def __call__(self, text: str) -> Any:
        hit = self.seen.get(text)
        if hit is None:
            try:
                hit = (self.parse(text), None)
            except FieldInvalid as exc:
                hit = (None, exc.message)
            if len(self.seen) < self.LIMIT:
                self.seen[text] = hit
        if hit[1] is not None:
            raise FieldInvalid(hit[1])
        return hit[0]


_NAME = functools.partial(text_clean, max_length=200, required=True)
_ADDRESS = functools.partial(text_clean, max_length=300)
_PERSON = functools.partial(text_clean, max_length=64)
_SUB_SECTOR = {
    industry: functools.partial(sub_sector_clean, industry=industry) for industry in Industry.values
}


OBSERVATION = ("new_business_form", "observation_start", "observation_end")


def _column_key(field_name: str) -> str:
    return "region" if field_name == "region_id" else field_name


@dataclass
class EntityLayout:
    """Which entity fields the file carries. For an entity already registered only these are
    compared and written; the others keep their stored values."""

    fields: tuple[str, ...]
    # Some but not all of the observation columns: their check needs the stored values of the
    # others, so it waits until the plan knows whether the entity exists
    # (`EntityReader.combined_check`).
    observation_partial: bool

    @classmethod
    def of(cls, columns: Iterable[str]) -> EntityLayout:
        present = set(columns)
        carried = sum(key in present for key in OBSERVATION)
        return cls(
            fields=tuple(f for f in EntityValues.FIELDS if _column_key(f) in present),
            observation_partial=0 < carried < len(OBSERVATION),
        )


@dataclass
class EntityReader:
    """Reads and checks one entity row at a time (see `EntityLayout`)."""

    errors: RowErrors
    regions: RegionResolver
    layout: EntityLayout
    # Row number -> the observation cells as written, for a report made at planning time.
    observation_texts: dict[int, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One memo per column (see `Memo`); the credit code and the name are unique per row
        # and are checked directly.
        self.industry = Memo(industry_parse)
        self.region = Memo(self.regions.resolve)
        self.person = Memo(_PERSON)
        self.status = Memo(business_status_parse)
        self.scale = Memo(scale_parse)
        self.date = Memo(date_clean)
        self.flag = Memo(bool_clean)
        self.risk = Memo(risk_level_parse)
        self.standardisation = Memo(standardisation_grade_parse)
        self.sub_sector = {industry: Memo(parse) for industry, parse in _SUB_SECTOR.items()}

    def read(self, rows: Iterable[Row]) -> tuple[list[tuple[int, EntityValues]], int]:
        """All rows, checked a column at a time in blocks (see `Memo`): the same values and the
        same rejections as calling the reader row by row, without a Python call per cell.
        Returns the accepted rows and the number of rows read."""
        accepted: list[tuple[int, EntityValues]] = []
        total = 0
        block: list[Row] = []
        for row in rows:
            block.append(row)
            if len(block) == self.BLOCK:
                total += len(block)
                accepted.extend(self._block(block))
                block = []
        total += len(block)
        accepted.extend(self._block(block))
        return accepted, total

    BLOCK = 20_000

    def _column(
        self,
        rows: list[Row],
        key: str,
        parse: Callable[[str], Any],
        default: Any = None,
        empty: Any = _REQUIRED,
    ) -> list[Any]:
        texts = [row.values.get(key, "") for row in rows]
        outcome: dict[str, tuple[Any, Any]] = {}
        for text in set(texts):
            if not text and empty is not _REQUIRED:
                outcome[text] = (empty, None)
                continue
            try:
                outcome[text] = (parse(text), None)
            except FieldInvalid as exc:
                outcome[text] = (default, exc.message)
        results = [outcome[text] for text in texts]
        if any(message is not None for _value, message in outcome.values()):
            for row, text, (_value, message) in zip(rows, texts, results, strict=True):
                if message is not None:
                    self.errors.add(row.number, key, text, message)
        return [value for value, _message in results]

    def _block(self, rows: list[Row]) -> Iterator[tuple[int, EntityValues]]:
        errors = self.errors
        column = functools.partial(self._column, rows)
        industry = column("industry", self.industry, "")
        sub_texts = [row.values.get("sub_sector", "") for row in rows]
        sub_sector = []
        for row, ind, text in zip(rows, industry, sub_texts, strict=True):
            if not ind or not text:
                sub_sector.append("")
                continue
            try:
                sub_sector.append(self.sub_sector[ind](text))
            except FieldInvalid as exc:
                errors.add(row.number, "sub_sector", text, exc.message)
                sub_sector.append("")
        region = column("region", self.region)
        flag, date = self.flag, self.date
        columns = zip(
            rows,
            column("uscc", uscc_clean, ""),
            column("name", _NAME, ""),
            industry,
            sub_sector,
            region,
            column("address", _ADDRESS, "", ""),
            column("legal_representative", self.person, "", ""),
            column("business_status", self.status, None, "operating"),
            column("scale", self.scale, "", ""),
            column("established_on", date, None, None),
            column("key_supervision", flag, False, False),
            column("new_business_form", flag, False, False),
            column("observation_start", date, None, None),
            column("observation_end", date, None, None),
            column("major_hazard_source", flag, False, False),
            column("risk_level", self.risk, "", ""),
            column("standardisation_grade", self.standardisation, "", ""),
            strict=True,
        )
        rejected = errors.rows
        partial = self.layout.observation_partial
        for (
            row,
            uscc,
            name,
            ind,
            sub,
            reg,
            address,
            person,
            status,
            scale,
            founded,
            key,
            new_form,
            start,
            end,
            hazard,
            risk,
            standardisation,
        ) in columns:
            former: list[str] = []
            if cell := row.values.get("former_names"):
                for former_name in names_split(cell):
                    try:
                        former.append(text_clean(former_name, max_length=200))
                    except FieldInvalid as exc:
                        errors.add(row.number, "former_names", former_name, exc.message)
            if row.number in rejected:
                continue
            values = EntityValues(
                uscc=uscc,
                name=name,
                former_names=[n for n in former if n != name] if former else former,
                industry=ind,
                sub_sector=sub,
                region_id=reg.code,
                address=address,
                legal_representative=person,
                business_status=status,
                scale=scale,
                established_on=founded,
                key_supervision=key,
                new_business_form=new_form,
                observation_start=start,
                observation_end=end,
                major_hazard_source=hazard,
                risk_level=risk,
                standardisation_grade=standardisation,
            )
            if partial:
                self.observation_texts[row.number] = {k: row.values.get(k, "") for k in OBSERVATION}
            elif new_form or start or end:
                for k, message in observation_check(new_form, start, end).items():
                    errors.add(row.number, k, row.values.get(k, ""), message)
                if row.number in rejected:
                    continue
            yield row.number, values

    def combined_check(self, number: int, values: EntityValues, stored_industry: str) -> bool:
        """The checks across fields that the row alone could not make, on the values the entity
        will have (stored ones for the absent columns); False if the row is rejected."""
        if self.layout.observation_partial:
            texts = self.observation_texts.get(number, {})
            for key, message in observation_check(
                values.new_business_form, values.observation_start, values.observation_end
            ).items():
                self.errors.add(number, key, texts.get(key, ""), message)
        if (
            values.sub_sector
            and values.industry != stored_industry
            and "sub_sector" not in self.layout.fields
        ):
            try:
                sub_sector_clean(values.sub_sector, values.industry)
            except FieldInvalid:
                known = SUB_SECTORS.get(values.sub_sector)
                self.errors.add(
                    number,
                    "industry",
                    str(Industry(values.industry).label),
                    _(
                        "The class code on record, %(code)s (%(name)s), does not belong to this "
                        "industry; give the new class code in a “%(column)s” column."
                    )
                    % {
                        "code": values.sub_sector,
                        "name": known[0] if known else "",
                        "column": self.errors.headers.get("sub_sector", "sub_sector"),
                    },
                )
        return number not in self.errors.rows


@dataclass
class Plan:
    """What an import will write."""

    create: list[Any] = field(default_factory=list)
    update: list[tuple[Any, Any]] = field(default_factory=list)  # (stored, new values)
    unchanged: int = 0


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


# Above this many rows, the plan reads every stored credit code once instead of asking per chunk.
KNOWN_CODES_FROM = 20_000


def _plan_entities(
    rows: list[tuple[int, EntityValues]],
    errors: RowErrors,
    scope: set[str] | None,
    reader: EntityReader,
) -> Plan:
    plan = Plan()
    out_of_scope = _("This county is outside your jurisdiction.")
    in_scope = []
    for number, values in rows:
        if scope is not None and values.region_id not in scope:
            errors.add(number, "region", values.region_id, out_of_scope)
        else:
            in_scope.append((number, values))
    layout = reader.layout
    known: set[str] | None = None
    if len(in_scope) > KNOWN_CODES_FROM:
        # A large file: one pass over the stored codes, then full rows only for those present
        # (none at all for a first import), instead of a thousand-row query per chunk.
        known = set(Entity.objects.values_list("uscc", flat=True).iterator(chunk_size=20_000))
    if known is not None and not known:  # a first load: every row is new
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
    written = not dry_run and not (strict and errors.rows)
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
        rows_created=len(plan.create) if written else 0,
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
    rows, total = reader.read(table.rows)
    rows = _duplicates_reject(rows, lambda v: v.uscc, errors, "uscc")
    plan = _plan_entities(rows, errors, _scope_codes(actor), reader)
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
