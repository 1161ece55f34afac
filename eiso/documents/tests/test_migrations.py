"""Data written by the documents' migrations."""

import importlib

import pytest
from django.apps import apps

from eiso.documents import services
from eiso.documents.models import LegalBasis

legal_basis_agency = importlib.import_module("eiso.documents.migrations.0009_legal_basis_agency")


@pytest.mark.django_db
def test_the_citations_agency_is_filled_from_the_citing_document(world):
    """0009 adds the citing document's agency to each existing citation (the column is added
    empty, filled, then required): every row gets its own document's agency."""
    text = services.external_document_create(
        actor=world.dung, agency=world.P, number="63/2010/NĐ-CP", title="TTHC", is_shared=True
    )
    for actor, agency in ((world.an, world.A), (world.chi, world.B)):
        services.document_create(
            actor=actor,
            agency=agency,
            code=f"QT-{agency.code}",
            title="x",
            kind="tthc_procedure",
            legal_bases=[text],
        )
    LegalBasis.objects.update(agency=world.P)  # as if not yet filled
    legal_basis_agency.copy_agency(apps, None)
    assert sorted(LegalBasis.objects.values_list("document__agency", "agency")) == sorted(
        [(world.A.pk, world.A.pk), (world.B.pk, world.B.pk)]
    )
