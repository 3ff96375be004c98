"""Forms of the plan pages. The services check everything again; the forms only collect."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Division
from anjian.catalog.models import SupervisionItem
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.web import BootstrapFormMixin
from anjian.entities.models import Entity
from anjian.entities.validation import FieldInvalid, uscc_clean
from anjian.plans.models import Frequency
from anjian.plans.services import LineValues

MONTHS = [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]


class PlanForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        version = obj.version_on(timezone.localdate())
        return f"{obj.code} {version.name if version else ''}"


class LineForm(BootstrapFormMixin, forms.Form):
    item = ItemChoiceField(label=_("supervision item"), queryset=SupervisionItem.objects.none())
    division = forms.ModelChoiceField(
        label=_("division"), queryset=Division.objects.none(), required=False
    )
    frequency = forms.TypedChoiceField(
        label=_("frequency"), choices=Frequency.choices, coerce=int, initial=Frequency.YEARLY
    )
    start_month = forms.TypedChoiceField(label=_("from"), choices=MONTHS, coerce=int, initial=1)
    end_month = forms.TypedChoiceField(label=_("until"), choices=MONTHS, coerce=int, initial=12)
    industries = forms.MultipleChoiceField(
        label=_("industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every industry."),
    )
    key_supervision_only = forms.BooleanField(
        label=_("key-supervision entities only"), required=False
    )
    major_hazard_only = forms.BooleanField(label=_("major hazard sources only"), required=False)
    credit_grades = forms.MultipleChoiceField(
        label=_("credit grades"),
        choices=CreditGrade.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any grade."),
    )
    risk_levels = forms.MultipleChoiceField(
        label=_("risk levels"),
        choices=RiskLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any level."),
    )
    entity_codes = forms.CharField(
        label=_("or an explicit list of entities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Unified social credit codes, one per line (or separated by commas). A list replaces "
            "the rule above."
        ),
    )

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = datetime.date(plan.year, 12, 31)
        self.fields["item"].queryset = (  # type: ignore[attr-defined]
            SupervisionItem.objects.filter(versions__effective_from__lte=day)
            .distinct()
            .order_by("code")
        )
        self.fields["division"].queryset = Division.objects.filter(  # type: ignore[attr-defined]
            Q(bureau=plan.bureau) & Q(is_active=True)
        )

    def clean_entity_codes(self) -> list[Entity] | None:
        raw = self.cleaned_data["entity_codes"].replace("，", ",").replace(",", "\n")
        codes = [c.strip() for c in raw.splitlines() if c.strip()]
        if not codes:
            return None
        cleaned, bad = [], []
        for code in codes:
            try:
                cleaned.append(uscc_clean(code))
            except FieldInvalid:
                bad.append(code)
        if bad:
            raise forms.ValidationError(
                _("Not a valid unified social credit code: %(codes)s")
                % {"codes": "、".join(bad[:5])}
            )
        found = {e.uscc: e for e in Entity.objects.filter(uscc__in=cleaned)}
        missing = [c for c in cleaned if c not in found]
        if missing:
            raise forms.ValidationError(
                _("Not in the registry: %(codes)s") % {"codes": "、".join(missing[:5])}
            )
        return list(found.values())

    def values(self) -> LineValues:
        d = self.cleaned_data
        return LineValues(
            item=d["item"],
            frequency=d["frequency"],
            industries=d["industries"],
            key_supervision_only=d["key_supervision_only"],
            major_hazard_only=d["major_hazard_only"],
            credit_grades=d["credit_grades"],
            risk_levels=d["risk_levels"],
            start_month=d["start_month"],
            end_month=d["end_month"],
            division=d["division"],
            entities=d["entity_codes"],
        )


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=16)
    comment = forms.CharField(required=False, max_length=2000)
