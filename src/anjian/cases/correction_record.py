"""The "not corrected by the deadline" branch checked against the record (安全生产法 第九十七条).

Article 97 orders the unit to correct within a time limit and fines it up to 10万; only when it
has not corrected by the deadline (逾期未改正) does the heavier branch apply: suspension, a fine of
10–20万, and a fine of 2–5万 for its directly responsible managers and other directly responsible
persons. So a responsible person added to the unit's case (双罚, ADR 0011) is fined under article
97 only in that branch, and the officer's answer to it is a fact the record can show: the
correction orders (责令限期整改指令书) on the case's findings, their deadlines and when they were
rectified (inspections: `CorrectionOrder.deadline`, `rectified_on`).

`branch_problems` compares the officer's answers with the record and returns the refusal, keyed
on `discretion_facts` and naming the answer, when they contradict each other:
- "not corrected" answered yes while every order was rectified by its deadline, or while no
  deadline has passed yet;
- "not corrected" answered no, or "corrected in time" yes, while an order was rectified late or
  is still open past its deadline;
- a responsible person's fine under article 97 without the "not corrected" branch.
Without a correction order on record nothing contradicts the answer; the reasoning says that it
could not be checked (`branch_note`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.cases.models import Case


def date_cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# Benchmarks (by article) whose responsible persons are fined only in the not-corrected branch.
PERSON_FINED_WHEN_NOT_CORRECTED = frozenset({"AQF-97"})

NOT_CORRECTED = _("not corrected by the deadline")
CORRECTED_IN_TIME = _("corrected in time")


@dataclass(frozen=True)
class OrderFact:
    record_number: str
    deadline: datetime.date
    rectified_on: datetime.date | None

    def in_time(self) -> bool:
        return self.rectified_on is not None and self.rectified_on <= self.deadline

    def overdue(self, today: datetime.date) -> bool:
        if self.rectified_on is not None:
            return self.rectified_on > self.deadline
        return today > self.deadline

    def words(self) -> str:
        head = f"责令限期整改指令（{self.record_number}）限{date_cn(self.deadline)}前改正"
        if self.rectified_on is None:
            return f"{head}，至今未记录整改完毕"
        return f"{head}，{date_cn(self.rectified_on)}整改完毕"


def orders_on_record(case: Case) -> list[OrderFact]:
    """The correction orders on the findings of the case (a co-party's: of the unit's case)."""
    from anjian.inspections.models import CorrectionOrder

    lead = case.lead if case.lead_id else case
    assert lead is not None
    orders = (
        CorrectionOrder.objects.filter(findings__in=lead.findings.all())
        .select_related("record")
        .distinct()
        .order_by("deadline", "pk")
    )
    return [
        OrderFact(o.record.number or str(o.record_id), o.deadline, o.rectified_on) for o in orders
    ]


def _quoted(label: Any) -> str:
    return f"“{label}”"


def branch_problems(
    case: Case,
    *,
    answers: dict[str, Any],
    article: str,
    co_party: bool,
    today: datetime.date,
) -> str | None:
    """Why the answers of the not-corrected branch are refused, or None (see the module).
    `answers`: the officer's answers as the benchmark typed them (yes/no as booleans)."""
    not_corrected = answers.get("not_corrected")
    in_time = answers.get("corrected_in_time")
    if co_party and article in PERSON_FINED_WHEN_NOT_CORRECTED and not_corrected is not True:
        return gettext(
            "Under article 97 a responsible person is fined only when the unit did not correct "
            "by the deadline: answer %(question)s."
        ) % {"question": _quoted(NOT_CORRECTED)}
    if not_corrected is None and in_time is None:
        return None
    orders = orders_on_record(case)
    if not orders:
        return None
    late = [o for o in orders if o.overdue(today)]
    if not_corrected is True and not late:
        if all(o.in_time() for o in orders):
            why = "；".join(o.words() for o in orders)
        else:
            waiting = [o for o in orders if not o.in_time()]
            why = "；".join(
                f"责令限期整改指令（{o.record_number}）的期限{date_cn(o.deadline)}尚未届满"
                for o in waiting
            )
        return gettext("The answer %(question)s contradicts the record: %(why)s.") % {
            "question": _quoted(NOT_CORRECTED),
            "why": why,
        }
    if late and (not_corrected is False or in_time is True):
        question = NOT_CORRECTED if not_corrected is False else CORRECTED_IN_TIME
        return gettext("The answer %(question)s contradicts the record: %(why)s.") % {
            "question": _quoted(question),
            "why": "；".join(o.words() for o in late),
        }
    return None


def branch_note(case: Case, answers: dict[str, Any]) -> str | None:
    """What the reasoning says of the check when the branch was answered."""
    if answers.get("not_corrected") is None and answers.get("corrected_in_time") is None:
        return None
    if orders_on_record(case):
        return gettext("%(question)s checked against the correction orders on record.") % {
            "question": _quoted(NOT_CORRECTED)
        }
    return gettext(
        "%(question)s could not be checked: no correction order on the case's findings is on "
        "record."
    ) % {"question": _quoted(NOT_CORRECTED)}
