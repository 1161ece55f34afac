"""Forms of internal audits: parsing and field validation only; choices scoped to the agency
(its departments, its people, the audit's team and schedule)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.audits import selectors
from eiso.audits.choices import (
    Answer,
    AuditStatus,
    FindingGrade,
    ProgrammeStatus,
    TeamRole,
)
from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, JPEG, PDF, PNG, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.objectives.selectors import people_of
from eiso.organizations import selectors as org_selectors

EVIDENCE = (PDF, DOCX, PNG, JPEG)
MONTHS = [(m, _("Month %(m)s") % {"m": m}) for m in range(1, 13)]


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _years():
    this = timezone.localdate().year
    return [("", _("All years"))] + [(y, str(y)) for y in range(this + 1, this - 6, -1)]


def _departments(user, agency):
    return (
        org_selectors.department_list(user=user, agency=agency)
        .filter(is_active=True)
        .select_related(None)
        .order_by("name")
    )


def _time(label):
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "col": "col-6 col-md-3"}),
    )


class _YearAgencyFilter(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
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


class AuditFilterForm(_YearAgencyFilter):
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *AuditStatus.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)


class FindingFilterForm(_YearAgencyFilter):
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("All")), *FindingGrade.choices])
    awaiting = forms.BooleanField(label=_("Awaiting a reply"))
    ordering = forms.CharField(widget=forms.HiddenInput)


class ProgrammeFilterForm(_YearAgencyFilter):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ProgrammeStatus.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]


class QuestionFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=None, empty_label=_("All"))
    process = forms.ChoiceField(label=_("Process"), choices=())
    active = forms.ChoiceField(
        label=_("In use"), choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = selectors.clause_list()
        self.fields["process"].choices = [
            ("", _("All")),
            ("-", _("Every process")),
            *[(p, p) for p in selectors.bank_processes()],
        ]


class ProgrammeForm(BootstrapForm):
    objectives = forms.CharField(
        label=_("Objectives of the programme"), required=False, widget=_textarea(2)
    )
    basis = forms.CharField(
        label=_("How the frequency was decided"),
        required=False,
        widget=_textarea(2),
        help_text=_("By the importance of the processes, their risks and the last results."),
    )


class ProgrammeItemForm(BootstrapForm):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    process = forms.CharField(label=_("Processes and procedures"), max_length=300, required=False)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTHS)
    times = forms.IntegerField(label=_("Times a year"), min_value=1, max_value=12, initial=1)
    basis = forms.CharField(label=_("Basis (risk, last results)"), max_length=300, required=False)

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user, agency)


class AuditForm(BootstrapForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"col": "col-12"}),
        help_text=_("Empty: “Internal audit of the QMS, year (round)”."),
    )
    start_date = DateField(label=_("From"))
    end_date = DateField(label=_("To"))
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=_textarea(2))
    scope = forms.CharField(label=_("Scope"), widget=_textarea(2))
    criteria = forms.CharField(label=_("Criteria"), widget=_textarea(3))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programme_list(user=user, agency=agency)


class TeamForm(BootstrapForm):
    user = forms.ModelChoiceField(label=_("Auditor"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(user=user, agency=agency)


class SessionForm(BootstrapForm):
    department = forms.ModelChoiceField(
        label=_("Department audited"), queryset=None, required=False
    )
    process = forms.CharField(label=_("Processes and procedures"), max_length=300, required=False)
    date = DateField(label=_("Date"))
    start_time = _time(pgettext_lazy("time of day", "From"))
    end_time = _time(pgettext_lazy("time of day", "To"))
    auditor = forms.ModelChoiceField(label=_("Auditor"), queryset=None)
    auditee = forms.CharField(label=_("Received by"), max_length=200, required=False)
    clauses = forms.ModelMultipleChoiceField(
        label=_("Clauses"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "col": "col-12"}),
    )

    def __init__(self, *args, user=None, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user, audit.agency)
        team = [m.user_id for m in audit.team.all()]
        self.fields["auditor"].queryset = people_of(user=user, agency=audit.agency).filter(
            pk__in=team
        )
        self.fields["clauses"].queryset = selectors.clause_list()


class ApproveForm(BootstrapForm):
    number = forms.CharField(label=_("Plan number"), max_length=40)
    date = DateField(label=_("Signed on"))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(2))


class CopyForm(BootstrapForm):
    session = forms.ModelChoiceField(label=_("Line of the schedule"), queryset=None, required=False)
    clauses = forms.ModelMultipleChoiceField(
        label=_("Clauses"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 10, "col": "col-md-6"}),
    )
    processes = forms.MultipleChoiceField(
        label=_("Questions of these processes too"),
        required=False,
        choices=(),
        widget=forms.SelectMultiple(attrs={"size": 4, "col": "col-md-6"}),
    )

    def __init__(self, *args, user=None, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = selectors.sessions_of(user=user, audit=audit)
        self.fields["clauses"].queryset = selectors.clause_list()
        self.fields["processes"].choices = [(p, p) for p in selectors.bank_processes()]


class QuestionItemForm(BootstrapForm):
    question = forms.CharField(label=_("Question"), widget=_textarea(2))
    guidance = forms.CharField(label=_("Evidence to look for"), required=False, widget=_textarea(2))
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=None, required=False)
    session = forms.ModelChoiceField(label=_("Line of the schedule"), queryset=None, required=False)

    def __init__(self, *args, user=None, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = selectors.clause_list()
        self.fields["session"].queryset = selectors.sessions_of(user=user, audit=audit)


class AnswerForm(BootstrapForm):
    answer = forms.ChoiceField(label=_("Answer"), choices=Answer.choices)
    note = forms.CharField(label=_("Evidence notes"), required=False, widget=_textarea(2))
    file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=upload_help_text(EVIDENCE),
        widget=forms.ClearableFileInput(attrs={"accept": accept(EVIDENCE)}),
    )


class FindingForm(BootstrapForm):
    grade = forms.ChoiceField(label=_("Grade"), choices=FindingGrade.choices)
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=None)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    description = forms.CharField(label=_("Finding"), widget=_textarea(3))
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=_textarea(2))
    owner = forms.ModelChoiceField(
        label=_("Who answers it (a nonconformity)"), queryset=None, required=False
    )
    due_date = DateField(label=_("To be closed by"), required=False)

    def __init__(self, *args, user=None, audit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = selectors.clause_list()
        self.fields["department"].queryset = _departments(user, audit.agency)
        self.fields["owner"].queryset = people_of(user=user, agency=audit.agency)


class ReplyForm(BootstrapForm):
    reply = forms.CharField(label=_("Reply"), widget=_textarea(3))


class ReportForm(BootstrapForm):
    report_number = forms.CharField(label=_("Report number"), max_length=40, required=False)
    report_date = DateField(label=_("Report dated"), required=False)
    strengths = forms.CharField(label=_("Strengths"), required=False, widget=_textarea(3))
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=_textarea(3))
    recommendations = forms.CharField(
        label=_("Recommendations"), required=False, widget=_textarea(3)
    )


class QuestionForm(BootstrapForm):
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=None)
    process = forms.CharField(
        label=_("Process"),
        max_length=200,
        required=False,
        help_text=_("Empty: asked of every process."),
    )
    text = forms.CharField(label=_("Question"), widget=_textarea(2))
    guidance = forms.CharField(label=_("Evidence to look for"), required=False, widget=_textarea(2))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = selectors.clause_list()
