"""Database triggers that hold the legal-review gate whatever writes the row (ADR 0008).

The services check everything first and give the reasons; these triggers are the last line,
for writes that bypass the services: the shell (`Case.objects.filter(...).update(state=...)`,
`case.save()`), a data fix in SQL, a future code path that forgets the check.

On `cases_case`:
- a case is never inserted already decided;
- it enters the decided states (decided, served, the unpaid-fine path, executed, closed) only from
  awaiting_decision to decided, and, when it is major, only if a passed legal review of the
  same proposal (`snapshot_hash = proposal_hash`) exists;
- after the notice (any state but filing and investigating) the proposal's columns do not
  change, so a review cannot pass one proposal and the decision carry another.
On `cases_legalreview`:
- a review is inserted pending; a decided review never changes; a pass names a reviewer who is
  not one of the case's handlers.
No DELETE triggers: rows are protected by foreign keys, and the test suite's `flush` must be
able to empty the tables.
"""

from __future__ import annotations

from typing import Any

from anjian.core.audit_triggers import triggers_run

MESSAGE = "cases: legal-review gate"
DECIDED = (
    "decided",
    "served",
    "reminded",
    "surcharged",
    "court_applied",
    "court_ruled",
    "executed",
    "closed",
)
OPEN_PROPOSAL = ("filing", "investigating")
PROPOSAL_COLUMNS = (
    "entity_id",
    "party_kind",
    "party_name",
    "party_id_number",
    "facts",
    "act_date",
    "provisions",
    "benchmark_id",
    "discretion_facts",
    "recommended_level",
    "discretion",
    "measures",
    "fine_amount",
    "confiscation_amount",
    "justification",
    "grave",
    "hearing_entitled",
    "major",
    "major_reasons",
    "proposal_hash",
)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_PASSED = (
    "EXISTS (SELECT 1 FROM cases_legalreview r WHERE r.case_id = NEW.id "
    "AND r.result = 'pass' AND r.snapshot_hash = NEW.proposal_hash)"
)
_CHANGED_SQLITE = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PROPOSAL_COLUMNS)
_HANDLER = (
    "EXISTS (SELECT 1 FROM cases_case_handlers h WHERE h.case_id = NEW.case_id "
    "AND h.user_id = NEW.reviewer_id)"
)

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS cases_case_no_decided_insert BEFORE INSERT ON cases_case
WHEN NEW.state IN {_in(DECIDED)}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: a case is not created decided'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_case_decision_gate BEFORE UPDATE ON cases_case
WHEN NEW.state IN {_in(DECIDED)} AND OLD.state NOT IN {_in(DECIDED)} AND (
  NOT (NEW.state = 'decided' AND OLD.state = 'awaiting_decision')
  OR (NEW.major AND NOT {_PASSED}))
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: no passed legal review of this proposal'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_case_proposal_frozen BEFORE UPDATE ON cases_case
WHEN OLD.state NOT IN {_in(OPEN_PROPOSAL)} AND ({_CHANGED_SQLITE})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the proposal is frozen after the notice'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_review_born_pending BEFORE INSERT ON cases_legalreview
WHEN NEW.result <> ''
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: a review is created pending'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS cases_review_final BEFORE UPDATE ON cases_legalreview
WHEN OLD.result <> '' OR NEW.snapshot_hash IS NOT OLD.snapshot_hash
  OR NEW.case_id IS NOT OLD.case_id
  OR (NEW.result = 'pass' AND (NEW.reviewer_id IS NULL OR NEW.decided_at IS NULL OR {_HANDLER}))
BEGIN SELECT RAISE(ABORT, '{MESSAGE}: a decided review does not change'); END;""",
]
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS cases_case_no_decided_insert;",
    "DROP TRIGGER IF EXISTS cases_case_decision_gate;",
    "DROP TRIGGER IF EXISTS cases_case_proposal_frozen;",
    "DROP TRIGGER IF EXISTS cases_review_born_pending;",
    "DROP TRIGGER IF EXISTS cases_review_final;",
]

_RAISE = "RAISE EXCEPTION '{}' USING ERRCODE = 'integrity_constraint_violation';"
_ROW_NEW = "ROW(" + ", ".join(f"NEW.{c}" for c in PROPOSAL_COLUMNS) + ")"
_ROW_OLD = "ROW(" + ", ".join(f"OLD.{c}" for c in PROPOSAL_COLUMNS) + ")"
_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION cases_case_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state IN {_in(DECIDED)} THEN
      {_RAISE.format(MESSAGE + ": a case is not created decided")}
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.state NOT IN {_in(OPEN_PROPOSAL)} AND {_ROW_NEW} IS DISTINCT FROM {_ROW_OLD} THEN
    {_RAISE.format(MESSAGE + ": the proposal is frozen after the notice")}
  END IF;
  IF NEW.state IN {_in(DECIDED)} AND OLD.state NOT IN {_in(DECIDED)} THEN
    IF NOT (NEW.state = 'decided' AND OLD.state = 'awaiting_decision')
       OR (NEW.major AND NOT {_PASSED}) THEN
      {_RAISE.format(MESSAGE + ": no passed legal review of this proposal")}
    END IF;
  END IF;
  RETURN NEW;
END $$;""",
    "CREATE OR REPLACE TRIGGER cases_case_guard BEFORE INSERT OR UPDATE ON cases_case "
    "FOR EACH ROW EXECUTE FUNCTION cases_case_guard();",
    f"""CREATE OR REPLACE FUNCTION cases_review_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.result <> '' THEN
      {_RAISE.format(MESSAGE + ": a review is created pending")}
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.result <> '' OR NEW.snapshot_hash IS DISTINCT FROM OLD.snapshot_hash
     OR NEW.case_id IS DISTINCT FROM OLD.case_id
     OR (NEW.result = 'pass' AND (NEW.reviewer_id IS NULL OR NEW.decided_at IS NULL
                                  OR {_HANDLER})) THEN
    {_RAISE.format(MESSAGE + ": a decided review does not change")}
  END IF;
  RETURN NEW;
END $$;""",
    "CREATE OR REPLACE TRIGGER cases_review_guard BEFORE INSERT OR UPDATE ON cases_legalreview "
    "FOR EACH ROW EXECUTE FUNCTION cases_review_guard();",
]
_PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS cases_case_guard ON cases_case;",
    "DROP TRIGGER IF EXISTS cases_review_guard ON cases_legalreview;",
    "DROP FUNCTION IF EXISTS cases_case_guard();",
    "DROP FUNCTION IF EXISTS cases_review_guard();",
]


_STATEMENTS = {
    "sqlite": (_SQLITE_INSTALL, _SQLITE_UNINSTALL),
    "postgresql": (_PG_INSTALL, _PG_UNINSTALL),
}


def install(connection: Any) -> None:
    triggers_run(connection, _STATEMENTS, install=True)


def uninstall(connection: Any) -> None:
    triggers_run(connection, _STATEMENTS, install=False)
