"""Which records accept evidence, and who may see and attach to them.

The evidence app knows nothing about inspections or cases. Each app that wants files attached
to its records registers the model once, in its AppConfig.ready():

    from anjian.evidence.registry import evidence_subject_register

    evidence_subject_register(
        Finding,
        may_attach=lambda user, finding: finding_may_edit(user, finding),
        region_of=lambda finding: finding.record.bureau.region_id,
        bureau_of=lambda finding: finding.record.bureau,          # optional
        visible=lambda user: Finding.objects.visible_to(user),    # optional, this is the default
    )

- `visible(user)` is the queryset of the records the user may see; a record outside it is a 404
  for uploads and downloads alike. Default: `Model.objects.visible_to(user)` (a ScopedManager).
- `may_attach(user, record)` answers whether the user may add (and withdraw) evidence on this
  record now; e.g. only the inspectors of an inspection record while it is open. False is a 403.
- `region_of(record)` is the six-digit region code the evidence is scoped by (usually the
  record's own), `bureau_of(record)` the bureau that holds it (default: the uploader's).

Both the upload view and `services.evidence_add` consult the registry, so the rule holds for
pages, the API and the shell alike. An unregistered model accepts no evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class EvidenceSubject:
    model: type[models.Model]
    may_attach: Callable[[Any, Any], bool]
    region_of: Callable[[Any], str]
    bureau_of: Callable[[Any], Any] | None = None
    visible: Callable[[Any], models.QuerySet[Any]] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def visible_to(self, user: Any) -> models.QuerySet[Any]:
        if self.visible is not None:
            return self.visible(user)
        return self.model._default_manager.visible_to(user)  # type: ignore[attr-defined]

    def is_visible(self, user: Any, record: models.Model) -> bool:
        return self.visible_to(user).filter(pk=record.pk).exists()

    def get_visible(self, user: Any, pk: str) -> Any:
        """The record with this primary key if the user may see it, else None."""
        try:
            return self.visible_to(user).filter(pk=pk).first()
        except (ValueError, TypeError):
            return None


_SUBJECTS: dict[str, EvidenceSubject] = {}


def evidence_subject_register(
    model: type[models.Model],
    *,
    may_attach: Callable[[Any, Any], bool],
    region_of: Callable[[Any], str],
    bureau_of: Callable[[Any], Any] | None = None,
    visible: Callable[[Any], models.QuerySet[Any]] | None = None,
) -> EvidenceSubject:
    """Let `model`'s records take evidence (registering again replaces the entry)."""
    subject = EvidenceSubject(
        model=model,
        may_attach=may_attach,
        region_of=region_of,
        bureau_of=bureau_of,
        visible=visible,
    )
    _SUBJECTS[subject.label] = subject
    return subject


def evidence_subject_unregister(model: type[models.Model]) -> None:
    _SUBJECTS.pop(model._meta.label_lower, None)


def evidence_subject_get(label: str) -> EvidenceSubject | None:
    """The registration for a model label such as "inspections.finding", or None."""
    return _SUBJECTS.get(label.lower())


def evidence_subject_of(record: models.Model) -> EvidenceSubject | None:
    return _SUBJECTS.get(record._meta.label_lower)


def subject_key(record: models.Model) -> tuple[str, str]:
    """(subject_type, subject_id) as stored on Evidence."""
    return record._meta.label_lower, str(record.pk)
