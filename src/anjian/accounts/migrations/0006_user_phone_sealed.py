"""A user's own telephone is personal data: sealed at rest (SM4-GCM, key outside the
database). Existing numbers are sealed in place."""

from django.db import migrations

import anjian.core.crypto
from anjian.core.crypto import migration_seal


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_alter_roleassignment_role")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=anjian.core.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="phone"
            ),
        ),
        migration_seal("accounts", "user", "phone"),
    ]
