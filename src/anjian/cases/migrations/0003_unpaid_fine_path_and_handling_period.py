"""The unpaid fine's path (催告, 加处罚款, instalments, the court), the handling period's
extensions and suspensions (cases/execution.py), and the handler's reasons of 行政处罚法
第五十八条 for a legal review (cases/legal_review.py)."""

import django.db.models.deletion
from django.db import migrations, models


def reinstall_triggers(apps, schema_editor):
    # SQLite rebuilds cases_case to add columns, which drops its triggers; and the decided
    # states now include the unpaid-fine path. Install them again from triggers.py.
    from anjian.cases import triggers

    triggers.uninstall(schema_editor.connection)
    triggers.install(schema_editor.connection)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_legal_review_gate'),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="review_reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="reasons for legal review"),
        ),
        migrations.AddField(
            model_name="case",
            name="review_reason_note",
            field=models.TextField(blank=True, verbose_name="why the case needs legal review"),
        ),
        migrations.AddField(
            model_name='case',
            name='court_applied_on',
            field=models.DateField(blank=True, null=True, verbose_name='court enforcement applied for on'),
        ),
        migrations.AddField(
            model_name='case',
            name='court_ruled_on',
            field=models.DateField(blank=True, null=True, verbose_name='court ruling on'),
        ),
        migrations.AddField(
            model_name='case',
            name='court_ruling',
            field=models.TextField(blank=True, verbose_name='court ruling'),
        ),
        migrations.AddField(
            model_name='case',
            name='extension_days',
            field=models.PositiveIntegerField(default=0, verbose_name='handling period extended by (days)'),
        ),
        migrations.AddField(
            model_name='case',
            name='payment_plan',
            field=models.JSONField(blank=True, default=dict, verbose_name='deferral or instalment plan'),
        ),
        migrations.AddField(
            model_name='case',
            name='reminded_on',
            field=models.DateField(blank=True, null=True, verbose_name='reminder served on'),
        ),
        migrations.AddField(
            model_name='case',
            name='surcharge_amount',
            field=models.PositiveBigIntegerField(default=0, verbose_name='late-payment surcharge (yuan)'),
        ),
        migrations.AddField(
            model_name='case',
            name='surcharge_until',
            field=models.DateField(blank=True, null=True, verbose_name='surcharge computed up to'),
        ),
        migrations.AlterField(
            model_name='case',
            name='state',
            field=models.CharField(choices=[('filing', 'Filing awaiting approval'), ('not_filed', 'Not filed'), ('investigating', 'Investigation and evidence'), ('notified', 'Notice of proposed penalty issued'), ('hearing', 'Hearing'), ('legal_review', 'Legal review'), ('deliberation', 'Collective deliberation'), ('awaiting_decision', 'Awaiting decision'), ('decided', 'Decided'), ('served', 'Decision served'), ('reminded', 'Reminded to pay'), ('surcharged', 'Late-payment surcharge decided'), ('court_applied', 'Court enforcement applied for'), ('court_ruled', 'Court ruling recorded'), ('executed', 'Executed'), ('closed', 'Closed'), ('withdrawn', 'Withdrawn'), ('transferred', 'Transferred')], default='filing', max_length=20, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='from_state',
            field=models.CharField(blank=True, choices=[('filing', 'Filing awaiting approval'), ('not_filed', 'Not filed'), ('investigating', 'Investigation and evidence'), ('notified', 'Notice of proposed penalty issued'), ('hearing', 'Hearing'), ('legal_review', 'Legal review'), ('deliberation', 'Collective deliberation'), ('awaiting_decision', 'Awaiting decision'), ('decided', 'Decided'), ('served', 'Decision served'), ('reminded', 'Reminded to pay'), ('surcharged', 'Late-payment surcharge decided'), ('court_applied', 'Court enforcement applied for'), ('court_ruled', 'Court ruling recorded'), ('executed', 'Executed'), ('closed', 'Closed'), ('withdrawn', 'Withdrawn'), ('transferred', 'Transferred')], max_length=20),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='to_state',
            field=models.CharField(blank=True, choices=[('filing', 'Filing awaiting approval'), ('not_filed', 'Not filed'), ('investigating', 'Investigation and evidence'), ('notified', 'Notice of proposed penalty issued'), ('hearing', 'Hearing'), ('legal_review', 'Legal review'), ('deliberation', 'Collective deliberation'), ('awaiting_decision', 'Awaiting decision'), ('decided', 'Decided'), ('served', 'Decision served'), ('reminded', 'Reminded to pay'), ('surcharged', 'Late-payment surcharge decided'), ('court_applied', 'Court enforcement applied for'), ('court_ruled', 'Court ruling recorded'), ('executed', 'Executed'), ('closed', 'Closed'), ('withdrawn', 'Withdrawn'), ('transferred', 'Transferred')], max_length=20),
        ),
        migrations.CreateModel(
            name='CaseSuspension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_on', models.DateField(verbose_name='suspended from')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='resumed on')),
                ('reason', models.TextField(verbose_name='reason')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='suspensions', to='cases.case')),
            ],
            options={
                'verbose_name': 'suspension of the handling period',
                'verbose_name_plural': 'suspensions of the handling period',
                'ordering': ['case_id', 'started_on', 'id'],
            },
        ),
        migrations.RunPython(reinstall_triggers, noop),
    ]
