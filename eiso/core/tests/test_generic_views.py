"""The generic page pieces: a service form keeps what was typed and shows the refusal; an
action button reports the refusal; the agency of a request is resolved in one place."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import RequestFactory

from eiso.core import generic
from eiso.core.errors import ValidationFailed
from eiso.core.roles import Action
from eiso.core.scoping import prime_scope

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


CALLS = []


class NameView(generic.ServiceFormView):
    form_class = NameForm
    title = "Đặt tên"

    def perform(self, form):
        name = form.cleaned_data["name"]
        if name == "trùng":
            raise ValidationFailed("Tên đã có.", fields={"name": ["Tên đã có."]})
        if name == "chung":
            raise ValidationFailed("Không lưu được.")
        CALLS.append(name)
        return name

    def get_success_url(self, result):
        return f"/done/{len(result)}/"


class ActionView(generic.ServiceActionView):
    success_message = "Đã gửi."

    def perform(self):
        if self.kwargs.get("fail"):
            raise ValidationFailed("Chưa đủ điều kiện.")
        return 7

    def get_success_url(self, result):
        return f"/item/{result}/" if result else "/item/"


def request_for(user, method="get", data=None, path="/x/"):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    memberships = list(user.memberships.select_related("agency"))
    prime_scope(user, memberships, acting=memberships[0] if memberships else None)
    request.membership = memberships[0] if memberships else None
    return request


def test_a_valid_form_calls_the_service_once_and_redirects(world):
    CALLS.clear()
    response = NameView.as_view()(request_for(world.an, "post", {"name": "Quy trình"}))
    assert response.status_code == 302 and response.url == "/done/9/"
    assert CALLS == ["Quy trình"]


def test_a_refusal_on_a_field_keeps_what_was_typed(world):
    response = NameView.as_view()(
        request_for(world.an, "post", {"name": "trùng", "note": "ghi chú dài"})
    )
    assert response.status_code == 200
    form = response.context_data["form"]
    assert form.errors["name"] == ["Tên đã có."]
    assert form.data["note"] == "ghi chú dài"
    body = response.rendered_content
    assert "ghi chú dài" in body and "Tên đã có." in body


def test_a_refusal_without_fields_goes_on_the_whole_form(world):
    response = NameView.as_view()(request_for(world.an, "post", {"name": "chung"}))
    assert response.context_data["form"].non_field_errors() == ["Không lưu được."]


def test_an_invalid_form_never_reaches_the_service(world):
    CALLS.clear()
    response = NameView.as_view()(request_for(world.an, "post", {"note": "x"}))
    assert response.status_code == 200 and CALLS == []


def test_an_action_reports_success_and_refusal(world):
    request = request_for(world.an, "post")
    response = ActionView.as_view()(request)
    assert response.url == "/item/7/"
    assert [str(m) for m in get_messages(request)] == ["Đã gửi."]
    request = request_for(world.an, "post")
    response = ActionView.as_view()(request, fail=True)
    assert response.url == "/item/"
    assert [str(m) for m in get_messages(request)] == ["Chưa đủ điều kiện."]


def test_an_action_follows_only_a_local_next(world):
    request = request_for(world.an, "post", {"next": "https://evil.example/"})
    assert ActionView.as_view()(request).url == "/item/7/"
    request = request_for(world.an, "post", {"next": "/documents/"})
    assert ActionView.as_view()(request).url == "/documents/"


def test_an_action_refuses_get(world):
    assert ActionView.as_view()(request_for(world.an)).status_code == 405


def test_agency_for_is_the_acting_agency_or_one_in_scope(world):
    assert generic.agency_for(request_for(world.an)) == world.A
    overseer = request_for(world.dung, data={"agency": world.B.pk})
    assert generic.agency_for(overseer) == world.B
    with pytest.raises(Http404):  # outside the scope: 404, never 403
        generic.agency_for(request_for(world.an, data={"agency": world.B.pk}))
    with pytest.raises(Http404):
        generic.agency_for(request_for(world.an, data={"agency": "x"}))
    with pytest.raises(Http404):  # overseers read, they do not change
        generic.agency_for(overseer, action=Action.CHANGE)


def test_oversees_tells_overseers_from_agency_people(world):
    request_for(world.dung)
    request_for(world.an)
    assert generic.oversees(world.dung) and not generic.oversees(world.an)
