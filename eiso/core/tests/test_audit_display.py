"""The audit trail reads like a register (issue 7 A5): values by their type, never a string or a
list taken apart as if it were an [old, new] pair; actions, fields and choices in Vietnamese;
dates dd/mm/yyyy; the address column says it is an IP address; filters; the XLSX export shows
the same words."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from eiso.core import audit_display
from eiso.core.audit import audit_record, changes_between
from eiso.core.audit_display import change_lines, render_value
from eiso.core.models import AuditEvent
from eiso.organizations.services import agency_update


def lines(object_type, changes):
    return [str(line) for line in change_lines(object_type, changes)]


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


# --- values by their type ----------------------------------------------------------------------


def test_a_number_is_a_value_never_split_into_digits():
    assert lines("documents.revision", {"number": 45}) == ["Lần ban hành: 45"]
    assert lines("documents.revision", {"number": "45"}) == ["Lần ban hành: 45"]


def test_a_two_letter_string_is_a_value_never_split_into_letters():
    # "re" is the code of a re-announcement: shown by its label, never "r → e"
    assert lines("qms.announcement", {"kind": "re"}) == ["Loại hình: Công bố lại"]
    shown = lines("test.thing", {"note": "re"})
    assert shown == ["Note: re"] and "→" not in shown[0]


def test_a_list_of_two_is_the_list_itself_never_a_change():
    shown = lines("organizations.agency", {"sources": ["SYT", "SNV"]})
    assert shown == ["Các cơ quan, đơn vị được sáp nhập: SYT, SNV"]
    assert lines("procedures.handledprocedure", {"added": ["2.000635", "2.000488"]}) == [
        "TTHC được thêm: 2.000635, 2.000488"
    ]
    # a key nobody declared: still a value
    assert "→" not in lines("test.thing", {"x": [1, 2]})[0]


def test_a_change_shows_old_and_new_with_choice_labels():
    line = change_lines("documents.revision", {"status": ["draft", "in_review"]})[0]
    assert line.is_change and (line.old, line.new) == ("Dự thảo", "Đang xem xét")
    assert str(line) == "Trạng thái: Dự thảo → Đang xem xét"


def test_a_change_of_lists_shows_both_lists():
    line = change_lines("documents.document", {"legal_bases": [["a"], ["a", "b"]]})[0]
    assert line.is_change and (line.old, line.new) == ("a", "a, b")
    steps = change_lines("documents.document", {"steps": [[], ["Tiếp nhận", "Thẩm định"]]})[0]
    assert steps.is_change and (steps.old, steps.new) == ("—", "Tiếp nhận, Thẩm định")


def test_a_change_from_nothing_and_booleans():
    line = change_lines("organizations.agency", {"active_to": [None, "2025-06-30"]})[0]
    assert (line.old, line.new) == ("—", "30/06/2025")
    line = change_lines("organizations.agency", {"is_active": [True, False]})[0]
    assert (line.old, line.new) == ("Có", "Không")


def test_dates_stored_as_iso_strings_read_dd_mm_yyyy():
    assert render_value("2026-02-01") == "01/02/2026"
    assert render_value("2026-02-01T03:04:05+00:00") == "01/02/2026 10:04"  # Asia/Ho_Chi_Minh
    assert render_value("2026-02-31") == "2026-02-31"  # not a date: shown as written
    assert lines("qms.announcement", {"date": "2024-06-10"}) == ["Ngày: 10/06/2024"]


def test_numbers_use_the_vietnamese_decimal_comma():
    assert render_value(0.5) == "0,5"
    assert render_value(12) == "12"


def test_choice_values_of_keys_that_are_not_model_fields():
    assert lines("test.thing", {"role": "iso_secretary"}) == ["Role: Thư ký ISO"]
    assert lines("accounts.membership", {"role": "head"}) == ["Vai trò: Thủ trưởng cơ quan"]


def test_an_object_types_own_choices_win_and_two_apps_never_share_a_key_silently():
    # The inspection team's "role" (leader, member…) is not an account's role.
    assert lines("inspections.inspectionplan", {"role": "leader"}) == [
        "Nhiệm vụ trong đoàn: Trưởng đoàn"
    ]
    assert lines("test.thing", {"role": "head"}) == ["Role: Thủ trưởng cơ quan"]
    with pytest.raises(ImproperlyConfigured, match="object_choices"):
        audit_display.declare(choices={"role": {"leader": "Trưởng đoàn"}})


def test_field_names_come_from_the_model_in_vietnamese():
    assert lines("organizations.agency", {"short_name": ["Sở TP", "Sở Tư pháp"]}) == [
        "Tên viết tắt: Sở TP → Sở Tư pháp"
    ]


def test_changes_between_output_is_read_as_changes():
    before = {"status": "draft", "legal_bases": ["a"], "number": 1}
    after = {"status": "in_review", "legal_bases": ["a", "b"], "number": 2}
    shown = change_lines("documents.revision", changes_between(before, after))
    assert all(line.is_change for line in shown)


def test_an_unknown_action_or_object_type_is_shown_as_written():
    assert audit_display.action_label("nothing.known") == "nothing.known"
    assert audit_display.object_type_label("test.thing") == "test.thing"


# --- every action written by the code has words -------------------------------------------------

ACTION_IN_CODE = re.compile(r"""(?:\baction|\baudit)\s*=\s*["']([a-z_]+\.[a-z_]+)["']""")


def test_every_audit_action_written_by_the_code_has_a_label():
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(ACTION_IN_CODE.findall(path.read_text(encoding="utf-8")))
    assert "revision.submit" in found
    found |= set(audit_display.workflow_audit_actions())
    missing = sorted(a for a in found if a not in audit_display.registry().actions)
    assert not missing, (
        f"audit actions without a label (declare them in <app>/audit_labels.py): {missing}"
    )


def test_the_labels_are_vietnamese():
    assert audit_display.action_label("revision.submit") == "Trình duyệt lần ban hành"
    assert audit_display.object_type_label("documents.revision") == "Lần ban hành"


# --- the page and the export --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_events_in_words(client, world):
    agency_update(actor=world.quan, agency=world.A, data={"short_name": "Sở TP"}, reason="Gọn")
    audit_record(
        actor=world.an,
        action="agency.merge_into",
        obj=world.A,
        agency=world.A,
        changes={"sources": ["X", "Y"]},
    )
    client.force_login(world.dung)
    body = client.get(reverse("core:audit_list")).content.decode()
    assert "Sửa thông tin cơ quan" in body and "agency.update</" not in body
    assert "Tên viết tắt:" in body and "short_name" not in body
    assert "X, Y" in body and "X</span> <i" not in body
    assert "Địa chỉ IP" in body
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", body)


@pytest.mark.django_db
def test_the_export_renders_like_the_page(client, world):
    audit_record(
        actor=world.an,
        action="revision.submit",
        obj=world.A,
        agency=world.A,
        object_type="documents.revision",
        changes={"status": ["draft", "in_review"], "number": 45},
        reason="Xin duyệt",
    )
    client.force_login(world.dung)
    response = client.get(reverse("core:audit_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Nhật ký thay đổi"
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Thời gian")
    headers = [c.value for c in sheet[header_row]]
    assert headers[-1] == "Địa chỉ IP"
    row = [c.value for c in sheet[header_row + 1]]
    assert isinstance(row[0], datetime.datetime)
    assert row[3] == "Trình duyệt lần ban hành"
    changes = row[headers.index("Nội dung thay đổi")]
    assert "Trạng thái: Dự thảo → Đang xem xét" in changes
    assert "Lần ban hành: 45" in changes and "Lý do: Xin duyệt" in changes


@pytest.mark.django_db
def test_filters_by_action_person_object_type_and_dates(client, world):
    submit = audit_record(actor=world.an, action="revision.submit", obj=world.A, agency=world.A)
    update = audit_record(actor=world.chi, action="agency.update", obj=world.B, agency=world.B)
    old = audit_record(actor=world.an, action="agency.update", obj=world.A, agency=world.A)
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2020, 5, 1, 3, tzinfo=datetime.UTC)
    )
    client.force_login(world.dung)

    def shown(**query):
        response = client.get(reverse("core:audit_list"), query)
        assert response.status_code == 200
        return {e.pk for e in response.context["object_list"]}

    assert shown(action="revision.submit") == {submit.pk}
    assert shown(action="agency.") == {update.pk, old.pk}
    assert shown(person="Phạm Thị") == {update.pk}  # part of the full name
    assert shown(person="AN") == {submit.pk, old.pk}  # the user name
    assert shown(object_type="organizations.agency", date_to="31/12/2020") == {old.pk}
    assert old.pk not in shown(date_from="01/01/2021")
    response = client.get(
        reverse("core:audit_list"), {"date_from": "02/01/2021", "date_to": "01/01/2021"}
    )
    assert "date_to" in response.context["filter_form"].errors


@pytest.mark.django_db
def test_the_action_filter_offers_the_actions_in_words(client, world):
    client.force_login(world.dung)
    body = client.get(reverse("core:audit_list")).content.decode()
    assert '<option value="revision.submit">Trình duyệt lần ban hành</option>' in body
    assert '<optgroup label="Lần ban hành">' in body


def test_the_filter_s_choices_are_kept_per_language_until_an_action_is_declared(monkeypatch):
    import dataclasses

    from eiso.core.forms import AuditFilterForm

    copy = dataclasses.replace(audit_display.registry())
    copy.actions, copy.groups = dict(copy.actions), dict(copy.groups)
    monkeypatch.setattr(audit_display, "_registry", copy)

    def choices():
        return AuditFilterForm({}).fields["action"].choices

    with translation.override("vi"):
        first = choices()
        assert choices() is first
        audit_display.declare(actions={"zz_thu.mau": "Hành động thử"})
        after = choices()
        assert after is not first
        assert ("zz_thu.mau", "Hành động thử") in [
            pair for _group, items in list(after)[1:] for pair in items
        ]
    with translation.override("en"):
        assert choices() is not after
