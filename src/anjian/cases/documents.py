"""The case's documents and publication, built from the case (see integration.py).

The notice (行政处罚告知书) and the decision (行政处罚决定书) need details the case does not
hold: the contact person (the officer issuing the notice), the bureau's address and telephone,
where the fine is paid, the reconsideration organ and the court. `document_details` takes them
from the bureau (`accounts.Bureau`, set by its administrator on the bureau's page); a `document`
dict passed to `case_notify` / `case_decide` wins key by key. When a detail the document prints
is still blank, the step is refused and the message names what to fill in.
Context keys: `src/anjian/documents/kinds.py`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from anjian.cases.measures import M, MeasureKind, PartyKind
from anjian.core.citations import law_citation
from anjian.core.errors import ServiceError

LONG_PUBLICATION = frozenset({M.SUSPENSION, M.LICENCE_REVOCATION, M.CLOSURE, M.LIFETIME_BAN})
# The 双公示 field 暂扣或吊销证照: the verb for the measures that take a licence away.
LICENCE_VERB = {M.SUSPENSION: "暂扣", M.LICENCE_REVOCATION: "吊销"}


def licence_text(case: Any) -> str:
    """暂扣或吊销证照名称及编号: the licences this decision suspended or revoked (the registry
    names the decision as their reason), e.g. 吊销安全生产许可证（编号）."""
    from django.utils import translation

    verbs = [LICENCE_VERB[m] for m in case.measures if m in LICENCE_VERB]
    if not verbs or not case.decision_number:
        return ""
    licences = case.entity.licences.filter(status_reason=case.decision_number).order_by("pk")
    with translation.override("zh-hans"):
        return "；".join(
            f"{verbs[-1]}{lic.get_licence_type_display()}（{lic.number}）" for lic in licences
        )


def publication_period_months(measures: Any) -> int:
    """How long the decision is shown (国家发改委令第58号): work-safety penalties at least a
    year; suspension, revocation, closure and bans three years; with several kinds the longest.
    ANJIAN_PUBLICATION_MIN_MONTHS only raises the floor, never above three years."""
    by_law = 36 if set(measures) & LONG_PUBLICATION else 12
    return min(36, max(by_law, settings.ANJIAN_PUBLICATION_MIN_MONTHS))


def penalty_text(case: Any) -> str:
    """The measures in words, e.g. 责令改正、罚款人民币40000元."""
    parts = []
    for m in case.measures:
        label = str(MeasureKind(m).label)
        if m == M.FINE:
            label = f"罚款人民币{case.fine_amount}元"
        elif m == M.CONFISCATION:
            label = f"没收违法所得人民币{case.confiscation_amount}元"
        parts.append(label)
    return "、".join(parts)


def _provisions(case: Any) -> str:
    return law_citation(
        case.provisions or (case.benchmark.legal_provision if case.benchmark else "")
    )


def _basis(case: Any) -> str:
    return law_citation(case.benchmark.penalty_basis if case.benchmark else "")


def evidence_list(case: Any) -> list[str]:
    """The evidence the decision lists (以上事实有……等证据为证): the inspection records its
    findings were found in, by number, then each piece of evidence kept on the case or its
    findings (询问笔录, 现场照片 …) by its caption, then the party's statement. Never the facts
    again: the sentence names the proof, not what it proves."""
    from anjian.cases.selectors import evidence_of

    items: list[str] = []
    lead = case.lead if case.lead_id else case  # a responsible person: the unit's file
    records = {f.record_id: f.record for f in lead.findings.select_related("record")}
    for record in sorted(records.values(), key=lambda r: r.pk):
        items.append(f"{record.number}现场检查记录" if record.number else "现场检查记录")
    for piece in evidence_of(case):
        if getattr(piece, "withdrawn_at", None):
            continue
        label = (piece.caption or piece.original_name.rsplit(".", 1)[0]).strip()
        if label and label not in items:
            items.append(label)
    if case.statement.strip():
        items.append("当事人的陈述申辩")
    return items or ["案件调查取证材料"]


def _party_address(case: Any) -> str:
    """A person's own 住址, never the entity's address; a unit's registered address."""
    if case.party_kind == PartyKind.INDIVIDUAL:
        return case.party_address
    return case.entity.address


def _party_name(case: Any) -> str:
    return case.party_name if case.party_kind == PartyKind.INDIVIDUAL else case.entity.name


# The document's context key -> the bureau's field it comes from.
BUREAU_DETAILS: dict[str, dict[str, str]] = {
    "penalty_notice": {"bureau_address": "address", "contact_phone": "phone"},
    "penalty_decision": {
        "payment_place": "payment_place",
        "reconsideration_organ": "reconsideration_organ",
        "court": "court",
    },
}
DETAIL_LABELS = {  # as accounts.Bureau names them
    "address": _("office address"),
    "phone": _("telephone"),
    "payment_place": _("where fines are paid"),
    "reconsideration_organ": _("reconsideration organ"),
    "court": _("people's court"),
}
CONTACT_PERSON = _("contact person (the officer's full name)")


def document_details(
    *, kind: str, actor: Any, case: Any, document: dict[str, Any] | None
) -> dict[str, Any]:
    """The details of the bureau the `kind` of document prints, with the caller's `document`
    winning key by key. Refused (`ServiceError`) when one is blank: the message names the
    bureau's missing details in the user's language."""
    bureau = case.bureau
    details = {key: getattr(bureau, attr) for key, attr in BUREAU_DETAILS[kind].items()}
    if kind == "penalty_notice":
        details["contact_person"] = getattr(actor, "full_name", "") or ""
    details.update(document or {})
    needed = [k for k in BUREAU_DETAILS[kind] if k != "payment_place" or case.fine_amount]
    missing = [
        str(DETAIL_LABELS[BUREAU_DETAILS[kind][k]])
        for k in needed
        if not str(details.get(k) or "").strip()
    ]
    if kind == "penalty_notice" and not str(details.get("contact_person") or "").strip():
        missing.append(str(CONTACT_PERSON))
    if missing:
        raise ServiceError(
            gettext(
                "The bureau's document details are incomplete: %(missing)s. An administrator "
                "fills them in on the bureau's page."
            )
            % {"missing": pgettext("list separator", ", ").join(missing)}
        )
    address = details.get("party_address") or _party_address(case)
    if kind == "penalty_decision" and not str(address).strip():
        if case.party_kind == PartyKind.INDIVIDUAL:
            raise ServiceError.for_field(
                "party_address",
                _("The decision prints the person's own address: record it with the proposal."),
            )
        raise ServiceError.for_field(
            "party_address",
            _("The decision prints the party's address: record the entity's address first."),
        )
    return details


def penalty_notice_issue(*, actor: Any, case: Any, document: dict[str, Any]) -> Any:
    from anjian.documents.services import document_issue

    context = {
        "party_name": _party_name(case),
        "party_kind": "person" if case.party_kind == PartyKind.INDIVIDUAL else "unit",
        "facts": case.facts,
        "provisions_violated": _provisions(case),
        "basis": _basis(case),
        "proposed_penalty": penalty_text(case),
        "hearing": case.hearing_entitled,
        "statement_days": settings.ANJIAN_CASE_STATEMENT_WORKING_DAYS,
        "hearing_days": settings.ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS,
        **document,
    }
    return document_issue(
        actor, kind="penalty_notice", bureau=case.bureau, subject=case, context=context,
        issued_on=case.notified_on,
    )  # fmt: skip


def penalty_decision_issue(*, actor: Any, case: Any, document: dict[str, Any]) -> Any:
    from anjian.documents.services import document_issue

    individual = case.party_kind == PartyKind.INDIVIDUAL
    context = {
        "party_name": _party_name(case),
        "party_kind": "person" if individual else "unit",
        "party_uscc": "" if individual else case.entity.uscc,
        "legal_representative": "" if individual else case.entity.legal_representative,
        "party_id_number": case.party_id_number if individual else "",
        "party_address": _party_address(case),
        # A responsible person fined with the unit (双罚, parties.py): the unit and position.
        "party_workplace": f"{case.entity.name}{case.party_position}" if case.lead_id else "",
        "facts": case.facts,
        "evidence": evidence_list(case),
        "provisions_violated": _provisions(case),
        "basis": _basis(case),
        "penalty": penalty_text(case),
        "fine_amount": case.fine_amount,
        "statement_summary": case.statement,
        **document,
    }
    return document_issue(
        actor, kind="penalty_decision", bureau=case.bureau, subject=case, context=context,
        issued_on=case.decided_on,
    )  # fmt: skip


def decision_publication_schedule(*, actor: Any, case: Any) -> Any:
    """执法公示 of the decision; a natural person's name is masked by the publication service,
    a unit's legal representative is not."""
    from anjian.publications.services import publication_schedule

    individual = case.party_kind == PartyKind.INDIVIDUAL
    fields = {
        "party_name": _party_name(case),
        "party_kind": "person" if individual else "unit",
        "party_uscc": "" if individual else case.entity.uscc,
        "legal_representative": "" if individual else case.entity.legal_representative,
        "penalty_kinds": "、".join(str(MeasureKind(m).label) for m in case.measures),
        "decision_number": case.decision_number,
        "violation": case.benchmark.violation if case.benchmark else "",
        "facts": case.facts,
        "basis": _basis(case),
        "penalty": penalty_text(case),
        "fine_amount": str(case.fine_amount),
        "confiscated_amount": str(case.confiscation_amount),
        "licence": licence_text(case),
        "decided_on": case.decided_on.isoformat(),
        "organ": case.bureau.name,
        "data_source": case.bureau.name,  # 数据来源单位: the deciding bureau reports its own
    }
    # A natural person party is masked; a unit's legal representative is published in full
    # (双公示 data standard; REFERENCE.md "Publication"), and mask_text's label rules do the rest.
    persons = [case.party_name] if individual else []
    return publication_schedule(
        actor,
        subject=case,
        bureau=case.bureau,
        kind="penalty_decision",
        decided_on=case.decided_on,
        fields=fields,
        persons=persons,
        period_months=publication_period_months(case.measures),
    )
