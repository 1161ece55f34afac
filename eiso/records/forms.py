"""Forms of records and dossiers: parsing and field validation only; every choice is scoped
(the agency's procedures, the agencies the person reads)."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, FilterForm, UploadForm
from eiso.core.generic import oversees
from eiso.records import selectors
from eiso.records.choices import Channel, Disposal, DossierStatus, LateKind, RecordLocation

_MONTH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{4})\s*$|^\s*(\d{4})-(\d{1,2})\s*$")


class MonthField(forms.CharField):
    """A month typed mm/yyyy (also yyyy-mm, as a browser's month picker sends it) → the
    first day of that month."""

    default_error_messages = {"invalid": _("Write the month as mm/yyyy, e.g. 03/2026.")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "mm/yyyy", "autocomplete": "off", "maxlength": "7"}
            ),
        )
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        value = super().to_python(value)
        if not value:
            return None
        match = _MONTH.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        month, year = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
        month, year = int(month), int(year)
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(year, month, 1)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%m/%Y")
        return value


def _months_in_order(form) -> None:
    start, end = form.cleaned_data.get("month_from"), form.cleaned_data.get("month_to")
    if start and end and start > end:
        form.add_error("month_to", _("The last month is before the first."))


# --- record types -------------------------------------------------------------------------


class RecordTypeFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    agency = AgencyField()  # typed, not listed
    location = forms.ChoiceField(
        label=_("Where it is kept"), choices=[("", _("All")), *RecordLocation.choices]
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class RecordTypeForm(BootstrapForm):
    document = forms.ModelChoiceField(
        label=_("Procedure (ISO)"),
        queryset=None,
        required=False,
        empty_label=_("— the QMS as a whole —"),
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    name = forms.CharField(
        label=_("Record"), max_length=300, widget=forms.TextInput(attrs={"col": "col-md-6"})
    )
    form_code = forms.CharField(
        label=_("Form code"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-md-3"}),
    )
    keeper = forms.CharField(
        label=_("Kept by"),
        max_length=200,
        widget=forms.TextInput(attrs={"col": "col-md-5"}),
        help_text=_("The department or position that keeps it."),
    )
    location = forms.ChoiceField(
        label=_("Where it is kept"),
        choices=RecordLocation.choices,
        widget=forms.Select(attrs={"col": "col-md-4"}),
    )
    retention_years = forms.IntegerField(
        label=_("Retention (years)"),
        min_value=1,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"col": "col-md-3"}),
    )
    permanent = forms.BooleanField(
        label=_("Kept permanently"),
        required=False,
        widget=forms.CheckboxInput(attrs={"col": "col-md-3"}),
    )
    disposal = forms.ChoiceField(
        label=_("Disposal"),
        choices=Disposal.choices,
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"}),
    )

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = selectors.procedure_documents(user=user, agency=agency)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("permanent") and not cleaned.get("retention_years"):
            self.add_error(
                "retention_years", _("Give the retention in years, or keep it permanently.")
            )
        return cleaned


# --- dossiers -------------------------------------------------------------------------------


class DossierFilterForm(FilterForm):
    q = forms.CharField(label=_("Dossier code"), max_length=64)
    agency = AgencyField()  # typed, not listed
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=None, empty_label=_("All"), to_field_name="code"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DossierStatus.choices])
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All")), *Channel.choices])
    month_from = MonthField(label=_("From month"))
    month_to = MonthField(label=_("To month"))
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]
        from eiso.procedures.models import AdministrativeProcedure

        # The catalogue is shared by every agency (not agency data): picked by its code.
        self.fields["procedure"].queryset = AdministrativeProcedure.objects.all()
        self.fields["procedure"].widget = forms.TextInput(
            attrs={"placeholder": "1.004851.000.00.00.H66"}
        )

    def clean(self):
        cleaned = super().clean()
        _months_in_order(self)
        return cleaned


class LateFilterForm(DossierFilterForm):
    late = forms.ChoiceField(label=_("Which"), choices=[("", _("All")), *LateKind.choices])
    field_order = ["q", "agency", "procedure", "late", "channel", "month_from", "month_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]


class DossierUploadForm(UploadForm):
    """A dossier file: CSV (any number of rows) or XLSX."""


# --- figures --------------------------------------------------------------------------------


class FiguresForm(FilterForm):
    """The range and scope of the figures pages: months, an agency or (overseers) a subtree,
    a channel."""

    root = AgencyField(label=_("Agencies under"))  # typed, not listed
    agency = AgencyField()  # typed, not listed
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All")), *Channel.choices])
    month_from = MonthField(label=_("From month"))
    month_to = MonthField(label=_("To month"))
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["root"].set_user(self.user)
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["root"]
            del self.fields["agency"]

    def clean(self):
        cleaned = super().clean()
        _months_in_order(self)
        return cleaned
