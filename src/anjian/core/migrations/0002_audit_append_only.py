"""Make core_auditevent append-only with database triggers, and create the chain head row."""

from django.db import migrations


def install(apps, schema_editor):
    from anjian.core import audit_triggers

    audit_triggers.install(schema_editor.connection)
    head = apps.get_model("core", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


def uninstall(apps, schema_editor):
    from anjian.core import audit_triggers

    audit_triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
