"""Enforcement cases (案件, N3.6, N5.1, N5.2) and what hangs off them: the timeline, legal
reviews, collective deliberations, payments, and clue transfers between bureaus (N4.1).

Rows are changed only by the services in `services.py`; the database itself refuses a major
decision without a passed legal review of the current proposal, and a change of the proposal
after the notice (`triggers.py`, ADR 0008).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.cases.measures import PartyKind
from anjian.cases.states import CaseAction, CaseState
from anjian.core.clock import ClockDateTimeField
from anjian.core.crypto import EncryptedTextField
from anjian.core.scope import ScopedManager


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    REPORT = "report", _("Complaint or report")
    TRANSFER = "transfer", _("Transferred by another body")
    OTHER = "other", _("Other")


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", _("In person")
    RESIDENCE = "residence", _("Left at the address")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically, with consent")
    ENTRUSTED = "entrusted", _("Entrusted to another body")
    PUBLIC_NOTICE = "public_notice", _("By public announcement")


class Case(models.Model):
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The jurisdiction the case belongs to (data scope): the handling bureau's region.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    number = models.CharField(_("case number"), max_length=64)
    title = models.CharField(_("case name"), max_length=200)
    source = models.CharField(_("source"), max_length=16, choices=CaseSource.choices)
    findings = models.ManyToManyField(
        "inspections.Finding", verbose_name=_("findings"), blank=True, related_name="cases"
    )
    handlers = models.ManyToManyField(
        "accounts.User", verbose_name=_("case handlers"), related_name="+"
    )
    # The party: the entity itself (unit), or a natural person (protected data).
    party_kind = models.CharField(
        _("party"), max_length=16, choices=PartyKind.choices, default=PartyKind.UNIT
    )
    party_name = models.CharField(_("name of the natural person"), max_length=64, blank=True)
    # A natural person's ID number and address are sealed at rest (docs/security.md); nobody
    # searches cases by them.
    party_id_number = EncryptedTextField(_("ID number"), max_length=18, blank=True)
    # The natural person's own address (住址), which the decision prints; not the entity's.
    party_address = EncryptedTextField(
        _("address of the natural person"), max_length=200, blank=True
    )
    # 双罚 (parties.py, ADR 0011): a responsible person of the unit fined for the same fact has
    # their own proceedings, a row that shares the case's number and points to the unit's case
    # (`lead`); the lead's page lists them and the case closes when every party's has ended.
    lead = models.ForeignKey(
        "self",
        verbose_name=_("case of the unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_parties",
    )
    party_position = models.CharField(_("position in the unit"), max_length=64, blank=True)
    facts = models.TextField(_("facts"), blank=True)
    act_date = models.DateField(_("date of the act"))
    provisions = models.CharField(_("provisions violated"), max_length=500, blank=True)
    # The discretion (N5.1): the benchmark in force on the act date, the level it recommends,
    # and the whole calculation as the reviewer reads it.
    benchmark = models.ForeignKey(
        "catalog.DiscretionBenchmark",
        verbose_name=_("discretion benchmark"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    discretion_facts = models.JSONField(_("circumstances"), default=dict, blank=True)
    recommended_level = models.CharField(_("recommended level"), max_length=16, blank=True)
    discretion = models.JSONField(_("discretion calculation"), default=dict, blank=True)
    measures = models.JSONField(_("proposed measures"), default=list, blank=True)
    fine_amount = models.PositiveBigIntegerField(_("fine (yuan)"), default=0)
    confiscation_amount = models.PositiveBigIntegerField(_("confiscation (yuan)"), default=0)
    justification = models.TextField(_("justification outside the benchmark"), blank=True)
    grave = models.BooleanField(_("grave finding"), default=False)
    hearing_entitled = models.BooleanField(_("entitled to a hearing"), default=False)
    major = models.BooleanField(_("major decision"), default=False)
    major_reasons = models.JSONField(_("why major"), default=list, blank=True)
    # The handler's reasons of 行政处罚法 第五十八条 (legal_review.ReviewReason) for a legal
    # review whether or not the decision is "major", and what the handler wrote.
    review_reasons = models.JSONField(_("reasons for legal review"), default=list, blank=True)
    review_reason_note = models.TextField(_("why the case needs legal review"), blank=True)
    proposal_hash = models.CharField(_("proposal hash"), max_length=64, blank=True)
    # Set at a decision that imposes a penalty; unique, so the database itself refuses a second
    # penalty for the same fact (一事不再罚).
    penalty_fact_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.FILING
    )
    opened_on = models.DateField(_("opened on"))
    filed_on = models.DateField(pgettext_lazy("case", "filed on"), null=True, blank=True)
    notified_on = models.DateField(_("notice served on"), null=True, blank=True)
    statement_deadline = models.DateField(_("statement deadline"), null=True, blank=True)
    hearing_deadline = models.DateField(_("hearing request deadline"), null=True, blank=True)
    hearing_waived_on = models.DateField(_("hearing waived in writing on"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("hearing requested on"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    statement = models.TextField(_("statement and defence"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    service_method = models.CharField(
        _("service method"), max_length=16, choices=ServiceMethod.choices, blank=True
    )
    # The unpaid fine (execution.py): the written reminder, the surcharge frozen at the amount
    # due on a date, deferral or instalments approved on the party's request, the court.
    reminded_on = models.DateField(_("reminder served on"), null=True, blank=True)
    surcharge_amount = models.PositiveBigIntegerField(_("late-payment surcharge (yuan)"), default=0)
    surcharge_until = models.DateField(_("surcharge computed up to"), null=True, blank=True)
    payment_plan = models.JSONField(_("deferral or instalment plan"), default=dict, blank=True)
    court_applied_on = models.DateField(
        _("court enforcement applied for on"), null=True, blank=True
    )
    court_ruled_on = models.DateField(_("court ruling on"), null=True, blank=True)
    court_ruling = models.TextField(_("court ruling"), blank=True)
    # The handling period (行政处罚法 第六十条): days added by approved extensions; suspensions
    # are rows of CaseSuspension.
    extension_days = models.PositiveIntegerField(_("handling period extended by (days)"), default=0)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    # The party's enterprise account (enterprise app) reads the unit's own case once the party
    # has been told of it (the notice of the proposed penalty, or a decision on the spot): never
    # a responsible person's row (co-parties' personal data), nor a case still being filed.
    scope_entity_field = "entity_id"
    scope_entity_only = models.Q(lead__isnull=True, party_kind="unit") & (
        models.Q(notified_on__isnull=False) | models.Q(decided_on__isnull=False)
    )
    objects = ScopedManager["Case"]()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        constraints = [
            # A responsible person's proceedings carry the number of the case they belong to.
            models.UniqueConstraint(
                fields=["bureau", "number"],
                condition=models.Q(lead__isnull=True),
                name="case_unique_number",
            ),
            models.CheckConstraint(
                condition=models.Q(lead__isnull=True) | models.Q(party_kind="individual"),
                name="case_co_party_is_a_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(party_kind="individual") | ~models.Q(party_name=""),
                name="case_individual_named",
            ),
        ]
        indexes = [models.Index(fields=["region", "state"], name="case_region_state_idx")]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """The case's timeline: one row per step, never changed (the audit trail has each too)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=24)
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = ClockDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    def action_label(self) -> str:
        labels = dict(CaseAction.choices) | EVENT_LABELS
        return str(labels.get(self.action, self.action))


EVENT_LABELS = {
    "open": _("Opened"),
    "propose": _("Proposal set"),
    "review_submit": _("Submitted for legal review"),
    "hearing_waive": _("Hearing waived in writing"),
    "party_statement": _("Statement and defence sent by the party through its account"),
    "payment": _("Payment recorded"),
    "document": _("Document issued"),
    "review_request": _("Submitted for legal review for the reasons of article 58"),
    "seizure": _("Sealing up or seizure decided"),
    "seizure_extend": _("Sealing up or seizure extended"),
    "seizure_release": _("Sealing up or seizure released"),
    "period_extend": _("Handling period extended"),
    "period_suspend": _("Handling period suspended"),
    "period_resume": _("Handling period resumed"),
    "supply_stop": _("Power or explosives supply stopped (art. 70)"),
    "supply_release": _("Stop of power or explosives supply lifted"),
    "party_add": _("Responsible person added as a party"),
    "party_open": _("Proceedings against the responsible person opened"),
}


class CaseSuspension(models.Model):
    """A stop of the handling clock (中止, e.g. a hearing or a technical appraisal 鉴定): the days
    from `started_on` up to the day before `ended_on` do not count towards the 90 days."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    started_on = models.DateField(_("suspended from"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        verbose_name = _("suspension of the handling period")
        verbose_name_plural = _("suspensions of the handling period")

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_on}–{self.ended_on or ''}"


class SeizureKind(models.TextChoices):
    SEAL = "seal", _("Sealing up (查封)")
    SEIZE = "seize", _("Seizure (扣押)")


class Seizure(models.Model):
    """查封、扣押 of facilities, equipment or materials (安全生产法 第六十五条第一款第四项) as an
    administrative coercive measure (行政强制法 第二十五条): at most 30 days, extended once by
    at most 30 with the leadership's approval, ended by a release decision (coercion.py)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="seizures")
    kind = models.CharField(_("measure"), max_length=8, choices=SeizureKind.choices)
    items = models.TextField(_("facilities, equipment or materials"))
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    ends_on = models.DateField(_("ends on"))
    extended_by = models.PositiveSmallIntegerField(_("extended by (days)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    release_reason = models.TextField(_("reason for the release"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "decided_on", "id"]
        verbose_name = _("sealing up or seizure")
        verbose_name_plural = _("sealings up and seizures")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.decided_on}"


class ReviewResult(models.TextChoices):
    PENDING = "", _("Pending")
    PASS = "pass", _("Passed")
    RETURN = "return", _("Returned")


class LegalReview(models.Model):
    """A legal review (法制审核) of one proposal: the hash says which one it passed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    snapshot_hash = models.CharField(_("reviewed proposal hash"), max_length=64)
    file_hash = models.CharField(_("reviewed file hash"), max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    submitted_at = ClockDateTimeField(_("submitted"), auto_now_add=True)
    reviewer = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=ReviewResult.choices, blank=True, default=""
    )
    opinion = models.TextField(_("opinion"), blank=True)
    returned_to = models.CharField(max_length=20, blank=True)

    scope_region_field = "case__region_id"
    objects = ScopedManager["LegalReview"]()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")

    def __str__(self) -> str:
        return f"{self.case_id} {self.result or '-'}"


class Deliberation(models.Model):
    """Collective deliberation (集体讨论) by the bureau's leadership."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deliberations")
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    conclusion = models.TextField(_("conclusion"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("collective deliberation")
        verbose_name_plural = _("collective deliberations")

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class Payment(models.Model):
    """A payment of the fine (or confiscated amount), partial payments allowed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


class TransferStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RESULT_RETURNED = "result_returned", _("Result returned")


class ClueTransfer(models.Model):
    """A clue (线索) or a whole case sent to another bureau or an outside department (N4.1),
    with its receipt, acceptance and the result coming back."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    finding = models.ForeignKey(
        "inspections.Finding",
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    entity = models.ForeignKey(
        "entities.Entity", verbose_name=_("market entity"), on_delete=models.PROTECT
    )
    from_bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=pgettext_lazy("clue transfer", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("to bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_department = models.CharField(_("to department"), max_length=200, blank=True)
    whole_case = models.BooleanField(_("the whole case"), default=False)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.SENT
    )
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    answered_on = models.DateField(_("accepted or declined on"), null=True, blank=True)
    answer_note = models.TextField(_("note on acceptance"), blank=True)
    result_on = models.DateField(_("result returned on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    scope_region_field = "from_bureau__region_id"
    objects = ScopedManager["ClueTransfer"]()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("clue transfer")
        verbose_name_plural = _("clue transfers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_bureau__isnull=False) | ~models.Q(to_department=""),
                name="transfer_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_bureau_id} → {self.to_bureau_id or self.to_department}"


class SupplyKind(models.TextChoices):
    POWER = "power", _("Power supply (停止供电)")
    EXPLOSIVES = "explosives", _("Civil explosives supply (停止供应民用爆炸物品)")


class SupplyStop(models.Model):
    """安全生产法 第七十条: the entity refuses to execute a decision to stop production (停产停业、
    停止施工、停止使用相关设施或者设备) and there is a real danger of an accident; with the
    approval of the department's principal, the bureau notifies the supplier in writing to stop
    power or civil-explosives supply. A power cut is notified to the entity 24 hours ahead
    except in an emergency; the measure is lifted once the entity complies (supply_stop.py)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supply_stops")
    supply = models.CharField(_("supply stopped"), max_length=16, choices=SupplyKind.choices)
    supplier = models.CharField(_("supplier"), max_length=200)
    order = models.CharField(_("decision refused"), max_length=300)
    facts = models.TextField(_("refusal and real danger"))
    approved_by = models.CharField(_("approved by the principal"), max_length=64)
    decided_on = models.DateField(_("decided on"))
    effective_at = models.DateTimeField(_("supply stops at"))
    emergency = models.TextField(_("emergency without 24 hours' notice"), blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.TextField(_("reason for the release"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "decided_on", "id"]
        verbose_name = _("stop of power or explosives supply")
        verbose_name_plural = _("stops of power or explosives supply")

    def __str__(self) -> str:
        return f"{self.case_id} {self.supply} {self.decided_on}"
