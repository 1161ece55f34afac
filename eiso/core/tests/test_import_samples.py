"""The sample file of every importer imports cleanly, as it is, into the demo province (issue 7
A11): the province's agencies, people and TTHC catalogue are built by the demo's own builders
(the documents, QMS records and announcements are not needed by any sample), then each sample is
downloaded from its page and imported through the service."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from eiso.core.imports import import_file, importer_for, registered_kinds
from eiso.core.models import ImportBatch


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo province's agencies, people and catalogue, built once for the module in a
    transaction rolled back at the end."""
    from eiso.demo import data_procedures as tthc
    from eiso.demo.builders import ProvinceBuilder, ensure_admin
    from eiso.demo.procedures import catalogue_xlsx

    with (
        django_db_blocker.unblock(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        admin, _created = ensure_admin()
        builder = ProvinceBuilder(admin)
        builder.build_province()
        builder.build_users()
        report = import_file(
            actor=admin,
            agency=None,
            kind="procedures",
            filename=tthc.CATALOGUE_FILENAME,
            content=catalogue_xlsx(tthc.CATALOGUE),
        )
        assert report.ok, report.errors
        yield admin.pk
        transaction.set_rollback(True)


@pytest.fixture
def province(built, db):
    from eiso.accounts.models import User

    return User.objects.get(pk=built)


KINDS = ["agencies", "users", "procedures", "handled_procedures", "announcements"]


def test_every_importer_is_covered():
    assert set(KINDS) <= set(registered_kinds())


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_sample_file_imports_cleanly_into_the_demo_province(client, province, kind):
    client.force_login(province)
    response = client.get(reverse("imports:sample", args=[kind]))
    assert response.status_code == 200
    importer = importer_for(kind)
    assert importer.sample_filename in response["Content-Disposition"]
    report = import_file(
        actor=province,
        agency=None,
        kind=kind,
        filename=importer.sample_filename,
        content=response.content,
    )
    assert report.ok, [(e.row, e.column, e.message) for e in report.errors]
    assert len(report.cleaned) == len(importer.sample_rows)


@pytest.mark.django_db
def test_the_sample_previews_cleanly_on_the_import_page(client, province):
    client.force_login(province)
    sample = client.get(reverse("organizations:import_sample"))
    upload = SimpleUploadedFile("mau-nhap-co-quan.xlsx", sample.content)
    response = client.post(reverse("organizations:import"), {"file": upload})
    assert response.context["report"].ok
    assert ImportBatch.objects.get().status == "previewed"
