"""The draw's secret is sealed at rest (SM4-GCM, key outside the database): until the draw it
is what keeps the selection unpredictable. Existing secrets are sealed in place."""

from django.db import migrations

import anjian.core.crypto
from anjian.core.crypto import migration_seal


class Migration(migrations.Migration):
    dependencies = [("draws", "0004_draw_files")]

    operations = [
        migrations.AlterField(
            model_name="draw",
            name="secret",
            field=anjian.core.crypto.EncryptedTextField(blank=True, editable=False),
        ),
        migration_seal("draws", "draw", "secret"),
    ]
