"""Fixtures of the enterprise side: an entity of 平鲁区 with its principal bound through an
invitation, as a user would get one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anjian.enterprise import services

GOOD = "Shanxi-2026x"  # the staff rules refuse the fixtures' dressed-up common password

PHONE = "13912345678"


@pytest.fixture
def activate(org: dict[str, Any]) -> Callable[..., Any]:
    """Issue an invitation for `entity` and activate it: the new EnterpriseMember."""
    counter = {"n": 0}

    def make(entity: Any, position: str = "principal", **extra: Any) -> Any:
        counter["n"] += 1
        from anjian.core.services import SYSTEM_ACTOR

        _inv, code = services.invitation_issue(
            actor=org["county_inspector"] if entity.region_id == "140603" else SYSTEM_ACTOR,
            entity=entity,
            position=position,
        )
        return services.invitation_activate(
            values=services.ActivationValues(
                uscc=entity.uscc,
                code=code,
                username=extra.get("username", f"ent{counter['n']}_{entity.pk}"),
                password=GOOD,
                phone=PHONE,
                full_name=extra.get("full_name", "李经理"),
            ),
            client="127.0.0.1",
        )

    return make


@pytest.fixture
def own(make_entity: Callable[..., Any]) -> Any:
    return make_entity("140603", name="平鲁测试煤业有限公司")


@pytest.fixture
def principal(activate: Callable[..., Any], own: Any) -> Any:
    return activate(own).user


@pytest.fixture
def entity_file(org: dict[str, Any], make_item: Callable[..., Any]) -> Callable[..., dict]:
    """What the bureau holds about an entity, rows written directly: a submitted inspection
    record with a hazard and an open correction order, a draft record, the unit's notified
    case with a responsible person's row, a penalty notice, an internal approval form and an
    active credit record."""

    def make(entity: Any, inspector: Any = None) -> dict:
        import datetime

        from django.utils import timezone

        from anjian.cases.models import Case
        from anjian.credit.models import CreditRecord
        from anjian.inspections.models import (
            CorrectionOrder,
            Finding,
            InspectionRecord,
            InspectionTask,
        )

        inspector = inspector or org["county_inspector"]
        bureau = inspector.bureau
        item = make_item()
        n = InspectionRecord.objects.count() + 1
        records = []
        for status in ("submitted", "draft"):
            task = InspectionTask.objects.create(
                bureau=bureau,
                entity=entity,
                item=item,
                source="ad_hoc",
                period_start=datetime.date(2026, 3, 1),
                due_on=datetime.date(2026, 3, 31),
            )
            records.append(
                InspectionRecord.objects.create(
                    task=task,
                    entity=entity,
                    bureau=bureau,
                    region_id=bureau.region_id,
                    number=f"（测试）应急现记〔2026〕{n}{status[0]}号",
                    place="厂区",
                    present_name="在场人",
                    started_at=timezone.now(),
                    created_by=inspector,
                    status=status,
                )
            )
        record, draft = records
        finding = Finding.objects.create(
            record=record,
            kind="hazard",
            severity="general",
            description=f"{entity.name}的隐患",
            fact_date=datetime.date(2026, 3, 1),
            created_by=inspector,
        )
        order = CorrectionOrder.objects.create(
            record=record,
            deadline=timezone.localdate() + datetime.timedelta(days=20),
            issued_on=datetime.date(2026, 3, 1),
            issued_by=inspector,
        )
        order.findings.set([finding])
        case = Case.objects.create(
            bureau=bureau,
            region_id=bureau.region_id,
            entity=entity,
            number=f"应急立〔2026〕{entity.pk}号",
            title=f"{entity.name}案",
            source="inspection",
            act_date=datetime.date(2026, 3, 1),
            opened_on=datetime.date(2026, 3, 2),
            notified_on=datetime.date(2026, 3, 5),
            statement_deadline=timezone.localdate() + datetime.timedelta(days=10),
            hearing_deadline=timezone.localdate() + datetime.timedelta(days=5),
            hearing_entitled=True,
            state="notified",
        )
        co_party = Case.objects.create(
            bureau=bureau,
            region_id=bureau.region_id,
            entity=entity,
            lead=case,
            party_kind="individual",
            party_name="赵责任",
            party_id_number="110101199003074514",
            number=case.number,
            title=case.title,
            source="inspection",
            act_date=datetime.date(2026, 3, 1),
            opened_on=datetime.date(2026, 3, 2),
            notified_on=datetime.date(2026, 3, 5),
            state="notified",
        )
        record_credit = CreditRecord.objects.create(
            entity=entity,
            region_id=entity.region_id,
            bureau=bureau,
            kind="penalty",
            public=True,
            title=f"{entity.name}的行政处罚",
            occurred_on=datetime.date(2026, 3, 1),
            weight=-10,
            counts_until=datetime.date(2029, 3, 1),
            status="active",
        )
        return {
            "record": record,
            "draft": draft,
            "finding": finding,
            "order": order,
            "case": case,
            "co_party": co_party,
            "notice": _document(bureau, case, "penalty_notice", entity.pk * 10 + 1),
            "internal": _document(bureau, case, "filing_approval", entity.pk * 10 + 2),
            "record_doc": _document(bureau, record, "inspection_record", entity.pk * 10 + 3),
            "credit_record": record_credit,
        }

    return make


def _document(bureau: Any, subject: Any, kind: str, seq: int) -> Any:
    import datetime
    import hashlib

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from anjian.documents.models import OfficialDocument
    from anjian.documents.storage import document_storage

    data = b"%PDF-1.7 test " + str(seq).encode()
    sha = hashlib.sha256(data).hexdigest()
    name = document_storage().save(f"test/{sha}.pdf", ContentFile(data))
    return OfficialDocument.objects.create(
        kind=kind,
        number=f"测〔2026〕{seq}号",
        year=2026,
        sequence=seq,
        bureau=bureau,
        region_id=bureau.region_id,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        organ_name=bureau.name,
        check_url="/portal/documents/x/",
        context={},
        docx_file=name,
        pdf_file=name,
        docx_sha256=sha,
        pdf_sha256=sha,
        docx_size=len(data),
        pdf_size=len(data),
        verification_code=f"T{seq:015d}",
        issued_on=datetime.date(2026, 3, 5),
    )
