"""Forms of nonconformities and corrective actions: parsing and field validation only; choices
scoped to the agency (its departments and people)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.improvements.choices import CauseCategory, Grade, NcSource, NcStatus
from eiso.improvements.services import WHYS
from eiso.objectives.selectors import people_of
from eiso.organizations import selectors as org_selectors

EVIDENCE = (PDF, DOCX, XLSX, PNG, JPEG)
# What a person raises from the list page (audits, inspections and objectives raise theirs
# from their own pages).
RAISED_BY_HAND = (NcSource.STAFF, NcSource.PROCESS, NcSource.COMPLAINT, NcSource.OBJECTIVE)


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _years():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this, this - 6, -1)]


def _departments(user, agency):
    return (
        org_selectors.department_list(user=user, agency=agency)
        .filter(is_active=True)
        .select_related(None)
        .order_by("name")
    )


def _evidence_field(label):
    return forms.FileField(
        label=label,
        required=False,
        help_text=upload_help_text(EVIDENCE),
        widget=forms.ClearableFileInput(attrs={"accept": accept(EVIDENCE)}),
    )


class NonconformityFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    agency = AgencyField()
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), ("open", _("Not closed")), ("overdue", _("Overdue"))],
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *NcStatus.choices])
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("All")), *NcSource.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].empty_value = None
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class ActionFilterForm(FilterForm):
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
    mine = forms.BooleanField(label=_("Mine only"))
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class OverviewForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    root = AgencyField(label=_("Under"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()[1:]
        # typed, not listed; only agencies that have agencies under them
        self.fields["root"].set_user(
            self.user,
            queryset=org_selectors.agency_choices(user=self.user).filter(children__isnull=False),
        )


class RaiseForm(BootstrapForm):
    source = forms.ChoiceField(
        label=_("Source"), choices=[(s.value, s.label) for s in RAISED_BY_HAND]
    )
    source_ref = forms.CharField(
        label=_("Reference of the source"),
        max_length=300,
        required=False,
        help_text=_("E.g. the dossier number, the complaint, the objective."),
    )
    title = forms.CharField(
        label=_("Nonconformity"), max_length=300, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    description = forms.CharField(label=_("Description"), widget=_textarea(3))
    evidence_text = forms.CharField(label=_("Evidence"), required=False, widget=_textarea(2))
    evidence = _evidence_field(_("Evidence file"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices], required=False)
    due_date = DateField(label=_("To be closed by"), required=False)

    def __init__(self, *args, user=None, agency=None, can_assign=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user, agency)
        if can_assign:
            self.fields["owner"].queryset = people_of(user=user, agency=agency)
        else:
            del self.fields["owner"]


class RecordForm(BootstrapForm):
    title = forms.CharField(
        label=_("Nonconformity"), max_length=300, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    description = forms.CharField(label=_("Description"), widget=_textarea(3))
    evidence_text = forms.CharField(label=_("Evidence"), required=False, widget=_textarea(2))
    evidence = _evidence_field(_("Evidence file"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices], required=False)
    due_date = DateField(label=_("To be closed by"), required=False)

    def __init__(self, *args, user=None, agency=None, can_assign=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user, agency)
        if can_assign:
            self.fields["owner"].queryset = people_of(user=user, agency=agency)
        else:
            del self.fields["owner"]


class CauseForm(BootstrapForm):
    """The correction and the cause, with the five-whys aid: each answer asks the next why."""

    correction = forms.CharField(
        label=_("Correction (what was done at once)"), required=False, widget=_textarea(2)
    )
    correction_on = DateField(label=_("Correction made on"), required=False)
    cause_category = forms.ChoiceField(
        label=_("Cause category"), choices=[("", "—"), *CauseCategory.choices], required=False
    )
    root_cause = forms.CharField(
        label=_("Root cause"),
        required=False,
        widget=_textarea(2),
        help_text=_("Usually the answer to the last why."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, WHYS + 1):
            self.fields[f"why_{n}"] = forms.CharField(
                label=_("Why? (%(n)s)") % {"n": n},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"col": "col-12", "class": "form-control"}),
            )
        order = ["correction", "correction_on", "cause_category"]
        order += [f"why_{n}" for n in range(1, WHYS + 1)] + ["root_cause"]
        self.order_fields(order)

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["whys"] = [data.pop(f"why_{n}", "") for n in range(1, WHYS + 1)]
        return data


class ActionForm(BootstrapForm):
    action = forms.CharField(label=_("Corrective action"), widget=_textarea(2))
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    due_date = DateField(label=_("Due date"))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(user=user, agency=agency)


class ActionDoneForm(BootstrapForm):
    done_on = DateField(label=_("Done on"), required=False)
    result = forms.CharField(label=_("Result"), required=False, widget=_textarea(2))
    evidence = _evidence_field(_("Evidence"))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))


class VerifyForm(BootstrapForm):
    effective = forms.TypedChoiceField(
        label=_("Were the actions effective?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Effective: the cause is removed")), ("no", _("Not effective"))],
    )
    note = forms.CharField(label=_("What was checked"), widget=_textarea(2))
    checked_on = DateField(label=_("Checked on"), required=False)
