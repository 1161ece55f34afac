import datetime

import pytest
from django.urls import reverse

from eiso.accounts.tests.factories import MembershipFactory
from eiso.core.errors import NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent
from eiso.core.roles import Action, Role
from eiso.core.scoping import user_scope
from eiso.documents import selectors as document_selectors
from eiso.documents.tests.factories import make_draft
from eiso.organizations.models import Agency
from eiso.organizations.reorganization import agency_merge, agency_split
from eiso.organizations.tests.factories import AgencyFactory
from eiso.oversight import selectors as oversight_selectors
from eiso.procedures import services as procedure_services
from eiso.procedures.models import AdministrativeProcedure, HandledProcedure
from eiso.qms import selectors as qms_selectors
from eiso.qms import services as qms_services
from eiso.qms.models import QualitySystem

ON = datetime.date(2025, 7, 1)
REASON = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025"


def fresh(user):
    """The user as a new request sees them (no cached scope)."""
    return type(user).objects.get(pk=user.pk)


def tthc(code):
    return AdministrativeProcedure.objects.create(
        code=code, name=f"Thủ tục {code}", level="provincial"
    )


def handles(world, agency, *codes):
    procedure_services.handled_assign(
        actor=world.quan, agency=agency, procedures=[tthc(c) for c in codes]
    )


def announce(world, agency, actor, number):
    draft = qms_services.announcement_create(
        actor=actor, agency=agency, signer_name="Nguyễn Văn Ký", signer_title="GIÁM ĐỐC"
    )
    return qms_services.announcement_sign(
        actor=actor, announcement=draft, number=number, date=datetime.date(2024, 5, 10)
    )


def handled_codes(agency):
    return set(
        HandledProcedure.objects.filter(agency=agency, is_active=True).values_list(
            "procedure__code", flat=True
        )
    )


@pytest.fixture
def history(world):
    """B has a sub-agency (with its own), handles two procedures, has a document and a signed
    announcement; A handles one procedure."""
    b1 = AgencyFactory(code="B-1", name="Chi cục Dân số", parent=world.B)
    b11 = AgencyFactory(code="B-1-1", name="Trạm Dân số", parent=b1)
    handles(world, world.B, "1.001", "1.002")
    handles(world, world.A, "1.003")
    document, _revision = make_draft(world, world.B, "QT-B-01", with_file=False)
    announcement = announce(world, world.B, world.chi, "12")  # recorded as 12/QĐ-B
    return {"b1": b1, "b11": b11, "document": document, "announcement": announcement}


@pytest.mark.django_db
def test_merging_into_an_existing_agency_retires_the_source_and_carries_everything_over(
    world, history
):
    successor = agency_merge(
        actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON
    )

    assert successor == world.A
    b = Agency.objects.get(pk=world.B.pk)
    assert (b.is_active, b.active_to, b.successor_id) == (
        False,
        datetime.date(2025, 6, 30),
        world.A.pk,
    )
    b1 = Agency.objects.get(pk=history["b1"].pk)
    b11 = Agency.objects.get(pk=history["b11"].pk)
    assert b1.parent_id == world.A.pk and b1.path.startswith(world.A.path)
    assert b1.depth == world.A.depth + 1 and b11.depth == world.A.depth + 2
    assert b11.path.startswith(b1.path)
    # Procedures carried over, the QMS flagged with a reason naming the merged agency.
    assert handled_codes(world.A) == {"1.001", "1.002", "1.003"}
    qms = QualitySystem.objects.get(agency=world.A)
    assert world.B.name in qms.reannouncement_reason
    # Audited: the source, the successor, the hooks' own events — same transaction.
    merge_event = AuditEvent.objects.get(action="agency.merge", object_id=str(world.B.pk))
    assert merge_event.reason == REASON and merge_event.actor == world.quan
    assert merge_event.changes["successor"] == [None, "A"]
    assert merge_event.changes["sub_agencies_moved"] == ["B-1"]
    into_event = AuditEvent.objects.get(action="agency.merge_into")
    assert into_event.changes["sources"] == ["B"] and into_event.agency == world.A
    assert AuditEvent.objects.filter(action="qms.flag_reannouncement", agency=world.A).exists()
    assert AuditEvent.objects.filter(action="scope.add_procedures", agency=world.A).exists()


@pytest.mark.django_db
def test_the_successors_people_read_the_predecessors_history(world, history):
    an = fresh(world.an)
    assert history["document"] not in document_selectors.document_list(user=an)

    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON)

    an = fresh(world.an)
    assert history["document"] in document_selectors.document_list(user=an)
    assert history["announcement"] in qms_selectors.announcement_list(user=an)
    assert Agency.objects.visible_to(an).filter(pk=world.B.pk).exists()
    # Reading only: the predecessor's rows cannot be changed from the successor.
    assert world.B.pk not in user_scope(an, Action.CHANGE).agency_ids
    # The people of other agencies still see nothing of it.
    cuong = fresh(world.cuong)
    assert history["document"] not in document_selectors.document_list(user=cuong)


@pytest.mark.django_db
def test_history_follows_a_chain_of_reorganisations(world, history):
    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON)
    newer = agency_merge(
        actor=world.quan,
        sources=[world.A],
        new={"code": "SO-TP-YT", "name": "Sở Tư pháp và Y tế"},
        on=ON + datetime.timedelta(days=30),
        reason=REASON,
    )
    secretary = MembershipFactory(agency=newer, role=Role.ISO_SECRETARY).user
    visible = set(Agency.objects.visible_to(fresh(secretary)).values_list("code", flat=True))
    assert visible == {"SO-TP-YT", "A", "B"}
    assert history["document"] in document_selectors.document_list(user=fresh(secretary))


@pytest.mark.django_db
def test_merging_into_a_new_agency_creates_it_under_the_common_parent(world, history):
    successor = agency_merge(
        actor=world.quan,
        sources=[world.A, world.B],
        new={"code": "SO-MOI", "name": "Sở Tư pháp - Y tế tỉnh Phú An"},
        on=ON,
        reason=REASON,
    )

    assert successor.parent == world.P and successor.kind == world.A.kind
    assert successor.active_from == ON and successor.is_active
    retired = Agency.objects.filter(pk__in=[world.A.pk, world.B.pk])
    assert {(a.is_active, a.successor_id) for a in retired} == {(False, successor.pk)}
    assert handled_codes(successor) == {"1.001", "1.002", "1.003"}
    reason = QualitySystem.objects.get(agency=successor).reannouncement_reason
    assert world.A.name in reason and world.B.name in reason
    assert AuditEvent.objects.filter(action="agency.create", object_id=str(successor.pk)).exists()
    assert AuditEvent.objects.filter(action="agency.merge").count() == 2


@pytest.mark.django_db
def test_a_new_agency_needs_a_place_when_the_sources_have_different_parents(world):
    with pytest.raises(ValidationFailed):
        agency_merge(
            actor=world.quan,
            sources=[world.A, world.C],
            new={"code": "X", "name": "X"},
            on=ON,
            reason=REASON,
        )
    successor = agency_merge(
        actor=world.quan,
        sources=[world.A, world.C],
        new={"code": "X", "name": "Sở X", "parent": world.P},
        on=ON,
        reason=REASON,
    )
    assert successor.parent == world.P


@pytest.mark.django_db
def test_splitting_an_agency_makes_the_first_part_its_successor(world, history):
    parts = agency_split(
        actor=world.quan,
        source=world.B,
        parts=[{"code": "SO-YT", "name": "Sở Y tế"}, {"code": "SO-DS", "name": "Sở Dân số"}],
        on=ON,
        reason=REASON,
    )

    first, second = parts
    assert first.parent == world.P and second.parent == world.P
    b = Agency.objects.get(pk=world.B.pk)
    assert (b.is_active, b.successor_id, b.active_to) == (
        False,
        first.pk,
        datetime.date(2025, 6, 30),
    )
    assert Agency.objects.get(pk=history["b1"].pk).parent == first
    assert handled_codes(first) == {"1.001", "1.002"}
    assert world.B.name in QualitySystem.objects.get(agency=first).reannouncement_reason
    event = AuditEvent.objects.get(action="agency.split")
    assert event.changes["parts"] == ["SO-YT", "SO-DS"] and event.reason == REASON
    assert AuditEvent.objects.filter(action="agency.split_from").count() == 2
    secretary = MembershipFactory(agency=first, role=Role.ISO_SECRETARY).user
    assert history["document"] in document_selectors.document_list(user=fresh(secretary))
    assert history["announcement"] in qms_selectors.announcement_list(user=fresh(secretary))


def _state():
    return (
        list(Agency.objects.order_by("pk").values_list("pk", "path", "is_active", "successor_id")),
        AuditEvent.objects.count(),
        HandledProcedure.objects.count(),
        QualitySystem.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "sources", "into"),
    [
        ("em", ["A", "B"], "A"),  # another province's overseer
        ("an", ["B"], "A"),  # an agency's secretary
        ("dung", ["B"], "A"),  # the province's own overseer: overseers do not reorganise
        ("hai", ["B"], "A"),  # a head
    ],
)
def test_a_merge_without_the_right_over_every_agency_is_refused_and_changes_nothing(
    world, history, actor, sources, into
):
    before = _state()
    with pytest.raises(NotPermitted):
        agency_merge(
            actor=fresh(world.persona(actor)),
            sources=[world.agency(s) for s in sources],
            into=world.agency(into),
            on=ON,
            reason=REASON,
        )
    assert _state() == before


@pytest.mark.django_db
def test_a_split_outside_the_scope_is_refused_and_changes_nothing(world, history):
    before = _state()
    with pytest.raises(NotPermitted):
        agency_split(
            actor=world.em,
            source=world.B,
            parts=[{"code": "X1", "name": "X1"}, {"code": "X2", "name": "X2"}],
            on=ON,
            reason=REASON,
        )
    assert _state() == before


@pytest.mark.django_db
def test_a_failing_hook_undoes_the_whole_merge(world, history, monkeypatch):
    from eiso.organizations import reorganization

    def broken(**kwargs):
        raise ValidationFailed("boom")

    monkeypatch.setattr(reorganization, "_MERGE_HOOKS", [*reorganization._MERGE_HOOKS, broken])
    before = _state()
    with pytest.raises(ValidationFailed):
        agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "call",
    [
        lambda w: agency_merge(actor=w.quan, sources=[w.B], into=w.A, on=ON, reason=" "),
        lambda w: agency_merge(actor=w.quan, sources=[w.A, w.B], into=w.A, on=ON, reason=REASON),
        lambda w: agency_merge(actor=w.quan, sources=[w.B], on=ON, reason=REASON),
        lambda w: agency_merge(
            actor=w.quan, sources=[w.B], into=w.A, new={"code": "N", "name": "N"}, on=ON, reason="r"
        ),
        lambda w: agency_merge(actor=w.quan, sources=[w.B, w.B], into=w.A, on=ON, reason=REASON),
        lambda w: agency_merge(actor=w.quan, sources=[w.P, w.B], into=w.A, on=ON, reason=REASON),
        lambda w: agency_split(
            actor=w.quan, source=w.B, parts=[{"code": "N", "name": "N"}], on=ON, reason=REASON
        ),
    ],
    ids=["no-reason", "into-itself", "no-target", "two-targets", "twice", "nested", "one-part"],
)
def test_bad_reorganisations_are_refused(world, call):
    before = _state()
    with pytest.raises(ValidationFailed):
        call(world)
    assert _state() == before


@pytest.mark.django_db
def test_a_merged_agency_is_not_counted_after_its_last_day(world):
    def agencies(on):
        rows = oversight_selectors.summary(user=fresh(world.dung), root=world.P, on=on)
        return rows[-1]["agencies"]

    before = agencies(ON)
    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON)
    assert agencies(ON) == before - 1
    assert agencies(ON - datetime.timedelta(days=1)) == before


@pytest.mark.django_db
def test_the_scope_costs_one_query_more_only_when_there_are_predecessors(
    world, django_assert_num_queries
):
    an = fresh(world.an)
    with django_assert_num_queries(1):
        user_scope(an, Action.VIEW)
        user_scope(an, Action.CHANGE)
    agency_merge(actor=world.quan, sources=[world.B], into=world.A, on=ON, reason=REASON)
    an = fresh(world.an)
    with django_assert_num_queries(2):
        scope = user_scope(an, Action.VIEW)
        user_scope(an, Action.VIEW)
        user_scope(an, Action.CHANGE)
    assert scope.agency_ids == frozenset({world.A.pk, world.B.pk})
    # An overseer's subtree already holds B: nothing more to look for.
    dung = fresh(world.dung)
    with django_assert_num_queries(1):
        user_scope(dung, Action.VIEW)


@pytest.mark.django_db
def test_an_overseer_reads_an_agency_merged_in_from_another_province(
    world, django_assert_num_queries
):
    make_draft(world, world.C, "QT-C-01", with_file=False)
    agency_merge(actor=world.quan, sources=[world.C], into=world.A, on=ON, reason=REASON)
    dung = fresh(world.dung)
    with django_assert_num_queries(2):
        scope = user_scope(dung, Action.VIEW)
    assert world.C.pk in scope.agency_ids
    assert "QT-C-01" in {d.code for d in document_selectors.document_list(user=fresh(world.dung))}
    assert world.C.pk not in user_scope(dung, Action.MANAGE_AGENCIES).agency_ids


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_merge_page_merges_and_the_detail_shows_both_ends(client, world, history):
    client.force_login(world.quan)  # the registry of agencies is administrators'
    page = client.get(reverse("organizations:merge"), {"q": "so y te", "sources": world.B.pk})
    assert page.status_code == 200 and "Sở Y tế tỉnh Phú An" in page.content.decode()
    response = client.post(
        reverse("organizations:merge"),
        {"sources": [world.B.pk], "into": world.A.pk, "on": "01/07/2025", "reason": REASON},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=[world.A.pk])
    assert Agency.objects.get(pk=world.B.pk).successor_id == world.A.pk

    client.force_login(world.an)
    detail = client.get(reverse("organizations:detail", args=[world.A.pk])).content.decode()
    assert "Sở Y tế tỉnh Phú An" in detail  # merged from
    old = client.get(reverse("organizations:detail", args=[world.B.pk]))
    assert old.status_code == 200 and reverse("organizations:detail", args=[world.A.pk]) in (
        old.content.decode()
    )


@pytest.mark.django_db
def test_the_merge_page_into_a_new_agency(client, world):
    client.force_login(world.quan)  # the registry of agencies is administrators'
    response = client.post(
        reverse("organizations:merge"),
        {
            "sources": [world.A.pk, world.B.pk],
            "new_code": "SO-MOI",
            "new_name": "Sở mới",
            "on": "01/07/2025",
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="SO-MOI").predecessors.count() == 2


@pytest.mark.django_db
def test_the_split_page_splits(client, world, history):
    client.force_login(world.quan)  # the registry of agencies is administrators'
    assert client.get(reverse("organizations:split"), {"source": world.B.pk}).status_code == 200
    response = client.post(
        reverse("organizations:split"),
        {
            "source": world.B.pk,
            "parts": "SO-YT | Sở Y tế\nSO-DS | Sở Dân số",
            "on": "01/07/2025",
            "reason": REASON,
        },
    )
    first = Agency.objects.get(code="SO-YT")
    assert response.status_code == 302 and response["Location"].endswith(f"/{first.pk}/")
    assert Agency.objects.get(pk=world.B.pk).successor == first


@pytest.mark.django_db
def test_the_pages_are_not_for_agency_people_nor_overseers(client, world):
    before = _state()
    for persona in ("an", "dung", "em"):
        client.force_login(world.persona(persona))
        assert client.get(reverse("organizations:merge")).status_code == 404, persona
        assert client.get(reverse("organizations:split")).status_code == 404, persona
        response = client.post(
            reverse("organizations:merge"),
            {
                "sources": [world.A.pk, world.B.pk],
                "into": world.A.pk,
                "on": "01/07/2025",
                "reason": "x",
            },
        )
        assert response.status_code == 404, persona
        response = client.post(
            reverse("organizations:split"),
            {"source": world.B.pk, "parts": "X1 | X1\nX2 | X2", "on": "01/07/2025", "reason": "x"},
        )
        assert response.status_code == 404, persona
    assert _state() == before
