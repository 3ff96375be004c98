from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import CertificateStatus, EnforcementCertificate, User
from anjian.accounts.roles import Role
from anjian.catalog.models import SupervisionItem
from anjian.catalog.selectors import item_list
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


# --- Ad hoc tasks and teams (N2.3) -----------------------------------------------------------


class _CertifiedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of inspectors; those without a certificate valid on the day are disabled (the
    service would refuse them anyway, naming them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ineligible: set[str] = set()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.ineligible:
            option["attrs"]["disabled"] = True
        return option


class CertifiedInspectorField(forms.ModelMultipleChoiceField):
    """The bureau's active inspectors, each shown with the enforcement certificate that holds
    on `day`, or the reason none does."""

    widget = _CertifiedCheckboxes

    def certificates_for(self, day: Any) -> None:
        self.day = day
        people = list(self.queryset)  # type: ignore[arg-type]
        best: dict[int, EnforcementCertificate] = {}
        for cert in EnforcementCertificate.objects.filter(holder__in=people).order_by(
            "holder_id", "-valid_until"
        ):
            current = best.get(cert.holder_id)
            if current is None or (cert.is_valid_on(day) and not current.is_valid_on(day)):
                best[cert.holder_id] = cert
        self.best = best
        self.widget.ineligible = {
            str(u.pk) for u in people if not (u.pk in best and best[u.pk].is_valid_on(day))
        }

    def label_from_instance(self, obj: Any) -> str:
        name = f"{obj.full_name or obj.username}（{obj.bureau.short_name or obj.bureau.name}）"
        cert = getattr(self, "best", {}).get(obj.pk)
        day = getattr(self, "day", timezone.localdate())
        if cert is None:
            none = _("no enforcement certificate")
            return f"{name} — {none}"
        span = f"{cert.valid_from:%Y-%m-%d} – {cert.valid_until:%Y-%m-%d}"
        label = _("certificate")
        if cert.is_valid_on(day):
            return f"{name} — {label} {cert.number}，{span}"
        reason = {
            CertificateStatus.REVOKED: _("revoked"),
            CertificateStatus.NOT_YET_VALID: _("not yet valid"),
        }.get(cert.status_on(day), _("expired"))
        return f"{name} — {label} {cert.number}，{span}（{reason}）"


class _TeamForm(BootstrapFormMixin, forms.Form):
    inspectors = CertifiedInspectorField(
        label=_("inspectors"),
        queryset=User.objects.none(),
        help_text=_("At least two, each with an enforcement certificate valid on the day."),
    )

    def __init__(self, *args: Any, bureau: Any, day: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspectors"]
        field.widget.attrs["class"] = "form-check-input"
        field.queryset = inspector_choices(bureau)  # type: ignore[attr-defined]
        field.certificates_for(day)  # type: ignore[attr-defined]


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: dict[int, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {self.names.get(obj.pk, '')}".strip()


class TaskAdHocForm(_TeamForm):
    """An ad hoc inspection of one entity: its items (those of the entity's industry in force
    today), the team, when it is due and why."""

    items = ItemChoiceField(
        label=_("supervision items"),
        queryset=SupervisionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Items of the entity's industry in force today; one task per item."),
    )
    due_on = forms.DateField(label=_("due"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("reason for the inspection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a complaint call, an accident nearby, a warning."),
    )
    over_limit_reason = forms.CharField(
        label=_("reason for inspecting beyond the yearly limit"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the entity has had as many inspections this year as its class allows."
        ),
    )
    field_order = ["items", "inspectors", "due_on", "reason", "over_limit_reason"]

    def __init__(self, *args: Any, entity: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = item_list(industry=entity.industry)
        field = self.fields["items"]
        field.queryset = SupervisionItem.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.item.pk for r in rows]
        ).order_by("code")
        field.names = {r.item.pk: r.version.name for r in rows}  # type: ignore[attr-defined]


class TaskAssignForm(_TeamForm):
    pass
