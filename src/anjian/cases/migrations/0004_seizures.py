"""查封、扣押 as a measure within a case, with its time limit, extension and release
(cases/coercion.py)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_unpaid_fine_path_and_handling_period'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Seizure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('seal', 'Sealing up (查封)'), ('seize', 'Seizure (扣押)')], max_length=8, verbose_name='measure')),
                ('items', models.TextField(verbose_name='facilities, equipment or materials')),
                ('reason', models.TextField(verbose_name='reason')),
                ('decided_on', models.DateField(verbose_name='decided on')),
                ('ends_on', models.DateField(verbose_name='ends on')),
                ('extended_by', models.PositiveSmallIntegerField(default=0, verbose_name='extended by (days)')),
                ('extension_reason', models.TextField(blank=True, verbose_name='reason for the extension')),
                ('released_on', models.DateField(blank=True, null=True, verbose_name='released on')),
                ('release_reason', models.TextField(blank=True, verbose_name='reason for the release')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seizures', to='cases.case')),
                ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'sealing up or seizure',
                'verbose_name_plural': 'sealings up and seizures',
                'ordering': ['case_id', 'decided_on', 'id'],
            },
        ),
    ]
