"""`recommend_penalty`: where a violation's facts place it in the discretion benchmark (N5.1).

A benchmark row (REFERENCE.md: 违法行为 / 处罚依据 / 裁量阶次 / 适用条件 / 具体标准) says for each
tier the conditions that apply it. Those conditions are data the officer answers
(`DiscretionBenchmark.questions`: counts, shares of staff, yes/no facts, amounts, repeats within
a period), so the tier follows from the facts, not from a starting guess. The rule, written down
so a reviewer can follow it (docs/algorithms/discretion.md has a worked example):

1. The tier is the heaviest one whose conditions the answers meet (a tier's "when" is a list
   of alternatives, each a list of tests that must all hold). When none is met, the tier
   marked "default", else the lightest.
2. Then each aggravating factor present moves it up and each mitigating factor down, by the
   factor's "steps" (one unless the data says otherwise), within the tiers the benchmark has.
   A tier marked "fixed" (e.g. not corrected by the deadline: the law sets its range) is not
   moved; the factors are weighed inside its range.
3. 从旧兼从轻 (行政处罚法 art. 37): the benchmark in force on the date of the act applies,
   unless the one in force on the decision date gives the party a lighter tier; then that one.

Benchmarks written before tiers carried conditions (minor/ordinary/serious/grave with prose
conditions only) are read with the old rule expressed as the same data: "not corrected by the
deadline" chooses the heaviest tier (fixed), "first offence and corrected in time" the minor
one, otherwise "ordinary"; their factors step as before.

The result says the tier, the penalty kinds and fine range allowed there, and each reason in
words. Cases use it to bound a proposed penalty; a penalty outside the range needs a written
justification and goes to legal review (issue 6).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anjian.catalog.models import (
    CircumstanceLevel,
    DiscretionBenchmark,
    PenaltyKind,
    level_label,
)
from anjian.catalog.selectors import benchmark_on
from anjian.core.errors import NotFound, ServiceError

QUESTION_KINDS = ("count", "share", "yes_no", "amount", "repeat")
TEST_OPS = ("gt", "gte", "lt", "lte", "eq", "yes", "no")

# How heavy a penalty kind is, to say which of two tiers is lighter for the party.
KIND_WEIGHT = {
    PenaltyKind.ORDER_CORRECTION: 0,
    PenaltyKind.WARNING: 1,
    PenaltyKind.FINE: 2,
    PenaltyKind.CONFISCATION: 3,
    PenaltyKind.SUSPENSION: 4,
    PenaltyKind.LICENCE_REVOCATION: 5,
    PenaltyKind.CLOSURE: 6,
}


def _legacy_questions() -> list[dict[str, Any]]:
    return [
        {"key": "first_offence", "label": _("first offence"), "kind": "yes_no"},
        {"key": "corrected_in_time", "label": _("corrected in time"), "kind": "yes_no"},
        {"key": "not_corrected", "label": _("not corrected by the deadline"), "kind": "yes_no"},
    ]


def is_legacy(benchmark: DiscretionBenchmark) -> bool:
    """A benchmark whose tiers carry no conditions as data (the starter data before 2024)."""
    return not benchmark.questions and not any(lv.get("when") for lv in benchmark.levels)


def benchmark_questions(benchmark: DiscretionBenchmark) -> list[dict[str, Any]]:
    return list(benchmark.questions) if not is_legacy(benchmark) else _legacy_questions()


def benchmark_tiers(benchmark: DiscretionBenchmark) -> list[dict[str, Any]]:
    """The tiers, lightest first, each with its "when" (legacy ones given the old rule)."""
    tiers = [dict(lv) for lv in benchmark.levels]
    if not is_legacy(benchmark) or not tiers:
        return tiers
    names = [t["level"] for t in tiers]
    tiers[-1]["when"] = [[{"q": "not_corrected", "op": "yes"}]]
    tiers[-1]["fixed"] = True
    if CircumstanceLevel.MINOR in names and len(tiers) > 1:
        tiers[names.index(CircumstanceLevel.MINOR)]["when"] = [
            [{"q": "first_offence", "op": "yes"}, {"q": "corrected_in_time", "op": "yes"}]
        ]
    if CircumstanceLevel.ORDINARY in names:
        tiers[names.index(CircumstanceLevel.ORDINARY)]["default"] = True
    return tiers


def answers_of(facts: dict[str, Any]) -> dict[str, Any]:
    """The officer's answers: facts["answers"], and the older flat keys (first_offence …)."""
    answers = {k: facts.get(k) for k in ("first_offence", "corrected_in_time", "not_corrected")}
    answers = {k: v for k, v in answers.items() if v not in (None, "")}
    answers.update(facts.get("answers") or {})
    return answers


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def answers_clean(
    questions: list[dict[str, Any]], answers: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Each given answer in its type, and the problems by question key (in words naming the
    question). A yes/no left out is "no"; a number left out stays out (asked for only when
    the tier depends on it, see `_place`)."""
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for q in questions:
        key, kind, label = q["key"], q.get("kind", "count"), q.get("label", q["key"])
        raw = answers.get(key)
        if kind == "yes_no":
            clean[key] = raw in (True, "true", "True", "on", "1", 1, "yes", "是")
            continue
        if raw is None or raw == "":
            continue
        number = _number(raw)
        if number is None or number < 0:
            problems[key] = _("%(question)s: give a number, zero or more.") % {"question": label}
        elif kind == "share" and number > 100:
            problems[key] = _("%(question)s: a share lies between 0 and 100%%.") % {
                "question": label
            }
        elif kind in ("count", "repeat") and number != int(number):
            problems[key] = _("%(question)s: give a whole number.") % {"question": label}
        else:
            clean[key] = int(number) if number == int(number) else number
    return clean, problems


def _holds(test: dict[str, Any], answers: dict[str, Any]) -> bool | None:
    """Whether the test holds; None when its question is not answered."""
    value, op, bound = answers.get(test["q"]), test["op"], test.get("value")
    if op == "yes":
        return value is True
    if op == "no":
        return value is False
    if value is None or isinstance(value, bool):
        return None
    return {
        "gt": value > bound,
        "gte": value >= bound,
        "lt": value < bound,
        "lte": value <= bound,
        "eq": value == bound,
    }[op]


def _test_words(test: dict[str, Any], questions: dict[str, dict[str, Any]], answer: Any) -> str:
    q = questions.get(test["q"], {"label": test["q"]})
    label, unit = q.get("label", test["q"]), q.get("unit", "")
    if test["op"] in ("yes", "no"):
        return _("%(question)s: %(answer)s") % {
            "question": label,
            "answer": pgettext("answer", "yes")
            if test["op"] == "yes"
            else pgettext("answer", "no"),
        }
    op_words = {
        "gt": _("more than"),
        "gte": _("at least"),
        "lt": _("less than"),
        "lte": _("at most"),
        "eq": _("equal to"),
    }
    return _("%(question)s %(answer)s%(unit)s (%(op)s %(bound)s%(unit)s)") % {
        "question": label,
        "answer": answer,
        "unit": unit,
        "op": op_words[test["op"]],
        "bound": test.get("value"),
    }


def _alternative_words(
    alternative: list[dict[str, Any]], questions: dict[str, dict[str, Any]], answers: dict[str, Any]
) -> str:
    """The tests in words, one phrase per question: a range reads "为15%（超过10%，不超过30%）"."""
    by_question: dict[str, list[dict[str, Any]]] = {}
    for test in alternative:
        by_question.setdefault(test["q"], []).append(test)
    phrases: list[str] = []
    for key, tests in by_question.items():
        numeric = [t for t in tests if t["op"] not in ("yes", "no")]
        if len(numeric) < 2:
            phrases.extend(_test_words(t, questions, answers.get(key)) for t in tests)
            continue
        words = [_test_words(t, questions, answers.get(key)) for t in numeric]
        # The same question and answer: keep the first phrase, join the bounds in its brackets
        # (full-width in Chinese, ASCII in English).
        opening, closing = ("（", "）") if words[0].endswith("）") else (" (", ")")
        if not all(w.endswith(closing) and opening in w for w in words):
            phrases.extend(words)
            continue
        bounds = [w[w.rfind(opening) + len(opening) : -len(closing)] for w in words]
        head = words[0][: words[0].rfind(opening)]
        phrases.append(f"{head}{opening}{'，'.join(bounds)}{closing}")
    return "，".join(phrases)


def _choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:  # a code from an older catalogue: show it rather than nothing
        return str(value)


def circumstance_label(level: str) -> str:
    """严重 for `grave`: a stored calculation keeps the code, a page or an API says the word."""
    return _choice_label(CircumstanceLevel, level) if level else ""


def penalty_kind_labels(kinds: Any) -> list[str]:
    return [_choice_label(PenaltyKind, k) for k in kinds or []]


@dataclass(frozen=True)
class Recommendation:
    benchmark: DiscretionBenchmark
    level: str
    penalty_kinds: list[str]
    fine_min: int
    fine_max: int
    reasons: list[str] = field(default_factory=list)
    label: str = ""
    grave: bool = False
    answers: dict[str, Any] = field(default_factory=dict)
    # 从旧兼从轻: which benchmark applies (the act's or the decision's) and why.
    law: dict[str, Any] = field(default_factory=dict)

    def allows_fine(self, amount: int) -> bool:
        return self.fine_min <= amount <= self.fine_max

    def weight(self) -> tuple[int, int, int]:
        """How heavy the tier is for the party: its heaviest kind, then the fines."""
        heaviest = max((KIND_WEIGHT.get(PenaltyKind(k), 0) for k in self.penalty_kinds), default=0)
        return (heaviest, self.fine_max, self.fine_min)


def _place(benchmark: DiscretionBenchmark, facts: dict[str, Any]) -> Recommendation:
    questions = benchmark_questions(benchmark)
    by_key = {q["key"]: q for q in questions}
    answers, problems = answers_clean(questions, answers_of(facts))
    if problems:
        raise ServiceError.for_fields({"discretion_facts": "；".join(problems.values())})
    tiers = benchmark_tiers(benchmark)
    reasons: list[str] = []
    position: int | None = None
    for index in range(len(tiers) - 1, -1, -1):
        for alternative in tiers[index].get("when") or []:
            results = [_holds(t, answers) for t in alternative]
            if False in results:
                continue
            if None in results:
                # A heavier tier might apply: the answer it depends on is needed first.
                missing = [
                    by_key.get(t["q"], {}).get("label", t["q"])
                    for t, r in zip(alternative, results, strict=True)
                    if r is None
                ]
                raise ServiceError.for_fields(
                    {
                        "discretion_facts": _("Answer: %(question)s.")
                        % {"question": "、".join(missing)}
                    }
                )
            if alternative:
                position = index
                met = _alternative_words(alternative, by_key, answers)
                reasons.append(
                    _("Basis: %(condition)s → %(tier)s")
                    % {"condition": met, "tier": level_label(tiers[index])}
                )
                break
        if position is not None:
            break
    if position is None:
        position = next((i for i, t in enumerate(tiers) if t.get("default")), 0)
        reasons.append(
            _("No tier's conditions are met: %(tier)s applies.")
            % {"tier": level_label(tiers[position])}
        )
    fixed = bool(tiers[position].get("fixed"))
    present = set(facts.get("factors") or [])
    for factor in benchmark.factors:
        if factor.get("name") not in present:
            continue
        up = factor.get("effect") == "aggravating"
        if fixed:
            reasons.append(
                _("%(kind)s: %(name)s → weighed within %(tier)s (its range is set by law)")
                % {
                    "kind": _("Aggravating factor") if up else _("Mitigating factor"),
                    "name": factor["name"],
                    "tier": level_label(tiers[position]),
                }
            )
            continue
        steps = int(factor.get("steps", 1) or 1)
        position = max(0, min(position + (steps if up else -steps), len(tiers) - 1))
        reasons.append(
            _("%(kind)s: %(name)s → %(tier)s")
            % {
                "kind": _("Aggravating factor") if up else _("Mitigating factor"),
                "name": factor["name"],
                "tier": level_label(tiers[position]),
            }
        )
    tier = tiers[position]
    return Recommendation(
        benchmark=benchmark,
        level=str(tier["level"]),
        penalty_kinds=list(tier.get("penalty_kinds", [])),
        fine_min=int(tier.get("fine_min", 0)),
        fine_max=int(tier.get("fine_max", 0)),
        reasons=reasons,
        label=level_label(tier),
        grave=tier["level"] == CircumstanceLevel.GRAVE or bool(tier.get("grave")),
        answers=answers,
    )


def _version(benchmark: DiscretionBenchmark) -> str:
    return f"{benchmark.code}（{benchmark.effective_from.isoformat()}）"


def recommend_penalty(
    violation: str | DiscretionBenchmark,
    facts: dict[str, Any],
    *,
    on: datetime.date,
    decided_on: datetime.date | None = None,
) -> Recommendation:
    """`violation`: a benchmark code (the version in force `on` the act's date is used) or a
    benchmark. `facts`: {"answers": {question key: answer}, "factors": [names present]}, and
    for older benchmarks the flat keys "first_offence", "corrected_in_time", "not_corrected".
    `decided_on`: the decision's date; when given, 从旧兼从轻 chooses between the version in
    force on the act's date and the one in force then. Unanswered or ill-typed answers raise
    a ServiceError on "discretion_facts"."""
    benchmark = violation if isinstance(violation, DiscretionBenchmark) else None
    if benchmark is None:
        benchmark = benchmark_on(str(violation), on)
        if benchmark is None:
            raise NotFound(
                _("No discretion benchmark %(code)s was in force on %(date)s.")
                % {"code": violation, "date": on.isoformat()}
            )
    at_act = _place(benchmark, facts)
    later = benchmark_on(benchmark.code, decided_on) if decided_on else None
    law: dict[str, Any] = {
        "act_date": on.isoformat(),
        "decision_date": decided_on.isoformat() if decided_on else "",
        "act_benchmark": _version(benchmark),
        "act_level": at_act.level,
        "act_label": at_act.label,
        "act_range": [at_act.fine_min, at_act.fine_max],
    }
    chosen = at_act
    if later is None or later.pk == benchmark.pk:
        law.update(
            applied="act",
            why=_(
                "The benchmark in force on the date of the act (%(act)s) is still in force: "
                "it applies."
            )
            % {"act": _version(benchmark)},
        )
    else:
        at_decision = _place(later, facts)
        law.update(
            decision_benchmark=_version(later),
            decision_level=at_decision.level,
            decision_label=at_decision.label,
            decision_range=[at_decision.fine_min, at_decision.fine_max],
        )
        if at_decision.weight() < at_act.weight():
            chosen = at_decision
            law.update(
                applied="decision",
                why=_(
                    "The benchmark in force at the decision (%(new)s, %(new_tier)s, "
                    "%(new_min)s–%(new_max)s yuan) is lighter for the party than the one in "
                    "force on the date of the act (%(old)s, %(old_tier)s, %(old_min)s–"
                    "%(old_max)s yuan): the lighter one applies (行政处罚法 art. 37, "
                    "从旧兼从轻)."
                ),
            )
        else:
            law.update(
                applied="act",
                why=_(
                    "The benchmark in force on the date of the act (%(old)s, %(old_tier)s, "
                    "%(old_min)s–%(old_max)s yuan) applies: the one in force at the decision "
                    "(%(new)s, %(new_tier)s, %(new_min)s–%(new_max)s yuan) is not lighter for "
                    "the party (行政处罚法 art. 37, 从旧兼从轻)."
                ),
            )
        law["why"] = law["why"] % {
            "new": _version(later),
            "new_tier": at_decision.label,
            "new_min": f"{at_decision.fine_min:,}",
            "new_max": f"{at_decision.fine_max:,}",
            "old": _version(benchmark),
            "old_tier": at_act.label,
            "old_min": f"{at_act.fine_min:,}",
            "old_max": f"{at_act.fine_max:,}",
        }
    return Recommendation(
        benchmark=chosen.benchmark,
        level=chosen.level,
        penalty_kinds=chosen.penalty_kinds,
        fine_min=chosen.fine_min,
        fine_max=chosen.fine_max,
        reasons=chosen.reasons,
        label=chosen.label,
        grave=chosen.grave,
        answers=chosen.answers,
        law=law,
    )


def answer_lines(benchmark: DiscretionBenchmark, answers: dict[str, Any]) -> list[str]:
    """The answers in words, in the benchmark's order: "未持证上岗人数：2人"."""
    lines = []
    for q in benchmark_questions(benchmark):
        if q["key"] not in answers:
            continue
        value = answers[q["key"]]
        if q.get("kind") == "yes_no":
            shown = pgettext("answer", "yes") if value else pgettext("answer", "no")
        else:
            shown = f"{value}{q.get('unit', '')}"
        lines.append(f"{q.get('label', q['key'])}：{shown}")
    return lines


def questions_for(code: str, *, on: datetime.date, decided_on: datetime.date) -> dict[str, Any]:
    """What the proposal form asks for `code`: the questions and factors of the version in
    force on the act's date and of the one in force at the decision (both may apply under
    从旧兼从轻), each once. Empty when no version was in force on the act's date."""
    versions = [b for b in (benchmark_on(code, on), benchmark_on(code, decided_on)) if b]
    # Nothing in force on the act's date: the code is wrong for this act (the service says so).
    if not versions or versions[0].effective_from > on:
        return {"questions": [], "factors": [], "benchmarks": []}
    questions: dict[str, dict[str, Any]] = {}
    factors: dict[str, dict[str, Any]] = {}
    for b in versions:
        for q in benchmark_questions(b):
            questions.setdefault(q["key"], q)
        for f in b.factors:
            factors.setdefault(f["name"], f)
    # N3.5: when the province's exemption list names the violation, the officer confirms its
    # conditions (first offence, slight consequences, corrected in time).
    from anjian.catalog.observation import exemption_question

    listed = exemption_question(code, on)
    if listed is not None:
        questions.setdefault(listed["key"], listed)
    return {
        "questions": list(questions.values()),
        "factors": list(factors.values()),
        "benchmarks": list(dict.fromkeys(versions)),
    }


def questions_check(questions: list[dict[str, Any]], levels: list[dict[str, Any]]) -> str | None:
    """Why the questions, or the tiers' conditions over them, cannot be used; None if fine."""
    keys: list[str] = []
    for q in questions:
        key = str(q.get("key", ""))
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key) or key in keys:
            return _("Each question has a key of its own (small letters, digits, _).")
        if q.get("kind") not in QUESTION_KINDS or not str(q.get("label", "")).strip():
            return _("Question %(key)s: give its wording and a kind (%(kinds)s).") % {
                "key": key,
                "kinds": "、".join(QUESTION_KINDS),
            }
        keys.append(key)
    for level in levels:
        for alternative in level.get("when") or []:
            for test in alternative if isinstance(alternative, list) else [None]:
                if (
                    not isinstance(test, dict)
                    or test.get("q") not in keys
                    or test.get("op") not in TEST_OPS
                    or (test["op"] not in ("yes", "no") and _number(test.get("value")) is None)
                ):
                    return _("%(level)s: each condition names a question and a comparison.") % {
                        "level": level_label(level)
                    }
    return None
