"""Several parties per case (双罚, ADR 0011): a responsible person's proceedings are a row that
points to the unit's case (`lead`) and shares its number; the person's position in the unit.

On SQLite, adding a column rebuilds the table and drops its triggers: the legal-review gate
(triggers.py) is installed again afterwards, as in 0005."""

import django.db.models.deletion
from django.db import migrations, models


def gate_reinstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_party_address")]

    operations = [
        # Unapplied, the columns' removal rebuilds the table too: reinstall after it.
        migrations.RunPython(migrations.RunPython.noop, gate_reinstall),
        migrations.RemoveConstraint(model_name="case", name="case_unique_number"),
        migrations.AddField(
            model_name="case",
            name="lead",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="co_parties",
                to="cases.case",
                verbose_name="case of the unit",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="party_position",
            field=models.CharField(blank=True, max_length=64, verbose_name="position in the unit"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("lead__isnull", True)),
                fields=("bureau", "number"),
                name="case_unique_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("lead__isnull", True), ("party_kind", "individual"), _connector="OR"
                ),
                name="case_co_party_is_a_person",
            ),
        ),
        migrations.RunPython(gate_reinstall, migrations.RunPython.noop),
    ]
