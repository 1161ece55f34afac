"""The registry's form pages on the generic service-form view: what they open with, and what a
refusal keeps (everything typed, the reason on the form)."""

import pytest
from django.conf import settings
from django.urls import reverse

from eiso.core.models import AuditEvent
from eiso.organizations.models import Agency, Department
from eiso.organizations.tests.factories import AgencyFactory, DepartmentFactory

REASON = "Nghị quyết 1656/NQ-UBTVQH15 ngày 16/6/2025"


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """Pages speak the language chosen with the header's switch (Vietnamese by default): the
    switch's cookie set to English, so the tests can match the words."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.django_db
def test_the_edit_page_opens_with_the_agencys_current_values(client, world):
    client.force_login(world.quan)
    response = client.get(reverse("organizations:edit", args=[world.A.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["code"].value() == world.A.code
    assert form["name"].value() == world.A.name
    assert form["parent"].value() == world.P.pk
    assert form["version"].value() == world.A.version
    assert response.context["agency"] == world.A


@pytest.mark.django_db
def test_add_a_sub_agency_opens_with_the_parent_chosen_and_404_outside_the_scope(client, world):
    client.force_login(world.quan)
    response = client.get(reverse("organizations:create"), {"parent": world.A.pk})
    assert response.status_code == 200
    assert response.context["form"]["parent"].value() == world.A.pk
    # the autocomplete shows the chosen parent's name, and only that agency
    body = response.content.decode()
    assert f'name="parent" value="{world.A.pk}"' in body and world.A.name in body
    assert world.B.name not in body
    assert client.get(reverse("organizations:create"), {"parent": 999999}).status_code == 404


@pytest.mark.django_db
def test_a_stale_edit_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:edit", args=[world.A.pk]),
        {
            "code": "A",
            "name": "Tên mới đã gõ",
            "kind": world.A.kind_id,
            "parent": world.P.pk,
            "address": "12 Lê Lợi",
            "version": world.A.version - 1,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "Tên mới đã gõ" and form["address"].value() == "12 Lê Lợi"
    assert form.non_field_errors()
    world.A.refresh_from_db()
    assert world.A.name != "Tên mới đã gõ"


@pytest.mark.django_db
def test_a_department_renamed_to_a_taken_name_keeps_the_typed_values(client, world):
    DepartmentFactory(agency=world.A, name="Văn phòng Sở")
    department = DepartmentFactory(agency=world.A, name="Phòng Kế hoạch", code="KH")
    client.force_login(world.an)
    url = reverse("organizations:department_edit", args=[department.pk])
    assert client.get(url).context["form"]["name"].value() == "Phòng Kế hoạch"
    response = client.post(url, {"name": "văn phòng sở", "code": "VP2", "kind": "office"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "văn phòng sở" and form["code"].value() == "VP2"
    assert form.errors["name"] == ["This name is already used in this agency."]
    department.refresh_from_db()
    assert department.name == "Phòng Kế hoạch" and department.code == "KH"
    saved = client.post(url, {"name": "Phòng Kế hoạch - Tài chính", "kind": "office"})
    assert saved["Location"] == (
        reverse("organizations:detail", args=[world.A.pk]) + "#departments"
    )


@pytest.mark.django_db
def test_adding_a_department_without_a_name_goes_back_with_the_reason(client, world):
    client.force_login(world.an)
    response = client.post(
        reverse("organizations:department_create", args=[world.A.pk]), {"name": ""}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("#departments")
    assert "The department was not added: check the name." in [
        str(m) for m in response.context["messages"]
    ]
    DepartmentFactory(agency=world.A, name="Văn phòng Sở")
    response = client.post(
        reverse("organizations:department_create", args=[world.A.pk]),
        {"name": "Văn phòng Sở", "kind": "office"},
        follow=True,
    )
    assert "This agency already has a department named Văn phòng Sở." in [
        str(m) for m in response.context["messages"]
    ]
    assert Department.objects.filter(agency=world.A).count() == 1


@pytest.mark.django_db
def test_a_merge_refused_by_the_service_keeps_the_ticked_agencies_and_the_reason(client, world):
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:merge"),
        {"sources": [world.B.pk], "into": world.B.pk, "on": "01/07/2025", "reason": REASON},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["into"]
    assert form["reason"].value() == REASON and form["on"].value() == "01/07/2025"
    assert response.context["selected"] == [world.B.pk]
    assert f'value="{world.B.pk}" id="source-{world.B.pk}" checked' in response.content.decode()
    assert Agency.objects.get(pk=world.B.pk).is_active


@pytest.mark.django_db
def test_a_merge_refusal_on_a_field_the_page_lacks_is_said_once(client, world):
    """A and C have different parents: the service names ``parent``, which the page has not;
    its reason is shown once over the form."""
    client.force_login(world.quan)
    response = client.post(
        reverse("organizations:merge"),
        {
            "sources": [world.A.pk, world.C.pk],
            "new_code": "SO-MOI",
            "new_name": "Sở mới",
            "on": "01/07/2025",
            "reason": REASON,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == ["The agencies have different parents: say where the new agency goes."]
    assert not Agency.objects.filter(code="SO-MOI").exists()


@pytest.mark.django_db
def test_reactivation_is_a_button_that_goes_back_to_the_agency(client, world):
    retired = AgencyFactory(parent=world.A, code="A-OLD", is_active=False)
    url = reverse("organizations:reactivate", args=[retired.pk])
    client.force_login(world.dung)  # an overseer reads, does not keep the registry
    assert client.post(url).status_code == 404
    client.force_login(world.quan)
    response = client.post(url)
    assert response["Location"] == reverse("organizations:detail", args=[retired.pk])
    retired.refresh_from_db()
    assert retired.is_active
    assert AuditEvent.objects.filter(object_id=str(retired.pk), actor=world.quan).exists()
    assert client.get(url).status_code == 405
