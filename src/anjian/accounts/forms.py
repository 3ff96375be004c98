"""Forms for the accounts pages. Choices are limited to what the acting user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, Division
from anjian.accounts.roles import Role
from anjian.core.choices import Industry
from anjian.core.web import BootstrapFormMixin


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After %(limit)s failed attempts the account "
            "is locked for %(minutes)s minutes."
        ),
        "inactive": _("This account is deactivated."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )


class OtpTokenForm(BootstrapFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class PasswordChangeForm(BootstrapFormMixin, forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is wrong."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class UserCreateForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    bureau = forms.ModelChoiceField(label=_("Bureau"), queryset=Bureau.objects.none())
    division = forms.ModelChoiceField(
        label=_("Division"), queryset=Division.objects.none(), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(r.value, r.label) for r in Role if r != Role.ENTERPRISE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters, with 3 of: lower case, upper case, digits, symbols."),
    )

    def __init__(self, actor: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = Bureau.objects.visible_to(actor)  # type: ignore[attr-defined]
        self.fields["division"].queryset = Division.objects.visible_to(actor).select_related(  # type: ignore[attr-defined]
            "bureau"
        )


class RolesForm(BootstrapFormMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(r.value, r.label) for r in Role if r != Role.ENTERPRISE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CertificateForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=32)
    issued_by = forms.CharField(label=_("Issuing body"), max_length=100)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"),
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BureauDocumentDetailsForm(BootstrapFormMixin, forms.Form):
    """What the bureau's enforcement documents print (行政处罚告知书, 行政处罚决定书)."""

    address = forms.CharField(
        label=_("Office address"),
        max_length=200,
        required=False,
        help_text=_("Where a party makes a statement; printed on the notice of proposed penalty."),
    )
    phone = forms.CharField(
        label=_("Telephone"),
        max_length=30,
        required=False,
        help_text=_("The contact telephone printed on the notice, e.g. 0349-6012345."),
    )
    payment_place = forms.CharField(
        label=_("Where fines are paid"),
        max_length=200,
        required=False,
        help_text=_(
            "The bank and account, as the decision prints it after 罚款限于收到本决定书之日起"
            "十五日内缴至…"
        ),
    )
    reconsideration_organ = forms.CharField(
        label=_("Reconsideration organ"),
        max_length=100,
        required=False,
        help_text=_("Where a party may apply for administrative reconsideration within 60 days."),
    )
    court = forms.CharField(
        label=_("People's court"),
        max_length=100,
        required=False,
        help_text=_("Where a party may bring an administrative suit within 6 months."),
    )
    document_abbreviation = forms.CharField(
        label=_("Abbreviation in document numbers"),
        max_length=10,
        required=False,
        help_text=_(
            "The short name heading the bureau's document and case numbers, e.g. 晋朔平 in "
            "（晋朔平）应急罚〔2026〕1号. Leave blank for the region's default. No two bureaus "
            "may share one."
        ),
    )
