"""Drop the second B-tree Django builds on the credit code for LIKE queries (PostgreSQL only).

Django gives every indexed varchar a `varchar_pattern_ops` twin so that `LIKE 'abc%'` can use
an index outside the C locale. The only prefix query on the credit code (the search's short
code prefix, entities/selectors.py) is written as a range on the unique key instead, which any
collation orders the same way for codes of digits and capital letters; the twin only cost every
import a fourth B-tree to grow (issue 24)."""

from django.db import migrations


def pattern_index_drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'entities_entity' "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def pattern_index_create(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS entities_entity_uscc_like "
            "ON entities_entity (uscc varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("entities", "0004_licence_status_reason")]

    operations = [migrations.RunPython(pattern_index_drop, pattern_index_create)]
