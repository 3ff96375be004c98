"""Adding a responsible person of the unit as a party of its case (双罚, cases/parties.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.roles import Capability
from anjian.cases import parties, selectors
from anjian.core.errors import ServiceError
from anjian.core.web import BootstrapFormMixin, capability_required, form_apply_service_error


class PartyAddForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("name of the natural person"), max_length=64)
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=24,
        help_text=gettext_lazy("18 characters, as on the resident identity card."),
    )
    address = forms.CharField(
        label=gettext_lazy("address of the natural person"),
        max_length=200,
        help_text=gettext_lazy("The person's own address (住址), printed on their decision."),
    )
    position = forms.CharField(
        label=gettext_lazy("position in the unit"),
        max_length=64,
        initial="主要负责人",
        help_text=gettext_lazy("e.g. 主要负责人, 分管负责人, 安全管理人员."),
    )


@capability_required(Capability.CASES_HANDLE)
def case_party_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    form = PartyAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d: dict[str, Any] = form.cleaned_data
        try:
            person = parties.case_party_add(
                actor=request.user,
                case=case,
                name=d["name"],
                id_number=d["id_number"],
                address=d["address"],
                position=d["position"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request, _("The person is a party of the case; set their proposal next.")
            )
            return redirect("cases:case_detail", pk=person.pk)
    return render(request, "cases/case_party_new.html", {"form": form, "case": case})
