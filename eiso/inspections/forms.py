"""Forms of inspections: parsing and field validation only; every choice is scoped (the
agencies under the plan's agency, people the overseer may see, the inspection's own items)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import JPEG, PDF, PNG, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.inspections import selectors
from eiso.inspections.choices import InspectionStatus, Mode, PlanStatus, Result, TeamRole
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.qms.choices import QmsStatus

SIGNED = (PDF, PNG, JPEG)


def _years():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this + 1, this - 6, -1)]


def _text(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _signed_file(label, required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=upload_help_text(SIGNED),
        widget=forms.ClearableFileInput(attrs={"accept": accept(SIGNED), "col": "col-12"}),
    )


# --- lists -------------------------------------------------------------------------------------


class PlanFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *PlanStatus.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].empty_value = None


class InspectionFilterForm(FilterForm):
    q = forms.CharField(label=_("Agency"), max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *InspectionStatus.choices]
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", _("All")), *Mode.choices])
    agency = AgencyField(label=_("Under"))  # typed, not listed
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].empty_value = None
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


# --- the plan ----------------------------------------------------------------------------------


class PlanForm(BootstrapForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"col": "col-6 col-md-2"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        widget=_text(2),
        help_text=_("Empty: the usual title of the year's plan."),
    )
    period_start = DateField(label=_("Inspections from"))
    period_end = DateField(label=_("Inspections until"))
    checklist_version = forms.ModelChoiceField(
        label=_("Inspection content"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist_version"].queryset = selectors.version_choices()
        if editing:
            del self.fields["year"]


class AgencyAddForm(BootstrapForm):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=None, widget=forms.Select(attrs={"col": "col-12"})
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    date = DateField(label=_("Date"), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-12"}),
    )

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.pickable_agencies(user=user, plan=plan)


class VisitForm(BootstrapForm):
    mode = forms.ChoiceField(label=_("Mode"), choices=Mode.choices)
    date = DateField(label=_("Date"), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-12"}),
    )


class PickForm(BootstrapForm):
    """Agencies from the tree: by tier, kind, QMS status, not inspected lately."""

    tier = forms.ChoiceField(
        label=_("Tier"), choices=[("", _("All")), *Tier.choices], required=False
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=None, required=False, empty_label=_("All")
    )
    qms_status = forms.ChoiceField(
        label=_("QMS status"), choices=[("", _("All")), *QmsStatus.choices], required=False
    )
    not_inspected_years = forms.TypedChoiceField(
        label=_("Not inspected in the last"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any")), (1, _("year")), (2, _("two years")), (3, _("three years"))],
    )
    must_apply = forms.NullBooleanField(
        label=_("Must apply ISO"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    mode = forms.ChoiceField(
        label=_("Mode for those added"), choices=Mode.choices, initial=Mode.RECORDS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = org_selectors.kind_list()

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "tier": data.get("tier") or "",
            "kind": data.get("kind"),
            "qms_status": data.get("qms_status") or "",
            "not_inspected_years": data.get("not_inspected_years"),
            "must_apply": data.get("must_apply"),
        }


class ApproveForm(BootstrapForm):
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        help_text=_("Type the number only (e.g. 125): it is recorded as 125/QĐ-UBND."),
        widget=forms.TextInput(attrs={"col": "col-6 col-md-4"}),
    )
    decision_date = DateField(label=_("Dated"))
    decision_signer = forms.CharField(label=_("Signed by"), max_length=200)
    decision_signer_title = forms.CharField(
        label=_("Signer's title"), max_length=200, required=False
    )
    decision_file = _signed_file(_("Signed decision"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].widget.attrs["col"] = "col-6 col-md-4"


class TeamMemberForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Task in the team"), choices=TeamRole.choices)
    user = forms.ModelChoiceField(
        label=_("A user of the platform"),
        queryset=None,
        required=False,
        help_text=_("Or, for someone from outside, the name and organisation below."),
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    organisation = forms.CharField(label=_("Works at"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from eiso.accounts import selectors as account_selectors

        self.fields["user"].queryset = account_selectors.user_list(user=user, status="active")


class TeamDecisionForm(BootstrapForm):
    team_decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        help_text=_(
            "Type the number only (e.g. 130): it is recorded as 130/QĐ-UBND; a decision of the Department is typed in full (45/QĐ-SKHCN)."
        ),
    )
    team_decision_date = DateField(label=_("Dated"))
    team_decision_signer = forms.CharField(label=_("Signed by"), max_length=200)
    team_decision_file = _signed_file(_("Signed decision"))


class AttachForm(BootstrapForm):
    file = _signed_file(_("Signed file"), required=True)


class SummaryForm(BootstrapForm):
    summary_conclusion = forms.CharField(
        label=_("General assessment"), widget=_text(4), required=False
    )
    summary_common_findings = forms.CharField(
        label=_("Common shortcomings"),
        widget=_text(3),
        required=False,
        help_text=_("The items most often not met are listed from the checklists."),
    )
    summary_recommendations = forms.CharField(
        label=_("Recommendations"), widget=_text(3), required=False
    )
    summary_number = forms.CharField(
        label=_("Report number"),
        max_length=40,
        required=False,
        help_text=_("In full, e.g. 210/BC-SKHCN."),
    )
    summary_date = DateField(label=_("Report dated"), required=False)


# --- one agency's inspection ---------------------------------------------------------------------


class AnswerForm(BootstrapForm):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))


class FindingForm(BootstrapForm):
    description = forms.CharField(label=_("Finding"), widget=_text(3))
    requirement = forms.CharField(label=_("Requirement not met"), required=False, widget=_text(2))
    due_date = DateField(label=_("To remedy by"))
    answer = forms.ModelChoiceField(label=_("Checklist item"), queryset=None, required=False)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].queryset = inspection.answers.order_by("order", "pk")
        self.fields["answer"].label_from_instance = lambda a: f"{a.number} {a.text[:80]}"


class ConcludeForm(BootstrapForm):
    conclusion = forms.CharField(label=_("Conclusion"), widget=_text(4))
    recommendations = forms.CharField(label=_("Recommendations"), required=False, widget=_text(3))
    record_date = DateField(label=_("Record dated"))


class RemediationForm(BootstrapForm):
    report = forms.CharField(label=_("What was done about each finding"), widget=_text(5))
    file = _signed_file(_("Remediation report (signed)"))


class NoteForm(BootstrapForm):
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))
