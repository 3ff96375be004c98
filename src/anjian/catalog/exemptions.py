"""Writes and reads of the province's exemption list (首违不罚清单 / 轻微违法行为免罚清单,
行政处罚法 art. 33), which the observation-period rule reads (catalog/observation.py, N3.5).

The list is the province's, kept as data: a starter list for Shanxi ships as a data file
(`data/exemptions_shanxi.json`) and loads through the same checks as a hand-made row; the
provincial catalog maintainers add rows and withdraw them from a date (a row is never edited,
so a case keeps the row it relied on); every change is audited; the portal publishes the list.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.catalog.models import DiscretionBenchmark, ExemptionEntry, ExemptionKind
from anjian.catalog.services import STARTER_DIR, _actor_name, _require_province
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, ServiceError
from anjian.core.services import SYSTEM_ACTOR, AuditSource, audit_record

EXEMPTIONS_FILE = STARTER_DIR / "exemptions_shanxi.json"


@dataclass
class ExemptionValues:
    kind: str
    benchmark_code: str
    conditions: str
    source: str
    effective_from: datetime.date
    violation: str = ""
    tiers: list[str] = field(default_factory=list)
    basis: str = ""
    follow_up: str = ""
    verified: bool = False


def _errors(values: ExemptionValues) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if values.kind not in ExemptionKind.values:
        errors["kind"] = _("Choose one of the listed values.")
    code = values.benchmark_code.strip().upper()
    versions = list(DiscretionBenchmark.objects.filter(code=code))
    if not code:
        errors["benchmark_code"] = _("This value is required.")
    elif not versions:
        errors["benchmark_code"] = _("No discretion benchmark has the code %(code)s.") % {
            "code": code
        }
    else:
        names = {str(t.get("level")) for b in versions for t in b.levels}
        grave = {
            str(t.get("level"))
            for b in versions
            for t in b.levels
            if t.get("grave") or t.get("level") == "grave"
        }
        unknown = [t for t in values.tiers if t not in names]
        if unknown:
            errors["tiers"] = _("%(code)s has no tier %(tiers)s.") % {
                "code": code,
                "tiers": "、".join(unknown),
            }
        elif set(values.tiers) & grave:
            errors["tiers"] = _("A grave tier cannot be exempted from penalty.")
    if not values.conditions.strip():
        errors["conditions"] = _(
            "Say on what conditions the violation is not penalised (e.g. 初次违法、危害后果轻微、"
            "及时改正)."
        )
    if not values.source.strip():
        errors["source"] = _("Name the document that publishes the list.")
    return errors


@transaction.atomic
def exemption_add(
    *, actor: Any, values: ExemptionValues, source: str = AuditSource.WEB
) -> ExemptionEntry:
    """Add a row to the province's exemption list, in force from `values.effective_from`."""
    _require_province(actor)
    errors = _errors(values)
    if errors:
        raise ServiceError.for_fields(errors)
    code = values.benchmark_code.strip().upper()
    clash = ExemptionEntry.objects.select_for_update().filter(
        benchmark_code=code, kind=values.kind, withdrawn_on__isnull=True
    )
    if clash.exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={
                "benchmark_code": [
                    _("The list already names %(code)s for this kind: withdraw that row first.")
                    % {"code": code}
                ]
            },
        )
    latest = DiscretionBenchmark.objects.filter(code=code).order_by("-effective_from").first()
    assert latest is not None  # checked above
    row = ExemptionEntry.objects.create(
        kind=values.kind,
        benchmark_code=code,
        violation=(values.violation.strip() or latest.violation)[:300],
        conditions=values.conditions.strip(),
        tiers=list(values.tiers),
        basis=values.basis.strip(),
        follow_up=values.follow_up.strip(),
        source=values.source.strip(),
        effective_from=values.effective_from,
        verified=values.verified,
        created_by=_actor_name(actor),
    )
    audit_record(
        actor=actor,
        action="catalog.exemption.added",
        obj=row,
        changes={
            "kind": row.kind,
            "benchmark_code": code,
            "tiers": row.tiers,
            "conditions": row.conditions,
            "source": row.source,
            "effective_from": row.effective_from,
        },
        source=source,
    )
    return row


@transaction.atomic
def exemption_withdraw(
    *,
    actor: Any,
    entry: ExemptionEntry,
    withdrawn_on: datetime.date,
    reason: str,
    source: str = AuditSource.WEB,
) -> ExemptionEntry:
    """Take a row off the list from `withdrawn_on` (acts before it keep it)."""
    _require_province(actor)
    row = ExemptionEntry.objects.select_for_update().filter(pk=entry.pk).first()
    if row is None:
        raise NotFound()
    errors: dict[str, Any] = {}
    if row.withdrawn_on is not None:
        raise Conflict(_("This row has already been withdrawn."))
    if withdrawn_on <= row.effective_from:
        errors["withdrawn_on"] = _("A row is withdrawn after the day it took effect (%(day)s).") % {
            "day": row.effective_from.isoformat()
        }
    if not reason.strip():
        errors["withdrawn_reason"] = _("Say why the row is withdrawn.")
    if errors:
        raise ServiceError.for_fields(errors)
    row.withdrawn_on = withdrawn_on
    row.withdrawn_reason = reason.strip()
    row.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    audit_record(
        actor=actor,
        action="catalog.exemption.withdrawn",
        obj=row,
        changes={
            "benchmark_code": row.benchmark_code,
            "withdrawn_on": withdrawn_on,
            "reason": row.withdrawn_reason,
        },
        source=source,
    )
    return row


@transaction.atomic
def exemptions_load(
    *,
    actor: Any = SYSTEM_ACTOR,
    path: Path | None = None,
    source: str = AuditSource.SYSTEM,
) -> int:
    """Load the starter exemption list (each row through `exemption_add`'s checks). Rows whose
    benchmark code and kind are already on the list are left as they are. Returns the count."""
    data = json.loads((path or EXEMPTIONS_FILE).read_text(encoding="utf-8"))
    count = 0
    for entry in data["entries"]:
        code = entry["benchmark_code"]
        if ExemptionEntry.objects.filter(benchmark_code=code, kind=entry["kind"]).exists():
            continue
        exemption_add(
            actor=actor,
            values=ExemptionValues(
                kind=entry["kind"],
                benchmark_code=code,
                violation=entry.get("violation", ""),
                conditions=entry["conditions"],
                tiers=entry.get("tiers", []),
                basis=entry.get("basis", ""),
                follow_up=entry.get("follow_up", ""),
                source=data["source"],
                effective_from=datetime.date.fromisoformat(
                    entry.get("effective_from", data["effective_from"])
                ),
                verified=bool(entry.get("verified", data.get("verified", False))),
            ),
            source=source,
        )
        count += 1
    return count


# --- reads (public) ---------------------------------------------------------------------------


def exemptions_in_force(*, on: datetime.date | None = None) -> QuerySet[ExemptionEntry]:
    day = on or clock.today()
    return (
        ExemptionEntry.objects.filter(effective_from__lte=day)
        .exclude(withdrawn_on__lte=day)
        .order_by("kind", "benchmark_code")
    )


def exemptions_history() -> QuerySet[ExemptionEntry]:
    """Rows withdrawn or not yet in force: the list's history, newest first."""
    today = clock.today()
    return ExemptionEntry.objects.exclude(
        pk__in=exemptions_in_force(on=today).values("pk")
    ).order_by("-effective_from", "benchmark_code")


def exemption_get(*, pk: int) -> ExemptionEntry:
    row = ExemptionEntry.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row
