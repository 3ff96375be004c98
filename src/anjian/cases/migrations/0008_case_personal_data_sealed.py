"""A natural person's ID number and address are sealed at rest (SM4-GCM, key outside the
database; docs/security.md). Existing values are sealed in place.

The legal-review gate (triggers.py) is lifted around the change: on SQLite altering a column
rebuilds the table and drops its triggers, and sealing the ID number of a case past its notice
would otherwise be refused as a change of the frozen proposal. The gate is installed again at the
end, in either direction."""

from django.db import migrations

import anjian.core.crypto
from anjian.core.crypto import migration_seal


def gate_install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)
    triggers.install(schema_editor.connection)


def gate_uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_supply_stops")]

    operations = [
        migrations.RunPython(gate_uninstall, gate_install),
        migrations.AlterField(
            model_name="case",
            name="party_address",
            field=anjian.core.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="address of the natural person"
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="party_id_number",
            field=anjian.core.crypto.EncryptedTextField(
                blank=True, max_length=18, verbose_name="ID number"
            ),
        ),
        migration_seal("cases", "case", "party_address"),
        migration_seal("cases", "case", "party_id_number"),
        migrations.RunPython(gate_install, gate_uninstall),
    ]
