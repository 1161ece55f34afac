"""The rule of the TCVN ISO 9001:2008 → 2015 transition (2019–2021), as data. The deadline is a
*default*: check it against the Ministry's guidance the province follows."""

import datetime

from django.db import migrations

BASIS = (
    "Quyết định 19/2014/QĐ-TTg; Quyết định 101/QĐ-BKHCN năm 2019 (mô hình khung theo TCVN ISO "
    "9001:2015); hướng dẫn của Bộ KH&CN về chuyển đổi (hạn mặc định: đối chiếu văn bản)"
)


def load(apps, schema_editor):
    TransitionRule = apps.get_model("reports", "TransitionRule")
    TransitionRule.objects.get_or_create(
        from_version="2008",
        to_version="2015",
        defaults={"deadline": datetime.date(2021, 6, 30), "legal_basis": BASIS},
    )


def unload(apps, schema_editor):
    apps.get_model("reports", "TransitionRule").objects.filter(
        from_version="2008", to_version="2015"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
