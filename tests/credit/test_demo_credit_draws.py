"""What the demo's credit story does to the next draw and to the yearly cap (issue 20, N3.2):
the entity the 40,000-yuan penalty took from B to C weighs more in 平鲁区's next draw than it
did at B, and is scheduled under its class's cap for grade C; the mine listed for concealing an
accident is forced into 平鲁区's next draw, whose published parameters say so.

The demo is loaded once for the module, in a transaction rolled back at the end; each test
runs in a savepoint of it, as usual, so what one test writes the next does not see."""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from anjian.accounts.models import EnforcementCertificate, User
from anjian.cases.models import Case
from anjian.catalog.models import SupervisionItem
from anjian.core import clock
from anjian.core.choices import CreditGrade, RiskLevel
from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent
from anjian.credit.caps import cap_for, class_of, inspections_in_year
from anjian.credit.models import DishonestyListing, RecordKind
from anjian.draws import algorithm, publication
from anjian.draws import services as draws
from anjian.draws.models import Draw, DrawSelection
from anjian.draws.states import StrataBy
from anjian.entities.models import Entity
from anjian.inspections.models import InspectionTask
from anjian.inspections.services import task_create_ad_hoc

PINGLU = "140603"
GENERAL_ITEM = "14000000000001"  # the starter catalog's item for every industry
# A county's ratio table by credit grade (parts per ten thousand), the same for every risk
# level: the lower the grade, the likelier the inspection. Ungraded entities count as B.
BY_GRADE = {"A": 500, "B": 1000, "C": 2000, "D": 5000}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("credit_demo")]


def _penalised() -> tuple[Entity, str]:
    """The entity of the demo's closed case (the 40,000-yuan decision), and the grade it had
    before the penalty lowered it, from the audit trail."""
    closed = Case.objects.get(state="closed")
    assert closed.entity_id is not None
    entity = Entity.objects.get(pk=closed.entity_id)
    before, after = (
        AuditEvent.objects.filter(action="credit.grade.changed", object_id=str(entity.pk))
        .order_by("seq")
        .last()
        .changes["credit_grade"]
    )
    assert after == entity.credit_grade
    return entity, before


def _pinglu_draw(title: str, *, start: datetime.date, strata_by: str) -> Draw:
    """A draft draw of 平鲁区's bureau over its county, by pl_head, with the grade table."""
    head = User.objects.get(username="pl_head")
    item = draws.random_check_item_add(
        actor=head, bureau=head.bureau, item=SupervisionItem.objects.get(code=GENERAL_ITEM)
    )
    return draws.draw_create(
        actor=head,
        bureau=head.bureau,
        values=draws.DrawValues(
            title=title,
            items=[item],
            inspection_from=start,
            inspection_until=start + datetime.timedelta(days=27),
            strata_by=strata_by,
            default_ratio=BY_GRADE["B"],
            ratios={
                draws.ratio_key(g, level): BY_GRADE[g]
                for g in CreditGrade.values
                for level in ("", *RiskLevel.values)
            },
            avoid_own_county=False,  # a county draws from its own inspectors
        ),
    )


def _probability(draw: Draw, uscc: str) -> tuple[Fraction, int, int, int]:
    """The entity's inclusion probability in the draw as committing it now would publish it
    (probabilities.tsv), with its weight, its stratum's quota and the stratum's total weight."""
    directory = draws.directory_build(draw).directory
    quotas = draws.quotas_for(directory)
    numerators, denominators = algorithm.inclusion_probabilities(directory, quotas)
    i = directory.index_of(uscc)
    stratum = directory.strata[i]
    total = sum(
        int(w)
        for h, w in zip(directory.strata, directory.weights.tolist(), strict=True)
        if h == stratum
    )
    return (
        Fraction(int(numerators[i]), int(denominators[i])),
        int(directory.weights[i]),
        quotas[stratum],
        total,
    )


def _next_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def test_the_penalty_raises_the_entitys_inclusion_probability_in_the_next_draw() -> None:
    entity, before = _penalised()
    assert (before, entity.credit_grade) == ("B", "C") and entity.region_id == PINGLU
    draw = _pinglu_draw(
        "平鲁区下月“双随机”抽查", start=_next_month(clock.today()), strata_by=StrataBy.REGION
    )

    now, weight, quota, total = _probability(draw, entity.uscc)
    with transaction.atomic():  # the same draw with the entity at its grade before the penalty
        Entity.objects.filter(pk=entity.pk).update(credit_grade=before)
        then, weight_then, quota_then, total_then = _probability(draw, entity.uscc)
        transaction.set_rollback(True)

    scale = draws.FACTOR_SCALE  # no recent-inspection down-weighting in this draw
    assert (weight_then, weight) == (BY_GRADE["B"] * scale, BY_GRADE["C"] * scale)
    assert quota >= 1 and quota_then >= 1
    assert then == Fraction(quota_then * weight_then, total_then)
    assert now == Fraction(quota * weight, total)
    assert now > then and now < 1


def test_the_lowered_grade_brings_its_classs_yearly_cap_and_beyond_it_a_reason() -> None:
    entity, before = _penalised()
    cls = class_of(entity.industry)
    caps = settings.ANJIAN_CREDIT_YEARLY_CAPS[cls]
    cap = cap_for(entity.industry, entity.credit_grade, entity.standardisation_grade)
    assert cap == caps["C"] and caps[before] < cap  # a C entity of its class: inspected more

    head = User.objects.get(username="pl_head")
    team = list(
        User.objects.filter(
            pk__in=EnforcementCertificate.objects.filter(
                holder__bureau=head.bureau, revoked_at__isnull=True
            ).values("holder_id")
        ).order_by("pk")[:2]
    )
    assert len(team) == 2
    item = SupervisionItem.objects.get(code=GENERAL_ITEM)
    today = clock.today()
    # Distinct due days (an inspection counts once per entity and day) in one calendar year.
    days = [today + datetime.timedelta(days=k) for k in range(cap + 1)]
    if days[-1].year != today.year:
        days = [datetime.date(today.year + 1, 1, 5 + k) for k in range(cap + 1)]
    year = days[0].year
    done = inspections_in_year(entity.pk, year)
    assert done + 2 < cap  # room to schedule past the B cap without a reason

    def schedule(day: datetime.date, over_limit_reason: str = "") -> list[InspectionTask]:
        return task_create_ad_hoc(
            actor=head, bureau=head.bureau, entity=entity, items=[item], inspectors=team,
            due_on=day, reason="信用等级下降后加密检查", over_limit_reason=over_limit_reason,
        )  # fmt: skip

    for day in days[: cap - done]:  # up to the cap: no reason asked, past the B cap too
        schedule(day)
    assert inspections_in_year(entity.pk, year) == cap
    with pytest.raises(ServiceError) as refused:
        schedule(days[cap - done])
    reasons = [str(r) for r in refused.value.fields["over_limit_reason"]]
    assert f"{year}年已安排检查{cap}次" in reasons[0]
    assert f"信用等级为C级的其他行业每年最多检查{cap}次" in reasons[0]
    assert inspections_in_year(entity.pk, year) == cap  # nothing written

    (task,) = schedule(days[cap - done], over_limit_reason="群众举报涉嫌违法生产")
    assert "群众举报涉嫌违法生产" in task.note
    assert inspections_in_year(entity.pk, year) == cap + 1


def test_the_listed_mine_is_forced_into_pinglus_next_draw_and_its_parameters_say_so(
    client: Any,
) -> None:
    listing = DishonestyListing.objects.select_related("entity").get(
        record__kind=RecordKind.ACCIDENT_CONCEALED
    )
    mine = listing.entity
    assert listing.status == "listed" and mine.region_id == PINGLU
    head = User.objects.get(username="pl_head")
    start = _next_month(clock.today())
    assert listing.listed_on <= start <= listing.ends_on
    draw = _pinglu_draw("平鲁区下月“双随机”抽查", start=start, strata_by=StrataBy.INDUSTRY)
    assert mine.uscc not in draw.forced  # nobody typed it in

    draw = draws.draw_commit(actor=head, draw=draw)
    assert mine.uscc in draw.forced
    why = draw.summary["forced_auto"][mine.uscc]
    assert why.startswith("列入严重失信主体名单")
    # Forced: certain to be drawn, published with the commitment, before the secret is known.
    probabilities = publication.read(draw, "probabilities").decode()
    assert f"{mine.uscc}\tcoal_mine\t1/1\t1.000000\n" in probabilities

    page = client.get(f"/portal/draws/{draw.pk}/").content.decode()
    assert "自动列为必检对象" in page and mine.uscc in page and why in page
    record = client.get(f"/portal/draws/{draw.pk}/record.json").json()
    assert mine.uscc in record["forced"]

    draw = draws.draw_run(actor=head, draw=draw, over_limit_reason="双随机抽查结果，依规检查")
    drawn = DrawSelection.objects.get(draw=draw, entity=mine)
    assert drawn.forced and drawn.probability == 1.0
    selection = publication.read(draw, "selection").decode()
    assert f"\n{mine.uscc}\tcoal_mine\t1\t1/1\t" in selection
