"""The answer rule of complaints and petitions, as data: 10 working days for every channel
unless a channel has a rule of its own. Administrators add rows when a decree or the
province's regulation changes (a new ``effective_from``); the old rows keep applying to what
was received before."""

import datetime

from django.db import migrations

BASIS = (
    "Mặc định: Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP) về tiếp nhận, xử lý "
    "phản ánh, kiến nghị; đối chiếu quy chế của tỉnh"
)
RULES = [
    # channel ("" = every channel without a rule of its own), days, counted in, from, basis
    ("", 10, "working", datetime.date(2018, 1, 1), BASIS),
]


def load(apps, schema_editor):
    rule = apps.get_model("feedback", "AnswerRule")
    for channel, days, kind, start, basis in RULES:
        rule.objects.get_or_create(
            channel=channel,
            effective_from=start,
            defaults={"days": days, "day_kind": kind, "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
