"""Shared form pieces: a date field in dd/mm/yyyy, the audit-trail filter, the import upload."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    action = PatternChoiceField(label=_("Action"), pattern=r"[a-z0-9_]+\.[a-z0-9_.]*")
    object_type = PatternChoiceField(label=_("Object type"), pattern=r"[a-z0-9_]+\.[a-z0-9_]+")
    object_id = forms.CharField(label=_("Object id"), max_length=64, widget=forms.HiddenInput)
    date_from = DateField(label=_("From"))
    date_to = DateField(label=_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from eiso.core import audit_display

        everything = [("", pgettext_lazy("audit filter", "All"))]
        self.fields["action"].choices = everything + audit_display.action_choices()
        self.fields["object_type"].choices = everything + audit_display.object_type_choices()

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
