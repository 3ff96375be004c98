"""Standard declarations get a date and an address (N2.2), and standards their issue date.

`Standard.declared_by` was a plain many-to-many link. It keeps its table: the table becomes the
`StandardDeclaration` model through `SeparateDatabaseAndState` (Django's documented way to give
a many-to-many field a through model without moving its rows), then the new columns are added.
"""

import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("entities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="standard",
            name="issued_on",
            field=models.DateField(blank=True, null=True, verbose_name="issued on"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StandardDeclaration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "entity",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="standard_declarations",
                                to="entities.entity",
                                verbose_name="market entity",
                            ),
                        ),
                        (
                            "standard",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="declarations",
                                to="catalog.standard",
                                verbose_name="standard",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "catalog_standard_declared_by",
                        "unique_together": {("standard", "entity")},
                    },
                ),
                migrations.AlterField(
                    model_name="standard",
                    name="declared_by",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="declared_standards",
                        through="catalog.StandardDeclaration",
                        to="entities.entity",
                        verbose_name="declared by",
                    ),
                ),
            ]
        ),
        migrations.AddField(
            model_name="standarddeclaration",
            name="declared_on",
            field=models.DateField(default=datetime.date(2020, 1, 1), verbose_name="declared on"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="standarddeclaration",
            name="url",
            field=models.URLField(blank=True, max_length=300, verbose_name="where it is published"),
        ),
        migrations.AddField(
            model_name="standarddeclaration",
            name="recorded_by",
            field=models.CharField(blank=True, max_length=150, verbose_name="recorded by"),
        ),
        migrations.AddField(
            model_name="standarddeclaration",
            name="recorded_at",
            field=models.DateTimeField(
                auto_now_add=True,
                default=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
                verbose_name="recorded",
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="standarddeclaration",
            options={
                "ordering": ["-declared_on", "-id"],
                "verbose_name": "standard declaration",
                "verbose_name_plural": "standard declarations",
            },
        ),
    ]
