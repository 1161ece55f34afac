"""Forms of the agency's side of satisfaction and feedback: parsing and field validation only;
choices scoped to the agency (its procedures, desks, departments and people)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.generic import oversees
from eiso.feedback import selectors
from eiso.feedback.choices import (
    STAFF_CHANNELS,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    Outcome,
)
from eiso.organizations import selectors as org_selectors


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _departments(user, agency):
    return (
        org_selectors.department_list(user=user, agency=agency)
        .filter(is_active=True)
        .select_related(None)
        .order_by("name")
    )


class _AgencyChoice:
    """An "Agency" filter for those who read several agencies; removed for everyone else."""

    def setup_agency(self):
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class PeriodForm(_AgencyChoice, FilterForm):
    agency = AgencyField(empty_label=_("Mine"))
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))
    procedure = forms.ModelChoiceField(
        label=_("Administrative procedure"), queryset=None, empty_label=_("All")
    )
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=None, empty_label=_("All"))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_agency()
        self.fields["procedure"].queryset = selectors.procedure_choices(agency)
        self.fields["desk"].queryset = selectors.desk_list(user=self.user, agency=agency)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class RatingFilterForm(_AgencyChoice, FilterForm):
    q = forms.CharField(label=_("Search the comments"), max_length=100)
    agency = AgencyField()
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))
    satisfied = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), ("yes", _("Satisfied")), ("no", _("Not satisfied"))],
    )
    with_comment = forms.BooleanField(label=_("With a comment only"))
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_agency()


class OverviewForm(FilterForm):
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))
    root = AgencyField(label=_("Under"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # typed, not listed; only agencies that have agencies under them
        self.fields["root"].set_user(
            self.user,
            queryset=org_selectors.agency_choices(user=self.user).filter(children__isnull=False),
        )


class DeskForm(BootstrapForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As people see it, e.g. “Quầy số 2 – Hộ tịch”."),
    )
    procedure = forms.ModelChoiceField(
        label=_("Administrative procedure served (optional)"),
        queryset=None,
        required=False,
        help_text=_("Preselected on the rating form of this desk."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = selectors.procedure_choices(agency)


class ComplaintFilterForm(_AgencyChoice, FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    agency = AgencyField()
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("All")),
            ("open", _("Waiting for an answer")),
            ("overdue", _("Overdue")),
            ("late", _("Answered late")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ComplaintStatus.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *ComplaintKind.choices])
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *ComplaintChannel.choices]
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_agency()


def _contact_fields(form) -> None:
    form.fields["contact_name"] = forms.CharField(
        label=_("Name of the sender"), max_length=200, required=False
    )
    form.fields["contact_phone"] = forms.CharField(label=_("Phone"), max_length=40, required=False)
    form.fields["contact_email"] = forms.EmailField(label=_("E-mail"), required=False)
    form.fields["contact_address"] = forms.CharField(
        label=_("Address"), max_length=300, required=False
    )


class ComplaintForm(BootstrapForm):
    """Registering a complaint received at the desk, by phone, e-mail, the national portal or
    a letter."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices)
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[(c.value, c.label) for c in STAFF_CHANNELS]
    )
    received_on = DateField(label=_("Received on"))
    subject = forms.CharField(
        label=_("Subject"), max_length=300, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    content = forms.CharField(label=_("Content"), widget=_textarea(4))
    procedure = forms.ModelChoiceField(
        label=_("Administrative procedure"), queryset=None, required=False
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=60, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)

    def __init__(self, *args, user=None, agency=None, with_contact=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = selectors.procedure_choices(agency)
        self.fields["department"].queryset = _departments(user, agency)
        if with_contact:  # only for those who may read the sender's contact
            _contact_fields(self)
            bootstrapify(self)


class ComplaintEditForm(ComplaintForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "channel", "received_on"):
            del self.fields[name]


class AssignForm(BootstrapForm):
    handler = forms.ModelChoiceField(label=_("Handled by"), queryset=None)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    note = forms.CharField(label=_("Instructions (internal)"), required=False, widget=_textarea(2))

    def __init__(self, *args, user=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = selectors.handler_choices(user=user, agency=agency)
        self.fields["department"].queryset = _departments(user, agency)


class AnswerForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("What the handling found"), choices=Outcome.choices)
    answer = forms.CharField(
        label=_("Answer to the sender"),
        widget=_textarea(5),
        help_text=_("The sender reads it with their tracking code: write it as a letter to them."),
    )
    answered_on = DateField(label=_("Answered on"), required=False)
    note = forms.CharField(label=_("Handling (internal)"), required=False, widget=_textarea(2))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(3))


class DeclineForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why it is not accepted"),
        widget=_textarea(3),
        help_text=_("The sender reads it with their tracking code."),
    )


class RaiseNonconformityForm(BootstrapForm):
    title = forms.CharField(
        label=_("Nonconformity"), max_length=300, widget=forms.TextInput(attrs={"col": "col-12"})
    )
    description = forms.CharField(label=_("Description"), widget=_textarea(3))
    due_date = DateField(label=_("To be closed by"), required=False)
