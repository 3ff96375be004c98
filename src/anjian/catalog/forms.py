"""The form for a new version of a supervision item. Legal bases and check points are entered
one per line, fields separated by |, which is how they are kept in the bureaus' own tables."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.catalog.models import ActKind, CheckMethod, ItemVersion
from anjian.catalog.services import ItemValues
from anjian.core.choices import Industry
from anjian.core.models import RegionLevel
from anjian.core.web import BootstrapFormMixin

_METHODS = {
    **{m.value: m.value for m in CheckMethod},
    "现场": "onsite",
    "资料": "documents",
    "远程": "remote",
}


class ItemVersionForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    act_kind = forms.ChoiceField(label=_("kind of act"), choices=ActKind.choices)
    industries = forms.MultipleChoiceField(
        label=_("supervised industries"),
        choices=Industry.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.MultipleChoiceField(
        label=_("levels that exercise it"),
        choices=RegionLevel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.CharField(
        label=_("scope"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    division = forms.CharField(label=_("handling division"), max_length=100, required=False)
    responsible_leader = forms.CharField(
        label=_("responsible leader"), max_length=100, required=False
    )
    handling_officer = forms.CharField(label=_("handling officer"), max_length=100, required=False)
    legal_basis = forms.CharField(
        label=_("legal basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: law | article | clause | summary, e.g. 安全生产法 | 第二十八条 | 第一款"
        ),
    )
    check_points = forms.CharField(
        label=_("check points"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: what to check | method (现场/资料/远程) | basis | handling"),
    )
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def initial_from(version: ItemVersion) -> dict[str, Any]:
        return {
            "name": version.name,
            "act_kind": version.act_kind,
            "industries": version.industries,
            "levels": version.levels,
            "scope": version.scope,
            "division": version.division,
            "responsible_leader": version.responsible_leader,
            "handling_officer": version.handling_officer,
            "legal_basis": "\n".join(
                " | ".join(
                    [b.get("law", ""), b.get("article", ""), b.get("clause", ""), b.get("text", "")]
                )
                for b in version.legal_basis
            ),
            "check_points": "\n".join(
                " | ".join([p.content, p.method, p.basis, p.handling])
                for p in version.check_points.all()
            ),
        }

    def clean_legal_basis(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["legal_basis"].splitlines():
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            if not parts[0]:
                continue
            if not parts[1]:
                raise forms.ValidationError(_("Each legal basis names a law and an article."))
            out.append({"law": parts[0], "article": parts[1], "clause": parts[2], "text": parts[3]})
        return out

    def clean_check_points(self) -> list[dict[str, str]]:
        out = []
        for number, line in enumerate(self.cleaned_data["check_points"].splitlines(), start=1):
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            if not parts[0]:
                continue
            method = _METHODS.get(parts[1])
            if method is None:
                raise forms.ValidationError(
                    _("Line %(n)d: the method is 现场, 资料 or 远程.") % {"n": number}
                )
            out.append(
                {"content": parts[0], "method": method, "basis": parts[2], "handling": parts[3]}
            )
        return out

    def values(self) -> ItemValues:
        d = self.cleaned_data
        return ItemValues(
            name=d["name"],
            act_kind=d["act_kind"],
            industries=d["industries"],
            levels=d["levels"],
            scope=d.get("scope", ""),
            division=d.get("division", ""),
            responsible_leader=d.get("responsible_leader", ""),
            handling_officer=d.get("handling_officer", ""),
            legal_basis=d["legal_basis"],
            check_points=d["check_points"],
        )
