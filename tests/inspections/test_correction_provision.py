"""The correction order cites the item of 安全生产法 art. 65(1) its problems fall under:
violations item (2) (限期改正), hazards item (3) (责令排除)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from anjian.inspections import services

pytestmark = pytest.mark.django_db


def order_provision(site, kinds: list[str]) -> str:
    from anjian.documents.models import OfficialDocument

    a = site["inspector"]
    record = services.record_start(actor=a, task=site["task"], place="调度室", present_name="赵六")
    points = site["points"]
    answers = ["compliant", *kinds] + ["compliant"] * (len(points) - 1 - len(kinds))
    for point, answer in zip(points, answers, strict=True):
        services.record_answer(actor=a, record=record, check_point=point, answer=answer)
    findings = [
        services.finding_add(
            actor=a,
            record=record,
            kind=kind,
            check_point=point,
            description=f"问题{n}",
            severity="general" if kind == "hazard" else "",
        )
        for n, (kind, point) in enumerate(zip(kinds, points[1:], strict=False))
    ]
    services.record_submit(actor=a, record=record)
    order = services.correction_order_issue(
        actor=a,
        record=record,
        findings=findings,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    doc = OfficialDocument.objects.get(kind="correction_order", subject_id=str(order.pk))
    return doc.context["provision"]


@pytest.mark.parametrize(
    ("kinds", "provision"),
    [
        (["violation"], "《中华人民共和国安全生产法》第六十五条第一款第二项"),
        (["hazard", "hazard"], "《中华人民共和国安全生产法》第六十五条第一款第三项"),
        (["violation", "hazard"], "《中华人民共和国安全生产法》第六十五条第一款第二项、第三项"),
    ],
)
def test_the_order_cites_the_item_of_its_problems(site, kinds, provision) -> None:
    assert order_provision(site, kinds) == provision
