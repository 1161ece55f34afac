"""``insert_objects`` writes what ``save()`` / ``bulk_create`` write (issue 15's set-based
imports rely on it), and ``audit_record_many`` the events ``audit_record`` writes."""

import datetime

import pytest

from eiso.core.audit import audit_event, audit_record, audit_record_many
from eiso.core.bulk import insert_objects
from eiso.core.models import AuditEvent

FIELDS = ("actor_id", "actor_name", "agency_id", "action", "object_type", "object_id")
MORE = ("object_repr", "changes", "reason", "remote_addr")


@pytest.mark.django_db
def test_audit_events_written_in_bulk_are_the_events_written_one_by_one(world):
    arguments = {
        "actor": world.quan,
        "action": "agency.create",
        "obj": world.A,
        "agency": world.A,
        "changes": {"active_from": datetime.date(2025, 7, 1), "codes": ("a", "b"), "n": 3},
        "reason": "Nhập từ tệp",
    }
    one = audit_record(**arguments)
    many = [audit_event(**arguments) for _ in range(3)]
    assert audit_record_many(many) == 3
    assert all(event.pk for event in many)
    for event in AuditEvent.objects.filter(pk__in=[e.pk for e in many]):
        assert [getattr(event, f) for f in FIELDS + MORE] == [
            getattr(one, f) for f in FIELDS + MORE
        ]
        assert abs(event.created_at - one.created_at) < datetime.timedelta(minutes=1)
    assert AuditEvent.objects.get(pk=many[0].pk).changes["active_from"] == "2025-07-01"


@pytest.mark.django_db
def test_insert_objects_sets_ids_timestamps_and_defaults_in_batches(world):
    from eiso.qms.models import QualitySystem

    records = [QualitySystem(agency=agency) for agency in (world.A, world.B, world.C)]
    insert_objects(records, batch=2)
    saved = {q.pk: q for q in QualitySystem.objects.all()}
    assert sorted(saved) == sorted(r.pk for r in records)
    for record in records:
        row = saved[record.pk]
        assert (row.agency_id, row.status, row.version) == (record.agency_id, "not_started", 1)
        assert row.created_at == row.updated_at == record.created_at
        assert not record._state.adding


@pytest.mark.django_db
def test_insert_objects_keeps_awkward_text_and_leaves_the_ids_to_come_free(world):
    awkward = 'Sở "Tư pháp"\t\\ mới\nxuống dòng, {a,b} \\N NULL'
    events = [
        audit_event(
            actor=world.quan,
            action="agency.update",
            obj=world.A,
            agency=world.A,
            changes={"name": [awkward, None], "n": [1, 2.5]},
            reason=awkward,
        )
        for _ in range(3)
    ]
    insert_objects(events, batch=1)
    for event in AuditEvent.objects.filter(pk__in=[e.pk for e in events]):
        assert event.reason == awkward
        assert event.changes == {"name": [awkward, None], "n": [1, 2.5]}
        assert event.remote_addr is None
    later = audit_record(actor=world.quan, action="agency.update", obj=world.A, agency=world.A)
    assert later.pk > max(e.pk for e in events)
