"""Issue 7, A1 and A2: a revision issued with a future effective date is "issued, not yet in
force" until that date while the previous revision stays in force; on the date the new one
is in force and the old one is not, with nobody acting — the document page, the list, the
master list (page, XLSX, DOCX), the API and the generated decision agree at any date. Dates that
cannot be true are refused. Every date rule is tested on both sides of its boundary with a
frozen clock."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document as DocxDocument
from rest_framework.test import APIClient

from eiso.core.errors import ValidationFailed
from eiso.documents import outputs, selectors, services
from eiso.documents.choices import RevisionStatus, Validity
from eiso.documents.models import Document, Revision
from eiso.documents.tests.factories import approve, docx_upload, make_draft, xlsx_rows

FIRST_ISSUE = datetime.date(2027, 1, 11)
SIGNED = datetime.date(2027, 3, 1)
EFFECTIVE = datetime.date(2027, 3, 15)
EVE = EFFECTIVE - datetime.timedelta(days=1)


def on(day: datetime.date, hour: int = 9):
    """The clock stopped at ``hour`` on ``day`` in Viet Nam (UTC+7)."""
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0700", tick=False)


def sign(world, revisions, *, number: str, date: datetime.date):
    decision = services.decision_create(
        actor=world.an,
        agency=world.A,
        subject="Sửa đổi quy trình cấp Phiếu lý lịch tư pháp",
        signer_name="Đặng Văn Hải",
        signer_title="GIÁM ĐỐC",
        revisions=revisions,
    )
    return services.decision_sign(actor=world.hai, decision=decision, number=number, date=date)


@pytest.fixture
def replaced(world):
    """QT-01: revision 01 in force since 11/01/2027; revision 02 signed on 01/03/2027 to take
    effect on 15/03/2027."""
    with on(FIRST_ISSUE):
        document, first = make_draft(world, world.A, "QT-01", title="Quy trình cấp LLTP")
        approve(world, first)
        sign(world, [first], number="3", date=FIRST_ISSUE)
    with on(SIGNED):
        second = services.revision_start(actor=world.an, document=document, change_summary="Sửa")
        services.revision_update(
            actor=world.an, revision=second, data={"effective_date": EFFECTIVE}
        )
        services.revision_attach_file(actor=world.an, revision=second, upload=docx_upload())
        approve(world, second)
        decision = sign(world, [second], number="45", date=SIGNED)
    first.refresh_from_db()
    second.refresh_from_db()
    return document, first, second, decision


def in_force_number(document, day) -> int | None:
    found = Revision.objects.in_force(on=day).filter(document=document).first()
    return found.number if found else None


# --- the one rule, in the queryset --------------------------------------------------------------


@pytest.mark.django_db
def test_the_old_revision_stays_in_force_until_the_new_ones_effective_date(world, replaced):
    document, first, second, _ = replaced
    assert first.status == second.status == RevisionStatus.ISSUED  # nothing else is stored
    assert second.effective_date == EFFECTIVE and second.issued_at.date() == SIGNED
    assert in_force_number(document, SIGNED) == 1
    assert in_force_number(document, EVE) == 1
    assert in_force_number(document, EFFECTIVE) == 2
    assert in_force_number(document, FIRST_ISSUE - datetime.timedelta(days=1)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (EVE, {1: Validity.IN_FORCE, 2: Validity.PENDING}),
        (EFFECTIVE, {1: Validity.EXPIRED, 2: Validity.IN_FORCE}),
    ],
)
def test_validity_agrees_with_in_force_on_both_sides_of_the_day(world, replaced, day, expected):
    document = replaced[0]
    annotated = Revision.objects.filter(document=document).with_validity(on=day)
    assert {r.number: r.validity for r in annotated} == expected
    in_force = {r.number for r in annotated if r.validity == Validity.IN_FORCE}
    assert in_force == set(
        Revision.objects.in_force(on=day).filter(document=document).values_list("number", flat=1)
    )


@pytest.mark.django_db
def test_the_switch_needs_nobody_and_writes_nothing(world, replaced):
    """Computed from dates: crossing the day changes no row (issued data stay immutable)."""
    document, first, second, _ = replaced
    before = list(Revision.objects.filter(document=document).values())
    with on(EFFECTIVE):
        assert Document.objects.get(pk=document.pk).in_force == second
        assert selectors.revisions_of(user=world.an, document=document).count() == 2
    assert list(Revision.objects.filter(document=document).values()) == before


@pytest.mark.django_db
def test_withdrawal_ends_validity_on_its_date(world, replaced):
    document = replaced[0]
    with on(datetime.date(2027, 4, 1)):
        services.document_withdraw(
            actor=world.hai, document=document, reason="Bãi bỏ", on=datetime.date(2027, 4, 20)
        )
    assert in_force_number(document, datetime.date(2027, 4, 19)) == 2
    assert in_force_number(document, datetime.date(2027, 4, 20)) is None


# --- pages, lists, master list, files and the API agree at any date ------------------------------


def _page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "number"), [(SIGNED, 1), (EVE, 1), (EFFECTIVE, 2)])
def test_document_page_list_and_master_list_agree(client, world, replaced, day, number):
    document = replaced[0]
    other = 2 if number == 1 else 1
    with on(day):
        client.force_login(world.binh)  # staff: what everyone reads (signed in that day)
        page = _page(client, reverse("documents:detail", args=[document.pk]))
        current = page[page.index('data-testid="current-revision"') :][:700]
        assert f"{number:02d}" in current and 'data-validity="in_force"' in current
        if number == 1:  # 02 is announced, with its date, and 01 stays in force until then
            upcoming = page[page.index('data-testid="upcoming-revision"') :][:1500]
            assert 'data-validity="pending"' in upcoming and "15/03/2027" in upcoming
            assert 'data-testid="earlier-revisions"' not in page
        else:
            assert 'data-testid="upcoming-revision"' not in page
            assert f'data-revision="{other}"' not in page  # staff do not read expired ones

        listed = _page(client, reverse("documents:list"))
        row = listed[listed.index('data-code="QT-01"') :][:2000]
        in_force = row[row.index('data-testid="in-force"') :][:400]
        assert f"{number:02d}" in in_force and "in_force" in in_force
        assert ('data-testid="upcoming"' in row) is (number == 1)

        master = _page(client, reverse("documents:master_list"))
        row = master[master.index('data-code="QT-01"') :][:1500]
        cell = row[row.index('data-testid="revision-number"') :][:80]
        assert f">{number:02d}<" in cell
        rows = xlsx_rows(client.get(reverse("documents:master_list"), {"export": "xlsx"}))
        qt01 = next(r for r in rows if r[1] == "QT-01")
        assert qt01[4] == f"{number:02d}"
        assert qt01[5] == (FIRST_ISSUE if number == 1 else EFFECTIVE).strftime("%d/%m/%Y")
        response = client.get(reverse("documents:master_list_docx"))
        docx = DocxDocument(io.BytesIO(response.content))
        table = next(t for t in docx.tables if t.rows[0].cells[0].text == "STT")
        assert [c.text for c in table.rows[1].cells][4] == f"{number:02d}"


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "number"), [(EVE, 1), (EFFECTIVE, 2)])
def test_the_api_agrees_with_the_pages(world, replaced, day, number):
    document, first, second, _ = replaced
    api = APIClient()
    with on(day):
        api.force_login(world.an)
        body = api.get(reverse("api:document-detail", args=[document.pk])).json()
        assert body["current_revision"]["number"] == number
        assert body["current_revision"]["validity"] == "in_force"
        assert (body["upcoming_revision"] or {}).get("number") == (2 if number == 1 else None)
        old = api.get(reverse("api:revision-detail", args=[first.pk])).json()
        assert old["validity"] == ("in_force" if number == 1 else "expired")
        assert old["is_current"] is (number == 1)
        listed = api.get(reverse("api:document-list")).json()["results"]
        assert listed[0]["current_revision"]["number"] == number
        master = api.get(reverse("api:master-list")).json()["results"]
        assert [row["revision_number"] for row in master] == [number]
        assert (master[0]["upcoming_revision"] or {}).get("validity") == (
            "pending" if number == 1 else None
        )


@pytest.mark.django_db
def test_the_decision_says_the_old_revision_ends_when_the_new_one_takes_effect(world, replaced):
    decision = replaced[3]
    document = outputs.decision_document(decision)
    article_2 = next(b for b in document.blocks if getattr(b, "lead", "") == "Điều 2.")
    assert "có hiệu lực kể từ ngày 15 tháng 3 năm 2027" in article_2.text
    assert (
        "Lần ban hành trước của các tài liệu được thay thế hết hiệu lực kể từ ngày lần ban hành "
        "mới có hiệu lực" in article_2.text
    )
    table = document.blocks[1]
    assert table.rows[0][4] == "15/03/2027"


@pytest.mark.django_db
def test_documents_to_read_include_a_revision_not_yet_in_force(world, replaced):
    with on(EVE):
        pending = selectors.pending_acknowledgements(user=world.binh)
        assert [a.revision.number for a in pending] == [2, 1]
        services.revision_acknowledge(actor=world.binh, revision=replaced[2])
        assert [a.revision.number for a in selectors.pending_acknowledgements(user=world.binh)] == [
            1
        ]
    with on(EFFECTIVE):  # revision 01 is no longer in force: nothing left to read
        assert not selectors.pending_acknowledgements(user=world.binh).exists()


# --- A2: dates that cannot be true ------------------------------------------------------------


def _approved(world, code="QT-09", **kwargs):
    _, revision = make_draft(world, world.A, code, **kwargs)
    approve(world, revision)
    return revision


@pytest.mark.django_db
def test_a_decision_is_not_signed_on_a_day_still_to_come(world):
    revision = _approved(world)
    decision = services.decision_create(
        actor=world.an,
        agency=world.A,
        subject="x",
        signer_name="y",
        signer_title="z",
        revisions=[revision],
    )
    with on(SIGNED, hour=23):  # late in the evening: tomorrow is still to come
        with pytest.raises(ValidationFailed) as refused:
            services.decision_sign(
                actor=world.hai,
                decision=decision,
                number="7",
                date=SIGNED + datetime.timedelta(days=1),
            )
        assert "date" in refused.value.fields and "02/03/2027" in refused.value.message
        decision.refresh_from_db()
        revision.refresh_from_db()
        assert decision.status == "draft" and revision.status == RevisionStatus.APPROVED
        services.decision_sign(actor=world.hai, decision=decision, number="7", date=SIGNED)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.ISSUED and revision.effective_date == SIGNED


@pytest.mark.django_db
def test_a_revision_does_not_take_effect_before_its_decision_is_signed(world):
    with on(SIGNED):
        early = _approved(world, "QT-08", effective_date=SIGNED - datetime.timedelta(days=1))
        decision = services.decision_create(
            actor=world.an,
            agency=world.A,
            subject="x",
            signer_name="y",
            signer_title="z",
            revisions=[early],
        )
        with pytest.raises(ValidationFailed) as refused:
            services.decision_sign(actor=world.hai, decision=decision, number="8", date=SIGNED)
        assert "28/02/2027" in refused.value.message and "01/03/2027" in refused.value.message
        early.refresh_from_db()
        assert early.status == RevisionStatus.APPROVED
        # the same day as the decision is fine
        on_the_day = _approved(world, "QT-07", effective_date=SIGNED)
        sign(world, [on_the_day], number="9", date=SIGNED)
        on_the_day.refresh_from_db()
        assert on_the_day.status == RevisionStatus.ISSUED


@pytest.mark.django_db
def test_a_draft_decision_dated_after_a_revisions_effective_date_is_refused(world):
    with on(SIGNED):
        revision = _approved(world, effective_date=SIGNED)
        with pytest.raises(ValidationFailed) as refused:
            services.decision_create(
                actor=world.an,
                agency=world.A,
                subject="x",
                signer_name="y",
                signer_title="z",
                revisions=[revision],
                date=SIGNED + datetime.timedelta(days=1),
            )
        assert "date" in refused.value.fields


@pytest.mark.django_db
def test_the_sign_page_refuses_a_future_date_with_the_reason_on_the_form(client, world):
    with on(SIGNED):
        revision = _approved(world)
        decision = services.decision_create(
            actor=world.an,
            agency=world.A,
            subject="x",
            signer_name="y",
            signer_title="z",
            revisions=[revision],
        )
        client.force_login(world.hai)
        response = client.post(
            reverse("documents:decision_sign", args=[decision.pk]),
            {"number": "45", "date": "02/03/2027"},
        )
        assert response.status_code == 200
        form = response.context["sign_form"]
        assert form.errors["date"] and "02/03/2027" in form.errors["date"][0]
        assert 'value="45"' in response.content.decode()  # what was typed is kept


@pytest.mark.django_db
def test_the_list_filters_by_what_is_in_force_on_the_day(world, replaced):
    def codes(**filters):
        return set(selectors.document_list(user=world.an, **filters).values_list("code", flat=1))

    with on(EVE):
        assert codes(state="upcoming") == {"QT-01"} and codes(state="issued") == {"QT-01"}
        assert codes(effective_from=EFFECTIVE) == set()  # 01 (11/01/2027) is the one in force
    with on(EFFECTIVE):
        assert codes(state="upcoming") == set()
        assert codes(effective_from=EFFECTIVE) == {"QT-01"}  # now 02 (15/03/2027)
