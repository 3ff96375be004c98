"""Forms of the enterprise side."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.web import BootstrapFormMixin
from anjian.enterprise.models import Position


class InvitationForm(BootstrapFormMixin, forms.Form):
    position = forms.ChoiceField(label=_("position"), choices=Position.choices)
    sms_phone = forms.CharField(
        label=_("Send the code by SMS to"),
        max_length=20,
        required=False,
        help_text=_(
            "A mainland mobile number (11 digits). Leave it empty to be shown the code here."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class ActivationForm(BootstrapFormMixin, forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code of the enterprise"), max_length=24)
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        help_text=_("The code the bureau gave you, e.g. 7KQ2-…; dashes and case do not matter."),
    )
    full_name = forms.CharField(label=_("full name"), max_length=50, required=False)
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "The same rules as for the bureau's staff: long enough, three kinds of characters."
        ),
    )
    password_again = forms.CharField(
        label=_("password again"), widget=forms.PasswordInput(render_value=False)
    )
    phone = forms.CharField(label=_("mobile phone"), max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
