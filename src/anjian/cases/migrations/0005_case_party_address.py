"""A natural person's own address (住址), which the decision prints instead of the entity's.

On SQLite, adding a column rebuilds the table and drops its triggers: the legal-review gate
(triggers.py) is installed again afterwards."""

from django.db import migrations, models


def gate_reinstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_seizures")]

    operations = [
        # Unapplied, the column's removal rebuilds the table too: reinstall after it.
        migrations.RunPython(migrations.RunPython.noop, gate_reinstall),
        migrations.AddField(
            model_name="case",
            name="party_address",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="address of the natural person"
            ),
        ),
        migrations.RunPython(gate_reinstall, migrations.RunPython.noop),
    ]
