from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core.scope import region_codes_under
from anjian.core.web import BootstrapFormMixin
from anjian.inspections.models import Finding, FindingKind, HazardSeverity, ReinspectionResult


class TaskDoneForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("inspected on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    record_number = forms.CharField(
        label=_("inspection record number"),
        max_length=64,
        help_text=_("The number of the on-site inspection record, e.g. （平）应急检〔2026〕12号"),
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- The on-site inspection (issue 6) -------------------------------------------------------


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username}（{obj.bureau.short_name or obj.bureau.name}）"


def inspector_choices(bureau: Any) -> Any:
    """Active inspectors of the bureau and the bureaus under it (the services check their
    certificates on the day and name any that do not hold one)."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.INSPECTOR, Role.DIVISION_HEAD],
            bureau__region_id__in=region_codes_under(bureau.region_id),
        )
        .select_related("bureau")
        .distinct()
        .order_by("bureau__region_id", "full_name", "username")
    )


class RecordStartForm(BootstrapFormMixin, forms.Form):
    place = forms.CharField(label=_("place of inspection"), max_length=300)
    present_name = forms.CharField(label=_("person present for the entity"), max_length=50)
    present_post = forms.CharField(
        label=_("post of the person present"), max_length=50, required=False
    )
    inspectors = InspectorChoiceField(
        label=_("inspectors"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two, each with an enforcement certificate valid today."),
    )

    def __init__(self, *args: Any, bureau: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(bureau)  # type: ignore[attr-defined]


class FindingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=FindingKind.choices)
    severity = forms.ChoiceField(
        label=_("severity"),
        choices=[("", _("— (violation)")), *HazardSeverity.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label=_("legal basis"),
        max_length=1000,
        required=False,
        help_text=_("Empty: the check point's basis."),
    )
    check_point = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RecordSubmitForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}：{obj.description}"


class CorrectionOrderForm(BootstrapFormMixin, forms.Form):
    findings = FindingChoiceField(
        label=_("findings to rectify"),
        queryset=Finding.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    issued_on = forms.DateField(
        label=_("issued on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(label=_("deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = record.findings.order_by("pk")  # type: ignore[attr-defined]


class RectificationReportForm(BootstrapFormMixin, forms.Form):
    submitted_on = forms.DateField(
        label=_("submitted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    text = forms.CharField(
        label=_("what the entity reports"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReinspectionForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(
        label=_("re-inspected on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    inspectors = InspectorChoiceField(
        label=_("inspectors"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    result = forms.ChoiceField(
        label=_("result"), choices=ReinspectionResult.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label=_("opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, bureau: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(bureau)  # type: ignore[attr-defined]
