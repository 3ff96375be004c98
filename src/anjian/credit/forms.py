"""Forms of the credit pages: a manual record, a grade override, a decision on either."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import CreditGrade
from anjian.core.web import BootstrapFormMixin
from anjian.credit.models import MANUAL_KINDS


class RecordProposeForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[(k.value, k.label) for k in MANUAL_KINDS])
    title = forms.CharField(label=_("record"), max_length=300)
    occurred_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    weight = forms.IntegerField(
        label=_("points"),
        required=False,
        help_text=_("Only for another record: the other kinds have their documented points."),
    )
    public = forms.BooleanField(label=_("shown on the portal"), required=False)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea({"rows": 2}))


class OverrideProposeForm(BootstrapFormMixin, forms.Form):
    grade = forms.ChoiceField(label=_("grade"), choices=CreditGrade.choices)
    ends_on = forms.DateField(
        label=_("in force until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea({"rows": 2}))
