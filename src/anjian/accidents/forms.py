"""Forms of accident reports: the unit's report (mobile first), an officer's record, a
supplement, a concealment found."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accidents.models import AccidentType, Source
from anjian.accidents.services import ReportValues, SupplementValues
from anjian.core.web import BootstrapFormMixin


def _people(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=100_000, initial=0)


class _Values(BootstrapFormMixin, forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("occurred at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("place of the accident"), max_length=200)
    accident_type = forms.ChoiceField(label=_("type of accident"), choices=AccidentType.choices)
    dead = _people(_("dead"))
    injured = _people(_("seriously injured"))
    missing = _people(_("missing"))
    direct_loss = forms.IntegerField(
        label=_("direct economic loss (yuan)"),
        min_value=0,
        required=False,
        help_text=_("If already estimated; it can be given later in a supplement."),
    )
    cause = forms.CharField(label=_("preliminary cause"), widget=forms.Textarea({"rows": 3}))
    measures = forms.CharField(
        label=_("measures taken after the accident"), widget=forms.Textarea({"rows": 3})
    )
    reporter_name = forms.CharField(label=_("name of the person reporting"), max_length=50)
    reporter_phone = forms.CharField(
        label=_("phone of the person reporting"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def values(self) -> ReportValues:
        d = self.cleaned_data
        return ReportValues(
            occurred_at=d["occurred_at"],
            place=d["place"],
            accident_type=d["accident_type"],
            dead=d["dead"],
            injured=d["injured"],
            missing=d["missing"],
            direct_loss=d.get("direct_loss"),
            cause=d["cause"],
            measures=d["measures"],
            reporter_name=d["reporter_name"],
            reporter_phone=d["reporter_phone"],
        )


class EnterpriseReportForm(_Values):
    entity = forms.ChoiceField(label=_("unit"))

    field_order = ["entity"]

    def __init__(self, *args: Any, entities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["entity"]
        field.choices = [(str(e.pk), e.name) for e in entities]
        if len(entities) == 1:
            self.fields["entity"].initial = str(entities[0].pk)


class OfficerReportForm(_Values):
    uscc = forms.CharField(label=_("unified social credit code of the unit"), max_length=18)
    source = forms.ChoiceField(
        label=_("source"),
        choices=[(s.value, s.label) for s in (Source.PHONE, Source.FOUND)],
    )

    field_order = ["uscc", "source"]


class SupplementForm(BootstrapFormMixin, forms.Form):
    dead = forms.IntegerField(label=_("dead"), min_value=0, max_value=100_000)
    injured = forms.IntegerField(label=_("seriously injured"), min_value=0, max_value=100_000)
    missing = forms.IntegerField(label=_("missing"), min_value=0, max_value=100_000)
    direct_loss = forms.IntegerField(
        label=_("direct economic loss (yuan)"), min_value=0, required=False
    )
    note = forms.CharField(label=_("what changed"), widget=forms.Textarea({"rows": 2}))

    def values(self) -> SupplementValues:
        d = self.cleaned_data
        return SupplementValues(
            dead=d["dead"],
            injured=d["injured"],
            missing=d["missing"],
            direct_loss=d.get("direct_loss"),
            note=d["note"],
        )


class ConcealmentForm(BootstrapFormMixin, forms.Form):
    finding = forms.CharField(
        label=_("what was concealed or false"), widget=forms.Textarea({"rows": 3})
    )


class MinistryReportForm(BootstrapFormMixin, forms.Form):
    """The province's report of a 重大 or 特别重大 accident to the Ministry, made outside the
    platform (by phone or the Ministry's own system): when it was made."""

    at = forms.DateTimeField(
        label=_("reported to the Ministry at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
        help_text=_("Leave blank if it is being made now."),
    )
