"""Writes of complaints and reports: intake from every channel, routing to the competent bureau,
the follow-up with the receipt code, and the desk's steps (accept, refuse, transfer, assign,
merge duplicates, escalate). Handling (inspection, case, result) is in `handling.py`, rewards in
`rewards.py`, the exposure page in `exposure.py`.

Protection (docs/complaints.md): nothing here receives the request. The views pass the report's
values, never the client's address or agent; the audit events carry codes, states, dates and
staff names, never what the reporter wrote or who they are. The public actor is `PUBLIC`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from anjian.accounts.models import Bureau, User
from anjian.accounts.roles import Capability
from anjian.complaints import attachments, receipts, states
from anjian.complaints.models import (
    OPEN_STATES,
    Report,
    ReportAttachment,
    ReportChannel,
    ReportKind,
    ReportMessage,
    ReportState,
    ReportTransfer,
)
from anjian.core import clock, workdays
from anjian.core.choices import Industry
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require
from anjian.core.models import Region
from anjian.core.scope import region_ancestors
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.entities.models import Entity

PUBLIC = Actor(id=None, name="public")
_LEVEL_RANK = {"county": 0, "city": 1, "province": 2}
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class ReceiptRefused(ServiceError):
    code = "receipt_refused"
    status = 403
    default_message = _("The receipt number and code do not match.")


class ReceiptThrottled(ServiceError):
    code = "throttled"
    status = 429
    default_message = _("Too many wrong codes. Try again later.")


@dataclass(frozen=True)
class ReportValues:
    """What a report says, from any channel."""

    kind: str
    body: str
    place: str = ""
    occurred: str = ""
    entity: Entity | None = None
    entity_text: str = ""
    address: str = ""
    region_code: str = ""
    industry: str = ""
    anonymous: bool = True
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_id_number: str = ""
    reporter_is_employee: bool = False


# --- routing -----------------------------------------------------------------------------


def competent_bureau(region_code: str, industry: str = "") -> Bureau | None:
    """The bureau that handles a report about `region_code` in `industry`: the nearest active
    bureau at or above the level ANJIAN_COMPLAINT_ROUTING names for the industry (county unless
    named), going up where a level has no bureau on the platform."""
    wanted = _LEVEL_RANK[settings.ANJIAN_COMPLAINT_ROUTING.get(industry, "county")]
    chain = region_ancestors(region_code)
    if not chain:
        return None
    found: dict[str, Bureau] = {}
    for bureau in Bureau.objects.filter(region_id__in=chain, is_active=True).order_by("id"):
        found.setdefault(bureau.region_id, bureau)
    for code in chain:
        candidate = found.get(code)
        if candidate is not None and _LEVEL_RANK.get(candidate.level, 0) >= wanted:
            return candidate
    return None


def _bureau_above(bureau: Bureau) -> Bureau | None:
    for code in region_ancestors(bureau.region_id)[1:]:
        above = Bureau.objects.filter(region_id=code, is_active=True).order_by("id").first()
        if above is not None:
            return above
    return None


# --- duplicates --------------------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", str(text or "").lower())
    return {t[i : i + 2] for i in range(len(t) - 1)} or ({t} if t else set())


def text_similarity(a: str, b: str) -> int:
    """Character-bigram Jaccard similarity in percent (Chinese has no spaces to split on)."""
    ga, gb = _bigrams(a), _bigrams(b)
    if not ga or not gb:
        return 0
    return round(100 * len(ga & gb) / len(ga | gb))


def duplicate_original(report: Report) -> tuple[Report, int] | None:
    """The earlier report this one repeats, with the similarity: the same entity (or, without
    one, the same region and industry), arrived within ANJIAN_COMPLAINT_DUPLICATE_DAYS, not
    refused, itself no duplicate, its text at least ANJIAN_COMPLAINT_DUPLICATE_SIMILARITY %
    similar. Bodies are sealed, so the few candidates are opened and compared here."""
    since = report.received_on - datetime.timedelta(days=settings.ANJIAN_COMPLAINT_DUPLICATE_DAYS)
    qs = Report.objects.filter(received_on__gte=since, duplicate_of__isnull=True).exclude(
        pk=report.pk
    )
    qs = qs.exclude(state=ReportState.REJECTED)
    if report.entity_id:
        qs = qs.filter(entity_id=report.entity_id)
    else:
        qs = qs.filter(entity__isnull=True, region_id=report.region_id, industry=report.industry)
    best: tuple[Report, int] | None = None
    threshold = settings.ANJIAN_COMPLAINT_DUPLICATE_SIMILARITY
    text = f"{report.entity_text} {report.body}"
    for candidate in qs.order_by("received_at", "id")[:50]:
        score = text_similarity(text, f"{candidate.entity_text} {candidate.body}")
        if score >= threshold and (best is None or score > best[1]):
            best = (candidate, score)
    return best


# --- intake ------------------------------------------------------------------------------


def _values_check(values: ReportValues) -> tuple[str, str]:
    """Refuse bad values naming each field; answer the region code and the industry."""
    errors: dict[str, Any] = {}
    if values.kind not in ReportKind.values:
        errors["kind"] = _("Choose what kind of problem it is.")
    if len(values.body.strip()) < 10:
        errors["body"] = _("Describe what is wrong in at least 10 characters.")
    elif len(values.body) > 5000:
        errors["body"] = _("At most 5,000 characters.")
    for name in ("place", "occurred", "entity_text", "address"):
        if len(getattr(values, name)) > 500:
            errors[name] = _("At most 500 characters.")
    region_code, industry = values.region_code, values.industry
    if values.entity is not None:
        region_code = values.entity.region_id
        industry = industry or values.entity.industry
    elif not values.entity_text.strip():
        errors["entity_text"] = _("Name the unit, or choose it from the register.")
    if industry and industry not in Industry.values:
        errors["industry"] = _("Choose one of the listed values.")
    region = Region.objects.filter(code=region_code, statistical_only=False).first()
    if region is None:
        errors["region"] = _("Choose the county or district where it happens.")
    if not values.anonymous:
        if not values.reporter_name.strip():
            errors["reporter_name"] = _("A named report needs the reporter's name.")
        if not _PHONE.match(values.reporter_phone.strip().replace(" ", "")):
            errors["reporter_phone"] = _("Give a mobile number of 11 digits or a landline.")
        if values.reporter_id_number and not ric.is_valid(values.reporter_id_number.strip()):
            errors["reporter_id_number"] = _("This is not a valid resident ID number.")
    if errors:
        raise ServiceError.for_fields(errors)
    return region_code, industry


@transaction.atomic
def report_receive(
    *,
    actor: Any,
    values: ReportValues,
    channel: str,
    files: Sequence[Any] = (),
    source: str = AuditSource.WEB,
) -> tuple[Report, str]:
    """Take a report in, route it, and answer it with its receipt code (shown once).

    From the public page the actor is PUBLIC; an officer recording a call, a letter or a visit
    needs COMPLAINTS_RECEIVE; another platform's account COMPLAINTS_FORWARD."""
    if actor is not PUBLIC:
        if channel == ReportChannel.FORWARDED:
            actor_require(actor, Capability.COMPLAINTS_FORWARD)
        else:
            actor_require(actor, Capability.COMPLAINTS_RECEIVE)
    if channel not in ReportChannel.values or (actor is PUBLIC and channel != ReportChannel.WEB):
        raise ServiceError.for_field("channel", _("Choose one of the listed values."))
    region_code, industry = _values_check(values)
    if len(files) > settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES:
        raise ServiceError.for_field(
            "files",
            _("At most %(count)s files.")
            % {"count": settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES},
        )
    checked = [attachments.file_check(f) for f in files]
    bureau = competent_bureau(region_code, industry)
    if bureau is None:
        raise ServiceError.for_field("region", _("No bureau on the platform serves this region."))
    code = receipts.receipt_code_new()
    today = clock.today()
    named = not values.anonymous
    report = Report(
        code_hash=receipts.code_hash(code),
        channel=channel,
        kind=values.kind,
        anonymous=not named,
        reporter_name=values.reporter_name.strip() if named else "",
        reporter_phone=values.reporter_phone.strip() if named else "",
        reporter_id_number=values.reporter_id_number.strip().upper() if named else "",
        reporter_is_employee=values.reporter_is_employee,
        entity=values.entity,
        entity_text=values.entity_text.strip(),
        address=values.address.strip(),
        body=values.body.strip(),
        place=values.place.strip(),
        occurred=values.occurred.strip(),
        region_id=region_code,
        industry=industry,
        bureau=bureau,
        recorded_by=None if isinstance(actor, Actor) else actor,
        received_on=today,
        accept_due=workdays.workdays_after(today, settings.ANJIAN_COMPLAINT_ACCEPT_WORKDAYS),
    )
    for _attempt in range(5):  # a receipt number collision (50 bits) is all but impossible
        report.receipt_id = receipts.receipt_id_new()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            break
        except IntegrityError:
            report.pk = None
    else:  # pragma: no cover
        raise ServiceError(_("The report could not be saved; please send it again."))
    _files_store(report, checked)
    audit_record(
        actor=actor,
        action="complaints.report.received",
        obj=report,
        region=bureau.region_id,
        changes={
            "channel": channel,
            "kind": values.kind,
            "anonymous": not named,
            "bureau": bureau.name,
            "region": region_code,
            "industry": industry,
            "attachments": len(checked),
            "accept_due": report.accept_due,
        },
        source=source,
    )
    found = duplicate_original(report)
    if found is not None:
        original, score = found
        _duplicate_link(SYSTEM_LINKER, report, original, score, source=AuditSource.SYSTEM)
    return report, code


SYSTEM_LINKER = Actor(id=None, name="system")


def _files_store(report: Report, checked: Iterable[attachments.CheckedFile]) -> None:
    for f in checked:
        name = attachments.sealed_write(f.data)
        ReportAttachment.objects.create(
            report=report,
            stored_name=name,
            name=f.name,
            content_type=f.content_type,
            size=len(f.data),
        )


# --- the reporter's follow-up --------------------------------------------------------------


def report_by_receipt(*, receipt_id: str, code: str, client: str) -> Report:
    """The report a receipt number and code open, or a refusal. Wrong codes count against the
    number and the client (receipts.py); past the limit nothing is checked at all."""
    number = receipts.receipt_id_normalise(receipt_id)
    if receipts.attempts_blocked(number or "-", client):
        raise ReceiptThrottled()
    report = Report.objects.filter(receipt_id=number).first() if number else None
    if not receipts.code_verify(report.code_hash if report else None, code):
        receipts.attempt_failed(number or "-", client)
        raise ReceiptRefused(fields={"code": [_("The receipt number and code do not match.")]})
    assert report is not None
    return report


@transaction.atomic
def report_follow_up_record(*, report: Report) -> None:
    """The reporter read the answers (audited as the public, with nothing about the client)."""
    audit_record(
        actor=PUBLIC,
        action="complaints.report.followed_up",
        obj=report,
        region=report.bureau.region_id,
        changes={"state": report.state},
    )


@transaction.atomic
def report_supplement(
    *, report: Report, text: str, files: Sequence[Any] = (), source: str = AuditSource.WEB
) -> ReportMessage:
    """The reporter adds information (text and files) to their report."""
    text = text.strip()
    errors: dict[str, Any] = {}
    if not text and not files:
        errors["text"] = _("Write what you want to add, or attach a file.")
    if len(text) > 5000:
        errors["text"] = _("At most 5,000 characters.")
    if len(files) > settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES:
        errors["files"] = _("At most %(count)s files.") % {
            "count": settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES
        }
    if report.state == ReportState.REJECTED:
        errors["text"] = _("This report was not accepted; send a new report instead.")
    if errors:
        raise ServiceError.for_fields(errors)
    checked = [attachments.file_check(f) for f in files]
    message = ReportMessage.objects.create(
        report=report, author=ReportMessage.Author.REPORTER, body=text or "—"
    )
    _files_store(report, checked)
    audit_record(
        actor=PUBLIC,
        action="complaints.report.supplemented",
        obj=report,
        region=report.bureau.region_id,
        changes={"attachments": len(checked)},
        source=source,
    )
    return message


# --- the desk's steps ----------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _desk_check(actor: Any, report: Report) -> None:
    """The desk of the report's bureau (or of the bureau it was escalated to) acts on it."""
    if isinstance(actor, Actor):
        return
    if not actor.can(Capability.COMPLAINTS_RECEIVE):
        raise NotPermitted()
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise NotFound()
    if not actor.is_superuser and actor.bureau_id not in (report.bureau_id, report.escalated_to_id):
        raise NotPermitted(_("Only the desk of the competent bureau acts on this report."))


def _state_check(report: Report, step: str) -> None:
    if report.state not in states.allowed_from(step):
        raise ServiceError(
            _("Not possible while the report is “%(state)s”.")
            % {"state": report.get_state_display()},
            code="invalid_state",
        )


def _tell(report: Report, actor: Any, text: str) -> None:
    ReportMessage.objects.create(
        report=report,
        author=ReportMessage.Author.BUREAU,
        body=text,
        written_by=None if isinstance(actor, Actor) else actor,
    )


def _event(actor: Any, report: Report, action: str, source: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"complaints.report.{action}",
        obj=report,
        region=report.bureau.region_id,
        changes=changes,
        source=source,
    )


def handler_check(report: Report, handler: User) -> None:
    if handler.bureau_id != report.bureau_id or not handler.can(Capability.COMPLAINTS_HANDLE):
        raise ServiceError.for_field(
            "handler", _("Choose an officer of the competent bureau who handles reports.")
        )


@transaction.atomic
def report_accept(
    *, actor: Any, report: Report, handler: User, source: str = AuditSource.WEB
) -> Report:
    """Accept (受理) and assign; the handling period runs from today."""
    report = _lock(report)
    _desk_check(actor, report)
    _state_check(report, "accept")
    handler_check(report, handler)
    today = clock.today()
    report.state = states.target_of("accept")
    report.handler = handler
    report.accepted_on = today
    report.handle_due = today + datetime.timedelta(days=settings.ANJIAN_COMPLAINT_HANDLE_DAYS)
    report.save(update_fields=["state", "handler", "accepted_on", "handle_due"])
    _tell(
        report,
        actor,
        str(_("Your report has been accepted by %(bureau)s and will be handled by %(due)s."))
        % {"bureau": report.bureau.name, "due": report.handle_due.isoformat()},
    )
    _event(
        actor, report, "accepted", source, handler=handler.username, handle_due=report.handle_due
    )
    return report


@transaction.atomic
def report_reject(
    *, actor: Any, report: Report, reason: str, source: str = AuditSource.WEB
) -> Report:
    """Refuse to accept (不予受理), with the reason the reporter reads."""
    report = _lock(report)
    _desk_check(actor, report)
    _state_check(report, "reject")
    if len(reason.strip()) < 4:
        raise ServiceError.for_field("reason", _("Give the reason the reporter will read."))
    report.state = states.target_of("reject")
    report.refusal_reason = reason.strip()
    report.closed_on = clock.today()
    report.save(update_fields=["state", "refusal_reason", "closed_on"])
    _tell(
        report,
        actor,
        str(_("Your report was not accepted: %(reason)s")) % {"reason": reason.strip()},
    )
    _event(actor, report, "rejected", source)
    return report


@transaction.atomic
def report_transfer(
    *, actor: Any, report: Report, to_bureau: Bureau, reason: str, source: str = AuditSource.WEB
) -> Report:
    """Send the report to the bureau that is competent (转办), with the reason; the acceptance
    period starts again there."""
    report = _lock(report)
    _desk_check(actor, report)
    _state_check(report, "transfer")
    errors: dict[str, Any] = {}
    if not to_bureau.is_active or to_bureau.pk == report.bureau_id:
        errors["to_bureau"] = _("Choose another active bureau.")
    if len(reason.strip()) < 4:
        errors["reason"] = _("Say why the other bureau is competent.")
    if errors:
        raise ServiceError.for_fields(errors)
    from_bureau = report.bureau
    ReportTransfer.objects.create(
        report=report,
        from_bureau=from_bureau,
        to_bureau=to_bureau,
        reason=reason.strip()[:300],
        by=None if isinstance(actor, Actor) else actor,
    )
    today = clock.today()
    report.bureau = to_bureau
    report.state = states.target_of("transfer")
    report.handler = None
    report.accepted_on = None
    report.handle_due = None
    report.escalated_to = None
    report.escalated_on = None
    report.accept_due = workdays.workdays_after(today, settings.ANJIAN_COMPLAINT_ACCEPT_WORKDAYS)
    report.save(
        update_fields=[
            "bureau", "state", "handler", "accepted_on", "handle_due", "escalated_to",
            "escalated_on", "accept_due",
        ]
    )  # fmt: skip
    _tell(
        report,
        actor,
        str(_("Your report was passed to %(bureau)s, which is competent for it."))
        % {"bureau": to_bureau.name},
    )
    audit_record(
        actor=actor,
        action="complaints.report.transferred",
        obj=report,
        region=from_bureau.region_id,
        changes={"from": from_bureau.name, "to": to_bureau.name, "reason": reason.strip()},
        source=source,
    )
    return report


@transaction.atomic
def report_assign(
    *, actor: Any, report: Report, handler: User, source: str = AuditSource.WEB
) -> Report:
    report = _lock(report)
    _desk_check(actor, report)
    if report.state not in (ReportState.ACCEPTED, ReportState.HANDLING):
        _state_check(report, "handle")
    handler_check(report, handler)
    report.handler = handler
    report.save(update_fields=["handler"])
    _event(actor, report, "assigned", source, handler=handler.username)
    return report


def _duplicate_link(
    actor: Any, report: Report, original: Report, score: int, *, source: str
) -> None:
    root = original
    while root.duplicate_of_id:
        root = root.duplicate_of  # type: ignore[assignment]
    report.state = states.target_of("duplicate")
    report.duplicate_of = root
    report.save(update_fields=["state", "duplicate_of"])
    _tell(
        report,
        actor,
        str(
            _(
                "Your report concerns the same matter as report %(number)s, received earlier; "
                "it is handled with that report and you will read its result here."
            )
        )
        % {"number": root.receipt_id},
    )
    _event(actor, report, "duplicate_linked", source, original=root.receipt_id, similarity=score)


@transaction.atomic
def report_duplicate_link(
    *, actor: Any, report: Report, original: Report, source: str = AuditSource.WEB
) -> Report:
    """Merge a report into an earlier one about the same matter (not handled twice)."""
    report = _lock(report)
    _desk_check(actor, report)
    _state_check(report, "duplicate")
    if original.pk == report.pk or original.received_at > report.received_at:
        raise ServiceError.for_field("original", _("Choose an earlier report."))
    if not Report.objects.visible_to(actor).filter(pk=original.pk).exists() and not isinstance(
        actor, Actor
    ):
        raise ServiceError.for_field("original", _("Choose an earlier report."))
    _duplicate_link(
        actor, report, original, text_similarity(report.body, original.body), source=source
    )
    return report


@transaction.atomic
def report_duplicate_separate(
    *, actor: Any, report: Report, source: str = AuditSource.WEB
) -> Report:
    """Undo a merge the platform made wrongly: the report is handled on its own."""
    report = _lock(report)
    _desk_check(actor, report)
    _state_check(report, "separate")
    original = report.duplicate_of
    report.state = states.target_of("separate")
    report.duplicate_of = None
    report.save(update_fields=["state", "duplicate_of"])
    _event(actor, report, "separated", source, was=original.receipt_id if original else None)
    return report


@transaction.atomic
def reports_escalate(*, today: datetime.date | None = None, source: str = AuditSource.CLI) -> int:
    """Escalate to the bureau above every open report past its deadline by more than
    ANJIAN_COMPLAINT_ESCALATE_WORKDAYS working days, once. Its desk and leadership then see it."""
    from anjian.complaints.selectors import reports_overdue_all

    day = today or clock.today()
    grace = settings.ANJIAN_COMPLAINT_ESCALATE_WORKDAYS
    done = 0
    for report in reports_overdue_all(today=day).filter(escalated_to__isnull=True):
        due = report.accept_due if report.state == ReportState.RECEIVED else report.handle_due
        if due is None or workdays.workdays_between(due, day) <= grace:
            continue
        above = _bureau_above(report.bureau)
        if above is None:
            continue
        report.escalated_to = above
        report.escalated_on = day
        report.save(update_fields=["escalated_to", "escalated_on"])
        _event(
            SYSTEM_LINKER, report, "escalated", source, to=above.name, due=due, state=report.state
        )
        done += 1
    return done


def open_states() -> tuple[str, ...]:
    return tuple(str(s) for s in OPEN_STATES)


# --- reads that are recorded -----------------------------------------------------------------


@transaction.atomic
def report_read(*, actor: Any, report: Report, identity: bool = False) -> None:
    """Every opening of a report by an officer is audited (need to know); reading a named
    reporter's identity is a second event."""
    _event(actor, report, "viewed", AuditSource.WEB, state=report.state)
    if identity:
        _event(actor, report, "identity_viewed", AuditSource.WEB)


@transaction.atomic
def attachment_read(*, actor: Any, report: Report, attachment: ReportAttachment) -> None:
    _event(actor, report, "attachment_viewed", AuditSource.WEB, attachment=attachment.pk)
