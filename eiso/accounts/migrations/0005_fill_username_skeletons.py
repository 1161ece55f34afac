"""User names are stored normalised (NFKC, lower case) and each has its look-alike skeleton.
A name whose normalised form another user already has is left as it is (an administrator
renames one of them)."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    from eiso.accounts.usernames import normalize_username, username_skeleton

    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("username", flat=True))
    changed = []
    for user in User.objects.only("pk", "username", "username_skeleton").iterator(chunk_size=BATCH):
        normalised = normalize_username(user.username)
        if normalised != user.username and normalised and normalised not in taken:
            taken.discard(user.username)
            taken.add(normalised)
            user.username = normalised
        user.username_skeleton = username_skeleton(user.username)
        changed.append(user)
        if len(changed) >= BATCH:
            User.objects.bulk_update(changed, ["username", "username_skeleton"])
            changed = []
    if changed:
        User.objects.bulk_update(changed, ["username", "username_skeleton"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens_recovery_codes_sessions_username_skeleton"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
