"""The default formula of the composite score (a *default*: the province changes the weights)."""

import datetime

from django.db import migrations

NAME = "Điểm tổng hợp (mặc định)"
WEIGHTS = {
    "obligations_on_time": 35,
    "announced": 15,
    "objectives_met": 15,
    "no_overdue_nc": 10,
    "reported_on_time": 10,
    "on_time_rate": 10,
    "satisfaction": 5,
}
BASIS = (
    "Trọng số mặc định: thực hiện đúng hạn các nghĩa vụ hằng năm là trọng tâm của việc duy trì "
    "HTQLCL (Quyết định 19/2014/QĐ-TTg); công bố, mục tiêu chất lượng, khắc phục sự không phù "
    "hợp, báo cáo năm và kết quả phục vụ người dân bổ sung. Sở KH&CN điều chỉnh theo hướng dẫn "
    "của tỉnh."
)


def load(apps, schema_editor):
    ScoreFormula = apps.get_model("dashboard", "ScoreFormula")
    if not ScoreFormula.objects.filter(name=NAME).exists():
        ScoreFormula.objects.create(
            name=NAME, effective_from=datetime.date(2015, 1, 1), weights=WEIGHTS, basis=BASIS
        )


def unload(apps, schema_editor):
    apps.get_model("dashboard", "ScoreFormula").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_score_formula")]

    operations = [migrations.RunPython(load, unload)]
