from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control"}),
    )


class CompareForm(forms.Form):
    copy = forms.FileField(
        label=_("Your copy (PDF or DOCX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class SealForm(forms.Form):
    image = forms.FileField(
        label=_("Seal image (PNG)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "image/png"}),
    )
