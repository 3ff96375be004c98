from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.web import BootstrapFormMixin


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
