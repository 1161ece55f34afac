"""Forms of quality objectives: parsing and field validation only; every choice is scoped
(departments, people and procedures of the objective's agency)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core import measures
from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, JPEG, PDF, PNG, XLSX, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.objectives import services
from eiso.objectives.choices import Comparator, Frequency, ReportStatus, Result, SetStatus
from eiso.objectives.selectors import people_of
from eiso.organizations import selectors as org_selectors
from eiso.procedures import selectors as procedure_selectors

EVIDENCE = (PDF, DOCX, XLSX, PNG, JPEG)


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _year_choices():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this + 1, this - 6, -1)]


# --- lists --------------------------------------------------------------------------------


class SetFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    agency = AgencyField()
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *SetStatus.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["year"].empty_value = None
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class ObjectiveFilterForm(SetFilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    result = forms.ChoiceField(label=_("Result"), choices=[("", _("All")), *Result.choices])
    field_order = ["q", "year", "agency", "status", "result"]


class OverviewForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    root = AgencyField(label=_("Agencies under"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()[1:]
        self.fields["root"].set_user(self.user)


# --- the objectives of a year -------------------------------------------------------------


class SetCreateForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (services.START_LAST_YEAR, _("Last year's objectives and plan (copy last year)")),
            (services.START_TEMPLATE, _("The framework model's typical objectives")),
            (services.START_EMPTY, _("Nothing (an empty draft)")),
        ],
        widget=forms.RadioSelect(attrs={"col": "col-12"}),
    )


class SetUpdateForm(BootstrapForm):
    change_summary = forms.CharField(
        label=_("What changed (for a revision)"), required=False, widget=_textarea(3)
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label=_("What must be changed"), widget=_textarea(3))


class AmendForm(BootstrapForm):
    change_summary = forms.CharField(label=_("What will change, and why"), widget=_textarea(3))


class IssueForm(BootstrapForm):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    date = DateField(label=_("Decision date"))
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            from eiso.core.numbers import agency_symbol, official_number_help

            self.fields["number"].help_text = official_number_help(symbol=agency_symbol(agency))


# --- an objective and its plan ------------------------------------------------------------


class ObjectiveForm(BootstrapForm):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=999, required=False)
    statement = forms.CharField(label=_("Objective"), widget=_textarea(2))
    indicator = forms.CharField(label=_("Measurable indicator"), max_length=300)
    comparator = forms.ChoiceField(
        label=_("Comparator"),
        choices=[("", "—"), *Comparator.choices],
        required=False,
        widget=forms.Select(attrs={"col": "col-md-2"}),
    )
    target = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"col": "col-md-2", "inputmode": "decimal"}),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-md-2"}),
    )
    frequency = forms.ChoiceField(
        label=_("Measured"),
        choices=Frequency.choices,
        widget=forms.Select(attrs={"col": "col-md-3"}),
    )
    source = forms.ChoiceField(label=_("Source of the measurements"), choices=())
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        empty_label=_("The whole agency"),
    )
    owner = forms.ModelChoiceField(label=_("Owner (who measures)"), queryset=None, required=False)
    procedures = forms.ModelMultipleChoiceField(
        label=_("Administrative procedures concerned"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"col": "col-12", "size": 6}),
    )
    processes = forms.CharField(label=_("Processes concerned"), required=False, widget=_textarea(2))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = measures.choices()
        self.fields["department"].queryset = (
            org_selectors.department_list(user=user, agency=agency)
            .filter(is_active=True)
            .select_related(None)
            .order_by("name")
        )
        self.fields["owner"].queryset = people_of(user=user, agency=agency)
        self.fields["procedures"].queryset = procedure_selectors.handled_procedure_choices(
            user=user, agency=agency
        )

    def clean_comparator(self):
        value = self.cleaned_data.get("comparator")
        if not value:
            raise forms.ValidationError(_("A target needs its comparator (≥, ≤, =)."))
        return value

    def clean_unit(self):
        value = (self.cleaned_data.get("unit") or "").strip()
        if not value:
            raise forms.ValidationError(_("A target needs its unit (%, days, dossiers…)."))
        return value

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["procedures"] = list(data.get("procedures") or [])
        return data


class PlanActionForm(BootstrapForm):
    what = forms.CharField(label=_("Work to be done"), widget=_textarea(2))
    resources = forms.CharField(label=_("Resources"), max_length=300, required=False)
    responsible = forms.CharField(label=_("Who"), max_length=200)
    due_date = DateField(label=_("By when"))
    evaluation = forms.CharField(
        label=_("How the result is evaluated"), max_length=300, required=False
    )


class MeasurementForm(BootstrapForm):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int, choices=())
    value = forms.DecimalField(
        label=_("Measured value"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=upload_help_text(EVIDENCE),
        widget=forms.ClearableFileInput(attrs={"accept": accept(EVIDENCE)}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_textarea(2))

    def __init__(self, *args, objective=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.index, p.label) for p in objective.periods()]
        self.fields["value"].help_text = _("Target: %(target)s") % {"target": objective.target_text}


class ComputeForm(BootstrapForm):
    period = forms.TypedChoiceField(label=_("Period"), coerce=int, choices=())

    def __init__(self, *args, objective=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.index, p.label) for p in objective.periods()]


# --- the evaluation report ------------------------------------------------------------------


class EvaluationForm(BootstrapForm):
    """The report's date, general assessment and signer, then per objective (by lineage) the
    assessment and the causes, as ``assessment_<lineage>`` / ``causes_<lineage>``."""

    report_date = DateField(label=_("Report date"), required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    summary = forms.CharField(label=_("General assessment"), required=False, widget=_textarea(4))

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            key = str(row.lineage)
            self.fields[f"assessment_{key}"] = forms.CharField(
                label=_("Assessment"), required=False, widget=_textarea(2, "col-md-6")
            )
            self.fields[f"causes_{key}"] = forms.CharField(
                label=_("Causes (when not met)"),
                required=False,
                widget=_textarea(2, "col-md-6"),
            )
            self.initial.setdefault(f"assessment_{key}", row.assessment)
            self.initial.setdefault(f"causes_{key}", row.causes)
        from eiso.core.forms import bootstrapify

        bootstrapify(self)

    def row_fields(self):
        """``(row, assessment field, causes field)`` for the template."""
        return [
            (row, self[f"assessment_{row.lineage}"], self[f"causes_{row.lineage}"])
            for row in self.rows
        ]

    def assessments(self) -> dict:
        return {
            str(row.lineage): {
                "assessment": self.cleaned_data.get(f"assessment_{row.lineage}", ""),
                "causes": self.cleaned_data.get(f"causes_{row.lineage}", ""),
            }
            for row in self.rows
        }


class ReportFilterForm(FilterForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    agency = AgencyField()
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *ReportStatus.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["year"].empty_value = None
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]
