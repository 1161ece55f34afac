"""Django's form renderer with its commonest widgets written in Python (issue 15).

Every list page renders its filter row: a select of a dozen options costs Django's templates
two includes and a context push per option, ~1.5 ms per select inside a request. The selects
and the ``<input>`` widgets are written here to the byte of Django's own templates
(``django/forms/widgets/select.html``, ``select_option.html``, ``input.html``, ``attrs.html``),
values going through the same ``stringformat``, localisation and escaping. Any other template,
an option with another template, or a callable value (which a template would call) goes to the
templates, unchanged. ``eiso/core/tests/test_form_renderer.py`` compares both outputs.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
_OPTION = _WIDGETS + "select_option.html"
_INPUTS = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "password.html",
        "hidden.html",
        "date.html",
        "datetime.html",
        "time.html",
        "search.html",
        "tel.html",
        "checkbox.html",
    )
)


class _Template(Exception):
    """A value the Python writers do not take: render with the template."""


# As the renderer's templates get it: autoescaped, localised and in local time by the settings.
_CONTEXT = Context()


def _value(value) -> str:
    """``{{ value }}``: localised, then escaped unless safe."""
    if callable(value):
        raise _Template
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}`` ("%s" of a tuple's str, which is its str): the filter
    keeps a safe value safe."""
    if callable(value):
        raise _Template
    text = str(value)
    return _value(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs) -> str:
    """``attrs.html``: True writes the name alone, False nothing."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _value(name))
            if value is not True:
                out.append('="' + _formatted(value) + '"')
    return "".join(out)


def _input(widget) -> str:
    value = widget["value"]
    shown = ' value="' + _formatted(value) + '"' if value != None else ""  # noqa: E711 - as the template
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _select(widget) -> str:
    out = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                raise _Template
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_value(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class WidgetRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: selects and inputs in Python, the rest with the templates."""

    def render(self, template_name, context, request=None):
        if request is None and "widget" in context:
            write = _select if template_name == _WIDGETS + "select.html" else None
            if write is None and template_name in _INPUTS:
                write = _input
            if write is not None:
                try:
                    return mark_safe(write(context["widget"]))
                except (_Template, KeyError):
                    pass
        return super().render(template_name, context, request=request)
