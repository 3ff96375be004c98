"""The audit trail reads as words: every action code has a Chinese label, every object a name."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from anjian.accounts.services import certificate_issue
from anjian.core.audit_labels import action_label, label_events, registered_actions
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR, audit_record
from tests.conftest import TEST_PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "anjian"
APPS = {p.name for p in SRC.iterdir() if (p / "apps.py").exists()}
_CODE = re.compile(r"^([a-z_]+)\.[a-z_]+\.[a-z_]+$")


def _sources() -> list[tuple[Path, ast.Module]]:
    files = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in files]


def _literal_codes() -> set[str]:
    """Every string literal shaped like an app's action code (`cases.review.passed`)."""
    codes = set()
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = _CODE.match(node.value)
                if match and match.group(1) in APPS:
                    codes.add(node.value)
    return codes


def _families() -> set[str]:
    """The prefixes of codes built at run time, f"cases.case.{action}" -> "cases.case"."""
    found = set()
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if isinstance(head, ast.Constant) and isinstance(head.value, str):
                    match = re.match(r"^([a-z_]+)\.([a-z_]+)\.$", head.value)
                    if match and match.group(1) in APPS and len(node.values) == 2:
                        found.add(head.value.rstrip("."))
    return found


def _quoted_words(path: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, (SRC / path).read_text(encoding="utf-8")))


def _family_members() -> dict[str, set[str]]:
    """What each run-time family takes its last part from, read from the code that writes it."""
    from anjian.cases.states import EXECUTION_TRANSITIONS, CaseAction
    from anjian.entities.models import ImportKind
    from anjian.plans.states import PlanAction

    return {
        # The execution steps are CaseActions too, but audited as cases.execution.<code>.
        "cases.case": {str(a) for a in CaseAction if a not in EXECUTION_TRANSITIONS}
        | {
            word
            for module in ("filing", "hearing", "decision")
            for word in _quoted_words(
                f"cases/{module}.py", r'_record\(\s*actor=\w+,\s*case=\w+,\s*action="(\w+)"'
            )
        },
        "cases.transfer": _quoted_words("cases/transfers.py", r'action="(\w+)"')
        | _quoted_words("cases/transfers.py", r'else "(\w+)"'),
        "plans.plan": {str(a) for a in PlanAction},
        "entities.import": {str(k) for k in ImportKind},
        "accounts.login": _quoted_words("accounts/signals.py", r'outcome="(\w+)"'),
        # The execution steps name their code (code="reminded"); the coercion steps pass it as
        # the fourth argument of their _record.
        "cases.execution": _quoted_words("cases/execution.py", r'code="(\w+)"')
        | _quoted_words("cases/time_limits.py", r'code="(\w+)"'),
        "cases.coercion": _quoted_words(
            "cases/coercion.py", r'_record\(\s*actor,\s*case,\s*"\w+",\s*"(\w+)"'
        ),
        # Reports: _event(actor, report, "<code>", ...); rewards: _record(actor, reward, "<code>").
        "complaints.report": _quoted_words(
            "complaints/services.py", r'_event\(\s*\w+,\s*\w+,\s*"(\w+)"'
        )
        | _quoted_words("complaints/handling.py", r'_event\(\s*\w+,\s*\w+,\s*"(\w+)"'),
        # Industry associations: _event(actor, association, "<code>", ...).
        "associations.association": _quoted_words(
            "associations/services.py", r'_event\(\s*\w+,\s*\w+,\s*"(\w+)"'
        ),
        "complaints.reward": _quoted_words(
            "complaints/rewards.py", r'_record\(\s*actor,\s*reward,\s*"(\w+)"'
        )
        | _quoted_words("complaints/rewards.py", r'else "(\w+)"'),
    }


def test_every_action_code_written_in_the_source_has_a_label() -> None:
    labelled = registered_actions()
    literal = _literal_codes()
    assert len(literal) > 50  # the scan finds the codes (it would pass vacuously otherwise)
    assert sorted(literal - labelled.keys()) == []
    members = _family_members()
    # A new run-time family must say here where its codes come from.
    assert _families() <= members.keys(), _families() - members.keys()
    for family, suffixes in members.items():
        assert suffixes, family
        missing = sorted(f"{family}.{s}" for s in suffixes if f"{family}.{s}" not in labelled)
        assert missing == []
    with translation.override("zh-hans"):
        for code in labelled:
            label = action_label(code)
            assert re.search(r"[\u4e00-\u9fff]", label), f"{code} reads {label!r}"


def test_an_unknown_code_reads_as_words_not_as_the_code() -> None:
    with translation.override("zh-hans"):
        assert action_label("cases.case.renamed_later") == "执法案件：其他操作"
        assert action_label("gone.thing.done") == "其他操作"


@pytest.mark.django_db
def test_the_audit_list_says_what_happened_and_names_the_object(org, login, client) -> None:
    inspector = org["county_inspector"]
    assert (
        client.post(
            reverse("accounts:login"), {"username": inspector.username, "password": TEST_PASSWORD}
        ).status_code
        == 302
    )
    certificate_issue(
        actor=org["county_admin"],
        holder=inspector,
        number="14060326000077",
        issued_by="山西省人民政府",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2031, 1, 1),
        specialties=["coal_mine"],
    )
    audit_record(actor=SYSTEM_ACTOR, action="cases.case.renamed_later", region="140603")
    page = login(org["province_auditor"]).get(reverse("core:audit_list"))
    text = page.content.decode()
    assert "登录成功" in text
    assert "登记行政执法证" in text and "行政执法证 14060326000077" in text
    assert "执法案件：其他操作" in text
    visible = re.sub(r"<[^>]+>", " ", text)
    assert "accounts.login.succeeded" not in visible and "accounts.user " not in visible
    assert "cases.case.renamed_later" not in visible


@pytest.mark.django_db
def test_names_are_resolved_once_per_object_type_not_per_row(org) -> None:
    for i in range(6):
        certificate_issue(
            actor=org["county_admin"],
            holder=org["county_inspector"],
            number=f"1406032600010{i}",
            issued_by="山西省人民政府",
            valid_from=datetime.date(2026, 1, 1),
            valid_until=datetime.date(2031, 1, 1),
            specialties=["coal_mine"],
        )
    events = list(AuditEvent.objects.filter(action="accounts.certificate.issued"))
    with CaptureQueriesContext(connection) as queries:
        rows = label_events(events)
    # one for the six certificates, one for their actor (a user): not one per row
    assert len(queries) == 2
    assert rows[0].actor_label == org["county_admin"].full_name
    assert {r.object_label.split()[-1] for r in rows} == {f"1406032600010{i}" for i in range(6)}


@pytest.mark.django_db
def test_the_api_keeps_the_code_and_adds_the_label(org) -> None:
    from tests.api.test_api_shell import _bearer

    audit_record(actor=SYSTEM_ACTOR, action="accounts.login.failed", region="140603")
    client = _bearer(org["province_auditor"])
    item = client.get(
        "/api/audit/events?action=accounts.login.failed", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()["items"][0]
    assert item["action"] == "accounts.login.failed"
    assert item["action_label"] == "登录失败"
    assert item["source"] == "web" and item["source_label"] == "网页"
    detail = client.get(f"/api/audit/events/{item['seq']}").json()
    assert detail["action_label"] == "登录失败"


@pytest.mark.django_db
def test_the_audit_list_filters_by_a_step_chosen_by_its_name(org, login) -> None:
    audit_record(actor=SYSTEM_ACTOR, action="accounts.login.failed", region="140603")
    audit_record(actor=SYSTEM_ACTOR, action="core.region.updated", region="140603")
    client = login(org["province_auditor"])
    page = client.get(reverse("core:audit_list")).content.decode()
    assert '<option value="accounts.login.failed">登录失败</option>' in page
    assert '<option value="accounts.">机构与用户：全部操作</option>' in page
    page = client.get(reverse("core:audit_list"), {"action": "accounts."}).content.decode()
    rows = page.split("<tbody>")[1]
    assert "登录失败" in rows and "变更行政区划" not in rows
