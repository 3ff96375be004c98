"""Forms for the entity pages. Values are checked again by the services whatever the form says."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import Industry, RiskLevel, StandardisationGrade
from anjian.core.models import Region, RegionLevel
from anjian.core.scope import visible_region_codes
from anjian.core.web import BootstrapFormMixin
from anjian.entities.models import (
    BusinessStatus,
    Entity,
    FilingActivity,
    ImportKind,
    LicenceStatus,
    LicenceType,
    Scale,
)
from anjian.entities.sectors import sub_sector_choices
from anjian.entities.validation import EntityValues, names_split

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def county_choices(user: Any) -> list[tuple[str, str]]:
    codes = visible_region_codes(user)
    qs = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return [(r.code, f"{r.parent.name if r.parent else ''}{r.name}（{r.code}）") for r in qs]


class EntityForm(BootstrapFormMixin, forms.Form):
    uscc = forms.CharField(label=_("unified social credit code"), max_length=24)
    name = forms.CharField(label=_("name"), max_length=200)
    former_names = forms.CharField(
        label=_("former names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    industry = forms.ChoiceField(label=_("industry"), choices=Industry.choices)
    sub_sector = forms.ChoiceField(
        label=_("sub-sector (GB/T 4754)"),
        choices=[("", "—"), *sub_sector_choices()],
        required=False,
    )
    region = forms.ChoiceField(label=_("county"))
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    legal_representative = forms.CharField(
        label=_("legal representative"), max_length=64, required=False
    )
    business_status = forms.ChoiceField(
        label=_("business status"), choices=BusinessStatus.choices, initial="operating"
    )
    scale = forms.ChoiceField(label=_("scale"), choices=[("", "—"), *Scale.choices], required=False)
    established_on = forms.DateField(label=_("date established"), required=False, widget=DATE)
    risk_level = forms.ChoiceField(
        label=_("risk level"),
        choices=[("", "—"), *RiskLevel.choices],
        required=False,
    )
    standardisation_grade = forms.ChoiceField(
        label=_("work-safety standardisation grade"),
        choices=StandardisationGrade.choices,
        required=False,
    )
    key_supervision = forms.BooleanField(label=_("key supervision"), required=False)
    major_hazard_source = forms.BooleanField(label=_("major hazard source"), required=False)
    new_business_form = forms.BooleanField(label=_("new business form"), required=False)
    observation_start = forms.DateField(
        label=_("observation period start"), required=False, widget=DATE
    )
    observation_end = forms.DateField(
        label=_("observation period end"), required=False, widget=DATE
    )

    def __init__(self, *args: Any, user: Any, entity: Entity | None = None, **kwargs: Any) -> None:
        if entity is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(entity, f) for f in EntityValues.FIELDS},
                "uscc": entity.uscc,
                "region": entity.region_id,
                "former_names": "\n".join(entity.former_names),
            }
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.choices = [("", "—"), *county_choices(user)]
        if entity is not None:
            self.fields["uscc"].disabled = True
        for name in ("key_supervision", "major_hazard_source", "new_business_form"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def values(self) -> EntityValues:
        d = self.cleaned_data
        return EntityValues(
            uscc=d.get("uscc", ""),
            name=d["name"],
            former_names=names_split(d.get("former_names", "")),
            industry=d["industry"],
            sub_sector=d.get("sub_sector", ""),
            region_id=d["region"],
            address=d.get("address", ""),
            legal_representative=d.get("legal_representative", ""),
            business_status=d["business_status"],
            scale=d.get("scale", ""),
            established_on=d.get("established_on"),
            key_supervision=d.get("key_supervision", False),
            new_business_form=d.get("new_business_form", False),
            observation_start=d.get("observation_start"),
            observation_end=d.get("observation_end"),
            major_hazard_source=d.get("major_hazard_source", False),
            risk_level=d.get("risk_level", ""),
            standardisation_grade=d.get("standardisation_grade", ""),
        )


class LicenceForm(BootstrapFormMixin, forms.Form):
    licence_type = forms.ChoiceField(label=_("licence type"), choices=LicenceType.choices)
    number = forms.CharField(label=_("licence number"), max_length=64)
    issuing_authority = forms.CharField(
        label=_("issuing authority"), max_length=100, required=False
    )
    scope = forms.CharField(label=_("licensed scope"), max_length=500, required=False)
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
    status = forms.ChoiceField(label=_("status"), choices=LicenceStatus.choices, initial="valid")


class FilingForm(BootstrapFormMixin, forms.Form):
    activity = forms.ChoiceField(label=_("activity"), choices=FilingActivity.choices)
    number = forms.CharField(label=_("filing number"), max_length=64, required=False)
    authority = forms.CharField(label=_("filed with"), max_length=100, required=False)
    filed_on = forms.DateField(label=_("filed on"), widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DATE)


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("what the file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("file"),
        help_text=_("CSV (UTF-8 or GBK) or XLSX, laid out as the template shows."),
    )
    dry_run = forms.BooleanField(label=_("check only, write nothing"), required=False)
    strict = forms.BooleanField(
        label=_("all or nothing: write nothing if any row is rejected"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"
        for name in ("dry_run", "strict"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.ANJIAN_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it or use the command line import.")
                % {"mb": limit // (1024 * 1024)}
            )
        return upload
