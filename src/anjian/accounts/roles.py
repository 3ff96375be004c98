"""Roles and what each may use. One table, read by views, the API and the navigation."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector")
    DIVISION_HEAD = "division_head", _("Division head")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Audit administrator")
    ENTERPRISE = "enterprise", _("Enterprise user")
    # Complaints and whistleblowing (complaints app, docs/complaints.md): the desk that receives
    # and routes reports, the committee that approves rewards, and the service account of another
    # platform (the 12345 hotline) that forwards reports through the API.
    COMPLAINTS_DESK = "complaints_desk", _("Complaints desk officer")
    REWARD_COMMITTEE = "reward_committee", _("Reward review committee member")
    INTERFACE = "interface", _("Platform interface account")
    # An industry association's account (N4.3, docs/associations.md): no jurisdiction; it sees
    # its member units' public data and publishes the association's conventions.
    ASSOCIATION = "association", _("Industry association user")


# The interface account of another platform is no staff member: it has no jurisdiction and sees
# nothing, it only forwards reports.
STAFF_ROLES = frozenset(
    r for r in Role if r not in (Role.ENTERPRISE, Role.INTERFACE, Role.ASSOCIATION)
)

# Roles one person may not hold together (等保2.0: the audit administrator is not the system
# administrator; an enterprise account is never staff).
INCOMPATIBLE_ROLES = [
    frozenset({Role.ADMINISTRATOR, Role.AUDITOR}),
]


class Capability(models.TextChoices):
    WORKSPACE = "workspace", _("Use the bureau workspace")
    USERS_VIEW = "users.view", _("View users and certificates")
    USERS_MANAGE = "users.manage", _("Manage users, roles and certificates")
    BUREAUS_VIEW = "bureaus.view", _("View bureaus and divisions")
    AUDIT_VIEW = "audit.view", _("Read the audit trail")
    ENTITIES_VIEW = "entities.view", _("View market entities")
    ENTITIES_MANAGE = "entities.manage", _("Register, edit and import market entities")
    CATALOG_MANAGE = "catalog.manage", _("Maintain the supervision catalog and benchmarks")
    PLANS_MANAGE = "plans.manage", _("Draft, submit, issue and file annual plans")
    PLANS_APPROVE = "plans.approve", _("Approve the annual plans of the bureaus below")
    TASKS_RECORD = "tasks.record", _("Record inspection tasks as done")
    TASKS_ASSIGN = "tasks.assign", _("Create ad hoc inspection tasks and assign inspectors")
    INSPECT = "inspections.inspect", _("Record on-site inspections and order rectification")
    RECTIFICATIONS_ESCALATE = "rectifications.escalate", _("Escalate overdue rectifications")
    DRAWS_MANAGE = "draws.manage", _("Configure, commit and run random draws")
    CONFLICTS_DECLARE = "draws.conflicts", _("Declare conflicts of interest")
    REVIEW = "review", _("Perform legal review")
    CASES_HANDLE = "cases.handle", _("Open and handle enforcement cases")
    CASES_APPROVE = "cases.approve", _("Approve filing and decide enforcement cases")
    ENTERPRISE_SELF = "enterprise.self", _("Use the enterprise service")
    DOCUMENTS_ISSUE = "documents.issue", _("Issue enforcement documents")
    DOCUMENTS_REVOKE = "documents.revoke", _("Revoke enforcement documents")
    PUBLICATIONS_MANAGE = "publications.manage", _("Publish and withdraw penalty decisions")
    COMPLAINTS_RECEIVE = "complaints.receive", _("Receive, route and assign complaints and reports")
    COMPLAINTS_HANDLE = "complaints.handle", _("Handle the complaints and reports assigned to me")
    COMPLAINTS_FORWARD = "complaints.forward", _("Forward reports from another platform")
    REWARDS_APPROVE = "complaints.rewards", _("Approve rewards for reports")
    EXPOSURE_MANAGE = "complaints.exposure", _("Choose typical cases for the exposure page")
    JOBS_MANAGE = "jobs.manage", _("Watch and restart the background jobs")
    CREDIT_MANAGE = "credit.manage", _("Propose manual credit records and grade overrides")
    CREDIT_APPROVE = "credit.approve", _("Approve manual credit records and grade overrides")
    ACCIDENTS_RECEIVE = "accidents.receive", _("Receive, record and forward accident reports")
    ASSOCIATION_SELF = "associations.self", _("Use the industry association's pages")
    ACCIDENTS_CONCEALMENT = (
        "accidents.concealment",
        _("Record a concealed or false accident report"),
    )


_ALL_STAFF = STAFF_ROLES
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.WORKSPACE: _ALL_STAFF,
    Capability.USERS_VIEW: frozenset(
        {Role.ADMINISTRATOR, Role.BUREAU_LEADER, Role.DIVISION_HEAD, Role.AUDITOR}
    ),
    Capability.USERS_MANAGE: frozenset({Role.ADMINISTRATOR}),
    Capability.BUREAUS_VIEW: _ALL_STAFF,
    # 等保2.0 三员分立: the system administrator does not read the audit trail.
    Capability.AUDIT_VIEW: frozenset({Role.AUDITOR, Role.BUREAU_LEADER, Role.LEGAL_REVIEWER}),
    Capability.REVIEW: frozenset({Role.LEGAL_REVIEWER}),
    Capability.ENTITIES_VIEW: _ALL_STAFF,
    # The catalog is the province's; services also require a province-level bureau.
    Capability.CATALOG_MANAGE: frozenset({Role.ADMINISTRATOR, Role.LEGAL_REVIEWER}),
    Capability.PLANS_MANAGE: frozenset(
        {Role.ADMINISTRATOR, Role.DIVISION_HEAD, Role.BUREAU_LEADER}
    ),
    Capability.PLANS_APPROVE: frozenset({Role.BUREAU_LEADER}),
    Capability.TASKS_RECORD: frozenset({Role.INSPECTOR, Role.DIVISION_HEAD}),
    Capability.TASKS_ASSIGN: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    # The inspectors on site write the record; a division head who inspects holds both roles.
    Capability.INSPECT: frozenset({Role.INSPECTOR, Role.DIVISION_HEAD}),
    Capability.RECTIFICATIONS_ESCALATE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.DRAWS_MANAGE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.PUBLICATIONS_MANAGE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.CONFLICTS_DECLARE: frozenset({Role.INSPECTOR, Role.DIVISION_HEAD}),
    # The registry is kept by the officers who know the enterprises; leaders and reviewers read.
    Capability.ENTITIES_MANAGE: frozenset({Role.ADMINISTRATOR, Role.DIVISION_HEAD, Role.INSPECTOR}),
    Capability.ENTERPRISE_SELF: frozenset({Role.ENTERPRISE}),
    # Officers issue the documents of their acts; a revocation (a wrong document) is the
    # division's or the leadership's.
    Capability.DOCUMENTS_ISSUE: frozenset({Role.INSPECTOR, Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.DOCUMENTS_REVOKE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    # 承办 by the officers; 立案审批 and the decision by the bureau's leadership (行政机关负责人).
    Capability.CASES_HANDLE: frozenset({Role.INSPECTOR, Role.DIVISION_HEAD}),
    Capability.CASES_APPROVE: frozenset({Role.BUREAU_LEADER}),
    # 举报受理: the desk (and the leadership, who receive escalations) sees the bureau's reports;
    # an officer sees only the reports assigned to them (need to know, docs/complaints.md).
    Capability.COMPLAINTS_RECEIVE: frozenset({Role.COMPLAINTS_DESK, Role.BUREAU_LEADER}),
    Capability.COMPLAINTS_HANDLE: frozenset(
        {Role.INSPECTOR, Role.DIVISION_HEAD, Role.COMPLAINTS_DESK}
    ),
    Capability.COMPLAINTS_FORWARD: frozenset({Role.INTERFACE}),
    Capability.REWARDS_APPROVE: frozenset({Role.REWARD_COMMITTEE}),
    Capability.EXPOSURE_MANAGE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    # The platform's own machinery (jobs.services also requires a province-level bureau).
    Capability.JOBS_MANAGE: frozenset({Role.ADMINISTRATOR}),
    # Credit (N3.2): the division proposes a manual record or a grade override, the bureau's
    # leadership approves it (two people, as with a case's filing).
    Capability.CREDIT_MANAGE: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.CREDIT_APPROVE: frozenset({Role.BUREAU_LEADER}),
    # Accident reports (docs/accidents.md): the officers on duty receive a report, record one
    # phoned in and forward it upward; finding a concealment is the division's or leadership's.
    Capability.ACCIDENTS_RECEIVE: frozenset(
        {Role.INSPECTOR, Role.DIVISION_HEAD, Role.BUREAU_LEADER}
    ),
    Capability.ACCIDENTS_CONCEALMENT: frozenset({Role.DIVISION_HEAD, Role.BUREAU_LEADER}),
    Capability.ASSOCIATION_SELF: frozenset({Role.ASSOCIATION}),
}


def capabilities_of(roles: Iterable[str]) -> frozenset[Capability]:
    held = set(roles)
    return frozenset(cap for cap, allowed in CAPABILITIES.items() if held & allowed)
