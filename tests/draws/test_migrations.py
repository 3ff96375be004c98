"""Migration 0003 moves drawn teams from the (selection, user) table onto the selection row; a
bureau upgrading with draws already run keeps every team, in drawn order."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Migrating backwards and forwards changes the schema: the owner role's work.
pytestmark = pytest.mark.db_owner

BEFORE = [("draws", "0002_jointvisit")]
AFTER = [("draws", "0003_drawselection_team")]


@pytest.mark.django_db(transaction=True)
def test_existing_teams_are_copied_in_drawn_order(org, make_user, make_entity) -> None:
    head = make_user("140600", ["division_head"], username="mig_head")
    first, second = make_user("140600", ["inspector"]), make_user("140600", ["inspector"])
    entity, unstaffed = make_entity("140602"), make_entity("140602")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Draw = apps.get_model("draws", "Draw")
        DrawSelection = apps.get_model("draws", "DrawSelection")
        draw = Draw.objects.create(
            bureau_id=head.bureau_id,
            title="升级前的抽查",
            inspection_from=datetime.date(2026, 7, 1),
            inspection_until=datetime.date(2026, 8, 31),
            status="drawn",
        )
        staffed = DrawSelection.objects.create(
            draw=draw, entity_id=entity.pk, stratum="coal_mine", probability=0.5
        )
        # Written in the order the draw chose them: second, then first.
        DrawSelection.inspectors.through.objects.create(
            drawselection_id=staffed.pk, user_id=second.pk
        )
        DrawSelection.inspectors.through.objects.create(
            drawselection_id=staffed.pk, user_id=first.pk
        )
        DrawSelection.objects.create(
            draw=draw, entity_id=unstaffed.pk, stratum="coal_mine", probability=0.5
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        # Back to the latest state: later migrations (the sealed secret) must not stay undone.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    from anjian.draws.models import DrawSelection as Current

    teams = dict(Current.objects.values_list("entity_id", "team"))
    assert teams == {entity.pk: [second.pk, first.pk], unstaffed.pk: []}
