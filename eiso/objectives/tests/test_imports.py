"""Spreadsheet imports of objectives and of the risk register: a good file lands as drafts;
each bad cell is reported on its row and column and nothing is saved; the page previews the
bad rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from eiso.core.errors import NotPermitted
from eiso.core.imports import import_file
from eiso.objectives.models import ObjectiveSet, PlanAction, QualityObjective
from eiso.objectives.tests.factories import issued_set
from eiso.risks.models import Risk, Treatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]

OBJECTIVES = (
    "Năm,STT,Mục tiêu,Chỉ số đo lường,So sánh,Chỉ tiêu,Đơn vị tính,Tần suất,"
    "Nội dung công việc,Người thực hiện,Thời hạn\n"
)
GOOD = (
    "2026,1,Giải quyết hồ sơ đúng hạn,Tỷ lệ hồ sơ đúng hạn,≥,98,%,quý,Theo dõi hằng tuần,"
    "Văn phòng,31/12/2026\n"
    "2026,1,,,,,,,Rà soát quy trình trễ hạn,Thư ký ISO,30/06/2026\n"
    "2026,2,Trả lời phản ánh đúng hạn,Tỷ lệ phản ánh trả lời đúng hạn,=,100,%,6 tháng,"
    "Lập sổ theo dõi,Văn phòng,31/03/2026\n"
)
RISKS = "Năm,Loại,Quá trình,Mô tả,Khả năng xảy ra,Mức độ ảnh hưởng,Biện pháp xử lý,Thời hạn\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(actor, agency, kind, text):
    return import_file(
        actor=actor, agency=agency, kind=kind, filename="bang.csv", content=text.encode()
    )


def test_a_good_file_of_objectives_becomes_the_draft_with_its_plan(world):
    report = run(world.an, world.A, "objectives", OBJECTIVES + GOOD)
    assert report.ok, report.errors
    objective_set = ObjectiveSet.objects.get()
    assert objective_set.status == "draft" and objective_set.year == 2026
    first, second = objective_set.objectives.order_by("number")
    assert (first.comparator, first.target, first.frequency) == ("ge", 98, "quarter")
    assert first.actions.count() == 2 and second.frequency == "half_year"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2026,1,Mục tiêu,Chỉ số,,98,%,quý,Việc,VP,31/12/2026", "comparator"),
        ("2026,1,Mục tiêu,Chỉ số,≥,98,,quý,Việc,VP,31/12/2026", "unit"),
        ("2026,1,Mục tiêu,Chỉ số,≈,98,%,quý,Việc,VP,31/12/2026", "comparator"),
        ("2026,1,Mục tiêu,Chỉ số,≥,nhiều,%,quý,Việc,VP,31/12/2026", "target"),
        ("2026,1,Mục tiêu,Chỉ số,≥,98,%,tuần,Việc,VP,31/12/2026", "frequency"),
        ("2026,1,Mục tiêu,Chỉ số,≥,98,%,quý,Việc,VP,15/01/2027", "due_date"),
        ("2026,1,Mục tiêu,Chỉ số,≥,98,%,quý,Việc,VP,31/02/2026", "due_date"),
    ],
)
def test_each_bad_cell_of_objectives_is_reported_and_nothing_is_saved(world, line, column):
    report = run(world.an, world.A, "objectives", OBJECTIVES + line + "\n")
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert not ObjectiveSet.objects.exists() and not QualityObjective.objects.exists()
    assert not PlanAction.objects.exists()


def test_objectives_already_issued_are_not_imported_into(world):
    issued_set(world, world.A, 2026)
    report = run(world.an, world.A, "objectives", OBJECTIVES + GOOD)
    assert {e.column for e in report.errors} == {"year"}
    assert QualityObjective.objects.count() == 1


def test_only_drafters_import_objectives(world):
    for actor, agency in ((world.binh, world.A), (world.dung, world.A), (world.an, None)):
        with pytest.raises(NotPermitted):
            run(actor, agency, "objectives", OBJECTIVES + GOOD)


def test_a_good_register_file_with_its_treatments(world):
    report = run(
        world.an,
        world.A,
        "risks",
        RISKS
        + "2026,rủi ro,Tiếp nhận hồ sơ,Thất lạc hồ sơ,3,4,Lập sổ giao nhận,30/06/2026\n"
        + "2026,cơ hội,Dịch vụ công,Nộp trực tuyến tăng,4,3,,\n",
    )
    assert report.ok, report.errors
    assert list(Risk.objects.order_by("code").values_list("code", "rating")) == [
        ("CH-01", 12),
        ("R-01", 12),
    ]
    assert Treatment.objects.get().due_date.isoformat() == "2026-06-30"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("2026,rủi ro,Tiếp nhận,Mô tả,6,4,,", "likelihood"),
        ("2026,rủi ro,Tiếp nhận,Mô tả,3,0,,", "impact"),
        ("2026,rủi ro,Tiếp nhận,Mô tả,cao,4,,", "likelihood"),
        ("2026,rủi ro,Tiếp nhận,Mô tả,3,4,Biện pháp,15/01/2027", "due_date"),
        ("2026,rủi ro,Tiếp nhận,Mô tả,3,4,Biện pháp,", "due_date"),
        ("2026,nguy cơ,Tiếp nhận,Mô tả,3,4,,", "kind"),
        ("2026,rủi ro,,Mô tả,3,4,,", "process"),
    ],
)
def test_each_bad_cell_of_the_register_is_reported_and_nothing_is_saved(world, line, column):
    report = run(world.an, world.A, "risks", RISKS + line + "\n")
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert not Risk.objects.exists() and not Treatment.objects.exists()


def test_the_import_page_previews_the_bad_rows(client, world):
    client.force_login(world.an)
    bad = OBJECTIVES + "2026,1,Mục tiêu,Chỉ số,≥,98,,quý,Việc,VP,31/12/2026\n"
    response = client.post(
        reverse("objectives:import"),
        {"file": SimpleUploadedFile("muc-tieu.csv", bad.encode())},
    )
    assert response.status_code == 200
    assert "Mục tiêu" in response.content.decode() and not QualityObjective.objects.exists()
    assert client.get(reverse("risks:import")).status_code == 200
    client.force_login(world.dung)
    assert client.get(reverse("objectives:import")).status_code == 404
