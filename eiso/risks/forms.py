"""Forms of the context, interested parties and the risk register: parsing and field
validation only; choices scoped to the agency (its departments, procedures and people)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.objectives.selectors import people_of
from eiso.organizations import selectors as org_selectors
from eiso.procedures import selectors as procedure_selectors
from eiso.risks.choices import (
    IssueCategory,
    IssueKind,
    Level,
    PartyKind,
    ProcessKind,
    ReportStatus,
    RiskKind,
    RiskStatus,
)

EVIDENCE = (PDF, DOCX, XLSX, PNG, JPEG)


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _years():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this + 1, this - 6, -1)]


def _scale_choices(levels: list[str]):
    return [("", "—")] + [(i, f"{i} — {label}") for i, label in enumerate(levels, start=1)]


class _YearAgencyFilter(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    agency = AgencyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].empty_value = None
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class RiskFilterForm(_YearAgencyFilter):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *RiskKind.choices])
    level = forms.ChoiceField(label=_("Risk level"), choices=[("", _("All")), *Level.choices])
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *RiskStatus.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)
    field_order = ["q", "year", "agency", "kind", "level", "status"]


class IssueFilterForm(_YearAgencyFilter):
    kind = forms.ChoiceField(
        label=_("Internal / external"), choices=[("", _("All")), *IssueKind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *IssueCategory.choices]
    )


class PartyFilterForm(_YearAgencyFilter):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *PartyKind.choices])


class ReportFilterForm(_YearAgencyFilter):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReportStatus.choices])


class YearForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class IssueForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Internal / external"), choices=IssueKind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=IssueCategory.choices)
    description = forms.CharField(label=_("Context issue"), widget=_textarea(2))
    effect = forms.CharField(label=_("Effect on the QMS"), required=False, widget=_textarea(2))
    response = forms.CharField(label=_("How it is addressed"), required=False, widget=_textarea(2))


class PartyForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices)
    name = forms.CharField(label=_("Interested party"), max_length=300)
    requirements = forms.CharField(label=_("Their needs and expectations"), widget=_textarea(3))
    monitoring = forms.CharField(
        label=_("How they are met and monitored"), required=False, widget=_textarea(2)
    )


class RiskForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=RiskKind.choices)
    process_kind = forms.ChoiceField(label=_("Process"), choices=ProcessKind.choices)
    procedure = forms.ModelChoiceField(
        label=_("Administrative procedure"), queryset=None, required=False
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    process = forms.CharField(
        label=_("Internal activity"),
        max_length=300,
        required=False,
        help_text=_("For an internal activity: its name."),
    )
    description = forms.CharField(label=_("Risk or opportunity"), widget=_textarea(2))
    cause = forms.CharField(label=_("Cause"), required=False, widget=_textarea(2, "col-md-6"))
    consequence = forms.CharField(
        label=_("Consequence"), required=False, widget=_textarea(2, "col-md-6")
    )
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=())
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)

    def __init__(self, *args, user=None, agency=None, scale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedure_selectors.handled_procedure_choices(
            user=user, agency=agency
        )
        self.fields["department"].queryset = (
            org_selectors.department_list(user=user, agency=agency)
            .filter(is_active=True)
            .select_related(None)
            .order_by("name")
        )
        self.fields["owner"].queryset = people_of(user=user, agency=agency)
        if scale is not None:
            self.fields["likelihood"].choices = _scale_choices(scale.likelihood_levels)
            self.fields["impact"].choices = _scale_choices(scale.impact_levels)


class TreatmentForm(BootstrapForm):
    action = forms.CharField(label=_("Treatment"), widget=_textarea(2))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_date = DateField(label=_("Due date"))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(user=user, agency=agency)


class TreatmentDoneForm(BootstrapForm):
    done_on = DateField(label=_("Done on"), required=False)
    result = forms.CharField(label=_("Result"), required=False, widget=_textarea(2))
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=upload_help_text(EVIDENCE),
        widget=forms.ClearableFileInput(attrs={"accept": accept(EVIDENCE)}),
    )


class RerateForm(BootstrapForm):
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood after treatment"),
        coerce=int,
        choices=(),
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )
    impact = forms.TypedChoiceField(
        label=_("Impact after treatment"),
        coerce=int,
        choices=(),
        widget=forms.Select(attrs={"col": "col-md-6"}),
    )

    def __init__(self, *args, scale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["likelihood"].choices = _scale_choices(scale.likelihood_levels)
        self.fields["impact"].choices = _scale_choices(scale.impact_levels)


class ReviewForm(BootstrapForm):
    effectiveness = forms.CharField(label=_("Effectiveness of the treatments"), widget=_textarea(3))
    reviewed_on = DateField(label=_("Reviewed on"), required=False)


class ReopenForm(BootstrapForm):
    reason = forms.CharField(label=_("Why it is reopened"), widget=_textarea(2))


class ReportForm(BootstrapForm):
    report_date = DateField(label=_("Report date"), required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    summary = forms.CharField(label=_("General assessment"), required=False, widget=_textarea(4))
