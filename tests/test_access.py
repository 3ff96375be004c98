"""Every page and API endpoint, tried by anonymous users, users without the role, permitted
users, and users of another county. Out of scope must answer 404 and change nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from anjian.accounts.models import EnforcementCertificate, RoleAssignment, User
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR, audit_record
from anjian.entities.models import Entity, Filing, ImportBatch, Licence

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Page:
    name: str
    target: str | None = None  # which object of the other county the URL names
    method: str = "get"
    data: dict | None = None
    public: bool = False
    any_user: bool = False  # any logged-in user, no capability needed
    kwargs: dict | None = None
    # Need to know (complaints): not even the province's administrator opens it unless it is
    # their bureau's or assigned to them (docs/complaints.md).
    need_to_know: bool = False
    # Roles the another-county actor also holds for this page, so that it reaches the object
    # lookup (a decision needs a bureau leader, a legal review a legal reviewer).
    roles: tuple[str, ...] = ()


LEADER = ("bureau_leader",)
ENTITY_FORM = {
    "name": "改名企业",
    "industry": "coal_mine",
    "region": "140525",
    "business_status": "operating",
}


PAGES = [
    Page("root", any_user=True),
    Page("accounts:login", public=True),
    Page("accounts:logout", method="post", public=True),
    Page("accounts:password_change", any_user=True),
    # The second factor: one's own enrolment and code page; an administrator's reset.
    Page("accounts:otp_enrol", any_user=True),
    Page("accounts:otp_verify", any_user=True),
    Page("accounts:user_otp_reset", target="user", method="post"),
    Page("accounts:home", any_user=True),
    Page("accounts:bureau_list"),
    Page("accounts:bureau_detail", target="bureau"),
    Page(
        "accounts:bureau_document_details",
        target="bureau",
        method="post",
        data={
            "address": "改址",
            "phone": "",
            "payment_place": "",
            "court": "",
            "reconsideration_organ": "",
        },
    ),
    Page("accounts:user_list"),
    Page("accounts:user_create"),
    Page("accounts:user_detail", target="user"),
    Page("accounts:user_roles", target="user", method="post", data={"roles": ["administrator"]}),
    Page("accounts:user_active", target="user", method="post", data={"active": "0"}),
    Page(
        "accounts:certificate_issue",
        target="user",
        method="post",
        data={
            "number": "X1",
            "issued_by": "x",
            "valid_from": "2026-01-01",
            "valid_until": "2027-01-01",
            "specialties": ["coal_mine"],
        },
    ),
    Page("accounts:certificate_list"),
    Page(
        "accounts:certificate_revoke", target="certificate", method="post", data={"reason": "test"}
    ),
    Page("core:audit_list"),
    Page("core:audit_detail", target="event"),
    Page("core:region_list"),
    Page("entities:entity_list"),
    Page("entities:entity_create"),
    Page("entities:entity_detail", target="entity"),
    Page("entities:entity_edit", target="entity", method="post", data=ENTITY_FORM),
    Page(
        "entities:licence_create",
        target="entity",
        method="post",
        data={"licence_type": "safety_production", "number": "N1", "valid_until": "2027-01-01"},
    ),
    Page(
        "entities:filing_create",
        target="entity",
        method="post",
        data={"activity": "emergency_plan", "filed_on": "2026-01-01"},
    ),
    Page("entities:import_upload"),
    Page("entities:import_detail", target="import_batch"),
    Page("entities:import_report", target="import_batch"),
    Page("entities:import_template", kwargs={"kind": "entities"}),
    Page("entities:licence_expiring"),
    Page("entities:filing_missing"),
    Page("portal:index", public=True),
    Page("catalog:item_list", public=True),
    Page("catalog:item_detail", public=True, kwargs={"code": "14000000000001"}),
    Page("catalog:benchmark_list", public=True),
    Page("catalog:standard_list", public=True),
    Page("catalog:item_version_new", kwargs={"code": "14000000000001"}),
    Page("catalog:benchmark_detail", public=True, kwargs={"code": "AQF-97-3"}),
    Page("catalog:item_new"),
    Page("catalog:benchmark_new"),
    Page("catalog:benchmark_version_new", kwargs={"code": "AQF-97-3"}),
    Page("catalog:standard_new"),
    Page("catalog:exemption_list", public=True),
    Page("catalog:exemption_new"),
    Page("catalog:exemption_withdraw", kwargs={"pk": 1}),
    Page("catalog:item_responsibility", kwargs={"code": "14000000000001"}),
    Page("catalog:standard_check_points", kwargs={"pk": 1}),
    Page("catalog:declaration_find"),
    Page(
        "catalog:declaration_new",
        target="entity",
        method="post",
        data={"new_code": "Q/ZZ 001-2024", "new_title": "企业标准", "declared_on": "2026-01-01"},
    ),
    Page("portal:audit_head", public=True),
    Page("cases:case_list"),
    Page("cases:case_new"),
    Page("cases:review_queue"),
    Page("cases:transfer_list"),
    Page("cases:transfer_detail", target="transfer"),
    Page("cases:transfer_step", target="transfer", method="post", data={"action": "receive"}),
    Page("cases:case_detail", target="case"),
    Page("cases:case_proposal", target="case", method="post", data={"measures": ["interview"]}),
    Page("cases:review_detail", target="case"),
    Page("cases:case_step", target="case_step", method="post", data={"note": "x"}),
    Page("cases:execution_list"),
    Page("cases:execution_step", target="case_step", method="post", data={"note": "x"}),
    Page("cases:casefile_pdf", target="case"),
    Page(
        "cases:casefile_issue",
        target="case_kind",
        method="post",
        data={"handler_opinion": "x"},
    ),
    Page("cases:supply_stop_step", target="case_step", method="post", data={"note": "x"}),
    Page(
        "cases:case_party_new",
        target="case",
        method="post",
        data={"name": "x", "id_number": "x", "address": "x", "position": "x"},
    ),
    Page("plans:plan_list"),
    Page("plans:plan_new", method="post", data={"year": 2027, "title": "x"}),
    Page("plans:coordination"),
    Page("plans:duplicate_entities", target="line_pair"),
    Page("plans:gap_entities", target="gap"),
    Page("plans:plan_detail", target="plan"),
    Page("plans:line_new", target="plan", method="post", data={"item": "1", "frequency": 1}),
    Page("plans:line_delete", target="plan_line", method="post"),
    Page("plans:plan_step", target="plan", method="post", data={"action": "submit"}),
    Page("inspections:task_list"),
    Page("inspections:task_new"),
    Page("inspections:task_assign_bulk"),
    Page("inspections:task_assign", target="task", method="post", data={"inspectors": ["1", "2"]}),
    Page("inspections:publication_list"),
    Page("inspections:task_publish", target="task", method="post", data={"outcome": "no_problem"}),
    Page("inspections:record_start", target="task", method="post", data={"place": "x"}),
    Page("inspections:record_list"),
    Page("inspections:record_detail", target="record"),
    Page(
        "inspections:record_answer",
        target="record",
        method="post",
        data={"check_point": "1", "answer": "compliant"},
    ),
    Page(
        "inspections:finding_add",
        target="record",
        method="post",
        data={"kind": "hazard", "severity": "general", "description": "x"},
    ),
    Page("inspections:finding_remove", target="finding", method="post"),
    Page("inspections:record_submit", target="record", method="post"),
    Page("inspections:order_issue", target="record", method="post", data={"deadline": "x"}),
    Page("inspections:order_detail", target="order"),
    Page(
        "inspections:order_report",
        target="order",
        method="post",
        data={"submitted_on": "2026-03-01", "text": "x"},
    ),
    Page(
        "inspections:order_reinspect",
        target="order",
        method="post",
        data={"on": "2026-03-01", "result": "passed", "opinion": "x"},
    ),
    Page("inspections:order_escalate", target="order", method="post"),
    Page("inspections:rectification_overdue"),
    Page("draws:draw_list"),
    Page("draws:draw_new"),
    Page("draws:item_list"),
    Page("draws:conflict_list"),
    Page("draws:joint"),
    Page("draws:draw_detail", target="draw"),
    Page("draws:draw_step", target="draw", method="post", data={"action": "run"}),
    Page("draws:draw_preview", target="draft_draw"),
    Page("draws:draw_redo", target="draw", method="post", data={"title": "x"}),
    Page("draws:draw_file", target="draw_file"),
    Page("draws:draw_export", target="drawn_draw"),
    Page("draws:portal_list", public=True),
    Page("draws:portal_detail", public=True, kwargs={"pk": 1}),
    Page("draws:portal_file", public=True, kwargs={"pk": 1, "kind": "directory"}),
    Page("draws:portal_record", public=True, kwargs={"pk": 1}),
    Page("publications:publication_list"),
    Page("publications:publication_detail", target="publication"),
    Page("publications:publication_publish", target="publication", method="post"),
    Page(
        "publications:publication_withdraw",
        target="publication",
        method="post",
        data={"reason": "x"},
    ),
    Page("publications:portal_list", public=True),
    Page("complaints:report_list"),
    Page("complaints:report_new"),
    Page("complaints:report_detail", target="report", need_to_know=True),
    Page(
        "complaints:report_step", target="report_step", method="post", data={"reason": "越权处理"}
    ),
    Page("complaints:attachment_download", target="report_file", need_to_know=True),
    Page("complaints:reward_list"),
    Page("complaints:reward_detail", target="reward", need_to_know=True),
    Page("complaints:reward_step", target="reward_step", method="post", data={"note": "越权"}),
    Page("complaints:exposure_list"),
    Page("complaints:exposure_withdraw", target="exposure", method="post", data={"reason": "越权"}),
    Page("complaints:portal_report", public=True),
    Page("complaints:portal_entity_search", public=True),
    Page("complaints:portal_follow_up", public=True),
    Page("complaints:portal_exposure", public=True),
    Page("complaints:portal_statistics", public=True),
    Page("auditlog:portal_checkpoints", public=True),
    # The enterprise side (docs/enterprise.md): the bureau's invitations on an entity, the
    # public activation page, and the enterprise's own pages (ENTERPRISE_SELF; another
    # entity's records answer 404: tests/enterprise/test_scope.py).
    Page("enterprise:entity_accounts", target="entity"),
    Page("enterprise:invitation_revoke", target="invitation", method="post"),
    Page("enterprise:activate", public=True),
    Page("enterprise:home"),
    Page("enterprise:member_list"),
    Page("enterprise:member_active", method="post", kwargs={"pk": 1}, data={"active": "0"}),
    Page("enterprise:inspection_list"),
    Page("enterprise:inspection_detail", kwargs={"pk": 1}),
    Page("enterprise:case_list"),
    Page("enterprise:case_detail", kwargs={"pk": 1}),
    Page("enterprise:document_list"),
    Page("enterprise:document_pdf", kwargs={"pk": 1}),
    Page("enterprise:credit"),
    Page("enterprise:order_report", method="post", kwargs={"pk": 1}, data={"text": "x"}),
    Page("enterprise:order_file", kwargs={"order_pk": 1, "pk": 1}),
    Page(
        "enterprise:case_answer",
        method="post",
        kwargs={"pk": 1, "action": "statement"},
        data={"text": "x"},
    ),
    Page("enterprise:credit_request", method="post", kwargs={"pk": 1}, data={"content": "x"}),
    Page("enterprise:service"),
    Page("enterprise:standards"),
    Page("enterprise:self_inspection_list"),
    Page("enterprise:self_inspection_new"),
    Page("enterprise:self_inspection_detail", kwargs={"pk": 1}),
    Page("enterprise:self_hazard_done", method="post", kwargs={"pk": 1}),
    Page(
        "enterprise:bureau_self_inspection",
        target="self_inspection",
        kwargs=None,
    ),
    Page("enterprise:document_confirm", method="post", kwargs={"pk": 1}),
    Page("auditlog:alerts"),
    Page("auditlog:alert_close", method="post", kwargs={"pk": 1}),
    Page("publications:portal_detail", public=True, kwargs={"pk": 1}),
    Page("documents:document_docx", target="document"),
    Page("documents:document_pdf", target="document"),
    Page("documents:document_revoke", target="document", method="post", data={"reason": "x"}),
    Page("documents:seal"),
    Page("documents:portal_lookup", public=True),
    Page("documents:portal_detail", public=True, kwargs={"code": "0000000000000000"}),
    Page("evidence:evidence_download", target="evidence"),
    Page(
        "evidence:evidence_withdraw", target="evidence", method="post", data={"reason": "mistake"}
    ),
    Page("evidence:evidence_upload", target="evidence_subject", method="post", data={}),
    Page(
        "inspections:task_done",
        target="task",
        method="post",
        data={"done_on": "2026-03-01", "record_number": "x"},
    ),
    # Credit supervision (issue 20): the officer's pages, scoped by the entity's county.
    Page("credit:overview"),
    Page("credit:caps"),
    Page("credit:under_inspected"),
    Page("credit:entity_credit", target="entity"),
    Page(
        "credit:record_propose",
        target="entity",
        method="post",
        data={"kind": "commendation", "title": "x", "occurred_on": "2026-01-01", "reason": "x"},
    ),
    Page(
        "credit:override_propose",
        target="entity",
        method="post",
        data={"grade": "A", "ends_on": "2026-12-31", "reason": "x"},
    ),
    Page(
        "credit:commitment_record",
        target="entity",
        method="post",
        data={"template": "compliance", "item": "x", "made_on": "2026-01-01"},
    ),
    Page(
        "credit:record_decide",
        target="credit_record",
        method="post",
        data={"decision": "approve"},
        roles=LEADER,
    ),
    Page(
        "credit:override_decide",
        target="override",
        method="post",
        data={"decision": "approve"},
        roles=LEADER,
    ),
    Page(
        "credit:override_end", target="override", method="post", data={"reason": "x"}, roles=LEADER
    ),
    Page(
        "credit:request_submit",
        target="credit_record",
        method="post",
        data={"kind": "objection", "applicant": "x", "content": "x"},
    ),
    Page(
        "credit:request_accept", target="credit_request", method="post", data={"decision": "accept"}
    ),
    Page(
        "credit:request_answer",
        target="credit_request",
        method="post",
        data={"decision": "grant", "outcome": "x"},
        roles=LEADER,
    ),
    Page("credit:listing_list"),
    Page("credit:listing_export"),
    Page("credit:listing_detail", target="listing"),
    Page(
        "credit:listing_review",
        target="listing",
        method="post",
        data={"decision": "pass", "opinion": "x"},
        roles=("legal_reviewer",),
    ),
    Page(
        "credit:listing_decide",
        target="listing",
        method="post",
        data={"decision": "list", "reconsideration_organ": "x", "court": "y"},
        roles=LEADER,
    ),
    Page(
        "credit:listing_remove", target="listing", method="post", data={"reason": "x"}, roles=LEADER
    ),
    # The public credit query and list: no login.
    Page("credit:portal_search", public=True),
    Page("credit:portal_detail", public=True, kwargs={"uscc": "91140000000000000X"}),
    Page("credit:portal_dishonesty", public=True),
    # The jobs page: the province's administrators only; any other administrator gets 404 for
    # a failed run, as for a record outside their scope.
    Page("jobs:job_list"),
    Page("jobs:job_start", method="post", kwargs={"name": "credit.nightly"}),
    Page("jobs:failure_detail", target="job_failure"),
    Page("jobs:failure_requeue", target="job_failure", method="post"),
    Page("jobs:failure_resolve", target="job_failure", method="post", data={"note": "x"}),
    # Accident reports (docs/accidents.md): the bureau's pages; the enterprise's own pages are
    # refused to staff (403) and scoped to the bound entity (tests/accidents/test_pages.py).
    Page("accidents:report_list"),
    Page("accidents:overdue_list"),
    Page("accidents:report_new"),
    Page("accidents:report_detail", target="accident"),
    Page("accidents:report_forward", target="accident", method="post"),
    Page("accidents:report_ministry", target="accident", method="post", data={"at": ""}),
    Page(
        "accidents:report_supplement",
        target="accident",
        method="post",
        data={"dead": "5", "injured": "0", "missing": "0", "note": "越权补报"},
    ),
    Page(
        "accidents:report_concealment",
        target="accident",
        method="post",
        data={"finding": "越权认定瞒报越权认定瞒报"},
    ),
    Page("accidents:my_list"),
    Page("accidents:my_new"),
    Page("accidents:my_detail", kwargs={"pk": 1}),
    Page("accidents:my_supplement", method="post", kwargs={"pk": 1}),
    # Annual safety reports (docs/annual-reports.md); the enterprise's pages are scoped to the
    # bound entity (tests/annualreports/test_annual_reports.py).
    Page("annualreports:report_list"),
    Page("annualreports:report_detail", target="annual_report"),
    Page("annualreports:my_list"),
    Page("annualreports:my_new"),
    Page("annualreports:my_detail", kwargs={"pk": 1}),
    Page("annualreports:portal_list", public=True),
    Page("annualreports:portal_detail", public=True, kwargs={"pk": 1}),
    # Industry associations (docs/associations.md): the bureau's register; the association's
    # own page (tests/associations/test_associations.py); the portal's conventions.
    Page("associations:association_list"),
    Page("associations:association_detail", target="association"),
    Page(
        "associations:member_add",
        target="association",
        method="post",
        data={"uscc": "x"},
    ),
    Page(
        "associations:account_bind",
        target="association",
        method="post",
        data={"username": "other_insp"},
    ),
    Page(
        "associations:member_remove",
        target="association_member",
        method="post",
        data={"reason": "越权移出会员"},
    ),
    Page(
        "associations:request_decide",
        target="association_request",
        method="post",
        data={"decision": "approve"},
    ),
    Page("associations:my_page"),
    Page("associations:my_request", method="post", data={"kind": "add", "uscc": "x"}),
    Page(
        "associations:my_convention_withdraw",
        method="post",
        data={"reason": "越权撤回"},
        kwargs={"pk": 1},
    ),
    Page("associations:portal_conventions", public=True),
    # The inbox: one's own notifications only (tests/notifications/test_notifications.py).
    Page("notifications:inbox", any_user=True),
    Page("notifications:open", method="post", any_user=True, kwargs={"pk": 1}),
    Page("notifications:read_all", method="post", any_user=True),
]


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace
                if ns in ("admin", "api") or str(p.pattern).startswith("i18n"):
                    continue
                walk(p.url_patterns, f"{prefix}{ns}:" if ns else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


# Every page is in the table above (the credit and jobs pages of issue 20 included).
COVERED_ELSEWHERE: set[str] = set()


def test_every_page_is_in_the_access_table() -> None:
    assert _named_urls() == {p.name for p in PAGES} | COVERED_ELSEWHERE


@pytest.fixture
def other(
    request: pytest.FixtureRequest,
    org: dict[str, User],
    make_certificate: Callable[..., EnforcementCertificate],
    make_entity: Callable[..., Entity],
    make_user: Callable[..., User],
    make_item: Callable[..., Any],
) -> dict:
    """Objects that belong to 泽州县 (140525), outside the county and city users' scope."""
    insp = org["other_county_inspector"]
    entity = make_entity("140525", name="泽州县测试煤业有限公司")
    plan, lines, task = _other_county_plan(org, make_user, make_item)
    record, finding, order = _other_county_inspection(task, insp)
    draw = _other_county_draw(make_user, make_item)
    case, transfer = _other_county_case(entity, insp)
    evidence = _other_county_evidence(request, entity)
    event = audit_record(
        actor=SYSTEM_ACTOR,
        action="test.other_county",
        object_type="t",
        object_id="1",
        region="140525",
        changes={},
    )
    return {
        "user": insp,
        "bureau": insp.bureau,
        "certificate": make_certificate(insp),
        "event": event,
        "entity": entity,
        "import_batch": ImportBatch.objects.create(
            kind="entities", file_name="x.csv", file_sha256="0" * 64, region_id="140525"
        ),
        "plan": plan,
        "plan_line": lines[0],
        "line_pair": lines,
        "gap": ("140525", "coal_mine"),
        "task": task,
        "record": record,
        "finding": finding,
        "order": order,
        "draw": draw,
        "draw_file": draw,
        "drawn_draw": _other_county_drawn_draw(draw),
        "draft_draw": _other_county_draft_draw(draw),
        "publication": _other_county_publication(insp.bureau, entity),
        "case": case,
        "case_step": case,
        "case_kind": case,
        "transfer": transfer,
        "document": _other_county_document(entity),
        "invitation": _other_county_invitation(entity),
        "self_inspection": _other_county_self_inspection(entity, make_item, insp),
        "evidence": evidence,
        "evidence_subject": entity,
        **_other_county_report(entity, case),
        "accident": _other_county_accident(entity, insp),
        "annual_report": _other_county_annual_report(entity),
        **_other_county_association(entity, insp),
        **_other_county_credit(entity, insp.bureau),
        "job_failure": _failed_job(),
    }


def _failed_job() -> Any:
    """A failed background job run: the province administrators' (rows written directly)."""
    from anjian.jobs.models import JobRun, RunStatus

    return JobRun.objects.create(name="credit.nightly", status=RunStatus.FAILED, error="boom")


def _other_county_credit(entity: Entity, bureau: Any) -> dict:
    """泽州县's credit: a record proposed by hand, an override proposed, an objection submitted
    and a serious-dishonesty listing proposed (rows written directly)."""
    import datetime

    from anjian.credit.models import (
        CreditRecord,
        CreditRequest,
        DishonestyListing,
        GradeOverride,
    )

    day = datetime.date(2026, 3, 2)
    record = CreditRecord.objects.create(
        entity=entity, region_id="140525", bureau=bureau, kind="accident_concealed",
        title="泽州县瞒报事故", occurred_on=day, weight=-40, status="proposed",
        counts_until=datetime.date(2029, 3, 2), reason="x",
    )  # fmt: skip
    active = CreditRecord.objects.create(
        entity=entity, region_id="140525", bureau=bureau, kind="penalty", title="泽州县处罚",
        occurred_on=day, weight=-10, counts_until=datetime.date(2029, 3, 2), public=True,
    )  # fmt: skip
    override = GradeOverride.objects.create(
        entity=entity, region_id="140525", grade="A", reason="x", status="approved",
        ends_on=datetime.date(2026, 12, 31),
    )  # fmt: skip
    request = CreditRequest.objects.create(
        kind="objection", record=active, entity=entity, region_id="140525", applicant="x",
        content="x", submitted_on=day, accept_due=day, status="accepted", answer_due=day,
    )  # fmt: skip
    listing = DishonestyListing.objects.create(
        entity=entity, region_id="140525", bureau=bureau, trigger="accident_concealed",
        record=active, facts="泽州县瞒报事故", status="listed", listed_on=day,
        ends_on=datetime.date(2029, 3, 2), removal_from=datetime.date(2027, 3, 2),
    )  # fmt: skip
    return {
        "credit_record": record,
        "override": override,
        "credit_request": request,
        "listing": listing,
    }


def _other_county_association(entity: Entity, inspector: User) -> dict:
    """泽州县's association with a member and a pending request to add one (rows written
    directly)."""
    from anjian.associations.models import Association, MemberRequest

    a = Association.objects.create(
        name="泽州县安全生产协会", code="51140525MJ0000000X", region_id="140525"
    )
    a.members.add(entity)
    request = MemberRequest.objects.create(
        association=a, kind="remove", entity=entity, reason="申请移出", requested_by=inspector
    )
    return {"association": a, "association_member": a, "association_request": request}


def _other_county_annual_report(entity: Entity) -> Any:
    from anjian.annualreports.models import AnnualReport

    return AnnualReport.objects.create(
        entity=entity, region_id="140525", year=2025, industry=entity.industry, values={}
    )


def _other_county_accident(entity: Entity, inspector: User) -> Any:
    """泽州县's major accident report, forwarded up to the province, which has to report it to the
    Ministry (rows written directly): the province sees it, 平鲁区, 朔州市 and 沁水县 do not."""
    import datetime

    from django.utils import timezone

    from anjian.accidents.models import AccidentReport, ChainStep
    from anjian.accounts.models import Bureau

    at = timezone.now() - datetime.timedelta(hours=3)
    report = AccidentReport.objects.create(
        entity=entity,
        region_id="140525",
        source="phone",
        accident_type="workplace",
        occurred_at=at,
        place="泽州县井下",
        dead=10,
        cause="x",
        measures="x",
        reporter_name="泽州报告人",
        reporter_phone="13900000000",
        recorded_by=inspector,
        level="major",
    )
    ChainStep.objects.create(
        report=report, level="county", bureau=inspector.bureau, received_at=at, forwarded_at=at
    )
    ChainStep.objects.create(
        report=report,
        level="province",
        bureau=Bureau.objects.get(region_id="140000"),
        received_at=at,
        due_at=at + datetime.timedelta(hours=2),
    )
    return report


def _other_county_invitation(entity: Entity) -> Any:
    """An invitation for 泽州县's entity, waiting for activation (written directly)."""
    import datetime

    from django.utils import timezone

    from anjian.enterprise.models import Invitation

    return Invitation.objects.create(
        entity=entity,
        position="principal",
        code_hash="$argon2id$x",
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )


def _other_county_self_inspection(entity: Entity, make_item: Callable, user: User) -> Any:
    """A self-inspection of 泽州县's entity (written directly)."""
    import datetime

    from anjian.enterprise.models import SelfInspection

    return SelfInspection.objects.create(
        entity=entity,
        item_version=make_item().versions.get(),
        inspected_on=datetime.date(2026, 3, 1),
        created_by=user,
        status="submitted",
    )


def _other_county_report(entity: Entity, case: Any) -> dict:
    """泽州县's report with a file, a reward proposed for it and an exposure entry (rows
    written directly)."""
    import datetime

    from anjian.complaints.models import ExposureEntry, Report, ReportAttachment, Reward

    report = Report.objects.create(
        receipt_id="JB-ZZZZZ-00001",
        code_hash="$argon2id$x",
        channel="web",
        kind="hazard",
        anonymous=False,
        reporter_name="泽州举报人",
        entity=entity,
        body="泽州县的举报内容",
        region_id="140525",
        bureau=case.bureau,
        received_on=datetime.date(2026, 3, 2),
        accept_due=datetime.date(2026, 3, 9),
        state="handled",
        outcome="substantiated",
    )
    attachment = ReportAttachment.objects.create(
        report=report, stored_name="0" * 40, name="x.jpg", content_type="image/jpeg", size=1
    )
    reward = Reward.objects.create(report=report, bureau=case.bureau, amount=3000, basis="x")
    entry = ExposureEntry.objects.create(
        bureau=case.bureau,
        case=case,
        title="泽州典型案例",
        party=entity.name,
        summary="泽州",
        published_on=datetime.date(2026, 3, 2),
    )
    return {
        "report": report,
        "report_step": report,
        "report_file": attachment,
        "reward": reward,
        "reward_step": reward,
        "exposure": entry,
    }


def _other_county_evidence(request: pytest.FixtureRequest, entity: Entity) -> Any:
    """A photo attached to 泽州县's entity (entities take evidence in tests only)."""
    from anjian.evidence.services import evidence_add
    from tests.evidence.subjects import JPEG, entity_subject_register, upload

    request.addfinalizer(entity_subject_register())
    return evidence_add(
        SYSTEM_ACTOR, upload=upload("现场.jpg", JPEG), subject=entity, region=entity.region_id
    )


def _other_county_inspection(task: Any, inspector: User) -> tuple:
    """泽州县's draft on-site record of its task, with a finding, and an open correction order
    (written directly: the access tests need the rows, not the procedure)."""
    import datetime

    from django.utils import timezone

    from anjian.inspections.models import CorrectionOrder, Finding, InspectionRecord

    record = InspectionRecord.objects.create(
        task=task,
        entity=task.entity,
        bureau=task.bureau,
        region_id="140525",
        number="（泽州县）应急现记〔2026〕1号",
        place="x",
        present_name="y",
        started_at=timezone.now(),
        created_by=inspector,
    )
    finding = Finding.objects.create(
        record=record,
        kind="hazard",
        severity="general",
        description="泽州县的隐患",
        fact_date=datetime.date(2026, 3, 1),
        created_by=inspector,
    )
    order = CorrectionOrder.objects.create(
        record=record,
        deadline=datetime.date(2026, 3, 10),
        issued_on=datetime.date(2026, 3, 1),
        issued_by=inspector,
    )
    order.findings.set([finding])
    return record, finding, order


def _other_county_document(entity: Entity) -> Any:
    """A penalty decision of 泽州县 about its entity: the row and its stored files, written
    directly (rendering real ones for every access test would only cost time)."""
    import datetime
    import hashlib

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from anjian.accounts.models import Bureau
    from anjian.documents.models import OfficialDocument
    from anjian.documents.storage import document_storage

    data = {"pdf": b"%PDF-1.7 test", "docx": b"PK test"}
    sha = {k: hashlib.sha256(v).hexdigest() for k, v in data.items()}
    names = {
        k: document_storage().save(f"test/{sha[k]}.{k}", ContentFile(v)) for k, v in data.items()
    }
    return OfficialDocument.objects.create(
        kind="penalty_decision",
        number="（晋晋泽）应急罚〔2026〕1号",
        year=2026,
        sequence=1,
        bureau=Bureau.objects.get(region_id="140525"),
        region_id="140525",
        subject_type=ContentType.objects.get_for_model(entity),
        subject_id=str(entity.pk),
        organ_name="晋城市泽州县应急管理局",
        check_url="/portal/documents/ZZZZZZZZZZZZZZZZ/",
        context={},
        docx_file=names["docx"],
        pdf_file=names["pdf"],
        docx_sha256=sha["docx"],
        pdf_sha256=sha["pdf"],
        docx_size=len(data["docx"]),
        pdf_size=len(data["pdf"]),
        verification_code="ZZZZZZZZZZZZZZZZ",
        issued_on=datetime.date(2026, 3, 5),
    )


def _other_county_case(entity: Entity, inspector: User) -> tuple:
    """泽州县's case under investigation and a clue it sent to 平鲁区 (rows written directly)."""
    import datetime

    from anjian.accounts.models import Bureau
    from anjian.cases.models import Case, ClueTransfer

    case = Case.objects.create(
        bureau=inspector.bureau,
        region_id="140525",
        entity=entity,
        number="泽州应急立〔2026〕1号",
        title="泽州县测试案",
        source="inspection",
        act_date=datetime.date(2026, 3, 1),
        opened_on=datetime.date(2026, 3, 2),
        state="investigating",
    )
    case.handlers.set([inspector])
    transfer = ClueTransfer.objects.create(
        case=case,
        entity=entity,
        from_bureau=inspector.bureau,
        to_bureau=Bureau.objects.filter(region_id="140500").first(),
        to_department="" if Bureau.objects.filter(region_id="140500").exists() else "晋城市公安局",
        reason="x",
        sent_on=datetime.date(2026, 3, 3),
        sent_by=inspector,
    )
    return case, transfer


def _publication_of(bureau: Any, entity: Entity) -> Any:
    from django.utils import timezone

    from anjian.publications.services import publication_schedule

    return publication_schedule(
        SYSTEM_ACTOR,
        subject=entity,
        bureau=bureau,
        kind="penalty_decision",
        decided_on=timezone.localdate(),
        fields={"party_name": entity.name, "party_uscc": entity.uscc, "decision_number": "罚1号"},
        period_months=12,
    )


def _other_county_publication(bureau: Any, entity: Entity) -> Any:
    """泽州县's penalty decision, scheduled for publication."""
    return _publication_of(bureau, entity)


def _other_county_draw(make_user: Callable, make_item: Callable) -> Any:
    """泽州县's committed draw (not yet run)."""
    import datetime

    from anjian.draws import services
    from anjian.draws.services import DrawValues

    head = make_user("140525", ["division_head"], username="zz_head")
    rc = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="泽州县抽查",
            items=[rc],
            inspection_from=datetime.date(2027, 3, 1),
            inspection_until=datetime.date(2027, 3, 31),
        ),
    )
    return services.draw_commit(actor=head, draw=draw)


def _own_county_draft_draw(org: dict, make_item: Callable) -> None:
    import datetime

    from anjian.draws import services
    from anjian.draws.services import DrawValues

    admin = org["county_admin"]
    RoleAssignment.objects.create(user=admin, role="division_head")
    rc = services.random_check_item_add(actor=admin, bureau=admin.bureau, item=make_item())
    services.draw_create(
        actor=admin,
        bureau=admin.bureau,
        values=DrawValues(
            title="平鲁区抽查",
            items=[rc],
            inspection_from=datetime.date(2027, 3, 1),
            inspection_until=datetime.date(2027, 3, 31),
        ),
    )


def _other_county_draft_draw(committed: Any) -> Any:
    """泽州县's draft draw (committable)."""
    import datetime

    from anjian.draws import services
    from anjian.draws.services import DrawValues

    head = committed.created_by
    return services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="泽州县抽查（草稿）",
            items=list(committed.items.all()),
            inspection_from=datetime.date(2027, 3, 1),
            inspection_until=datetime.date(2027, 3, 31),
        ),
    )


def _other_county_drawn_draw(committed: Any) -> Any:
    """A second draw of 泽州县, run (its result exportable)."""
    import datetime

    from anjian.draws import services
    from anjian.draws.services import DrawValues

    head = committed.created_by
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="泽州县抽查（已抽取）",
            items=list(committed.items.all()),
            inspection_from=datetime.date(2027, 3, 1),
            inspection_until=datetime.date(2027, 3, 31),
            default_ratio=10000,
        ),
    )
    return services.draw_run(actor=head, draw=services.draw_commit(actor=head, draw=draw))


def _other_county_plan(org: dict, make_user: Callable, make_item: Callable) -> tuple:
    """泽州县's issued 2026 plan with two divisions on the same item (a duplicate pair), a task,
    and a draft whose line can be removed."""
    from anjian.accounts.models import Division
    from anjian.inspections.models import InspectionTask
    from anjian.plans import services
    from anjian.plans.services import LineValues

    drafter = org["other_county_admin"]
    leader = make_user("140500", ["bureau_leader"], username="jc_leader")
    item = make_item()
    d1 = Division.objects.create(bureau=drafter.bureau, name="执法大队")
    d2 = Division.objects.create(bureau=drafter.bureau, name="安监股")
    issued = services.plan_create(
        actor=drafter, bureau=drafter.bureau, year=2026, title="泽州县计划"
    )
    pair = [
        services.plan_line_add(actor=drafter, plan=issued, values=LineValues(item=item, division=d))
        for d in (d1, d2)
    ]
    for actor, action in [(drafter, "submit"), (leader, "approve"), (drafter, "issue")]:
        services.plan_transition(actor=actor, plan=issued, action=action)
    draft = services.plan_create(
        actor=drafter, bureau=drafter.bureau, year=2027, title="泽州县草案"
    )
    line = services.plan_line_add(actor=drafter, plan=draft, values=LineValues(item=item))
    return draft, [line, *pair], InspectionTask.objects.order_by("pk").first()


def _url(page: Page, other: dict) -> str:
    if page.target is None:
        return reverse(page.name, kwargs=page.kwargs)
    obj = other[page.target]
    if page.target == "line_pair":
        return reverse(page.name, kwargs={"a": obj[1].pk, "b": obj[2].pk})
    if page.target == "gap":
        return reverse(page.name, kwargs={"region": obj[0], "category": obj[1]})
    if page.target == "draw_file":
        return reverse(page.name, kwargs={"pk": obj.pk, "kind": "directory"})
    if page.target == "evidence_subject":
        return reverse(
            page.name, kwargs={"subject_type": obj._meta.label_lower, "subject_id": obj.pk}
        )
    if page.target == "case_step":
        return reverse(page.name, kwargs={"pk": obj.pk, "action": "notify"})
    if page.target == "report_step":
        return reverse(page.name, kwargs={"pk": obj.pk, "action": "reject"})
    if page.target == "reward_step":
        return reverse(page.name, kwargs={"pk": obj.pk, "action": "refuse"})
    if page.target == "report_file":
        return reverse(page.name, kwargs={"pk": obj.report_id, "attachment_pk": obj.pk})
    if page.target == "case_kind":
        return reverse(page.name, kwargs={"pk": obj.pk, "kind": "filing_approval"})
    if page.target == "plan_line":
        return reverse(page.name, kwargs={"pk": obj.plan_id, "line_id": obj.pk})
    if page.target == "finding":
        return reverse(page.name, kwargs={"pk": obj.record_id, "finding_pk": obj.pk})
    if page.target == "association_member":
        return reverse(page.name, kwargs={"pk": obj.pk, "entity_pk": obj.members.get().pk})
    if page.target == "association_request":
        return reverse(page.name, kwargs={"pk": obj.association_id, "request_pk": obj.pk})
    if page.target == "self_inspection":
        return reverse(page.name, kwargs={"uscc": obj.entity.uscc, "pk": obj.pk})
    kwargs = {"pk": obj.pk}
    if page.target == "event":
        kwargs = {"seq": obj.seq}
    elif page.target == "entity":
        kwargs = {"uscc": obj.uscc}
    return reverse(page.name, kwargs=kwargs)


def _call(client, page: Page, url: str):
    if page.method == "post":
        return client.post(url, page.data or {})
    return client.get(url)


@pytest.mark.parametrize("page", [p for p in PAGES if not p.public], ids=lambda p: p.name)
def test_anonymous_is_sent_to_login(client, other, page: Page) -> None:
    response = _call(client, page, _url(page, other))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "page", [p for p in PAGES if not p.public and not p.any_user], ids=lambda p: p.name
)
def test_a_user_without_the_role_is_refused(org, other, login, page: Page) -> None:
    response = _call(login(org["no_role"]), page, _url(page, other))
    assert response.status_code in (403, 404)  # 404 when the object is out of scope anyway
    if page.target is None:
        assert response.status_code == 403


@pytest.mark.parametrize("page", [p for p in PAGES if p.target], ids=lambda p: p.name)
@pytest.mark.parametrize("who", ["county_admin", "city_admin", "neighbour_admin"])
def test_another_county_gets_404_and_changes_nothing(
    org, other, login, make_user, page: Page, who
) -> None:
    """'neighbour_admin' is of 沁水县, a county of the same city (晋城市) as the objects' 泽州县:
    a county's scope widened to its whole city would let it through, which users of another
    city alone never notice."""
    actor = make_user("140521", ["administrator"], username=who) if who not in org else org[who]
    roles_before = sorted(
        RoleAssignment.objects.filter(user=other["user"]).values_list("role", flat=True)
    )
    certs_before = EnforcementCertificate.objects.filter(holder=other["user"]).count()
    # the acting user also reads the audit trail and inspects, so every page is in reach of
    # their roles
    RoleAssignment.objects.create(user=actor, role="auditor")
    RoleAssignment.objects.create(user=actor, role="inspector")
    RoleAssignment.objects.create(user=actor, role="division_head")
    for role in page.roles:
        RoleAssignment.objects.create(user=actor, role=role)
    client = login(actor)  # logging in is itself recorded: count after it
    events_before = AuditEvent.objects.count()
    response = _call(client, page, _url(page, other))
    assert response.status_code == 404
    other["user"].refresh_from_db()
    other["certificate"].refresh_from_db()
    assert other["user"].is_active
    assert other["certificate"].revoked_at is None
    assert (
        sorted(RoleAssignment.objects.filter(user=other["user"]).values_list("role", flat=True))
        == roles_before
    )
    assert EnforcementCertificate.objects.filter(holder=other["user"]).count() == certs_before
    assert AuditEvent.objects.count() == events_before
    other["entity"].refresh_from_db()
    assert other["entity"].name == "泽州县测试煤业有限公司"
    other["plan"].refresh_from_db()
    assert other["plan"].status == "draft" and other["plan"].lines.count() == 1
    other["task"].refresh_from_db()
    assert other["task"].status == "open"
    other["record"].refresh_from_db()
    assert other["record"].status == "draft" and not other["record"].answers.exists()
    assert other["record"].findings.count() == 1
    other["order"].refresh_from_db()
    assert other["order"].status == "open" and not other["order"].reinspections.exists()
    other["draw"].refresh_from_db()
    assert other["draw"].status == "committed" and not other["draw"].redos.exists()
    other["publication"].refresh_from_db()
    assert other["publication"].status == "scheduled"
    assert not Licence.objects.exists() and not Filing.objects.exists()
    other["case"].refresh_from_db()
    assert other["case"].state == "investigating" and not other["case"].events.exists()
    other["transfer"].refresh_from_db()
    assert other["transfer"].status == "sent"
    other["document"].refresh_from_db()
    assert other["document"].status == "valid"
    other["evidence"].refresh_from_db()
    assert other["evidence"].withdrawn_at is None
    for key, field, value in (
        ("credit_record", "status", "proposed"),
        ("override", "status", "approved"),
        ("credit_request", "status", "accepted"),
        ("listing", "status", "listed"),
        ("job_failure", "status", "failed"),
    ):
        other[key].refresh_from_db()
        assert getattr(other[key], field) == value, key
    other["invitation"].refresh_from_db()
    assert other["invitation"].status == "pending"


@pytest.mark.parametrize(
    "name",
    [
        "accounts:bureau_list",
        "accounts:user_list",
        "accounts:certificate_list",
        "core:audit_list",
        "accounts:home",
        "plans:plan_list",
        "plans:coordination",
        "inspections:task_list",
        "draws:draw_list",
        "draws:item_list",
        "cases:case_list",
        "cases:transfer_list",
        "publications:publication_list",
        "credit:overview",
        "credit:listing_list",
        "credit:caps",
    ],
)
def test_lists_do_not_show_another_countys_records(org, other, login, name: str) -> None:
    other["user"].full_name = "泽州县的人"
    other["user"].save()
    admin = org["county_admin"]
    RoleAssignment.objects.create(user=admin, role="auditor")
    client = login(admin)
    content = client.get(reverse(name)).content.decode()
    assert "泽州县的人" not in content
    assert "other_insp" not in content
    assert other["certificate"].number not in content
    assert "test.other_county" not in content
    assert "泽州县应急管理局" not in content


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if p.target and p.method == "get" and not p.need_to_know],
    ids=lambda p: p.name,
)
def test_permitted_users_above_the_county_see_it(org, other, login, page: Page) -> None:
    RoleAssignment.objects.create(user=org["province_admin"], role="auditor")
    response = login(org["province_admin"]).get(_url(page, other))
    assert response.status_code == 200


# --- API ----------------------------------------------------------------------------------

API_DETAIL = {
    "/api/users/{user}": "user",
    "/api/bureaus/{bureau}": "bureau",
    "/api/certificates/{certificate}": "certificate",
    "/api/audit/events/{event}": "event",
    "/api/entities/{entity}": "entity",
    "/api/plans/{plan}": "plan",
    "/api/inspections/records/{record}": "record",
    "/api/cases/{case}": "case",
    "/api/cases/{case}/execution": "case",
    "/api/cases/{case}/casefile": "case",
    "/api/cases/{case}/parties": "case",
    "/api/draws/{draw}": "draw",
    "/api/draws/{drawn_draw}/selections": "drawn_draw",
}
API_WRITES = {
    "/api/users/{user}/certificates": {
        "number": "Y1",
        "issued_by": "x",
        "valid_from": "2026-01-01",
        "valid_until": "2027-01-01",
        "specialties": ["coal_mine"],
    },
    "/api/certificates/{certificate}/revoke": {"reason": "x"},
    "/api/plans/{plan}/lines": {"item_code": "14000000100001"},
    "/api/plans/{plan}/steps": {"action": "submit"},
    "/api/tasks/{task}/done": {"done_on": "2026-03-01", "record_number": "x"},
    "/api/tasks/{task}/inspectors": {"inspectors": ["county_insp", "other_insp"]},
    "/api/inspections/records/{record}/answers": {
        "answers": [{"check_point_id": 1, "answer": "compliant"}]
    },
    "/api/inspections/records/{record}/findings": {
        "kind": "hazard",
        "severity": "general",
        "description": "x",
    },
    "/api/inspections/records/{record}/submit": {},
    "/api/cases/{case}/proposal": {"measures": ["interview"]},
    "/api/cases/{case}/steps": {"action": "notify"},
    "/api/cases/{case}/execution": {"action": "remind"},
    "/api/cases/{case}/casefile": {"kind": "filing_approval", "values": {"handler_opinion": "x"}},
    "/api/cases/{case}/supply-stops": {
        "supply": "power",
        "supplier": "x",
        "order": "x",
        "facts": "x",
        "approved_by": "x",
        "effective_at": "2030-01-01T09:00",
    },
    "/api/cases/{case}/supply-stops/release": {"stop_id": 1, "reason": "x"},
    "/api/cases/{case}/parties": {"name": "x", "id_number": "x", "address": "x", "position": "x"},
    "/api/draws/{draw}/run": {},
    "/api/draws/{draft_draw}/commit": {},
    "/api/draws/{draft_draw}/abandon": {"reason": "x"},
    "/api/draws/{draw}/redo": {
        "title": "x",
        "items": [1],
        "inspection_from": "2027-03-01",
        "inspection_until": "2027-03-31",
        "redo_reason": "x",
    },
}
API_LISTS = [
    "/api/users",
    "/api/bureaus",
    "/api/certificates",
    "/api/audit/events",
    "/api/entities",
    "/api/plans",
    "/api/tasks",
    "/api/cases",
    "/api/case-time-limits",
    "/api/publications",
    "/api/draws",
    "/api/random-check-items",
]


def _api_url(template: str, other: dict) -> str:
    out = template
    for key, obj in other.items():
        if f"{{{key}}}" not in out:
            continue
        value = {"event": "seq", "entity": "uscc"}.get(key, "pk")
        out = out.replace(f"{{{key}}}", str(getattr(obj, value)))
    return out


def test_every_api_path_is_in_the_access_table() -> None:
    from anjian.api import api

    schema = api.get_openapi_schema()
    paths = set(schema["paths"])
    public = {"/api/regions", "/api/audit/head"}
    covered = {
        p.replace("{user}", "{user_id}")
        .replace("{bureau}", "{bureau_id}")
        .replace("{certificate}", "{certificate_id}")
        .replace("{event}", "{seq}")
        .replace("{entity}", "{uscc}")
        .replace("{plan}", "{plan_id}")
        .replace("{task}", "{task_id}")
        .replace("{record}", "{record_id}")
        .replace("{case}", "{case_id}")
        .replace("{drawn_draw}", "{draw_id}")
        .replace("{draft_draw}", "{draw_id}")
        .replace("{draw}", "{draw_id}")
        for p in [*API_DETAIL, *API_WRITES, *API_LISTS]
    }
    covered |= {"/api/me", "/api/users", "/api/entities", "/api/plans"} | public
    # Aggregates over the caller's own scope (tested in tests/plans/test_views.py).
    covered |= {"/api/plans/coordination", "/api/tasks/progress"}
    # The county's own records and overdue orders (tested in tests/inspections/test_api.py).
    covered |= {"/api/inspections/records", "/api/inspections/rectifications/overdue"}
    # Reports: forwarded by a service account only, and listed on a need-to-know basis (tested
    # in tests/complaints/test_pages_api_exposure.py and test_protection.py).
    covered |= {"/api/complaints/forwarded", "/api/complaints"}
    # The verifiable log: checkpoints and hash-only proofs are public; the proofs that carry a
    # record need audit rights and scope (tests/auditlog/test_log.py, the API scope tests).
    covered |= {
        "/api/log/checkpoints",
        "/api/log/checkpoints/latest",
        "/api/log/checkpoints/latest/note",
        "/api/log/checkpoints/{tree_size}",
        "/api/log/checkpoints/{tree_size}/cosignatures",
        "/api/log/proofs/consistency",
        "/api/log/proofs/inclusion",
        "/api/log/proofs/events/{seq}",
        "/api/log/proofs/{kind}/{object_id}",
    }
    assert paths <= covered, paths - covered


@pytest.mark.parametrize("path", [*API_DETAIL, *API_WRITES, *API_LISTS, "/api/me"])
def test_api_anonymous_gets_401_in_the_error_shape(client, other, path: str) -> None:
    url = _api_url(path, other)
    response = (
        client.post(url, "{}", content_type="application/json")
        if path in API_WRITES
        else client.get(url)
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("path", [*API_DETAIL, *API_WRITES])
def test_api_another_county_gets_404(org, other, login, path: str) -> None:
    admin = org["county_admin"]
    RoleAssignment.objects.create(user=admin, role="auditor")
    RoleAssignment.objects.create(user=admin, role="inspector")
    RoleAssignment.objects.create(user=admin, role="division_head")  # assigns teams
    client = login(admin)
    events_before = AuditEvent.objects.count()
    url = _api_url(path, other)
    if path in API_WRITES:
        response = client.post(url, json.dumps(API_WRITES[path]), content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.count() == events_before
    other["certificate"].refresh_from_db()
    assert other["certificate"].revoked_at is None


def _own_county_case(org: dict) -> None:
    import datetime

    from anjian.cases.models import Case

    insp = org["county_inspector"]
    Case.objects.create(
        bureau=insp.bureau,
        region_id="140603",
        entity=Entity.objects.filter(region_id="140603").first(),
        number="平鲁应急立〔2026〕1号",
        title="平鲁区测试案",
        source="inspection",
        act_date=datetime.date(2026, 3, 1),
        opened_on=datetime.date(2026, 3, 2),
    )


def _own_county_issued_plan(org: dict, make_user: Callable, make_item: Callable) -> None:
    from anjian.plans import services
    from anjian.plans.services import LineValues

    drafter = org["county_admin"]
    leader = make_user("140600", ["bureau_leader"], username="sz_leader")
    plan = services.plan_create(actor=drafter, bureau=drafter.bureau, year=2026, title="平鲁区计划")
    services.plan_line_add(actor=drafter, plan=plan, values=LineValues(item=make_item()))
    for actor, action in [(drafter, "submit"), (leader, "approve"), (drafter, "issue")]:
        services.plan_transition(actor=actor, plan=plan, action=action)


@pytest.mark.parametrize("path", API_LISTS)
def test_api_lists_hold_nothing_of_another_county(
    org, other, login, make_certificate, make_entity, make_user, make_item, path: str
) -> None:
    make_certificate(org["county_inspector"])
    make_entity("140603", key_supervision=True)
    if path in ("/api/plans", "/api/tasks"):
        _own_county_issued_plan(org, make_user, make_item)
    if path in ("/api/cases", "/api/case-time-limits"):
        _own_county_case(org)
    if path == "/api/case-time-limits":  # every case, ours and theirs, long past its 90 days
        import datetime

        from anjian.cases.models import Case

        Case.objects.update(state="investigating", filed_on=datetime.date(2026, 3, 2))
    if path == "/api/publications":
        _publication_of(org["county_admin"].bureau, make_entity("140603"))
    if path in ("/api/draws", "/api/random-check-items"):
        _own_county_draft_draw(org, make_item)
    admin = org["county_admin"]
    RoleAssignment.objects.create(user=admin, role="auditor")
    body = login(admin).get(path + "?limit=200").json()
    text = json.dumps(body, ensure_ascii=False)
    assert body["items"], "the county's own records should be listed"
    assert "other_insp" not in text and "140525" not in text
    assert other["certificate"].number not in text


def test_api_user_create_in_another_county_is_404(org, login) -> None:
    other_bureau = org["other_county_admin"].bureau
    response = login(org["county_admin"]).post(
        "/api/users",
        json.dumps(
            {"username": "intruder", "password": "Xy-12345678", "bureau_id": other_bureau.pk}
        ),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="intruder").exists()


def test_session_writes_need_csrf(org) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org["county_admin"])
    insp = org["county_inspector"]
    response = client.post(
        f"/api/users/{insp.pk}/certificates",
        json.dumps(API_WRITES["/api/users/{user}/certificates"]),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not EnforcementCertificate.objects.filter(holder=insp).exists()


def test_admin_lists_are_scoped(org, other, login) -> None:
    client = login(org["county_admin"])
    content = client.get("/admin/accounts/user/").content.decode()
    assert "county_insp" in content
    assert "other_insp" not in content
    assert client.get(f"/admin/accounts/user/{other['user'].pk}/change/").status_code in (302, 404)
    assert client.get("/admin/core/auditevent/1/delete/").status_code == 403
