"""Forms of the report pages. The services check every value again whatever the form says."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.complaints.models import AccidentLevel, ReportChannel, ReportKind, ReportOutcome
from anjian.complaints.services import ReportValues
from anjian.core.choices import Industry
from anjian.core.models import Region, RegionLevel
from anjian.core.web import BootstrapFormMixin
from anjian.entities.models import Entity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def region_choices() -> list[tuple[str, str]]:
    """Every county-level division of the province, named with its city."""
    qs = Region.objects.filter(level=RegionLevel.COUNTY, statistical_only=False).select_related(
        "parent"
    )
    return [("", "—")] + [(r.code, f"{r.parent.name if r.parent else ''}{r.name}") for r in qs]


class ReportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What kind of problem"), choices=ReportKind.choices)
    entity_uscc = forms.CharField(
        label=_("Unit chosen from the register"),
        max_length=18,
        required=False,
        widget=forms.HiddenInput,
    )
    entity_text = forms.CharField(
        label=_("Name of the unit"),
        max_length=200,
        required=False,
        help_text=_("Search the register below, or write the name as you know it."),
    )
    address = forms.CharField(label=_("Address of the unit"), max_length=300, required=False)
    region = forms.ChoiceField(
        label=_("County or district"),
        required=False,
        help_text=_("Not needed when you chose the unit from the register."),
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", "—"), *Industry.choices], required=False
    )
    body = forms.CharField(
        label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    place = forms.CharField(label=_("Where exactly"), max_length=300, required=False)
    occurred = forms.CharField(label=_("When"), max_length=100, required=False)
    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        initial=True,
        help_text=_(
            "Anonymous: we store nothing that identifies you. Named: only the officer handling "
            "the report sees who you are; only a named reporter can receive a reward."
        ),
    )
    reporter_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    reporter_phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    reporter_id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=18,
        required=False,
        help_text=_("Needed to pay a reward."),
    )
    reporter_is_employee = forms.BooleanField(
        label=_("I work for the unit I report"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]

    def values(self) -> ReportValues:
        d = self.cleaned_data
        entity = None
        if d.get("entity_uscc"):
            entity = Entity.objects.filter(uscc=d["entity_uscc"].strip().upper()).first()
        anonymous = bool(d.get("anonymous"))
        return ReportValues(
            kind=d["kind"],
            body=d["body"],
            place=d.get("place", ""),
            occurred=d.get("occurred", ""),
            entity=entity,
            entity_text=d.get("entity_text", "") or (entity.name if entity else ""),
            address=d.get("address", ""),
            region_code=d.get("region", ""),
            industry=d.get("industry", ""),
            anonymous=anonymous,
            reporter_name="" if anonymous else d.get("reporter_name", ""),
            reporter_phone="" if anonymous else d.get("reporter_phone", ""),
            reporter_id_number="" if anonymous else d.get("reporter_id_number", ""),
            reporter_is_employee=bool(d.get("reporter_is_employee")),
        )


class OfficerReportForm(ReportForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in ReportChannel.choices if c[0] not in ("web", "forwarded")],
    )
    field_order = ["channel"]


class FollowUpForm(BootstrapFormMixin, forms.Form):
    receipt_id = forms.CharField(label=_("Receipt number"), max_length=20)
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CloseForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("report", "outcome"), choices=ReportOutcome.choices
    )
    result = forms.CharField(
        label=_("result told to the reporter"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RewardProposeForm(BootstrapFormMixin, forms.Form):
    concealed_deaths = forms.IntegerField(label=_("concealed deaths"), min_value=0, initial=0)
    accident_level = forms.ChoiceField(
        label=_("accident level"), choices=[("", "—"), *AccidentLevel.choices], required=False
    )


class ExposureForm(BootstrapFormMixin, forms.Form):
    case_number = forms.CharField(label=_("case number"), max_length=60)
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 5}))
