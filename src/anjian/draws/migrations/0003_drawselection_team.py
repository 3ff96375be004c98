"""The drawn team moves from a (selection, user) table onto the selection row as a list of user
pks in drawn order (docs/decisions/0009-draw-time-budget.md). Existing teams are copied in the
order their rows were written, which is the order the draw chose them."""

from django.db import migrations, models


def teams_copy(apps, schema_editor):
    DrawSelection = apps.get_model("draws", "DrawSelection")
    through = DrawSelection.inspectors.through
    teams: dict[int, list[int]] = {}
    for selection_id, user_id in through.objects.order_by("id").values_list(
        "drawselection_id", "user_id"
    ):
        teams.setdefault(selection_id, []).append(user_id)
    batch = []
    for selection in DrawSelection.objects.filter(pk__in=list(teams)).only("pk"):
        selection.team = teams[selection.pk]
        batch.append(selection)
    DrawSelection.objects.bulk_update(batch, ["team"], batch_size=1000)


def teams_restore(apps, schema_editor):
    DrawSelection = apps.get_model("draws", "DrawSelection")
    through = DrawSelection.inspectors.through
    through.objects.bulk_create(
        [
            through(drawselection_id=s.pk, user_id=u)
            for s in DrawSelection.objects.exclude(team=[]).only("pk", "team")
            for u in s.team
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("draws", "0002_jointvisit"),
    ]

    operations = [
        migrations.AddField(
            model_name="drawselection",
            name="team",
            field=models.JSONField(blank=True, default=list, verbose_name="inspectors"),
        ),
        migrations.RunPython(teams_copy, teams_restore),
        migrations.RemoveField(
            model_name="drawselection",
            name="inspectors",
        ),
    ]
