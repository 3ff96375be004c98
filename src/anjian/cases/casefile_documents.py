"""The case file's documents (案卷文书, issue 19) built from the case: the ones the law ties to a
step are issued by that step (through `step_documents`, called from the steps' timeline
writers), the internal approval forms and the records are issued on demand from the case page
(`casefile_document_issue`), each when the case has reached the point the document records.

Issued at the step, in the step's transaction (a refused document refuses the step):
- 催告书 with the reminder (行政强制法 第三十五条), 加处罚款决定书 with the surcharge (第四十五条),
  延期（分期）缴纳罚款批准书 with the approved plan (行政处罚法 第六十六条), 强制执行申请书 with
  the application to the court (行政强制法 第五十五条);
- 查封扣押决定书 and 解除查封扣押决定书 with the seizure and its release (coercion.py);
- 案件移送书 with the transfer of the case (one letter naming every party: the co-parties'
  proceedings go with the unit's case and issue none of their own), and with each clue transfer
  (a clue of a case, or an inspection's finding: `clue_transfer_letter`, about the transfer);
- 立案审批表 with the leadership's approval of the filing, 结案审批表 with the closing of each
  party's proceedings (the unit's case and, under 双罚, each co-party's row); one of each kind
  per case: a valid one issued earlier on demand stands, and a second is refused (`ONE_PER_CASE`);
- the art. 70 supply-stop documents (supply_stop.py).
On demand: 案件处理呈批表 (and the two approval forms above where the step did not issue them, e.g.
after a revocation), 询问笔录, 陈述申辩笔录, 听证笔录 (records), 听证告知书, 听证通知书 (at least
seven days before the hearing, 行政处罚法 第六十四条第二项), 现场处理措施决定书.

Where the fine is paid, the reconsideration organ and the court come from the case's issued
decision (what the party was told), else from the bureau's document details.
Context keys: `src/anjian/documents/kinds_casefile.py`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.documents import (
    _basis,
    _party_address,
    _party_name,
    _provisions,
    evidence_list,
    penalty_text,
)
from anjian.cases.measures import PartyKind
from anjian.cases.models import Case, CaseSource, Seizure
from anjian.cases.states import (
    ENDED_STATES,
    PAYING_STATES,
    TRANSITIONS,
    CaseAction,
    CaseState,
)
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource

S = CaseState


def _issue(actor: Any, kind: str, case: Case, context: dict[str, Any], day: Any) -> Any:
    from anjian.documents.services import document_issue

    return document_issue(
        actor, kind=kind, bureau=case.bureau, subject=case, context=context, issued_on=day
    )


def decision_document(case: Case) -> Any:
    """The case's valid 行政处罚决定书, or None."""
    from anjian.documents.selectors import documents_for

    return documents_for(case).filter(kind="penalty_decision", status="valid").first()


def _decision_detail(case: Case, key: str) -> str:
    doc = decision_document(case)
    value = str((doc.context if doc else {}).get(key) or "").strip()
    return value or str(getattr(case.bureau, key, "") or "").strip()


def _required(value: str, key: str, label: Any) -> str:
    if not value:
        raise ServiceError.for_field(
            key,
            _(
                "The bureau's document details lack %(what)s; an administrator fills them in "
                "on the bureau's page."
            )
            % {"what": label},
        )
    return value


def _payment_place(case: Case) -> str:
    return _required(
        _decision_detail(case, "payment_place"), "payment_place", _("where fines are paid")
    )


def _decision_number(case: Case) -> str:
    return case.decision_number or "（未编号）"


def _party_kind(case: Case) -> str:
    return "person" if case.party_kind == PartyKind.INDIVIDUAL else "unit"


def handlers_with_certificates(case: Case, day: datetime.date) -> list[dict[str, str]]:
    """The case's handlers as documents name them: with a certificate valid on `day`."""
    from anjian.accounts.models import EnforcementCertificate

    out = []
    for user in case.handlers.order_by("username"):
        cert = (
            EnforcementCertificate.objects.filter(
                holder=user, revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day
            )
            .order_by("-valid_until")
            .first()
        )
        out.append(
            {
                "name": user.full_name or user.username,
                "certificate_number": cert.number if cert else "",
            }
        )
    return out


# --- at the steps -----------------------------------------------------------------------------


def _reminder(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    from anjian.cases.execution import REMINDER_DAYS, amount_paid

    return _issue(actor, "payment_reminder", case, {
        "party_name": _party_name(case),
        "decision_number": _decision_number(case),
        "served_on": case.served_on,
        "fine_amount": int(case.fine_amount),
        "unpaid": max(0, int(case.fine_amount) - amount_paid(case)),
        "payment_deadline": data["payment_deadline"],
        "payment_place": _payment_place(case),
        "reply_days": REMINDER_DAYS,
        "bureau_address": case.bureau.address,
        "contact_person": getattr(actor, "full_name", "") or "",
        "contact_phone": case.bureau.phone,
    }, data["reminded_on"])  # fmt: skip


def _surcharge(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    from anjian.cases.execution import payment_deadline

    return _issue(actor, "surcharge_decision", case, {
        "party_name": _party_name(case),
        "decision_number": _decision_number(case),
        "unpaid": data["base"],
        "payment_deadline": payment_deadline(case),
        "until": data["until"],
        "days": data["days"],
        "amount": data["amount"],
        "capped": bool(data["capped"]),
        "payment_place": _payment_place(case),
        "reminded_on": case.reminded_on.isoformat() if case.reminded_on else "",
        "reconsideration_organ": _decision_detail(case, "reconsideration_organ"),
        "court": _decision_detail(case, "court"),
    }, data["decided_on"])  # fmt: skip


def _instalments(actor: Any, case: Case, data: dict[str, Any], note: str) -> Any:
    plan = data["plan"]
    return _issue(actor, "payment_deferral", case, {
        "party_name": _party_name(case),
        "decision_number": _decision_number(case),
        "requested_on": plan["requested_on"],
        "unpaid": sum(int(p["amount"]) for p in plan["parts"]),
        "parts": plan["parts"],
        "reason": note,
        "payment_place": _payment_place(case),
    }, datetime.date.fromisoformat(plan["approved_on"]))  # fmt: skip


def _court(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    from anjian.cases.execution import unpaid_fine

    individual = case.party_kind == PartyKind.INDIVIDUAL
    return _issue(actor, "enforcement_application", case, {
        "court": _required(_decision_detail(case, "court"), "court", _("people's court")),
        "respondent": _party_name(case),
        "respondent_address": _party_address(case),
        "respondent_representative": "" if individual else case.entity.legal_representative,
        "applicant_address": case.bureau.address,
        "decision_number": _decision_number(case),
        "decided_on": case.decided_on,
        "served_on": case.served_on,
        "penalty": penalty_text(case),
        "unpaid": unpaid_fine(case),
        "surcharge": int(case.surcharge_amount),
        "reminded_on": case.reminded_on,
    }, data["applied_on"])  # fmt: skip


def _items(text: str) -> list[str]:
    return [line.strip() for line in text.replace("；", "\n").splitlines() if line.strip()]


def _seized(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    seizure = Seizure.objects.get(pk=data["seizure"], case=case)
    return _issue(actor, "seizure_decision", case, {
        "party_name": _party_name(case),
        "party_address": _party_address(case),
        "measure": "查封" if seizure.kind == "seal" else "扣押",
        "reason": seizure.reason,
        "items": _items(seizure.items),
        "decided_on": seizure.decided_on,
        "ends_on": seizure.ends_on,
        "reconsideration_organ": _decision_detail(case, "reconsideration_organ"),
        "court": _decision_detail(case, "court"),
    }, seizure.decided_on)  # fmt: skip


def _released(actor: Any, case: Case, data: dict[str, Any]) -> Any:
    from anjian.documents.selectors import documents_for

    seizure = Seizure.objects.get(pk=data["seizure"], case=case)
    decision = next(
        (
            d
            for d in documents_for(case).filter(kind="seizure_decision", status="valid")
            if d.context.get("decided_on") == seizure.decided_on.isoformat()
            and d.context.get("items") == _items(seizure.items)
        ),
        None,
    )
    return _issue(actor, "seizure_release", case, {
        "party_name": _party_name(case),
        "measure": "查封" if seizure.kind == "seal" else "扣押",
        "items": _items(seizure.items),
        "decided_on": seizure.decided_on,
        "released_on": seizure.released_on,
        "reason": seizure.release_reason,
        "decision_number": decision.number if decision else "",
    }, seizure.released_on)  # fmt: skip


# One valid document of each of these kinds per case (a revoked one may be replaced).
ONE_PER_CASE = frozenset({"filing_approval", "closing_approval"})


def valid_document(case: Case, kind: str) -> Any:
    """The case's valid document of `kind`, or None."""
    from anjian.documents.selectors import documents_for

    return documents_for(case).filter(kind=kind, status="valid").first()


def _filing_approved(actor: Any, case: Case, note: str) -> Any:
    """立案审批表 at the approval: the handlers' request as opened, the leadership's approval."""
    if valid_document(case, "filing_approval") is not None:
        return None
    day = case.filed_on or clock.today()
    values = {
        "handler_opinion": "当事人涉嫌违反安全生产法律、法规，符合立案条件，建议立案调查",
        "approval": note.strip() or "同意立案",
    }
    return _issue(
        actor, "filing_approval", case, _context("filing_approval", actor, case, values, day), day
    )


def execution_summary(case: Case) -> str:
    """执行情况 of the closing form, from the case's own record."""
    from anjian.cases._common import amount_paid
    from anjian.documents.layout import date_cn

    paid = amount_paid(case)
    parts = []
    if case.court_ruled_on:
        applied = f"于{date_cn(case.court_applied_on)}" if case.court_applied_on else ""
        parts.append(
            f"当事人逾期不履行，本机关{applied}申请人民法院强制执行，人民法院于"
            f"{date_cn(case.court_ruled_on)}作出裁定：{case.court_ruling.strip() or '见裁定书'}"
        )
    elif case.executed_on:
        parts.append(f"处罚决定已于{date_cn(case.executed_on)}执行完毕")
    else:
        parts.append("处罚决定已执行完毕")
    if paid:
        parts.append(f"已缴纳罚没款{paid:,}元")
    if case.surcharge_amount:
        parts.append(f"含加处罚款{int(case.surcharge_amount):,}元")
    return "，".join(parts)


def _closed(actor: Any, case: Case, note: str) -> Any:
    """结案审批表 at the closing of one party's proceedings."""
    if valid_document(case, "closing_approval") is not None:
        return None
    day = case.closed_on or clock.today()
    values = {
        "execution": execution_summary(case),
        "handler_opinion": "本案已执行完毕，建议结案",
        "approval": note.strip() or "同意结案",
    }
    return _issue(
        actor, "closing_approval", case, _context("closing_approval", actor, case, values, day), day
    )


def _transferred(actor: Any, case: Case, data: dict[str, Any], note: str) -> Any:
    materials = ["立案审批表"]
    records = {f.record_id: f.record for f in case.findings.select_related("record")}
    materials += [f"{r.number}现场检查记录" for r in records.values() if r.number]
    materials += [e for e in evidence_list(case) if e not in materials and "现场检查记录" not in e]
    # Under 双罚 the letter names every party whose proceedings go with the case.
    persons = [
        f"{p.party_name}（{p.party_position}）" if p.party_position else p.party_name
        for p in case.co_parties.exclude(state__in=list(ENDED_STATES)).order_by("pk")
    ]
    party = _party_name(case) + (f"及其{'、'.join(persons)}" if persons else "")
    return _issue(actor, "case_transfer", case, {
        "to_organ": data.get("to_bureau") or data.get("to_department"),
        "case_number": case.number,
        "party_name": party,
        "cause": case.title,
        "reason": note,
        "materials": materials,
        "contact_person": getattr(actor, "full_name", "") or "",
        "contact_phone": case.bureau.phone,
    }, clock.today())  # fmt: skip


def clue_transfer_letter(actor: Any, transfer: Any) -> Any:
    """案件移送书 of a clue transfer (线索移送, transfers.clue_transfer_send): a clue found in a
    case that goes on here, or an inspection's finding; about the transfer row, in the sending
    bureau's name and number series."""
    from anjian.documents.services import document_issue

    case, finding = transfer.case, transfer.finding
    if case is not None:
        clue, number, party, cause = "case", case.number, _party_name(case), case.title
        materials = evidence_list(case)
    else:
        assert finding is not None
        record = finding.record
        clue, number, party = "finding", record.number, transfer.entity.name
        cause = finding.description
        materials = [f"{record.number}现场检查记录"] if record.number else []
    return document_issue(
        actor,
        kind="case_transfer",
        bureau=transfer.from_bureau,
        subject=transfer,
        issued_on=transfer.sent_on,
        context={
            "to_organ": transfer.to_bureau.name if transfer.to_bureau else transfer.to_department,
            "case_number": number,
            "party_name": party,
            "cause": cause,
            "reason": transfer.reason,
            "materials": materials,
            "contact_person": getattr(actor, "full_name", "") or "",
            "contact_phone": transfer.from_bureau.phone,
            "clue": clue,
        },
    )


def step_documents(
    *, actor: Any, case: Case, code: str, data: dict[str, Any], note: str = ""
) -> Any:
    """The document a step issues, if any: called by the steps' timeline writers
    (_common._record, execution._write) after the step's own row and audit event."""
    if code == "cases.execution.reminded":
        return _reminder(actor, case, data)
    if code == "cases.execution.surcharge_decided":
        return _surcharge(actor, case, data)
    if code == "cases.execution.instalments_approved":
        return _instalments(actor, case, data, note)
    if code == "cases.execution.court_applied":
        return _court(actor, case, data)
    if code == "cases.coercion.seized":
        return _seized(actor, case, data)
    if code == "cases.coercion.released":
        return _released(actor, case, data)
    if code == f"cases.case.{CaseAction.TRANSFER}":
        if case.lead_id is not None:  # a co-party goes with the unit's letter
            return None
        return _transferred(actor, case, data, note)
    if code == f"cases.case.{CaseAction.APPROVE}":
        return _filing_approved(actor, case, note)
    if code == f"cases.case.{CaseAction.CLOSE}":
        return _closed(actor, case, note)
    return None


# --- on demand from the case page ---------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    name: str
    label: Any
    type: str = "text"  # text | textarea | lines | qa | datetime | date | bool
    required: bool = True


OPEN = frozenset(s for s in S if s not in ENDED_STATES)
AFTER_NOTICE = frozenset(
    {S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.DELIBERATION, S.AWAITING_DECISION, S.DECIDED}
)
# After the notice, to the end of execution: a record or form of that stage may be put on file
# later (the hearing record only where a hearing was asked for).
LATER = AFTER_NOTICE | PAYING_STATES | {S.COURT_RULED, S.EXECUTED}
CLOSABLE = frozenset(TRANSITIONS[CaseAction.CLOSE][0]) | {S.CLOSED}


@dataclass(frozen=True)
class OnDemand:
    kind: str
    states: frozenset[str]
    fields: tuple[FormField, ...]
    capability: str = Capability.CASES_HANDLE


F = FormField
ON_DEMAND: dict[str, OnDemand] = {
    d.kind: d
    for d in (
        OnDemand("filing_approval", frozenset(s for s in S if s != S.NOT_FILED), (
            F("handler_opinion", _("handler's opinion"), "textarea"),
            F("division_opinion", _("division's opinion"), "textarea", False),
            F("approval", _("leader's approval"), "textarea", False),
        )),
        OnDemand("case_handling_approval", LATER, (
            F("handler_opinion", _("handler's opinion"), "textarea"),
            F("review_opinion", _("legal review opinion"), "textarea", False),
            F("deliberation", _("collective deliberation opinion"), "textarea", False),
            F("approval", _("leader's approval"), "textarea", False),
        )),
        OnDemand("hearing_rights_notice", frozenset({S.NOTIFIED}), ()),
        OnDemand("hearing_notice", frozenset({S.HEARING}), (
            F("hearing_at", _("hearing date and time"), "datetime"),
            F("place", _("place")),
            F("presiding", _("presiding officer")),
            F("members", _("hearing members"), required=False),
            F("clerk", _("clerk")),
            F("public", _("public hearing"), "bool", False),
        )),
        OnDemand("hearing_record", LATER, (
            F("started_at", _("started at"), "datetime"),
            F("finished_at", _("finished at"), "datetime"),
            F("place", _("place")),
            F("presiding", _("presiding officer")),
            F("members", _("hearing members"), required=False),
            F("clerk", _("clerk")),
            F("investigators", _("case investigators")),
            F("attendees", _("the party and its representatives")),
            F("proceedings", _("record (one paragraph per line)"), "lines"),
            F("public", _("public hearing"), "bool", False),
        )),
        OnDemand("statement_record", LATER, (
            F("speaker", _("who stated")),
            F("speaker_position", _("position"), required=False),
            F("at", _("date and time"), "datetime"),
            F("place", _("place")),
            F("statement", _("statement and defence"), "textarea"),
            F("recorder", _("recorder"), required=False),
        )),
        OnDemand("interview_record", OPEN - {S.FILING}, (
            F("person", _("person interviewed")),
            F("person_id_number", _("ID number"), required=False),
            F("person_unit", _("employer"), required=False),
            F("person_position", _("position"), required=False),
            F("person_phone", _("telephone"), required=False),
            F("started_at", _("started at"), "datetime"),
            F("finished_at", _("finished at"), "datetime"),
            F("place", _("place")),
            F("questions", _("questions and answers (问：/答： lines)"), "qa"),
            F("recorder", _("recorder"), required=False),
        )),
        OnDemand("onsite_measures", OPEN - {S.FILING}, (
            F("inspected_on", _("inspected on"), "date"),
            F("problems", _("hazards found (one per line)"), "lines"),
            F("measures", _("measures taken"), "textarea"),
        )),
        OnDemand("closing_approval", CLOSABLE, (
            F("execution", _("how the decision was executed"), "textarea"),
            F("handler_opinion", _("handler's opinion"), "textarea"),
            F("approval", _("leader's approval"), "textarea", False),
        )),
    )
}  # fmt: skip

HEARING_NOTICE_DAYS = 7  # 行政处罚法 第六十四条第二项


def on_demand_for(viewer: Any, case: Case) -> list[str]:
    """The kinds `viewer` may issue on demand for `case` now."""
    if not getattr(viewer, "can", None) or not viewer.can(Capability.DOCUMENTS_ISSUE):
        return []
    if getattr(viewer, "bureau_id", None) != case.bureau_id:
        return []
    handler = case.handlers.filter(pk=viewer.pk).exists()
    return [
        k
        for k, d in ON_DEMAND.items()
        if case.state in d.states
        and viewer.can(d.capability)
        and (handler or d.capability != Capability.CASES_HANDLE)
        and not (k in ONE_PER_CASE and valid_document(case, k) is not None)
    ]


def _qa(text: str) -> list[dict[str, str]]:
    pairs: list[dict[str, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line[:2] in ("问：", "问:"):
            pairs.append({"question": line[2:].strip(), "answer": ""})
        elif line[:2] in ("答：", "答:") and pairs:
            pairs[-1]["answer"] = (pairs[-1]["answer"] + line[2:].strip()).strip()
        elif line and pairs:
            key = "answer" if pairs[-1]["answer"] else "question"
            pairs[-1][key] += line
    return [p for p in pairs if p["question"] and p["answer"]]


def form_values(kind: str, data: Any) -> dict[str, Any]:
    """The posted values of an on-demand form as context values; errors name the field."""
    spec = ON_DEMAND[kind]
    values: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for f in spec.fields:
        raw = data.get(f.name, "")
        if f.type == "bool":
            values[f.name] = str(raw) in ("1", "on", "true", "True")
            continue
        raw = str(raw or "").strip()
        if f.type == "lines":
            value: Any = [line.strip() for line in raw.splitlines() if line.strip()]
        elif f.type == "qa":
            value = _qa(raw)
        else:
            value = raw
        if f.required and not value:
            errors[f.name] = (
                _("Write each question after 问： and its answer after 答：.")
                if f.type == "qa"
                else _("This value is required.")
            )
        values[f.name] = value
    if errors:
        raise ServiceError.for_fields(errors)
    return values


def _context(
    kind: str, actor: Any, case: Case, v: dict[str, Any], day: datetime.date
) -> dict[str, Any]:
    party = _party_name(case)
    handlers = handlers_with_certificates(case, day)
    if kind == "filing_approval":
        return {
            "case_number": case.number,
            "cause": case.title,
            "party_name": party,
            "party_address": _party_address(case),
            "legal_representative": ""
            if case.party_kind == PartyKind.INDIVIDUAL
            else case.entity.legal_representative,
            "source": str(CaseSource(case.source).label),
            "found_on": case.opened_on,
            "summary": case.facts or case.title,
            "handlers": handlers,
            **v,
        }
    if kind == "case_handling_approval":
        return {
            "case_number": case.number,
            "cause": case.title,
            "party_name": party,
            "facts": case.facts,
            "evidence": evidence_list(case),
            "provisions_violated": _provisions(case),
            "basis": _basis(case),
            "proposed_penalty": penalty_text(case),
            "statement": case.statement,
            **v,
        }
    if kind == "hearing_rights_notice":
        from django.conf import settings

        if not case.hearing_entitled:
            raise Conflict(_("The proposed penalty gives no right to a hearing."))
        return {
            "party_name": party,
            "party_kind": _party_kind(case),
            "facts": case.facts,
            "provisions_violated": _provisions(case),
            "basis": _basis(case),
            "proposed_penalty": penalty_text(case),
            "hearing_days": settings.ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS,
            "bureau_address": case.bureau.address,
            "contact_phone": case.bureau.phone,
            "contact_person": getattr(actor, "full_name", "") or "",
        }
    if kind == "hearing_notice":
        at = datetime.datetime.fromisoformat(v["hearing_at"]) if v.get("hearing_at") else None
        if at is not None and (at.date() - day).days < HEARING_NOTICE_DAYS:
            raise ServiceError.for_field(
                "hearing_at",
                _("The party is notified at least %(days)s days before the hearing.")
                % {"days": HEARING_NOTICE_DAYS},
            )
        return {
            "party_name": party,
            "bureau_address": case.bureau.address,
            "contact_phone": case.bureau.phone,
            "contact_person": getattr(actor, "full_name", "") or "",
            **v,
        }
    if kind == "hearing_record":
        if not case.hearing_requested_on:
            raise Conflict(_("The party did not ask for a hearing."))
        return {"party_name": party, "cause": case.title, **v}
    if kind == "statement_record":
        return {"party_name": party, "inspectors": handlers, **v}
    if kind == "interview_record":
        return {"inspectors": handlers, **v}
    if kind == "onsite_measures":
        return {
            "entity_name": case.entity.name,
            "entity_address": case.entity.address,
            "inspected_on": v["inspected_on"],
            "problems": [{"description": p} for p in v["problems"]],
            "measures": v["measures"],
            "reconsideration_organ": _decision_detail(case, "reconsideration_organ"),
            "court": _decision_detail(case, "court"),
        }
    if kind == "closing_approval":
        return {
            "case_number": case.number,
            "cause": case.title,
            "party_name": party,
            "decision_number": case.decision_number,
            "outcome": penalty_text(case) or case.end_reason or "不予处罚",
            **v,
        }
    raise ServiceError.for_field("kind", _("Unknown document kind."))  # pragma: no cover


@transaction.atomic
def casefile_document_issue(
    *,
    actor: Any,
    case: Case,
    kind: str,
    values: dict[str, Any],
    source: str = AuditSource.WEB,
) -> Any:
    """Issue an on-demand document of the case (ON_DEMAND): the case's bureau, by those who
    take the case's steps, when the case is at a point the document can record."""
    from anjian.cases._common import _lock, _same_bureau

    spec = ON_DEMAND.get(kind)
    if spec is None:
        raise ServiceError.for_field("kind", _("This document is not issued from the case page."))
    actor_require(actor, spec.capability)
    actor_require_region(actor, case.region_id)
    case = _lock(case)
    _same_bureau(actor, case.bureau_id)
    if (
        not isinstance(actor, Actor)
        and spec.capability == Capability.CASES_HANDLE
        and not case.handlers.filter(pk=actor.pk).exists()
    ):
        raise NotPermitted(_("Only the case's handlers take this step."))
    if case.state not in spec.states:
        raise Conflict(
            _("The case is %(state)s; this document is not issued now.")
            % {"state": CaseState(case.state).label}
        )
    if kind in ONE_PER_CASE:
        issued = valid_document(case, kind)
        if issued is not None:
            from anjian.documents.models import DocumentKind

            raise Conflict(
                _("The case already has its %(kind)s (%(number)s); revoke it to issue another.")
                % {"kind": DocumentKind(kind).label, "number": issued.number}
            )
    day = clock.today()
    context = _context(kind, actor, case, values, day)
    return _issue(actor, kind, case, context, day)
