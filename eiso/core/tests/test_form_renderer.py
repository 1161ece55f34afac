"""WidgetRenderer (eiso/core/form_renderer.py) writes what Django's widget templates write, byte
for byte: inputs and selects in Python, everything else through the templates."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import re
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from eiso.core.form_renderer import WidgetRenderer
from eiso.core.forms import FilterForm
from eiso.organizations.models import Agency

TEMPLATES = DjangoTemplates()


class Written(WidgetRenderer):
    """The Python renderer, counting the widgets it hands to the templates."""

    def __init__(self):
        self.by_template: list[str] = []

    def get_template(self, template_name):
        self.by_template.append(template_name)
        return super().get_template(template_name)


VALUES = [
    None,
    "",
    "Sở Tư pháp",
    "a \"quoted\" <b>bold</b> & 'x'",
    mark_safe("<i>kept</i>"),
    0,
    12345,
    Decimal("1234.5"),
    1234.5,
    datetime.date(2026, 12, 7),
    ("a", 1),
]
ATTRS = [
    {},
    {
        "class": "form-control is-invalid",
        "required": True,
        "disabled": False,
        "maxlength": 200,
        "placeholder": gettext_lazy("Search"),
        "data-x": 'a"b<c>&',
        "data-none": None,
        "data-safe": mark_safe("<ok>"),
    },
]
INPUTS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.CheckboxInput,
]
CHOICES = [
    ("", "---------"),
    (1, "Một"),
    ("a&b", "<b>đậm</b>"),
    (2026, 2026),
    (Decimal("1.5"), Decimal("1234.5")),
    ("day", datetime.date(2026, 12, 7)),
    ("lazy", gettext_lazy("Documents")),
    ("safe", mark_safe("<em>an toàn</em>")),
    ('Nhóm <1> & "2"', [(3, "ba"), (4, "bốn")]),
    ("", [(5, "năm")]),
]


def both(widget, name, value, attrs=None):
    python = Written()
    written = widget.render(name, value, attrs, renderer=python)
    return widget.render(name, value, attrs, renderer=TEMPLATES), written, python.by_template


@pytest.fixture(params=["vi", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize("widget_class", INPUTS)
def test_inputs_are_written_as_the_templates_write_them(language, widget_class):
    for value in VALUES:
        for attrs in ATTRS:
            expected, written, by_template = both(widget_class(attrs), "q", value)
            assert written == expected, (widget_class, value, attrs)
            assert by_template == []


@pytest.mark.parametrize("widget_class", [forms.Select, forms.SelectMultiple])
@pytest.mark.parametrize("value", [None, "", 1, "a&b", 2026, "day", [1, "a&b", 4], ["safe"]])
def test_selects_are_written_as_the_templates_write_them(language, widget_class, value):
    for attrs in ATTRS:
        expected, written, by_template = both(widget_class(attrs, choices=CHOICES), "k", value)
        assert written == expected
        assert by_template == []
    assert "<optgroup" in written
    # None selects the empty choice of a single select, nothing of a multiple one
    assert ("selected" in written) != (value is None and widget_class is forms.SelectMultiple)


@pytest.mark.parametrize(
    "value", [None, "", 1, "a&b", 2026, "day", 4, 5, "not offered", [1, "a&b"], ["not", "offered"]]
)
def test_kept_options_are_the_select_the_templates_write(language, value):
    """KeptOptionsSelect renders once per language, name, attributes and choices, then moves
    ``selected`` only: the same HTML as Django's select on every value, kept or not."""
    from eiso.core.forms import KeptChoices, KeptOptionsSelect

    for choices in (CHOICES, KeptChoices((("", "Tất cả"), *CHOICES[1:]))):
        for attrs in ATTRS:
            expected = forms.Select(attrs, choices=choices).render("k", value, renderer=TEMPLATES)
            first = KeptOptionsSelect(attrs, choices=choices).render("k", value)
            again = KeptOptionsSelect(attrs, choices=choices).render("k", value)
            assert first == again == expected, (value, attrs)


def test_the_audit_filter_s_kept_selects_are_django_s_for_every_action(world, language):
    from eiso.core import audit_display
    from eiso.core.forms import AuditFilterForm

    actions = [value for _group, items in audit_display.action_choices() for value, _ in items]
    for action in [None, "", actions[0], actions[-1], "revision.", "made.up.action"]:
        form = AuditFilterForm({"action": action or ""}, user=world.dung)
        field = form["action"]
        plain = forms.Select(field.field.widget.attrs, choices=list(field.field.choices))
        expected = plain.render("action", field.value(), {"id": "id_action"}, renderer=TEMPLATES)
        assert str(field) == expected, action
        assert (" selected>" in expected) == (action != "made.up.action"), action
    again = AuditFilterForm({}, user=world.dung)
    assert again.fields["action"].choices is form.fields["action"].choices  # once per language


def test_localised_labels_differ_by_language_and_still_agree():
    with translation.override("vi"):
        vi = both(forms.Select(choices=CHOICES), "k", None)
    with translation.override("en"):
        en = both(forms.Select(choices=CHOICES), "k", None)
    assert vi[0] == vi[1] and en[0] == en[1]
    assert "1234,5" in vi[1] and "1234.5" in en[1]  # the label a Decimal, localised


def test_null_boolean_and_empty_selects(language):
    for value in (None, True, False, "unknown"):
        expected, written, by_template = both(forms.NullBooleanSelect(), "n", value)
        assert written == expected and by_template == []
    expected, written, by_template = both(forms.Select(choices=[]), "e", None)
    assert written == expected == '<select name="e">\n</select>'
    assert by_template == []


@pytest.mark.django_db
def test_model_choices_are_written_as_the_templates_write_them(world, language):
    field = forms.ModelChoiceField(queryset=Agency.objects.order_by("path"))
    for value in (None, world.A.pk, str(world.B.pk)):
        expected, written, by_template = both(field.widget, "agency", value)
        assert written == expected and by_template == []
        assert str(world.A) in written


def test_what_python_does_not_write_goes_to_the_templates(language):
    other_options = forms.Select(choices=CHOICES)
    other_options.option_template_name = "django/forms/widgets/input_option.html"
    called = forms.TextInput(attrs={"data-called": lambda: "called <now>"})
    cases = [
        (forms.RadioSelect(choices=CHOICES), "django/forms/widgets/radio.html"),
        (forms.Textarea(), "django/forms/widgets/textarea.html"),
        (other_options, "django/forms/widgets/select.html"),
        (called, "django/forms/widgets/text.html"),
    ]
    for widget, template in cases:
        expected, written, by_template = both(widget, "w", "1")
        assert written == expected
        assert by_template and by_template[0] == template
    assert 'data-called="called &lt;now&gt;"' in both(called, "w", "1")[1]


def _filter_forms() -> list[type]:
    for app in apps.get_app_configs():
        if app.name.startswith("eiso.") and importlib.util.find_spec(f"{app.name}.forms"):
            importlib.import_module(f"{app.name}.forms")
    found, pending = [], [FilterForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.append(subclass)
            pending.append(subclass)
    return found


@pytest.mark.django_db
def test_every_filter_form_of_the_project_renders_the_same(world, language):
    """Each filter form, empty and with refused input, for an agency's secretary and an
    overseer: every field identical with both renderers."""
    compared = set()
    bad_input = {"date_from": "31/02/2026", "year": "abc", "agency": "x", "page": "-1"}
    for form_class in _filter_forms():
        for user in (world.an, world.dung):
            for data in (None, bad_input):
                by_templates = form_class(data, user=user, renderer=TEMPLATES)
                in_python = form_class(data, user=user, renderer=Written())
                by_templates.is_valid(), in_python.is_valid()
                for name in by_templates.fields:
                    assert str(in_python[name]) == str(by_templates[name]), (form_class, name)
                compared.add(form_class)
    assert len(compared) >= 40


CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


@pytest.mark.django_db
def test_list_pages_are_byte_identical(world, client, settings):
    client.force_login(world.dung)
    pages = {}
    for renderer in (
        "django.forms.renderers.DjangoTemplates",
        "eiso.core.form_renderer.WidgetRenderer",
    ):
        settings.FORM_RENDERER = renderer
        pages[renderer] = [
            CSRF.sub(rb"\1", client.get(reverse(name)).content)
            for name in ("documents:list", "core:audit_list", "organizations:list")
        ]
    templates, python = pages.values()
    assert python == templates
    assert all(b"<select" in page for page in python)
