"""The catalog's forms: items and their versions, benchmarks, standards and declarations.

Legal bases, check points and benchmark factors are entered one per line, fields separated by |,
which is how they are kept in the bureaus' own tables."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.catalog import selectors
from anjian.catalog.models import (
    ActKind,
    CheckMethod,
    CheckPoint,
    CircumstanceLevel,
    DiscretionBenchmark,
    ItemVersion,
    PenaltyKind,
    Standard,
    StandardKind,
    SupervisionItem,
)
from anjian.catalog.services import ItemValues, StandardValues, item_code_error
from anjian.core.choices import Industry
from anjian.core.models import RegionLevel
from anjian.core.web import BootstrapFormMixin

_METHODS = {
    **{m.value: m.value for m in CheckMethod},
    "现场": "onsite",
    "资料": "documents",
    "远程": "remote",
}


class ItemVersionForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    act_kind = forms.ChoiceField(label=_("kind of act"), choices=ActKind.choices)
    industries = forms.MultipleChoiceField(
        label=_("supervised industries"),
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.MultipleChoiceField(
        label=_("levels that exercise it"),
        choices=RegionLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.CharField(
        label=_("scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    division = forms.CharField(label=_("handling division"), max_length=100, required=False)
    responsible_leader = forms.CharField(
        label=_("responsible leader"), max_length=100, required=False
    )
    handling_officer = forms.CharField(label=_("handling officer"), max_length=100, required=False)
    legal_basis = forms.CharField(
        label=pgettext_lazy("supervision item", "legal basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: law | article | clause | summary, e.g. 安全生产法 | 第二十八条 | 第一款"
        ),
    )
    check_points = forms.CharField(
        label=_("check points"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: what to check | method (现场/资料/远程) | basis | handling"),
    )
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_from(version: ItemVersion) -> dict[str, Any]:
        return {
            "name": version.name,
            "act_kind": version.act_kind,
            "industries": version.industries,
            "levels": version.levels,
            "scope": version.scope,
            "division": version.division,
            "responsible_leader": version.responsible_leader,
            "handling_officer": version.handling_officer,
            "legal_basis": "\n".join(
                " | ".join(
                    [b.get("law", ""), b.get("article", ""), b.get("clause", ""), b.get("text", "")]
                )
                for b in version.legal_basis
            ),
            "check_points": "\n".join(
                " | ".join([p.content, p.method, p.basis, p.handling])
                for p in version.check_points.all()
            ),
        }

    def clean_legal_basis(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["legal_basis"].splitlines():
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            if not parts[0]:
                continue
            if not parts[1]:
                raise forms.ValidationError(_("Each legal basis names a law and an article."))
            out.append({"law": parts[0], "article": parts[1], "clause": parts[2], "text": parts[3]})
        return out

    def clean_check_points(self) -> list[dict[str, str]]:
        out = []
        for number, line in enumerate(self.cleaned_data["check_points"].splitlines(), start=1):
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            if not parts[0]:
                continue
            method = _METHODS.get(parts[1])
            if method is None:
                raise forms.ValidationError(
                    _("Line %(n)d: the method is 现场, 资料 or 远程.") % {"n": number}
                )
            out.append(
                {"content": parts[0], "method": method, "basis": parts[2], "handling": parts[3]}
            )
        return out

    def values(self) -> ItemValues:
        d = self.cleaned_data
        return ItemValues(
            name=d["name"],
            act_kind=d["act_kind"],
            industries=d["industries"],
            levels=d["levels"],
            scope=d.get("scope", ""),
            division=d.get("division", ""),
            responsible_leader=d.get("responsible_leader", ""),
            handling_officer=d.get("handling_officer", ""),
            legal_basis=d["legal_basis"],
            check_points=d["check_points"],
        )


class ItemCreateForm(ItemVersionForm):
    """A new item: its code and what its first version says (the version form, less the
    reason: a first version changes nothing)."""

    code = forms.CharField(
        label=_("item code"),
        max_length=14,
        help_text=_("14 digits beginning with the province's code 140000, e.g. 14000000100001"),
    )
    field_order = ["code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["reason"]

    def clean_code(self) -> str:
        """The service decides; asked here too, the code's error shows with the others."""
        code = str(self.cleaned_data["code"]).strip()
        error = item_code_error(code)
        if error is None and SupervisionItem.objects.filter(code=code).exists():
            error = _("An item with this code already exists.")
        if error is not None:
            raise forms.ValidationError(str(error))
        return code


_EFFECTS = {
    "aggravating": "aggravating",
    "从重": "aggravating",
    "加重": "aggravating",
    "mitigating": "mitigating",
    "从轻": "mitigating",
    "减轻": "mitigating",
}
_EFFECT_NAMES = {"aggravating": "从重", "mitigating": "从轻"}


class BenchmarkForm(BootstrapFormMixin, forms.Form):
    """A discretion benchmark, or a new version of one (`versioned`: the code is fixed and the
    reason required). The circumstance levels are a table, one row per level; a row left
    empty is a level the benchmark does not have."""

    code = forms.CharField(
        label=_("benchmark code"),
        max_length=30,
        help_text=_("Capital letters and digits joined by hyphens, e.g. AQF-97-3"),
    )
    violation = forms.CharField(
        label=_("violation"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_provision = forms.CharField(label=_("provision violated"), max_length=300)
    penalty_basis = forms.CharField(label=_("penalty basis"), max_length=300)
    items = forms.MultipleChoiceField(
        label=_("supervision items"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    # Not an input: where refusals about the table of levels are shown.
    levels = forms.CharField(required=False, widget=forms.HiddenInput)
    factors = forms.CharField(
        label=_("factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | 从重 or 从轻 | description"),
    )
    unlicensed_operation = forms.BooleanField(
        label=_("operating without a licence"),
        required=False,
        help_text=_(
            "The violation is operating without the licence the law requires: the observation "
            "period of a new business form never shelters it."
        ),
    )
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, versioned: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = selectors.item_choices()  # type: ignore[attr-defined]
        for level in CircumstanceLevel:
            label = level.label
            self.fields[f"{level}_conditions"] = forms.CharField(
                label=_("%(level)s: conditions") % {"level": label},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )
            self.fields[f"{level}_penalty_kinds"] = forms.MultipleChoiceField(
                label=_("%(level)s: penalties") % {"level": label},
                required=False,
                choices=PenaltyKind.choices,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )
            bounds = {
                "fine_min": _("%(level)s: lowest fine"),
                "fine_max": _("%(level)s: highest fine"),
            }
            for bound, bound_label in bounds.items():
                self.fields[f"{level}_{bound}"] = forms.IntegerField(
                    label=bound_label % {"level": label},
                    required=False,
                    min_value=0,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
            if level != CircumstanceLevel.MINOR:  # the minor level is minor by its name
                self.fields[f"{level}_minor"] = forms.BooleanField(
                    label=_("%(level)s: minor circumstances") % {"level": label},
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
        if versioned:
            del self.fields["code"]
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]  # a first version changes nothing

    def head_fields(self) -> list[forms.BoundField]:
        names = ("code", "violation", "legal_provision", "penalty_basis", "items")
        return [self[n] for n in names if n in self.fields]

    def tail_fields(self) -> list[forms.BoundField]:
        names = ("factors", "unlicensed_operation", "effective_from", "reason")
        return [self[n] for n in names if n in self.fields]

    def level_rows(self) -> list[dict[str, Any]]:
        """The table of levels, a row per level with its four inputs."""
        return [
            {
                "label": level.label,
                "conditions": self[f"{level}_conditions"],
                "penalty_kinds": self[f"{level}_penalty_kinds"],
                "fine_min": self[f"{level}_fine_min"],
                "fine_max": self[f"{level}_fine_max"],
                "minor": self[f"{level}_minor"] if f"{level}_minor" in self.fields else None,
            }
            for level in CircumstanceLevel
        ]

    @staticmethod
    def initial_from(benchmark: DiscretionBenchmark) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": benchmark.code,
            "violation": benchmark.violation,
            "legal_provision": benchmark.legal_provision,
            "penalty_basis": benchmark.penalty_basis,
            "items": [i.code for i in benchmark.items.all()],
            "unlicensed_operation": benchmark.unlicensed_operation,
            "factors": "\n".join(
                " | ".join(
                    [
                        f.get("name", ""),
                        _EFFECT_NAMES.get(f.get("effect", ""), ""),
                        f.get("description", ""),
                    ]
                )
                for f in benchmark.factors
            ),
        }
        for level in benchmark.levels:
            name = level.get("level")
            initial[f"{name}_conditions"] = level.get("conditions", "")
            initial[f"{name}_penalty_kinds"] = level.get("penalty_kinds", [])
            initial[f"{name}_fine_min"] = level.get("fine_min", 0)
            initial[f"{name}_fine_max"] = level.get("fine_max", 0)
            initial[f"{name}_minor"] = level.get("minor") is True
        return initial

    def clean_factors(self) -> list[dict[str, str]]:
        out = []
        for number, line in enumerate(self.cleaned_data["factors"].splitlines(), start=1):
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            if not parts[0]:
                continue
            effect = _EFFECTS.get(parts[1])
            if effect is None:
                raise forms.ValidationError(
                    _("Line %(n)d: a factor is 从重 (aggravating) or 从轻 (mitigating).")
                    % {"n": number}
                )
            out.append({"name": parts[0], "effect": effect, "description": parts[2]})
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        levels = []
        for level in CircumstanceLevel:
            conditions = (data.get(f"{level}_conditions") or "").strip()
            kinds = data.get(f"{level}_penalty_kinds") or []
            low, high = data.get(f"{level}_fine_min"), data.get(f"{level}_fine_max")
            minor = bool(data.get(f"{level}_minor"))
            if not (conditions or kinds or low is not None or high is not None):
                if minor:
                    self.add_error(
                        f"{level}_minor",
                        _("Only a level the benchmark has can be of minor circumstances."),
                    )
                continue  # a level the benchmark does not have
            row = {
                "level": level.value,
                "conditions": conditions,
                "penalty_kinds": kinds,
                "fine_min": low or 0,
                "fine_max": high or 0,
            }
            if minor:
                row["minor"] = True
            levels.append(row)
        data["levels"] = levels
        return data

    def benchmark_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "violation": d["violation"],
            "legal_provision": d["legal_provision"],
            "penalty_basis": d["penalty_basis"],
            "levels": d["levels"],
            "factors": d["factors"],
            "effective_from": d["effective_from"],
            "unlicensed_operation": bool(d.get("unlicensed_operation")),
            "items": list(SupervisionItem.objects.filter(code__in=d["items"]).order_by("code")),
            "reason": d.get("reason", ""),
        }


class StandardForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=StandardKind.choices)
    code = forms.CharField(
        label=_("standard code"),
        max_length=50,
        help_text=_(
            "As printed on the standard, e.g. GB/T 33000-2016, AQ 1029-2019, DB14/T 1234-2020"
        ),
    )
    title = forms.CharField(label=pgettext_lazy("standard", "title"), max_length=200)
    issued_by = forms.CharField(label=_("issued by"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_from = forms.DateField(
        label=_("effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    industries = forms.MultipleChoiceField(
        label=_("industries"),
        required=False,
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def values(self) -> StandardValues:
        d = self.cleaned_data
        return StandardValues(
            code=d["code"],
            title=d["title"],
            kind=d["kind"],
            issued_by=d.get("issued_by", ""),
            issued_on=d.get("issued_on"),
            effective_from=d.get("effective_from"),
            industries=d.get("industries", []),
        )


class StandardCheckPointsForm(forms.Form):
    """Which of the offered check points (of the checklists in force and those published for
    later) a standard applies to. The page lists them under their items."""

    check_points = forms.MultipleChoiceField(label=_("check points"), required=False)

    def __init__(self, *args: Any, versions: list[ItemVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = {p.pk: p for v in versions for p in getattr(v, "points", [])}
        self.fields["check_points"].choices = [  # type: ignore[attr-defined]
            (str(pk), p.content) for pk, p in self.offered.items()
        ]

    def chosen(self) -> list[CheckPoint]:
        return [self.offered[int(pk)] for pk in self.cleaned_data["check_points"]]


class StandardDeclarationForm(BootstrapFormMixin, forms.Form):
    standard = forms.ChoiceField(label=_("standard"), required=False)
    new_code = forms.CharField(
        label=_("or the number of the enterprise's own standard"),
        max_length=50,
        required=False,
        help_text=_("e.g. Q/JM 001-2023, when it is not in the register yet"),
    )
    new_title = forms.CharField(label=_("its title"), max_length=200, required=False)
    declared_on = forms.DateField(
        label=_("declared on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    url = forms.URLField(
        label=_("where it is published"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("e.g. the page on the enterprise standards public service platform"),
    )

    def __init__(self, *args: Any, standards: list[Standard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(s.pk), f"{s.code} {s.title}") for s in standards),
        ]
        self.standards = {s.pk: s for s in standards}

    def chosen_standard(self) -> Standard | None:
        pk = self.cleaned_data.get("standard")
        return self.standards.get(int(pk)) if pk else None


class EntityFindForm(BootstrapFormMixin, forms.Form):
    uscc = forms.CharField(label=_("unified social credit code"), max_length=18)

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).strip().upper()


class ResponsibilityForm(BootstrapFormMixin, forms.Form):
    """A bureau's leader in charge, handling unit and officers for one item (N1.1)."""

    leader = forms.CharField(label=_("leader in charge"), max_length=50)
    handling_unit = forms.CharField(
        label=_("handling unit"),
        max_length=100,
        help_text=_("The division (处室/科室/大队) that handles the item."),
    )
    officers = forms.CharField(
        label=_("handling officers"),
        max_length=400,
        help_text=_("Names separated by 、, e.g. 张伟、李娜"),
    )

    def values(self) -> Any:
        from anjian.catalog.responsibilities import ResponsibilityValues

        d = self.cleaned_data
        return ResponsibilityValues(
            leader=d["leader"],
            handling_unit=d["handling_unit"],
            officers=ResponsibilityValues.officers_from_text(d["officers"]),
        )


class ExemptionForm(BootstrapFormMixin, forms.Form):
    """A row of the province's exemption list (首违不罚 / 轻微不罚清单)."""

    kind = forms.ChoiceField(label=_("kind of exemption"), choices=[])
    benchmark_code = forms.CharField(label=_("benchmark code"), max_length=30)
    tiers = forms.CharField(
        label=_("tiers covered"),
        max_length=100,
        required=False,
        help_text=_(
            "The benchmark's tiers as it writes them, separated by 、 (e.g. A、轻微); empty: "
            "any tier but a grave one."
        ),
    )
    conditions = forms.CharField(
        label=_("conditions of the exemption"), widget=forms.Textarea(attrs={"rows": 2})
    )
    basis = forms.CharField(label=_("legal basis"), max_length=300, required=False)
    follow_up = forms.CharField(label=_("follow-up supervision"), max_length=300, required=False)
    source = forms.CharField(label=_("published in"), max_length=200)
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    verified = forms.BooleanField(label=_("checked against the published text"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from anjian.catalog.models import ExemptionKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ExemptionKind.choices  # type: ignore[attr-defined]

    def values(self) -> Any:
        from anjian.catalog.exemptions import ExemptionValues

        d = self.cleaned_data
        return ExemptionValues(
            kind=d["kind"],
            benchmark_code=d["benchmark_code"],
            tiers=[_tier_code(t) for t in re.split(r"[、，,\s]+", d["tiers"].strip()) if t],
            conditions=d["conditions"],
            basis=d["basis"],
            follow_up=d["follow_up"],
            source=d["source"],
            effective_from=d["effective_from"],
            verified=d["verified"],
        )


def _tier_code(name: str) -> str:
    """A tier as typed: a letter (A, B …) stays; an older level by its name (轻微 → minor)."""
    by_label = {str(c.label): c.value for c in CircumstanceLevel}
    return by_label.get(name, name.upper() if len(name) <= 2 else name)


class ExemptionWithdrawForm(BootstrapFormMixin, forms.Form):
    withdrawn_on = forms.DateField(
        label=_("withdrawn from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    withdrawn_reason = forms.CharField(
        label=_("reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 2})
    )
