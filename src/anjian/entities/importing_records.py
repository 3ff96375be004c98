"""Imports of licences and filings (docs/import-format.md): each row names its entity by credit
code, which must be registered in the importer's jurisdiction. Built on the entity import's
reading, checking and writing (`importing`), split from it by what is imported."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core.guards import actor_require
from anjian.core.services import AuditSource
from anjian.core.tabular import Row
from anjian.entities.importing import (
    Plan,
    RowErrors,
    _batch_save,
    _chunks,
    _duplicates_reject,
    _field,
    _file_bytes,
    _read,
    _records_write,
    _rows_collect,
    _scope_codes,
    entity_import,
)
from anjian.entities.models import Entity, Filing, ImportBatch, ImportKind, Licence
from anjian.entities.validation import (
    date_clean,
    filing_activity_parse,
    filing_period_error,
    licence_period_error,
    licence_status_parse,
    licence_type_parse,
    text_clean,
    uscc_clean,
)


def _entity_ids(usccs: Iterable[str]) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    codes = sorted(set(usccs))
    for chunk in _chunks(codes):
        for pk, uscc, region in Entity.objects.filter(uscc__in=chunk).values_list(
            "pk", "uscc", "region_id"
        ):
            out[uscc] = (pk, region)
    return out


def _owner_check(
    rows: list[tuple[int, dict[str, Any]]], errors: RowErrors, scope: set[str] | None
) -> list[tuple[int, dict[str, Any]]]:
    owners = _entity_ids(v["uscc"] for _n, v in rows)
    kept = []
    for number, values in rows:
        owner = owners.get(values["uscc"])
        if owner is None or (scope is not None and owner[1] not in scope):
            errors.add(
                number,
                "uscc",
                values["uscc"],
                _("No entity with this credit code is registered in your jurisdiction."),
            )
            continue
        values["entity_id"] = owner[0]
        kept.append((number, values))
    return kept


def _licence_values(row: Row, errors: RowErrors) -> dict[str, Any] | None:
    values = {
        "uscc": _field(errors, row, "uscc", uscc_clean, ""),
        "licence_type": _field(errors, row, "licence_type", licence_type_parse, ""),
        "number": _field(
            errors, row, "number", lambda t: text_clean(t, max_length=64, required=True), ""
        ),
        "issuing_authority": _field(
            errors, row, "issuing_authority", lambda t: text_clean(t, max_length=100), ""
        ),
        "scope": _field(errors, row, "scope", lambda t: text_clean(t, max_length=500), ""),
        "valid_from": _field(errors, row, "valid_from", date_clean),
        "valid_until": _field(errors, row, "valid_until", lambda t: date_clean(t, required=True)),
        "status": _field(
            errors, row, "status", lambda t: licence_status_parse(t, default="valid"), "valid"
        ),
    }
    if reason := licence_period_error(values["valid_from"], values["valid_until"]):
        errors.add(row.number, "valid_until", row.values.get("valid_until", ""), reason)
    if row.number in errors.rows:
        return None
    return values


LICENCE_FIELDS = ("entity_id", "issuing_authority", "scope", "valid_from", "valid_until", "status")


def _fields_carried(fields: tuple[str, ...], columns: Iterable[str]) -> tuple[str, ...]:
    """The record fields an import compares and writes: those whose column the file has (and
    `entity_id`, which the credit code gives)."""
    present = set(columns)
    return tuple(f for f in fields if f == "entity_id" or f in present)


@transaction.atomic
def licence_import(
    *,
    actor: Any,
    source_file: bytes | Path,
    file_name: str,
    dry_run: bool = False,
    strict: bool = False,
    source: str = AuditSource.WEB,
) -> ImportBatch:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    data = _file_bytes(source_file)
    table, errors = _read(data, file_name, ImportKind.LICENCES)
    rows, total = _rows_collect(table, errors, lambda r: _licence_values(r, errors))
    rows = _duplicates_reject(rows, lambda v: (v["number"], v["licence_type"]), errors, "number")
    scope = _scope_codes(actor)
    rows = _owner_check(rows, errors, scope)
    fields = _fields_carried(LICENCE_FIELDS, table.columns)
    plan = Plan()
    for chunk in _chunks(rows):
        stored = {
            (lic.licence_type, lic.number): lic
            for lic in Licence.objects.filter(number__in=[v["number"] for _n, v in chunk])
        }
        for number, values in chunk:
            current = stored.get((values["licence_type"], values["number"]))
            if current is None:
                plan.create.append(values)
            elif current.entity_id != values["entity_id"]:
                errors.add(
                    number,
                    "number",
                    values["number"],
                    _("This licence number is recorded for another entity."),
                )
            elif "valid_from" not in fields and (
                reason := licence_period_error(current.valid_from, values["valid_until"])
            ):
                # The file has no 有效期起: the stored start must still precede the new end.
                errors.add(number, "valid_until", values["valid_until"].isoformat(), reason)
            elif all(getattr(current, f) == values[f] for f in fields):
                plan.unchanged += 1
            else:
                plan.update.append((current, values))
    batch, write = _batch_save(
        actor=actor,
        kind=ImportKind.LICENCES,
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
        keys = ("licence_type", "number", *LICENCE_FIELDS)
        _records_write(Licence, plan, keys=keys, fields=fields)
    return batch


def _filing_values(row: Row, errors: RowErrors) -> dict[str, Any] | None:
    values = {
        "uscc": _field(errors, row, "uscc", uscc_clean, ""),
        "activity": _field(errors, row, "activity", filing_activity_parse, ""),
        "number": _field(errors, row, "number", lambda t: text_clean(t, max_length=64), ""),
        "authority": _field(errors, row, "authority", lambda t: text_clean(t, max_length=100), ""),
        "filed_on": _field(errors, row, "filed_on", lambda t: date_clean(t, required=True)),
        "valid_until": _field(errors, row, "valid_until", date_clean),
    }
    if reason := filing_period_error(values["filed_on"], values["valid_until"]):
        errors.add(row.number, "valid_until", row.values.get("valid_until", ""), reason)
    if row.number in errors.rows:
        return None
    return values


FILING_FIELDS = ("number", "authority", "valid_until")


@transaction.atomic
def filing_import(
    *,
    actor: Any,
    source_file: bytes | Path,
    file_name: str,
    dry_run: bool = False,
    strict: bool = False,
    source: str = AuditSource.WEB,
) -> ImportBatch:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    data = _file_bytes(source_file)
    table, errors = _read(data, file_name, ImportKind.FILINGS)
    rows, total = _rows_collect(table, errors, lambda r: _filing_values(r, errors))
    rows = _duplicates_reject(
        rows, lambda v: (v["uscc"], v["activity"], v["filed_on"]), errors, "filed_on"
    )
    rows = _owner_check(rows, errors, _scope_codes(actor))
    plan = Plan()
    fields = _fields_carried(FILING_FIELDS, table.columns)
    for chunk in _chunks(rows):
        stored = {
            (f.entity_id, f.activity, f.filed_on): f
            for f in Filing.objects.filter(entity_id__in=[v["entity_id"] for _n, v in chunk])
        }
        for _number, values in chunk:
            current = stored.get((values["entity_id"], values["activity"], values["filed_on"]))
            if current is None:
                plan.create.append(values)
            elif all(getattr(current, f) == values[f] for f in fields):
                plan.unchanged += 1
            else:
                plan.update.append((current, values))
    batch, write = _batch_save(
        actor=actor,
        kind=ImportKind.FILINGS,
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
        keys = ("entity_id", "activity", "filed_on", *FILING_FIELDS)
        _records_write(Filing, plan, keys=keys, fields=fields)
    return batch


IMPORTERS = {
    ImportKind.ENTITIES: entity_import,
    ImportKind.LICENCES: licence_import,
    ImportKind.FILINGS: filing_import,
}
