"""The form of an industry's annual report, read from data/forms.json: the common fields and
the industry's own, each a whole number of 0 or more, some public."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

FORMS = Path(__file__).resolve().parent / "data" / "forms.json"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # English msgid; translated where shown
    public: bool

    @property
    def label_text(self) -> str:
        return gettext(self.label)


@cache
def _forms() -> dict[str, Any]:
    return json.loads(FORMS.read_text(encoding="utf-8"))


def fields_for(industry: str) -> list[FieldSpec]:
    data = _forms()
    out: dict[str, FieldSpec] = {}
    for spec in [*data["common"], *data.get(industry, [])]:
        out[spec["name"]] = FieldSpec(spec["name"], spec["label"], bool(spec.get("public")))
    return list(out.values())


def rows(
    industry: str, values: dict[str, Any], *, public_only: bool = False
) -> list[tuple[str, Any]]:
    """(label, value) for display, in the form's order."""
    return [
        (f.label_text, values.get(f.name, ""))
        for f in fields_for(industry)
        if f.public or not public_only
    ]
