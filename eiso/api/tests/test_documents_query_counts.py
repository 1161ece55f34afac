"""The document-control API: pinned query counts on every list, anonymous requests and the
OpenAPI schema."""

import datetime
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from eiso.api.tests.documents_world import (
    TODAY,
    draft,
    issue,
    prepare_decision,
    text,
    url,
)
from eiso.api.tests.helpers import assert_error_shape
from eiso.documents import services
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import (
    Document,
    IssuingDecision,
    Revision,
    RevisionFile,
)
from eiso.documents.tests.factories import docx_bytes, pdf_upload

pytestmark = pytest.mark.usefixtures("media_in_tmp")


# --- pinned query counts: a count that grows with the rows is a bug --------------------------------


def written(world):
    """A first draft with its content written in (no file to store: cheaper in bulk)."""
    document = services.document_create(
        actor=world.an,
        agency=world.A,
        code=f"BM-{uuid.uuid4().hex[:8]}",
        title="Biểu mẫu",
        kind="form",
        content="Mẫu đơn",
    )
    return document.revisions.get()


def _pinned(client, django_assert_num_queries, path, queries, params=None, *, before, after, grow):
    with django_assert_num_queries(queries):
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content[:500]
    assert len(response.json()["results"]) == before
    grow()
    with django_assert_num_queries(queries):
        response = client.get(path, params or {})
    assert len(response.json()["results"]) == after


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["an", "binh", "dung"])
def test_document_list_query_count_does_not_grow(
    world, as_token, django_assert_num_queries, persona
):
    """The secretary, staff (only issued documents) and the overseer (a subtree) alike."""
    issue(world, [draft(world)[1]])
    # token + user, memberships (scope), count, page, their issued revisions not expired
    _pinned(
        as_token(world.persona(persona)),
        django_assert_num_queries,
        url("document-list"),
        5,
        before=1,
        after=21,
        grow=lambda: issue(world, [written(world) for _ in range(20)]),
    )


@pytest.mark.django_db
def test_revisions_of_a_document_query_count_does_not_grow(
    world, as_token, django_assert_num_queries
):
    document, _ = draft(world)

    def grow():
        # Old revisions with a file each, built directly (the workflow would issue them one
        # after the other, which the workflow test does).
        for number in range(2, 22):
            old = Revision.objects.create(
                agency=world.A,
                document=document,
                number=number,
                status=RevisionStatus.ISSUED,
                effective_date=TODAY - datetime.timedelta(days=100 - number),
                drafted_by=world.an,
                reviewed_by=world.hai,
                approved_by=world.hai,
            )
            RevisionFile.objects.create(
                agency=world.A,
                revision=old,
                file=ContentFile(docx_bytes(), name="old.docx"),
                original_name="old.docx",
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
                uploaded_by=world.an,
            )

    # token + user, memberships, the document, count, page, files
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("document-revisions", document.pk),
        6,
        before=1,
        after=21,
        grow=grow,
    )


@pytest.mark.django_db
def test_files_of_a_revision_query_count_does_not_grow(world, as_token, django_assert_num_queries):
    _, revision = draft(world)

    def grow():
        for _ in range(20):
            services.revision_attach_file(actor=world.an, revision=revision, upload=pdf_upload())

    # token + user, memberships, the revision, count, page
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("revision-files", revision.pk),
        5,
        before=1,
        after=21,
        grow=grow,
    )


@pytest.mark.django_db
def test_decision_list_query_count_does_not_grow(world, as_token, django_assert_num_queries):
    _, revision = draft(world)
    prepare_decision(world, [revision])

    def grow():
        for n in range(20):
            IssuingDecision.objects.create(
                agency=world.A, subject=f"QĐ {n}", signer_name="x", signer_title="y",
                created_by=world.an,
            )  # fmt: skip

    # token + user, memberships, count, page
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("decision-list"),
        4,
        before=1,
        after=21,
        grow=grow,
    )


@pytest.mark.django_db
def test_external_document_list_query_count_does_not_grow(
    world, as_token, django_assert_num_queries
):
    text(world, world.P, shared=True)

    def grow():
        for _ in range(10):
            text(world, world.A)
            text(world, world.P, shared=True)

    # token + user, memberships, count, page
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("external-document-list"),
        4,
        before=1,
        after=21,
        grow=grow,
    )


@pytest.mark.django_db
def test_revision_task_list_query_count_does_not_grow(world, as_token, django_assert_num_queries):
    draft(world, legal_bases=[text(world, world.A, days=30)])

    def grow():
        for _ in range(20):
            draft(world, legal_bases=[text(world, world.A, days=30)])

    # token + user, memberships, count, page
    _pinned(
        as_token(world.dung),
        django_assert_num_queries,
        url("revision-task-list"),
        4,
        before=1,
        after=21,
        grow=grow,
    )


@pytest.mark.django_db
def test_master_list_query_count_does_not_grow(world, as_token, django_assert_num_queries):
    _, revision = draft(world)
    issue(world, [revision])

    def grow():
        for n in range(20):
            document = Document.objects.create(
                agency=world.A, code=f"BM-{n:02d}", title="Biểu mẫu", kind="form",
                created_by=world.an,
            )  # fmt: skip
            Revision.objects.create(
                agency=world.A, document=document, number=1, status=RevisionStatus.ISSUED,
                drafted_by=world.an, effective_date=TODAY,
            )  # fmt: skip

    # token + user, the acting role, memberships (scope), the review status (4), the list, its
    # revisions in force
    _pinned(
        as_token(world.an),
        django_assert_num_queries,
        url("master-list"),
        9,
        before=1,
        after=21,
        grow=grow,
    )


# --- anonymous requests and the schema ----------------------------------------------------------

LIST_ENDPOINTS = [
    "api:document-list",
    "api:decision-list",
    "api:external-document-list",
    "api:revision-task-list",
    "api:master-list",
    "api:master-list-review-list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIST_ENDPOINTS)
def test_anonymous_requests_are_refused(world, api, name):
    assert_error_shape(api.get(reverse(name)), 401, "not_authenticated")


@pytest.mark.django_db
def test_the_schema_documents_document_control(api, world):
    api.force_login(world.an)  # the schema is for signed-in people
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in (
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
        "/api/v1/documents/{id}/withdraw/",
        "/api/v1/documents/{id}/revisions/",
        "/api/v1/documents/{id}/new-revision/",
        "/api/v1/revisions/{id}/",
        "/api/v1/revisions/{id}/submit/",
        "/api/v1/revisions/{id}/return/",
        "/api/v1/revisions/{id}/approve/",
        "/api/v1/revisions/{id}/acknowledge/",
        "/api/v1/revisions/{id}/files/",
        "/api/v1/revision-files/{id}/",
        "/api/v1/revision-files/{id}/download/",
        "/api/v1/decisions/",
        "/api/v1/decisions/{id}/sign/",
        "/api/v1/master-list/",
        "/api/v1/master-list-reviews/",
        "/api/v1/external-documents/",
        "/api/v1/external-documents/{id}/",
        "/api/v1/revision-tasks/",
        "/api/v1/revision-tasks/{id}/",
    ):
        assert path in paths, path
    upload = paths["/api/v1/revisions/{id}/files/"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]
    schemas = response.json()["components"]["schemas"]
    assert schemas["RevisionUploadRequest"]["properties"]["file"]["format"] == "binary"
    download = paths["/api/v1/revision-files/{id}/download/"]["get"]["responses"]["200"]
    assert "application/pdf" in download["content"]
    sign = paths["/api/v1/decisions/{id}/sign/"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(sign)
    document_params = {p["name"] for p in paths["/api/v1/documents/"]["get"]["parameters"]}
    assert {
        "q",
        "kind",
        "department",
        "agency",
        "status",
        "state",
        "effective_from",
        "effective_to",
        "ordering",
    } <= document_params
    assert schemas["RevisionStatusEnum"]["enum"][0] == "draft"
    assert "version" in schemas["PatchedRevisionUpdateRequest"]["properties"]
