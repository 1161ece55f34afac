"""Issue 7, A8: the step table of an issued ISO procedure changes only through a new revision
of that procedure (document control), never in place. The table belongs to a revision: a new
revision starts from a copy of the previous one's table; only a draft's table changes; the
table in force is that of the revision in force, so it switches on the revision's effective
date (tested on both sides of the day with a frozen clock)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from eiso.core.errors import InvalidTransition, SeparationOfDutiesViolation
from eiso.documents import services as documents
from eiso.documents.tests.factories import approve, docx_upload
from eiso.procedures import selectors, services
from eiso.procedures.tests.factories import STEPS, handled, iso_procedure, procedure

SIGNED = datetime.date(2027, 3, 1)
EFFECTIVE = datetime.date(2027, 3, 15)
NEW_STEPS = [{"name": "Giải quyết", "responsible": "Phòng", "time_days": "10"}]


def on(day: datetime.date):
    return time_machine.travel(f"{day.isoformat()} 09:00 +0700", tick=False)


@pytest.fixture
def issued(world):
    """An issued ISO procedure of A with the three steps of STEPS (9 days of 10)."""
    with on(datetime.date(2026, 1, 12)):
        tthc = procedure(world, "1.000100", name="Cấp Phiếu lý lịch tư pháp")
        handled(world, world.A, tthc)
        return iso_procedure(world, world.A, tthc, code="QT-LLTP", issued=True, steps=STEPS)


def names(table) -> list[str]:
    return [s.name for s in table.steps]


@pytest.mark.django_db
def test_the_table_of_an_issued_revision_never_changes_in_place(world, issued):
    current = issued.revisions.get()
    with pytest.raises(InvalidTransition):
        services.steps_replace(actor=world.an, revision=current, steps=NEW_STEPS)
    with pytest.raises(InvalidTransition):
        services.steps_replace_in_preparation(actor=world.an, document=issued, steps=NEW_STEPS)
    assert names(selectors.step_table(document=issued)) == [s[0] for s in STEPS]


@pytest.mark.django_db
def test_a_new_revision_copies_the_table_and_only_its_copy_changes(world, issued):
    current = issued.revisions.get()
    draft = documents.revision_start(actor=world.an, document=issued, change_summary="Sửa")
    assert names(selectors.step_table(document=issued, revision=draft)) == [s[0] for s in STEPS]
    services.steps_replace_in_preparation(actor=world.an, document=issued, steps=NEW_STEPS)
    assert names(selectors.step_table(document=issued, revision=draft)) == ["Giải quyết"]
    assert names(selectors.step_table(document=issued, revision=current)) == [s[0] for s in STEPS]
    tables = selectors.step_tables(document=issued, user=world.an)
    assert tables.shown.revision == current and tables.draft.revision == draft


@pytest.mark.django_db
def test_issuing_the_revision_makes_its_table_the_one_in_force_on_its_date(world, issued):
    with on(SIGNED):
        draft = documents.revision_start(actor=world.an, document=issued, change_summary="Sửa")
        documents.revision_update(
            actor=world.an, revision=draft, data={"effective_date": EFFECTIVE}
        )
        documents.revision_attach_file(actor=world.an, revision=draft, upload=docx_upload())
        services.steps_replace(actor=world.an, revision=draft, steps=NEW_STEPS)
        approve(world, draft)
        decision = documents.decision_create(
            actor=world.an,
            agency=world.A,
            subject="Sửa đổi quy trình",
            signer_name="x",
            signer_title="y",
            revisions=[draft],
        )
        documents.decision_sign(actor=world.hai, decision=decision, number="9", date=SIGNED)
    eve = EFFECTIVE - datetime.timedelta(days=1)
    with on(eve):
        table = selectors.step_table(document=issued, user=world.binh)
        assert names(table) == [s[0] for s in STEPS] and table.mismatch
    with on(EFFECTIVE):
        table = selectors.step_table(document=issued, user=world.binh)
        assert names(table) == ["Giải quyết"] and not table.mismatch
    # and the issued draft's table is frozen too
    with pytest.raises(InvalidTransition):
        services.steps_replace(actor=world.an, revision=draft, steps=[])


@pytest.mark.django_db
def test_whoever_edited_the_step_table_may_not_approve_the_revision(world, issued):
    draft = documents.revision_start(actor=world.an, document=issued, change_summary="Sửa")
    documents.revision_attach_file(actor=world.an, revision=draft, upload=docx_upload())
    services.steps_replace(actor=world.hai, revision=draft, steps=NEW_STEPS)  # the head edits
    documents.revision_submit(actor=world.an, revision=draft)
    with pytest.raises(SeparationOfDutiesViolation):
        documents.revision_approve(actor=world.hai, revision=draft)


@pytest.mark.django_db
def test_the_edit_page_sends_back_without_a_revision_in_preparation(client, world, issued):
    client.force_login(world.an)
    edit = reverse("procedures:steps_edit", args=[issued.pk])
    response = client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == reverse("procedures:steps", args=[issued.pk])
    assert str(services.STEPS_THROUGH_A_REVISION) in [str(m) for m in response.context["messages"]]
    page = response.content.decode()
    assert 'data-testid="steps-through-revision"' in page
    assert reverse("documents:revision_start", args=[issued.pk]) in page
    response = client.post(
        edit,
        {
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-name": "Giải quyết",
            "steps-0-responsible": "Phòng",
        },
    )
    assert response.status_code == 302
    assert names(selectors.step_table(document=issued)) == [s[0] for s in STEPS]


@pytest.mark.django_db
def test_the_page_shows_the_table_in_force_and_the_drafts(client, world, issued):
    documents.revision_start(actor=world.an, document=issued, change_summary="Sửa")
    services.steps_replace_in_preparation(actor=world.an, document=issued, steps=NEW_STEPS)
    client.force_login(world.an)
    page = client.get(reverse("procedures:steps", args=[issued.pk])).content.decode()
    in_force = page[
        page.index('data-testid="steps-in-force"') : page.index('data-testid="steps-draft"')
    ]
    draft = page[page.index('data-testid="steps-draft"') :]
    assert "Thẩm định hồ sơ" in in_force and "Giải quyết" not in in_force
    assert 'data-validity="in_force"' in in_force
    assert "Giải quyết" in draft and reverse("procedures:steps_edit", args=[issued.pk]) in draft
    client.force_login(world.binh)  # staff read the table in force only
    page = client.get(reverse("procedures:steps", args=[issued.pk])).content.decode()
    assert "Thẩm định hồ sơ" in page and 'data-testid="steps-draft"' not in page
