"""API tokens issued before tokens were hashed (DRF's ``authtoken_token`` table, plain text)
are carried over as hashed tokens named "carried over", valid for ``API_TOKEN_DAYS`` from now;
the plain-text keys are then deleted. Integrations keep working with the key they have."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {table}")  # noqa: S608 (a constant name)
        rows = cursor.fetchall()
    expires = timezone.now() + datetime.timedelta(days=getattr(settings, "API_TOKEN_DAYS", 365))
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user_id=user_id,
                name="carried over",
                prefix=key[:6],
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                expires_at=expires,
            )
            for key, user_id in rows
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a constant name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_fill_username_skeletons")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
