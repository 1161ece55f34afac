"""The default scale for rating risks and opportunities (data, editable by an admin): five
levels of likelihood and five of impact, rating = likelihood × impact; up to 4 accepted
without treatment, from 10 high. Practice of the framework model's procedure QT-05."""

from django.db import migrations

BASIS = (
    "TCVN ISO 9001:2015, điều 6.1; mô hình khung HTQLCL (Bộ Khoa học và Công nghệ, 2019), "
    "quy trình QT-05 Quản lý rủi ro và cơ hội (mặc định)"
)


def load(apps, schema_editor):
    RiskScale = apps.get_model("risks", "RiskScale")
    RiskScale.objects.update_or_create(
        code="mac-dinh-5x5",
        defaults={
            "name": "Thang 5 × 5 (mặc định)",
            "likelihood_levels": [
                "Hiếm khi xảy ra",
                "Ít khi xảy ra",
                "Có thể xảy ra",
                "Thường xảy ra",
                "Gần như chắc chắn xảy ra",
            ],
            "impact_levels": [
                "Không đáng kể",
                "Nhỏ",
                "Trung bình",
                "Lớn",
                "Nghiêm trọng",
            ],
            "acceptance_threshold": 4,
            "high_from": 10,
            "legal_basis": BASIS,
            "is_default": True,
        },
    )


def unload(apps, schema_editor):
    apps.get_model("risks", "RiskScale").objects.filter(code="mac-dinh-5x5").delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
