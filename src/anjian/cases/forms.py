"""Forms of the case pages: opening a case, the proposal (measures ladder in Chinese)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.cases.measures import MeasureKind, PartyKind
from anjian.cases.models import CaseSource
from anjian.cases.services import ProposalValues
from anjian.catalog.discretion import answers_of
from anjian.core.web import BootstrapFormMixin


class CaseOpenForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("case name"), max_length=200)
    source_kind = forms.ChoiceField(
        label=_("source"), choices=CaseSource.choices, initial=CaseSource.INSPECTION
    )
    handlers = forms.ModelMultipleChoiceField(
        label=_("case handlers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two officers with an enforcement certificate valid today."),
    )
    findings = forms.MultipleChoiceField(
        label=_("findings"), required=False, widget=forms.CheckboxSelectMultiple
    )
    act_date = forms.DateField(
        label=_("date of the act"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the earliest finding's date."),
    )
    facts = forms.CharField(label=_("facts"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, bureau: Any, findings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handlers: Any = self.fields["handlers"]
        handlers.queryset = User.objects.filter(bureau=bureau, is_active=True).order_by("username")
        handlers.label_from_instance = lambda u: u.full_name or u.username
        self.fields["findings"].choices = [  # type: ignore[attr-defined]
            (str(f.pk), f"{f.get_kind_display()}：{f.description[:60]}") for f in findings
        ]
        self.fields["findings"].initial = [str(f.pk) for f in findings]


class ProposalForm(BootstrapFormMixin, forms.Form):
    measures = forms.MultipleChoiceField(
        label=_("proposed measures"),
        choices=MeasureKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    fine_amount = forms.IntegerField(label=_("fine (yuan)"), min_value=0, required=False)
    confiscation_amount = forms.IntegerField(
        label=_("confiscation (yuan)"), min_value=0, required=False
    )
    benchmark_code = forms.CharField(
        label=_("benchmark code"),
        max_length=30,
        required=False,
        help_text=_(
            "Save once with the code: the benchmark's conditions are then asked below, and the "
            "tier follows from the answers."
        ),
    )
    justification = forms.CharField(
        label=_("justification outside the benchmark"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea({"rows": 3}))
    provisions = forms.CharField(label=_("provisions violated"), max_length=500, required=False)
    act_date = forms.DateField(
        label=_("date of the act"),
        # ISO, or the browser's date input shows nothing and the date is lost on saving.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    party_kind = forms.ChoiceField(label=_("party"), choices=PartyKind.choices)
    party_name = forms.CharField(
        label=_("name of the natural person"), max_length=64, required=False
    )
    party_id_number = forms.CharField(label=_("ID number"), max_length=24, required=False)
    party_address = forms.CharField(
        label=_("address of the natural person"), max_length=200, required=False
    )

    def __init__(self, *args: Any, asked: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """`asked`: catalog.discretion.questions_for of the benchmark code, whose questions
        and factors become fields (rendered from the benchmark's data)."""
        super().__init__(*args, **kwargs)
        asked = asked or {}
        self.asked_questions = list(asked.get("questions", []))
        self.asked_benchmarks = list(asked.get("benchmarks", []))
        order = list(self.fields)
        at = order.index("benchmark_code") + 1
        added: list[str] = []
        for q in self.asked_questions:
            name = f"q_{q['key']}"
            label = str(q.get("label", q["key"]))
            unit = str(q.get("unit", ""))
            field: forms.Field
            if q.get("kind") == "yes_no":
                field = forms.BooleanField(label=label, required=False)
            elif q.get("kind") == "share":
                field = forms.DecimalField(
                    label=f"{label}（{unit or '%'}）",
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                    help_text=_("Per cent of the staff concerned (0–100)."),
                )
            else:
                field = forms.IntegerField(
                    label=f"{label}（{unit}）" if unit else label, required=False, min_value=0
                )
            # Added after the mixin styled the class's fields.
            field.widget.attrs["class"] = (
                "form-check-input" if q.get("kind") == "yes_no" else "form-control"
            )
            self.fields[name] = field
            added.append(name)
        factors = list(asked.get("factors", []))
        if factors:
            self.fields["factors"] = forms.MultipleChoiceField(
                label=_("factors present"),
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                choices=[
                    (
                        f["name"],
                        f"{f['name']}（{_('aggravating') if f.get('effect') == 'aggravating' else _('mitigating')}）"  # noqa: E501
                        + (f"：{f['description']}" if f.get("description") else ""),
                    )
                    for f in factors
                ],
            )
            added.append("factors")
        self.order_fields(order[:at] + added + order[at:])

    def values(self) -> ProposalValues:
        d = self.cleaned_data
        answers: dict[str, Any] = {}
        for q in self.asked_questions:
            value = d.get(f"q_{q['key']}")
            if value is None or value == "":
                continue
            if q.get("kind") == "share":
                value = float(value)
            answers[q["key"]] = value
        return ProposalValues(
            measures=d["measures"],
            facts=d["facts"],
            provisions=d["provisions"],
            act_date=d["act_date"],
            party_kind=d["party_kind"],
            party_name=d["party_name"],
            party_id_number=d["party_id_number"],
            party_address=d["party_address"],
            benchmark_code=d["benchmark_code"],
            discretion_facts={"answers": answers, "factors": list(d.get("factors") or [])},
            fine_amount=d["fine_amount"] or 0,
            confiscation_amount=d["confiscation_amount"] or 0,
            justification=d["justification"],
        )


def proposal_initial(case: Any) -> dict[str, Any]:
    finding = case.findings.exclude(benchmark=None).select_related("benchmark").first()
    facts = case.discretion_facts or {}
    return {
        "measures": case.measures,
        "fine_amount": case.fine_amount or None,
        "confiscation_amount": case.confiscation_amount or None,
        "benchmark_code": case.benchmark.code
        if case.benchmark
        else (finding.benchmark.code if finding else ""),
        **{f"q_{k}": v for k, v in answers_of(facts).items()},
        "factors": list(facts.get("factors", [])),
        "justification": case.justification,
        "facts": case.facts,
        "provisions": case.provisions
        or (finding.legal_basis if finding else "")
        or (case.benchmark.legal_provision if case.benchmark else ""),
        "act_date": case.act_date or timezone.localdate(),
        "party_kind": case.party_kind,
        "party_name": case.party_name,
        "party_id_number": case.party_id_number,
        "party_address": case.party_address,
    }
