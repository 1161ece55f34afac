"""Forms of the reports: starting a report, its narrative, submitting it with the signed file,
returning it with a reason, the lists' filters, and the transition report's choices."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import JPEG, PDF, PNG, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.scoping import user_scope
from eiso.reports.choices import ReportStatus, SummaryStatus
from eiso.reports.rules import OVERSIGHT

SIGNED_FILES = (PDF, PNG, JPEG)
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
WIDE = "col-sm-6 col-lg-3"
NARROW = "col-6 col-sm-4 col-lg-2"


def years(back: int = 8) -> list[tuple[int, str]]:
    year = timezone.localdate().year
    return [(y, str(y)) for y in range(year, year - back, -1)]


def _root_field(user):
    # typed with suggestions, not listed: the national overseer reaches 5,000 agencies
    root = AgencyField(
        user=user,
        action=OVERSIGHT,
        label=_("Under"),
        required=False,
        empty_label=_("Everything I oversee"),
    )
    root.widget.attrs["col"] = WIDE
    return root


class AnnualStartForm(BootstrapForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = years()


class AnnualNarrativeForm(BootstrapForm):
    assessment = forms.CharField(
        label=_("Assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How the QMS was applied, maintained and improved in the period."),
    )
    difficulties = forms.CharField(
        label=_("Difficulties and limits"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_name"].widget.attrs["col"] = "col-sm-6"
        self.fields["signer_title"].widget.attrs["col"] = "col-sm-6"


class SubmitForm(BootstrapForm):
    number = forms.CharField(label=_("Number"), max_length=60)
    report_date = DateField(label=_("Report dated"))
    signed_file = forms.FileField(
        label=_("Signed file"),
        help_text=upload_help_text(SIGNED_FILES),
        widget=forms.ClearableFileInput(attrs={"accept": accept(SIGNED_FILES)}),
    )

    def __init__(self, *args, symbol: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _(
            "Type the number only (e.g. 12): it is recorded as 12/BC-%(symbol)s."
        ) % {"symbol": symbol or "…"}
        self.fields["number"].widget.attrs["col"] = "col-sm-6"
        self.fields["report_date"].widget.attrs["col"] = "col-sm-6"


class ReturnForm(BootstrapForm):
    reason = forms.CharField(
        label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AnnualFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *ReportStatus.choices]
    )
    late = forms.ChoiceField(label=_("Late"), choices=YES_NO)
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year")), *years()]
        self.fields["q"].widget.attrs.update(placeholder=_("Agency, number…"), col=WIDE)
        for name in ("year", "status", "late"):
            self.fields[name].widget.attrs["col"] = NARROW if name != "status" else WIDE
        if self.user is not None and not user_scope(self.user, OVERSIGHT).empty:
            self.fields["root"] = _root_field(self.user)
            bootstrapify(self)
            self.order_fields(["q", "root", "year", "status", "late"])
        for field in self.fields.values():
            field.required = False


class ProvincialStartForm(BootstrapForm):
    agency = AgencyField(label=_("Summary of"), action=OVERSIGHT, empty_label=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    as_of = DateField(label=_("Figures as of"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["agency"].set_user(user)
        self.fields["year"].choices = years()
        self.fields["as_of"].help_text = _("Empty: 14/12 of the year, or today if earlier.")


class ProvincialNarrativeForm(BootstrapForm):
    as_of = DateField(label=_("Figures as of"))
    direction = forms.CharField(
        label=_("Direction given"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    results = forms.CharField(
        label=_("Results (beyond the figures)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    limits = forms.CharField(
        label=_("Limits and causes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposals = forms.CharField(
        label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    recipients = forms.CharField(
        label=_("Sent to"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_name"].widget.attrs["col"] = "col-sm-6"
        self.fields["signer_title"].widget.attrs["col"] = "col-sm-6"


class ProvincialFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *SummaryStatus.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year")), *years()]
        self.fields["year"].widget.attrs["col"] = NARROW
        self.fields["status"].widget.attrs["col"] = WIDE


class TransitionForm(FilterForm):
    date = DateField(label=_("As of"))
    deadline = DateField(label=_("Deadline"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"] = _root_field(self.user)
        bootstrapify(self)
        self.fields["date"].widget.attrs["col"] = NARROW
        self.fields["deadline"].widget.attrs["col"] = NARROW
        self.order_fields(["root", "date", "deadline"])
        for field in self.fields.values():
            field.required = False
