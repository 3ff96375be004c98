"""The legal-review gate in the database (triggers.py, ADR 0008)."""

from django.db import migrations


def install(apps, schema_editor):
    from anjian.cases import triggers

    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
