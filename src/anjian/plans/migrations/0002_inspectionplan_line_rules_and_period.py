import django.db.models.deletion  # noqa: F401
from django.db import migrations, models


class Migration(migrations.Migration):
    """The glossary's name (InspectionPlan); lines gain credit-grade and risk-level rules, a
    period within the year, and an explicit by-list mode."""

    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("Plan", "InspectionPlan"),
        migrations.AddField(
            model_name="planline",
            name="credit_grades",
            field=models.JSONField(blank=True, default=list, verbose_name="credit grades"),
        ),
        migrations.AddField(
            model_name="planline",
            name="risk_levels",
            field=models.JSONField(blank=True, default=list, verbose_name="risk levels"),
        ),
        migrations.AddField(
            model_name="planline",
            name="starts_on",
            field=models.DateField(blank=True, null=True, verbose_name="from"),
        ),
        migrations.AddField(
            model_name="planline",
            name="ends_on",
            field=models.DateField(blank=True, null=True, verbose_name="until"),
        ),
        migrations.AddField(
            model_name="planline",
            name="by_list",
            field=models.BooleanField(default=False, verbose_name="by explicit list"),
        ),
    ]
