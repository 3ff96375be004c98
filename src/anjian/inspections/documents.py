"""The inspection's enforcement documents, built from its records: the on-site inspection record
(现场检查记录) when a record is submitted, the correction order (责令限期整改指令书) when an order
is issued, and the re-inspection opinion (整改复查意见书) when a re-inspection is recorded.
Context keys: `src/anjian/documents/kinds.py`.

They are issued inside the step's transaction: a step whose document cannot be made does not
happen. A document is always issued in the name of the bureau that holds the record. Its own
staff issue it, and so does an inspector of a bureau under it who is on the record's team (a
county inspector drawn onto a province draw's task). When an officer of another bureau takes
the step without being on the team, no document is issued.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils import timezone

from anjian.core.citations import law_citation
from anjian.core.services import Actor

# 安全生产法 (2021) 第六十五条第一款: item (2) orders violations found corrected within a time
# limit, item (3) orders hazards found eliminated. The order cites the items its problems are.
CORRECTION_PROVISION = "《中华人民共和国安全生产法》第六十五条第一款第三项"
_CORRECTION_ITEMS = {"violation": "第二项", "hazard": "第三项"}


def correction_provision(kinds: Any) -> str:
    """The provision a correction order cites for findings of `kinds` (violation, hazard)."""
    present = set(kinds)
    items = [item for kind, item in _CORRECTION_ITEMS.items() if kind in present]
    if not items:
        return CORRECTION_PROVISION
    return "《中华人民共和国安全生产法》第六十五条第一款" + "、".join(items)


# A check point's answer as the record prints it: the document is Chinese whatever the language
# of the session that submits it.
ANSWER_TEXT = {
    "compliant": "符合",
    "hazard": "存在事故隐患",
    "violation": "存在违法行为",
    "not_applicable": "不适用",
}
_TRAILING = "。；;，,.?？ "


def _issuer(actor: Any, record: Any) -> str:
    """How `actor` issues the record's documents: "own" (the bureau's staff or the system),
    "team" (on the record's team, from a bureau under it), or "" (not at all)."""
    if not apps.is_installed("anjian.documents"):
        return ""
    if isinstance(actor, Actor) or actor.bureau_id == record.bureau_id:
        return "own"
    return "team" if record.inspectors.filter(pk=actor.pk).exists() else ""


def _inspectors(users: Any, day: Any) -> list[dict[str, str]]:
    from anjian.accounts.selectors import certificates_valid_on

    numbers = dict(certificates_valid_on(users, day).values_list("holder_id", "number"))
    return [
        {"name": u.full_name or u.username, "certificate_number": numbers.get(u.pk, "")}
        for u in users
    ]


def inspection_record_issue(*, actor: Any, record: Any, source: str) -> Any:
    issuer = _issuer(actor, record)
    if not issuer:
        return None
    from anjian.documents.services import document_issue
    from anjian.inspections.services.records import record_check_points

    day = timezone.localdate(record.started_at)
    # The check points in the order the record's page shows them, numbered once by the layout;
    # each finding is printed under the point it was found at (0: outside the checklist).
    answers = {a.check_point_id: a.answer for a in record.answers.all()}
    points = [p for p in record_check_points(record) if p.pk in answers]
    place = {p.pk: n for n, p in enumerate(points, 1)}
    checked = [
        f"{p.content.rstrip(_TRAILING)}。检查结果：{ANSWER_TEXT.get(answers[p.pk], '')}。"
        for p in points
    ]
    context = {
        "entity_name": record.entity.name,
        "entity_address": record.entity.address or record.place,
        "entity_uscc": record.entity.uscc,
        "legal_representative": record.entity.legal_representative,
        "place": record.place,
        "started_at": timezone.localtime(record.started_at).replace(tzinfo=None),
        "finished_at": timezone.localtime(record.finished_at).replace(tzinfo=None),
        "inspectors": _inspectors(list(record.inspectors.all()), day),
        "person_present": record.present_name,
        "person_present_position": record.present_post,
        "checked": checked,
        "findings": [
            {
                "description": f.description,
                "legal_basis": law_citation(f.legal_basis),
                "point": place.get(f.check_point_id or 0, 0),
            }
            for f in record.findings.order_by("pk")
        ],
        "recorder": getattr(actor, "full_name", "") or getattr(actor, "username", ""),
    }
    return document_issue(
        actor,
        kind="inspection_record",
        bureau=record.bureau,
        subject=record,
        context=context,
        issued_on=timezone.localdate(record.finished_at),
        # The number the record has carried since it was opened.
        reserved=(day.year, record.number_sequence) if record.number_sequence else None,
        team_member=issuer == "team",
        source=source,
    )


def correction_order_document_issue(*, actor: Any, order: Any, source: str) -> Any:
    record = order.record
    issuer = _issuer(actor, record)
    if not issuer:
        return None
    from anjian.documents.services import document_issue

    findings = list(order.findings.order_by("pk"))
    context = {
        "entity_name": record.entity.name,
        "entity_address": record.entity.address,
        "inspected_on": timezone.localdate(record.started_at),
        "problems": [
            {"description": f.description, "legal_basis": law_citation(f.legal_basis)}
            for f in findings
        ],
        "deadline": order.deadline,
        "provision": correction_provision(f.kind for f in findings),
        # The party's right to reconsideration or a lawsuit names the organ and court the
        # bureau set on its page (blank: the wording names none).
        "reconsideration_organ": record.bureau.reconsideration_organ,
        "court": record.bureau.court,
    }
    return document_issue(
        actor,
        kind="correction_order",
        bureau=record.bureau,
        subject=order,
        context=context,
        issued_on=order.issued_on,
        team_member=issuer == "team",
        source=source,
    )


def reinspection_opinion_issue(*, actor: Any, reinspection: Any, source: str) -> Any:
    order = reinspection.order
    record = order.record
    issuer = _issuer(actor, record)
    if not issuer:
        return None
    from anjian.documents.selectors import documents_for
    from anjian.documents.services import document_issue

    order_doc = documents_for(order).filter(kind="correction_order").first()
    passed = reinspection.result == "passed"
    context = {
        "entity_name": record.entity.name,
        "order_number": order_doc.number if order_doc else record.number,
        "order_issued_on": order.issued_on,
        "reinspected_on": reinspection.on,
        "results": [
            {"description": f.description, "result": "已整改" if passed else "未整改"}
            for f in order.findings.order_by("pk")
        ],
        "conclusion": reinspection.opinion,
        "inspectors": _inspectors(list(reinspection.inspectors.all()), reinspection.on),
    }
    return document_issue(
        actor,
        kind="reinspection_opinion",
        bureau=record.bureau,
        subject=reinspection,
        context=context,
        issued_on=reinspection.on,
        team_member=issuer == "team",
        source=source,
    )
