"""AgencyField (eiso/core/fields.py): an agency chosen by typing; the server refuses anything
outside the person's scope, and a page renders only the chosen agency, never the list."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from eiso.core.fields import AgencyField
from eiso.core.forms import AuditFilterForm, BootstrapForm, FilterForm
from eiso.core.roles import Action
from eiso.organizations.models import Agency
from eiso.organizations.tests.factories import AgencyFactory


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class PickForm(FilterForm):
    agency = AgencyField(action=Action.VIEW)


class ChangeForm(BootstrapForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = AgencyField(user=user, action=Action.CHANGE, required=True)


@pytest.mark.django_db
def test_an_agency_outside_the_scope_is_refused_like_any_unknown_choice(world):
    form = PickForm({"agency": world.C.pk}, user=world.dung)  # C is in province Q
    assert not form.is_valid()
    assert form.errors["agency"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    for value in ("999999", "abc"):
        assert not PickForm({"agency": value}, user=world.dung).is_valid()
    form = PickForm({"agency": world.B.pk}, user=world.dung)
    assert form.is_valid() and form.cleaned_data["agency"] == world.B


@pytest.mark.django_db
def test_the_field_follows_the_action_and_leaves_out_inactive_agencies(world):
    # the overseer reads B but may not change it
    assert not ChangeForm({"agency": world.B.pk}, user=world.dung).is_valid()
    assert ChangeForm({"agency": world.A.pk}, user=world.an).is_valid()
    assert not ChangeForm({"agency": world.B.pk}, user=world.an).is_valid()
    retired = AgencyFactory(parent=world.P, code="OLD", is_active=False)
    assert not PickForm({"agency": retired.pk}, user=world.dung).is_valid()
    # the audit trail's filter reaches retired agencies too (their history stays readable)
    assert AuditFilterForm({"agency": retired.pk}, user=world.quan).is_valid()


@pytest.mark.django_db
def test_queryset_narrows_the_choice_further(world):
    field = AgencyField(user=world.dung, queryset=Agency.objects.filter(parent__isnull=True))
    assert field.clean(world.P.pk) == world.P
    with pytest.raises(forms.ValidationError):
        field.clean(world.A.pk)


@pytest.mark.django_db
def test_only_the_chosen_agency_is_rendered_and_without_a_query_once_cleaned(world):
    for number in range(30):
        AgencyFactory(parent=world.P, code=f"X{number:02}", name=f"Phòng thử {number:02}")
    form = PickForm({"agency": world.B.pk}, user=world.dung)
    assert form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["agency"])
    assert len(queries) == 0  # the label comes from the cleaned agency
    assert f'name="agency" value="{world.B.pk}"' in html
    assert world.B.name in html and "<option" not in html
    assert world.A.name not in html and "Phòng thử" not in html
    suggest = reverse("api:agency-list")
    assert f'data-url="{suggest}?action=view&amp;page_size=10&amp;status=active"' in html


@pytest.mark.django_db
def test_an_initial_agency_is_rendered_from_its_primary_key_with_one_query(world):
    form = PickForm(initial={"agency": world.A.pk}, user=world.dung)
    with CaptureQueriesContext(connection) as queries:
        html = str(form["agency"])
    assert len(queries) == 1
    assert world.A.name in html and f'value="{world.A.pk}"' in html
    empty = str(PickForm(user=world.dung)["agency"])
    assert 'value=""' in empty and 'placeholder="All agencies"' in empty


@pytest.mark.django_db
def test_a_refused_value_is_not_echoed_as_an_agency(world):
    form = PickForm({"agency": world.C.pk}, user=world.dung)
    assert not form.is_valid()
    html = str(form["agency"])
    assert world.C.name not in html and f'value="{world.C.pk}"' not in html


@pytest.mark.django_db
def test_each_form_has_its_own_field_and_the_user_of_one_never_reaches_another(world):
    first = PickForm(user=world.dung)
    second = PickForm(user=world.em)
    assert first.fields["agency"].user == world.dung and second.fields["agency"].user == world.em
    assert PickForm.base_fields["agency"].user is None
    assert PickForm({"agency": world.C.pk}, user=world.em).is_valid()
    assert not PickForm({"agency": world.C.pk}, user=world.dung).is_valid()


@pytest.mark.django_db
def test_the_audit_trail_page_renders_no_list_of_agencies(client, world):
    for number in range(30):
        AgencyFactory(parent=world.P, code=f"X{number:02}", name=f"Phòng thử {number:02}")
    client.force_login(world.quan)
    body = client.get(reverse("core:audit_list")).content.decode()
    assert "data-agency-field" in body and "Phòng thử" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action",
    [Action.VIEW, Action.AUDIT, Action.MANAGE_AGENCIES, Action.MANAGE_USERS, Action.OVERSEE],
)
def test_the_suggestions_url_of_every_scope_used_answers_with_that_scope(client, world, action):
    field = AgencyField(user=world.quan, action=action)
    client.force_login(world.quan)
    response = client.get(field.widget.suggest_url + "&q=so")
    assert response.status_code == 200
    found = {row["id"] for row in response.json()["results"]}
    allowed = set(field.queryset.values_list("pk", flat=True))
    assert found and found <= allowed
