"""The one workflow mechanism: a declared table refuses what it does not allow, checks who may
and the guards, sets the status and writes the audit event."""

import pytest

from eiso.core.errors import InvalidTransition, NotPermitted
from eiso.core.models import AuditEvent
from eiso.core.workflow import Transition, Workflow
from eiso.documents.models import Revision
from eiso.documents.tests.factories import make_draft


def only_hai(actor, obj):
    return actor.username == "hai"


def needs_content(obj, actor):
    return None if obj.content.strip() else "Write the content first."


FLOW = Workflow(
    "demo",
    transitions=[
        Transition(("draft", "returned"), "submit", "in_review", guards=[needs_content]),
        Transition("in_review", "approve", "approved", who=only_hai, refusal="Only the head."),
        Transition("in_review", "return", "returned", who=only_hai),
    ],
)


def test_a_second_transition_for_the_same_state_and_action_is_refused():
    with pytest.raises(ValueError):
        Workflow(
            "bad",
            transitions=[Transition("a", "go", "b"), Transition(("c", "a"), "go", "d")],
        )


def test_the_table_answers_what_may_happen_from_a_state():
    assert FLOW.target("draft", "submit") == "in_review"
    assert FLOW.target("draft", "approve") is None
    assert sorted(FLOW.actions_from("in_review")) == ["approve", "return"]
    assert FLOW.states() == ["draft", "returned", "in_review", "approved"]


@pytest.mark.django_db
def test_apply_moves_the_status_saves_and_audits(world):
    _, revision = make_draft(world, world.A, with_file=False, content="Nội dung")
    FLOW.apply(actor=world.an, obj=revision, action="submit", reason="Xin ý kiến")
    revision.refresh_from_db()
    assert revision.status == "in_review"
    event = AuditEvent.objects.filter(action="demo.submit").get()
    assert event.changes["status"] == ["draft", "in_review"]
    assert event.reason == "Xin ý kiến"
    assert event.agency_id == world.A.pk


@pytest.mark.django_db
def test_a_wrong_state_is_an_invalid_transition_naming_both(world):
    _, revision = make_draft(world, world.A, with_file=False, content="x")
    with pytest.raises(InvalidTransition) as refused:
        FLOW.apply(actor=world.hai, obj=revision, action="approve")
    assert "approve" in refused.value.message
    revision.refresh_from_db()
    assert revision.status == "draft"
    assert not AuditEvent.objects.filter(action="demo.approve").exists()


@pytest.mark.django_db
def test_the_wrong_person_is_not_permitted_with_the_tables_reason(world):
    _, revision = make_draft(world, world.A, with_file=False, content="x")
    FLOW.apply(actor=world.an, obj=revision, action="submit")
    with pytest.raises(NotPermitted, match="Only the head."):
        FLOW.apply(actor=world.an, obj=revision, action="approve")
    assert FLOW.available(world.an, revision) == []
    assert sorted(FLOW.available(world.hai, revision)) == ["approve", "return"]


@pytest.mark.django_db
def test_a_failing_guard_refuses_with_its_message_and_changes_nothing(world):
    _, revision = make_draft(world, world.A, with_file=False, content="   ")
    with pytest.raises(InvalidTransition, match="Write the content first."):
        FLOW.apply(actor=world.an, obj=revision, action="submit")
    assert Revision.objects.get(pk=revision.pk).status == "draft"


@pytest.mark.django_db
def test_update_fields_saves_only_what_is_named_and_the_status(world):
    _, revision = make_draft(world, world.A, with_file=False, content="x")
    revision.content = "not saved"
    FLOW.apply(actor=world.an, obj=revision, action="submit", update_fields=["return_comment"])
    fresh = Revision.objects.get(pk=revision.pk)
    assert fresh.status == "in_review"
    assert fresh.content == "x"
