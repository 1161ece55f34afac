"""Form fields of the kernel. ``AgencyField``: choosing an agency by typing its code or name.

A country has about 5,000 agencies: a ``<select>`` of every agency in scope costs hundreds of
milliseconds to render and hundreds of kilobytes to send on every page that filters by agency.
``AgencyField`` renders one small text input instead; ``static/core/agency-field.js`` offers
the best matches from ``/api/v1/agencies/?q=`` (accents ignored, the best match first) as
the person types, for the same scope (``action``) as the field. Only the chosen agency is ever
rendered. The value posted is the agency's primary key, validated on the server against
``visible_to(user, action=…)`` like any ``ModelChoiceField`` (outside the scope: "not one of
the available choices")::

    class MyFilterForm(FilterForm):
        agency = AgencyField(action=Action.AUDIT)          # FilterForm gives it the user

    class MyForm(BootstrapForm):
        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["agency"] = AgencyField(user=user, action=Action.CHANGE, required=True)

``queryset=`` narrows the agencies further (e.g. only those with children); the suggestions
then come from the same scope and the server still refuses anything outside ``queryset``.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from eiso.core.roles import Action

SUGGESTIONS = 10  # how many matches the list offers at a time
ALL_AGENCIES = _("All agencies")


class AgencyWidget(forms.Widget):
    """A text input with suggestions and a hidden input holding the chosen agency's pk.

    Rendering never iterates the choices: the label of the chosen agency comes from the object
    the field cleaned (no query), or one query by primary key for an initial value."""

    template_name = "core/widgets/agency.html"

    def __init__(self, attrs=None, *, submit_on_choose: bool = False):
        super().__init__(attrs)
        self.submit_on_choose = submit_on_choose
        self.suggest_url = ""
        self.empty_label = ""
        self.chosen = None  # the agency the field last cleaned
        self.choices = ()  # set by ModelChoiceField; never iterated here

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.chosen = None
        return copy

    def _agency_for(self, value):
        if value in (None, ""):
            return None
        if self.chosen is not None and str(self.chosen.pk) == str(value):
            return self.chosen
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return None
        try:
            return queryset.filter(pk=value).first()
        except (ValueError, TypeError):
            return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        agency = self._agency_for(value)
        widget = context["widget"]
        widget["agency"] = agency
        widget["value"] = "" if agency is None else str(agency.pk)
        widget["text"] = _label(agency) if agency is not None else ""
        widget["suggest_url"] = self.suggest_url
        widget["empty_label"] = self.empty_label
        widget["submit_on_choose"] = self.submit_on_choose
        widget["no_match"] = _("No agency matches what you typed.")
        widget["attrs"]["placeholder"] = widget["attrs"].get("placeholder") or str(
            self.empty_label or _("Type a code or name…")
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def id_for_label(self, id_):
        return id_


def _label(agency) -> str:
    return f"{agency.name} ({agency.code})" if agency.code else agency.name


class AgencyField(forms.ModelChoiceField):
    """A choice among the agencies ``user`` reaches for ``action`` (active ones unless
    ``active_only=False``), by autocomplete. ``user`` may be given later with ``set_user``
    (``FilterForm`` does it for its fields)."""

    widget = AgencyWidget

    def __init__(
        self,
        *,
        user=None,
        action: Action = Action.VIEW,
        queryset=None,
        active_only: bool = True,
        submit_on_choose: bool = False,
        empty_label=ALL_AGENCIES,
        **kwargs,
    ):
        kwargs.setdefault("label", _("Agency"))
        kwargs.setdefault("widget", AgencyWidget(submit_on_choose=submit_on_choose))
        self.action = Action(action)
        self.active_only = active_only
        self.narrowing = queryset
        self.user = None
        super().__init__(queryset=_agency_model().objects.none(), empty_label=empty_label, **kwargs)
        if user is not None:
            self.set_user(user)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.widget.suggest_url = self.widget.suggest_url
        copy.widget.empty_label = self.widget.empty_label
        return copy

    def set_user(self, user, *, queryset=None) -> None:
        """Scope the field to what ``user`` reaches for the field's action (``queryset``
        narrows it further)."""
        self.user = user
        if queryset is not None:
            self.narrowing = queryset
        agencies = _agency_model().objects.visible_to(user, action=self.action)
        if self.active_only:
            agencies = agencies.filter(is_active=True)
        if self.narrowing is not None:
            agencies = agencies.filter(pk__in=self.narrowing.order_by().values("pk"))
        self.queryset = agencies.order_by("path")
        params = {"action": self.action.value, "page_size": SUGGESTIONS}
        if self.active_only:
            params["status"] = "active"
        self.widget.suggest_url = f"{reverse('api:agency-list')}?{urlencode(params)}"
        self.widget.empty_label = str(self.empty_label or "")

    def to_python(self, value):
        agency = super().to_python(value)
        self.widget.chosen = agency
        return agency

    def prepare_value(self, value):
        if hasattr(value, "_meta"):  # an initial agency: its label needs no query
            self.widget.chosen = value
        return super().prepare_value(value)


def _agency_model():
    return apps.get_model("organizations", "Agency")


def bind_agency_fields(form: forms.BaseForm, user) -> None:
    """Give every ``AgencyField`` of ``form`` that has no user yet the form's user."""
    if user is None:
        return
    for field in form.fields.values():
        if isinstance(field, AgencyField) and field.user is None:
            field.set_user(user)
