"""Forms of the draw pages; the services check everything again."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.catalog.models import SupervisionItem
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.models import Region
from anjian.core.scope import region_codes_under
from anjian.core.web import BootstrapFormMixin
from anjian.draws.models import Draw, RandomCheckItem
from anjian.draws.services import DrawValues, ratio_key
from anjian.draws.states import StrataBy
from anjian.entities.validation import FieldInvalid, uscc_clean

# Between codes on one line: commas, 、, semicolons, tabs (a row pasted from a spreadsheet).
_FORCED_SEPARATORS = re.compile(r"[\t,，、;；]+")
# What an officer meant as a credit code: 18 letters and digits (checked by uscc_clean).
_CODE_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")

GRADES = [("", _("not graded")), *CreditGrade.choices]
LEVELS = [("", _("unknown")), *RiskLevel.choices]


class DrawForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    items = forms.ModelMultipleChoiceField(
        label=_("random-check items"),
        queryset=RandomCheckItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    inspection_from = forms.DateField(
        label=_("inspections from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    inspection_until = forms.DateField(
        label=_("inspections until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    industries = forms.MultipleChoiceField(
        label=_("industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every industry."),
    )
    regions = forms.MultipleChoiceField(
        label=_("counties"),
        choices=[],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: the whole jurisdiction."),
    )
    key_supervision_only = forms.BooleanField(
        label=_("key-supervision entities only"), required=False
    )
    major_hazard_only = forms.BooleanField(label=_("major hazard sources only"), required=False)
    strata_by = forms.ChoiceField(label=_("strata"), choices=StrataBy.choices)
    default_ratio = forms.IntegerField(
        label=_("default ratio (per ten thousand)"),
        min_value=1,
        max_value=10000,
        initial=500,
        help_text=_("500 = 5 %. The table below overrides it for a grade and level."),
    )
    recent_months = forms.IntegerField(
        label=_("recently inspected: months"), min_value=0, max_value=120, initial=12
    )
    recent_factor = forms.IntegerField(
        label=_("recently inspected: weight in percent (0 excludes)"),
        min_value=0,
        max_value=100,
        initial=50,
    )
    forced = forms.CharField(
        label=_("forced in (credit codes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "E.g. entities on the blacklist or with open serious warnings; one per line. "
            "Rows pasted from a spreadsheet may carry the name after the code."
        ),
    )
    inspectors_per_entity = forms.IntegerField(
        label=_("inspectors per entity"), min_value=2, max_value=6, initial=2
    )
    avoid_own_county = forms.BooleanField(
        label=_("no inspector from the entity's county"), required=False, initial=True
    )
    max_per_inspector = forms.IntegerField(
        label=_("most entities per inspector"), min_value=1, max_value=1000, initial=20
    )
    redo_reason = forms.CharField(
        label=_("reason for the redo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, bureau: Any, redo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = RandomCheckItem.objects.filter(  # type: ignore[attr-defined]
            bureau=bureau, is_active=True
        ).select_related("item")
        self.fields["items"].label_from_instance = _item_label  # type: ignore[attr-defined]
        codes = region_codes_under(bureau.region_id)
        self.fields["regions"].choices = [  # type: ignore[attr-defined]
            (r.code, r.name)
            for r in Region.objects.filter(code__in=codes, level="county").order_by("code")
        ]
        if redo:
            self.fields["redo_reason"].required = True
        else:
            del self.fields["redo_reason"]
        self.ratio_names = []
        for grade, grade_label in GRADES:
            for level, level_label in LEVELS:
                name = f"ratio_{grade or 'none'}_{level or 'none'}"
                self.fields[name] = forms.IntegerField(
                    label=f"{grade_label} / {level_label}",
                    min_value=0,
                    max_value=10000,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )
                self.ratio_names.append((name, ratio_key(grade, level)))

    def ratio_rows(self) -> list[tuple[str, list[Any]]]:
        """The table as rows (grade) × columns (level), for the template."""
        rows = []
        for grade, label in GRADES:
            row = [self[f"ratio_{grade or 'none'}_{level or 'none'}"] for level, _l in LEVELS]
            rows.append((str(label), row))
        return rows

    def visible_fields(self) -> list[Any]:  # the ratio grid is drawn separately
        return [f for f in super().visible_fields() if not f.name.startswith("ratio_")]

    @staticmethod
    def initial_from(draw: Draw) -> dict[str, Any]:
        f = draw.filters or {}
        initial: dict[str, Any] = {
            "title": draw.title,
            "items": list(draw.items.all()),
            "inspection_from": draw.inspection_from,
            "inspection_until": draw.inspection_until,
            "industries": f.get("industries", []),
            "regions": f.get("regions", []),
            "key_supervision_only": f.get("key_supervision_only", False),
            "major_hazard_only": f.get("major_hazard_only", False),
            "strata_by": draw.strata_by,
            "default_ratio": draw.default_ratio,
            "recent_months": draw.recent_months,
            "recent_factor": draw.recent_factor,
            "forced": "\n".join(draw.forced or []),
            "inspectors_per_entity": draw.inspectors_per_entity,
            "avoid_own_county": draw.avoid_own_county,
            "max_per_inspector": draw.max_per_inspector,
        }
        for key, value in (draw.ratios or {}).items():
            grade, _sep, level = key.partition("|")
            initial[f"ratio_{grade or 'none'}_{level or 'none'}"] = value
        return initial

    def clean_forced(self) -> list[str]:
        """Credit codes as officers paste them: one per line, or separated by commas or 、,
        rows copied from a spreadsheet (code, tab, name), full-width or lower-case characters.
        Each code is checked (GB 32100 check character) and a bad one is named."""
        codes: list[str] = []
        errors: list[Any] = []
        text = unicodedata.normalize("NFKC", self.cleaned_data.get("forced") or "")
        for number, line in enumerate(text.splitlines(), start=1):
            cells = [c.strip() for c in _FORCED_SEPARATORS.split(line) if c.strip()]
            if not cells:
                continue
            candidates = [m for c in cells for m in _CODE_LIKE.findall(c.replace(" ", ""))]
            if not candidates:
                errors.append(
                    _("Line %(n)d has no credit code: %(text)s") % {"n": number, "text": line[:40]}
                )
                continue
            for candidate in candidates:
                try:
                    code = uscc_clean(candidate)
                except FieldInvalid as exc:
                    errors.append(f"{candidate}：{exc.message}")
                    continue
                if code not in codes:
                    codes.append(code)
        if errors:
            raise forms.ValidationError(errors)
        return codes

    def values(self) -> DrawValues:
        d = self.cleaned_data
        ratios = {key: d[name] for name, key in self.ratio_names if d.get(name) is not None}
        forced = d["forced"]
        return DrawValues(
            title=d["title"],
            items=list(d["items"]),
            inspection_from=d["inspection_from"],
            inspection_until=d["inspection_until"],
            industries=d["industries"],
            regions=d["regions"],
            key_supervision_only=d["key_supervision_only"],
            major_hazard_only=d["major_hazard_only"],
            strata_by=d["strata_by"],
            default_ratio=d["default_ratio"],
            ratios=ratios,
            recent_months=d["recent_months"],
            recent_factor=d["recent_factor"],
            forced=[c for c in forced if c],
            inspectors_per_entity=d["inspectors_per_entity"],
            avoid_own_county=d["avoid_own_county"],
            max_per_inspector=d["max_per_inspector"],
        )


def _item_label(rc: RandomCheckItem) -> str:
    version = rc.item.version_on(timezone.localdate())
    return f"{rc.item.code} {version.name if version else ''}"


class RandomCheckItemForm(BootstrapFormMixin, forms.Form):
    item = forms.ModelChoiceField(
        label=_("supervision item"), queryset=SupervisionItem.objects.order_by("code")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].label_from_instance = lambda obj: (  # type: ignore[attr-defined]
            f"{obj.code} {getattr(obj.version_on(timezone.localdate()), 'name', '')}"
        )


class ConflictForm(BootstrapFormMixin, forms.Form):
    uscc = forms.CharField(label=_("unified social credit code"), max_length=24)
    reason = forms.CharField(label=_("reason"), max_length=200)
