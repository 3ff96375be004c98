"""Two bureaus may not share a document abbreviation: first give every bureau that shares one
its region's default from the table (core/data/document_abbreviations_140000.csv), or blank
when that default is taken too, then add the constraint."""

from django.db import migrations, models


def _deduplicate(apps, schema_editor):  # type: ignore[no-untyped-def]
    from collections import Counter

    from anjian.core.abbreviations import abbreviation_table

    Bureau = apps.get_model("accounts", "Bureau")
    table = abbreviation_table()
    counts = Counter(
        Bureau.objects.exclude(document_abbreviation="").values_list(
            "document_abbreviation", flat=True
        )
    )
    shared = {value for value, n in counts.items() if n > 1}
    used = {value for value, n in counts.items() if n == 1}
    for bureau in Bureau.objects.filter(document_abbreviation__in=shared).order_by("pk"):
        default = table.get(bureau.region_id, "")
        value = default if default and default not in used else ""
        if value:
            used.add(value)
        bureau.document_abbreviation = value
        bureau.save(update_fields=["document_abbreviation"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_bureau_document_details")]

    operations = [
        migrations.RunPython(_deduplicate, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="bureau",
            constraint=models.UniqueConstraint(
                condition=models.Q(("document_abbreviation", ""), _negated=True),
                fields=("document_abbreviation",),
                name="bureau_document_abbreviation_unique",
            ),
        ),
    ]
