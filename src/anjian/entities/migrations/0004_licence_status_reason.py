"""Why a licence is suspended or revoked: the decision's number and date (cases)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("entities", "0003_entity_credit_grade_entity_risk_level")]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="status_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="status changed by"),
        ),
        migrations.AddField(
            model_name="licence",
            name="status_changed_on",
            field=models.DateField(blank=True, null=True, verbose_name="status changed on"),
        ),
    ]
