"""Shared form pieces: a date field in dd/mm/yyyy, the audit-trail filter, the import upload."""

from __future__ import annotations

import functools
import re

from django import forms
from django.conf import settings
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField, bind_agency_fields
from eiso.core.files import CSV, XLSX, accept, upload_help_text
from eiso.core.roles import Action

SPREADSHEETS = (XLSX, CSV)


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the browser's native picker shows the OS's locale order)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "class": "form-control", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        super().__init__(*args, **kwargs)


def bootstrapify(form: forms.BaseForm) -> None:
    """Give every widget its Bootstrap class (and a red border when the field has errors)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form._errors and name in form._errors:
            css += " is-invalid"
        existing = widget.attrs.get("class", "")
        if css.split()[0] not in existing:
            widget.attrs["class"] = f"{existing} {css}".strip()


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def full_clean(self):
        super().full_clean()
        bootstrapify(self)


class FilterForm(BootstrapForm):
    """A GET form of list filters; takes the viewer to scope its choices (its ``AgencyField``s
    get the viewer too)."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        bind_agency_fields(self, user)


class KeptOptionsSelect(forms.Select):
    """A select of many options that are the same on every request (the audit trail's ~300
    actions): rendered once per language, name, attributes and choices and kept; only the
    selected option changes (Django marks the first option of that value ``selected``). For
    options without attributes of their own (plain choices). The same HTML as
    ``forms.Select`` (``eiso/core/tests/test_form_renderer.py`` compares them)."""

    _kept: dict[tuple, str] = {}  # noqa: RUF012 - shared by every instance, on purpose
    KEPT = 64

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        key = (get_language(), name, tuple(sorted(final.items())), _frozen(self.choices))
        html = self._kept.get(key)
        if html is None:
            if len(self._kept) >= self.KEPT:
                self._kept.clear()
            html = self._kept[key] = str(super().render(name, [_NOTHING], attrs, renderer))
        chosen = self.format_value(value)
        if chosen and chosen[0] != "":
            option = f'<option value="{escape(chosen[0])}">'
            html = html.replace(option, option[:-1] + " selected>", 1)
        elif chosen:  # the empty value: Django marks the "all" option
            html = html.replace('<option value="">', '<option value="" selected>', 1)
        return mark_safe(html)  # noqa: S308 - Django's own rendering, one attribute added


_NOTHING = "\x00"  # a value no option has: the kept rendering selects nothing


def _frozen(choices) -> tuple:
    if isinstance(choices, KeptChoices):
        return (choices,)  # the same object while the choices are the same
    return tuple(
        (value, _frozen(label) if isinstance(label, list | tuple) else str(label))
        for value, label in choices
    )


class KeptChoices(BaseChoiceIterator):
    """Choices already in Django's normal form and the same on every request: fields and
    widgets take them as they are (``normalize_choices`` walked the audit filter's ~300
    actions twice per form). Compared by identity: a kept rendering is named by the object."""

    def __init__(self, choices: tuple):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)

    def __eq__(self, other) -> bool:
        return self is other

    __hash__ = object.__hash__


@functools.lru_cache(maxsize=32)
def audit_filter_choices(kind: str, language: str, version: int) -> KeptChoices:
    """The audit filter's choices of ``kind`` ("action" or "object_type") after "All", built once
    per language (the labels are translated) and declaration of the audit registry (``version``):
    every request of the audit trail built ~350 of them, translated and sorted, again."""
    from eiso.core import audit_display

    declared = (
        audit_display.action_choices() if kind == "action" else audit_display.object_type_choices()
    )
    return KeptChoices((("", pgettext_lazy("audit filter", "All")), *declared))


class PatternChoiceField(forms.ChoiceField):
    """A select whose offered choices are the usual ones, but any value of the right shape is
    accepted (a link to an event of an action or object type not offered keeps working)."""

    def __init__(self, *args, pattern: str, **kwargs):
        self.pattern = re.compile(pattern)
        super().__init__(*args, **kwargs)

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or bool(self.pattern.fullmatch(str(value)))


class AuditFilterForm(FilterForm):
    agency = AgencyField(action=Action.AUDIT, active_only=False)
    person = forms.CharField(
        label=pgettext_lazy("audit", "Person"),
        max_length=150,
        help_text=_("User name, or part of the full name."),
    )
    action = PatternChoiceField(
        label=_("Action"), pattern=r"[a-z0-9_]+\.[a-z0-9_.]*", widget=KeptOptionsSelect
    )
    object_type = PatternChoiceField(
        label=_("Object type"), pattern=r"[a-z0-9_]+\.[a-z0-9_]+", widget=KeptOptionsSelect
    )
    object_id = forms.CharField(label=_("Object id"), max_length=64, widget=forms.HiddenInput)
    date_from = DateField(label=_("From"))
    date_to = DateField(label=_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from eiso.core.audit_display import registry

        for kind in ("action", "object_type"):
            self.fields[kind].choices = audit_filter_choices(
                kind, get_language() or "", registry().version
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class UploadForm(BootstrapForm):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=format_lazy(
            "{} {}", _("The first row holds the column names."), upload_help_text(SPREADSHEETS)
        ),
        widget=forms.ClearableFileInput(attrs={"col": "col-12", "accept": accept(SPREADSHEETS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            )
        return upload


class AgencyPickForm(FilterForm):
    """Which agency a page is about, for those who read more than one (overseers, admins):
    active agencies in the person's scope (``?agency=<pk>``, read by ``generic.agency_for``)."""

    agency = AgencyField(empty_label=None, submit_on_choose=True)
