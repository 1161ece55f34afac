"""The typical objective "dossiers on time" of the framework model is measured by the records
module's source, registered under the key "dossiers.on_time_rate"."""

from django.db import migrations

OLD, NEW = "records.on_time_rate", "dossiers.on_time_rate"


def forward(apps, schema_editor):
    apps.get_model("objectives", "ObjectiveTemplate").objects.filter(source=OLD).update(source=NEW)


def backward(apps, schema_editor):
    apps.get_model("objectives", "ObjectiveTemplate").objects.filter(source=NEW).update(source=OLD)


class Migration(migrations.Migration):
    dependencies = [("objectives", "0003_field_labels")]
    operations = [migrations.RunPython(forward, backward)]
