"""Agency kinds and who must apply ISO 9001 by default (QĐ 19/2014/QĐ-TTg, Điều 2).
Data, editable by an admin; the legal basis is kept beside each rule."""

from django.db import migrations

QD19 = "Quyết định 19/2014/QĐ-TTg, Điều 2"
KINDS = [
    ("ubnd_tinh", "Ủy ban nhân dân tỉnh", "provincial", True, QD19 + " khoản 1", 10),
    ("so_nganh", "Sở, ban, ngành", "provincial", True, QD19 + " khoản 1", 20),
    ("chi_cuc", "Chi cục, đơn vị trực thuộc sở", "provincial", True, QD19 + " khoản 1", 30),
    (
        "ubnd_huyen",
        "Ủy ban nhân dân huyện (đến 30/06/2025)",
        "district",
        True,
        QD19 + " khoản 1",
        40,
    ),
    ("phong_huyen", "Phòng chuyên môn cấp huyện", "district", True, QD19 + " khoản 1", 50),
    (
        "ubnd_xa",
        "Ủy ban nhân dân xã, phường, đặc khu",
        "commune",
        False,
        QD19 + " khoản 2 (khuyến khích)",
        60,
    ),
    (
        "don_vi_su_nghiep",
        "Đơn vị sự nghiệp công lập",
        "provincial",
        False,
        QD19 + " khoản 2 (khuyến khích)",
        70,
    ),
]


def load(apps, schema_editor):
    AgencyKind = apps.get_model("organizations", "AgencyKind")
    for code, name, tier, must, basis, order in KINDS:
        AgencyKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "default_tier": tier,
                "must_apply": must,
                "legal_basis": basis,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
