"""Forms of training and competence: parsing and field validation only; people are chosen
among those who work in the agency."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.training import selectors
from eiso.training.choices import CertificateKind, CertificateState, CourseKind

EVIDENCE = (PDF, DOCX, XLSX, PNG, JPEG)
SCANS = (PDF, PNG, JPEG)


class CourseFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    agency = AgencyField()  # typed, not listed
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *CourseKind.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class CourseForm(BootstrapForm):
    title = forms.CharField(
        label=_("Course"), max_length=300, widget=forms.TextInput(attrs={"col": "col-md-8"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CourseKind.choices, widget=forms.Select(attrs={"col": "col-md-4"})
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"col": "col-md-3"}),
    )
    certificate_kind = forms.ChoiceField(
        label=_("Certificate given to those who pass"),
        required=False,
        choices=[("", _("None")), *CertificateKind.choices],
        widget=forms.Select(attrs={"col": "col-md-5"}),
    )
    is_active = forms.BooleanField(
        label=_("Offered"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"col": "col-md-4"}),
    )
    description = forms.CharField(
        label=_("Content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "col": "col-12"}),
    )


class SessionForm(BootstrapForm):
    starts_on = DateField(label=_("Date"))
    ends_on = DateField(label=_("Until"), required=False)
    trainer = forms.CharField(
        label=_("Trainer"), max_length=200, widget=forms.TextInput(attrs={"col": "col-md-6"})
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-md-6"}),
    )
    evidence = forms.FileField(
        label=_("Evidence (attendance sheet, minutes)"),
        required=False,
        help_text=upload_help_text(EVIDENCE),
        widget=forms.ClearableFileInput(attrs={"accept": accept(EVIDENCE), "col": "col-12"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "col": "col-12"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].widget.attrs["col"] = "col-md-3"
        self.fields["ends_on"].widget.attrs["col"] = "col-md-3"


class AttendanceForm(forms.Form):
    """One line per person of the agency: attended, passed."""

    def __init__(self, *args, people=(), attendance=(), **kwargs):
        super().__init__(*args, **kwargs)
        found = {a.person_id: a for a in attendance}
        self.people = list(people)
        for person in self.people:
            current = found.get(person.pk)
            box = {"class": "form-check-input", "aria-label": str(person)}
            self.fields[f"attended_{person.pk}"] = forms.BooleanField(
                required=False,
                initial=current.attended if current else False,
                widget=forms.CheckboxInput(attrs=box),
            )
            self.fields[f"passed_{person.pk}"] = forms.BooleanField(
                required=False,
                initial=bool(current and current.passed),
                widget=forms.CheckboxInput(attrs=box),
            )

    def rows(self) -> list[dict]:
        rows = []
        for person in self.people:
            attended = self.cleaned_data.get(f"attended_{person.pk}")
            passed = self.cleaned_data.get(f"passed_{person.pk}")
            if attended or passed:
                rows.append({"person": person, "attended": True, "passed": bool(passed)})
        return rows

    def lines(self):
        for person in self.people:
            yield person, self[f"attended_{person.pk}"], self[f"passed_{person.pk}"]


class IssueCertificatesForm(BootstrapForm):
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, widget=forms.TextInput(attrs={"col": "col-md-6"})
    )
    issued_on = DateField(label=_("Issued on"))
    years = forms.IntegerField(
        label=_("Valid for (years; empty: no expiry)"),
        required=False,
        min_value=1,
        max_value=20,
        initial=3,
        widget=forms.NumberInput(attrs={"col": "col-md-3"}),
    )


class CertificateFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    agency = AgencyField(label=_("Working in"))  # typed, not listed
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *CertificateKind.choices])
    state = forms.ChoiceField(
        label=_("Validity"), choices=[("", _("All")), *CertificateState.choices]
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].set_user(self.user)


class CertificateForm(BootstrapForm):
    holder = forms.ModelChoiceField(
        label=_("Holder"), queryset=None, widget=forms.Select(attrs={"col": "col-md-6"})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CertificateKind.choices,
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-md-4"}),
    )
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, widget=forms.TextInput(attrs={"col": "col-md-8"})
    )
    issued_on = DateField(label=_("Issued on"))
    expires_on = DateField(
        label=_("Valid until"), required=False, help_text=_("Empty: does not expire.")
    )
    file = forms.FileField(
        label=_("Scan"),
        required=False,
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": accept(SCANS), "col": "col-12"}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-12"}),
    )

    def __init__(self, *args, user=None, agency=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["holder"]
        else:
            self.fields["holder"].queryset = selectors.people_of(user=user, agency=agency)


class CertificateDeleteForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why it is removed"),
        max_length=300,
        widget=forms.TextInput(attrs={"col": "col-12"}),
    )
