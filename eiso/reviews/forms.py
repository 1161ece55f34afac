"""Forms of management reviews: parsing and field validation only; people chosen within the
agency."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import SCANS, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.objectives.selectors import people_of
from eiso.reviews.choices import OutputKind, ReviewStatus


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _years():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this + 1, this - 6, -1)]


def _agency_field(form) -> None:
    if oversees(form.user):
        form.fields["agency"].set_user(form.user)
    else:
        del form.fields["agency"]


class ReviewFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    agency = AgencyField()
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReviewStatus.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].empty_value = None
        _agency_field(self)


class OutputFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    agency = AgencyField()
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All")),
            ("open", _("Not done")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *OutputKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _agency_field(self)


class ReviewForm(BootstrapForm):
    meeting_date = DateField(label=_("Meeting date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None, required=False)
    attendees = forms.CharField(
        label=_("Attendees"), required=False, widget=_textarea(4), help_text=_("One per line.")
    )

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people_of(user=user, agency=agency)


class InputForm(BootstrapForm):
    content = forms.CharField(label=_("Content"), widget=_textarea(10))


class MinutesForm(BootstrapForm):
    conclusions = forms.CharField(label=_("Conclusions"), required=False, widget=_textarea(5))
    minutes_number = forms.CharField(label=_("Minutes number"), max_length=40, required=False)
    minutes_date = DateField(label=_("Minutes dated"), required=False)


class OutputForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    description = forms.CharField(label=_("Decision"), widget=_textarea(2))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_date = DateField(label=_("Due date"))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(user=user, agency=agency)


class OutputDoneForm(BootstrapForm):
    done_on = DateField(label=_("Done on"), required=False)
    result = forms.CharField(label=_("Result"), required=False, widget=_textarea(2))


class ScanForm(BootstrapForm):
    scan = forms.FileField(
        label=_("Signed minutes (scan or signed PDF)"),
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": accept(SCANS)}),
    )
