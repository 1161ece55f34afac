"""Forms of the QMS record, announcements and the steering committee: parsing and field
validation only; every choice is scoped through a selector (the agency comes from the acting
membership or a scoped ``?agency=``, never from the form)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.files import SCANS, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.numbers import agency_symbol, official_number_help
from eiso.core.scoping import single_agency
from eiso.documents import selectors as document_selectors
from eiso.documents.choices import DocumentKind
from eiso.qms import selectors
from eiso.qms.choices import (
    AnnouncementKind,
    AnnouncementStatus,
    CommitteeRole,
    QmsStatus,
    StandardVersion,
)

SCAN_ACCEPT = accept(SCANS)
COMMITTEE_ROWS = 3  # blank rows offered under the current members


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _scan_field(required: bool) -> forms.FileField:
    return forms.FileField(
        label=_("Signed scan (PDF, PNG or JPEG)"),
        required=required,
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT, "col": "col-12"}),
    )


class QmsForm(BootstrapForm):
    standard_version = forms.ChoiceField(label=_("Standard version"), choices=StandardVersion)
    status = forms.ChoiceField(label=_("Status"), choices=QmsStatus)
    internal_activities = forms.CharField(
        label=_("Internal activities in scope"),
        required=False,
        widget=_textarea(4),
        help_text=_("One activity a line (e.g. document management, personnel management)."),
    )
    exclusions = forms.CharField(
        label=_("Clauses not applicable, with justification"),
        required=False,
        widget=_textarea(3),
    )
    quality_policy = forms.ModelChoiceField(
        label=_("Quality policy"), queryset=None, required=False, empty_label=_("(none yet)")
    )
    consultant = forms.CharField(
        label=_("Consultant (organisation)"), max_length=300, required=False
    )
    consultant_cost = forms.DecimalField(
        label=_("Consultant cost (VND)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=0,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quality_policy"].queryset = document_selectors.document_choices(
            user=user, agency=agency
        ).filter(kind=DocumentKind.QUALITY_POLICY)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        data["consultant_cost"] = data.get("consultant_cost")
        return data


def _number_field(agency, **extra) -> forms.CharField:
    """The decision's number: the person types the number, the agency's symbol is filled in
    (``eiso.core.numbers``); the help says what it becomes."""
    symbol = agency_symbol(agency) if agency is not None else ""
    return forms.CharField(
        label=_("Number"),
        max_length=60,
        help_text=official_number_help(symbol=symbol),
        widget=forms.TextInput(attrs={"placeholder": "45", "inputmode": "text"}),
        **extra,
    )


class AgencyPickForm(FilterForm):
    """An overseer's choice of the agency whose record or committee a page shows."""

    agency = AgencyField(empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].set_user(self.user)


class AnnouncementFilterForm(FilterForm):
    """The list's filters: agency (when the person sees more than one), number, kind,
    status; the column sorted by (hidden)."""

    agency = AgencyField()
    q = forms.CharField(label=_("Number"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *AnnouncementKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *AnnouncementStatus.choices]
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is None or single_agency(self.user):
            del self.fields["agency"]
        else:
            self.fields["agency"].set_user(self.user)
            self.fields["agency"].widget.attrs["col"] = "col-sm-12 col-lg-4"
        self.fields["q"].widget.attrs["placeholder"] = _("e.g. 45 or 45/QĐ-STP")


class AnnouncementForm(BootstrapForm):
    """Prepare (or edit) a draft: who signs, why it is announced again."""

    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
    reason = forms.CharField(
        label=_("Reason for announcing again"),
        max_length=300,
        required=False,
        widget=_textarea(3),
        help_text=_("Required for a re-announcement: scope change, merger, new version…"),
    )
    refresh_scope = forms.BooleanField(
        label=_("Take the scope again as it stands now"),
        required=False,
        widget=forms.CheckboxInput(attrs={"col": "col-12"}),
    )

    def __init__(self, *args, again: bool = True, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not again:  # a first announcement has no reason
            del self.fields["reason"]
        if not editing:
            del self.fields["refresh_scope"]


class AnnouncementSignForm(BootstrapForm):
    date = DateField(label=_("Date"))
    signed_scan = _scan_field(required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"number": _number_field(agency), **self.fields}
        bootstrapify(self)  # the number field came after BootstrapForm.__init__


class AnnouncementCorrectForm(BootstrapForm):
    """Correct what was recorded of the signed decision; what is left as it was is kept."""

    date = DateField(label=_("Date"))
    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
    comment = forms.CharField(
        label=_("What was corrected"), required=False, max_length=1000, widget=_textarea(2)
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"number": _number_field(agency), **self.fields}
        bootstrapify(self)  # the number field came after BootstrapForm.__init__


class ReturnForm(BootstrapForm):
    """The overseer returns a sent announcement: what the agency must correct."""

    reason = forms.CharField(
        label=_("What must be corrected"),
        max_length=1000,
        widget=_textarea(3),
        help_text=_("The agency's ISO secretary and head see it and are notified."),
    )


class DiscardForm(BootstrapForm):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class AnnouncementScanForm(BootstrapForm):
    signed_scan = _scan_field(required=True)


class SendForm(BootstrapForm):
    """No field: it carries a refusal of the sending back to the page."""


class ReceiveForm(BootstrapForm):
    on = DateField(label=_("Received on"), initial=timezone.localdate)


class CommitteeDecisionForm(BootstrapForm):
    date = DateField(label=_("Date"))
    file = forms.FileField(
        label=_("Signed decision (PDF, PNG or JPEG)"),
        required=False,
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(2))

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"number": _number_field(agency), **self.fields}
        bootstrapify(self)  # the number field came after BootstrapForm.__init__


class CommitteeMemberForm(BootstrapForm):
    """One row of the members table: a person of the agency or a name typed in."""

    user = forms.TypedChoiceField(
        label=_("Person of the agency"),
        choices=(),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "min-w-12r"}),
    )
    name = forms.CharField(label=_("or name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    committee_role = forms.ChoiceField(
        label=_("Role in the committee"),
        choices=[("", "—"), *CommitteeRole.choices],
        required=False,
    )

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *user_choices]

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("user") and not (data.get("name") or "").strip()

    def clean(self):
        data = super().clean()
        if not self.is_blank and not data.get("committee_role"):
            self.add_error("committee_role", _("Choose the role in the committee."))
        return data


class BaseMemberFormSet(forms.BaseFormSet):
    """The rows share one read of the agency's people (the choices are not queried per row)."""

    def __init__(self, *args, users=(), **kwargs):
        self.users_by_pk = {u.pk: u for u in users}
        self.user_choices = [(pk, str(u)) for pk, u in self.users_by_pk.items()]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user_choices": self.user_choices}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            user_choices=self.user_choices,
        )
        self.add_fields(form, None)
        return form

    def members(self) -> list[dict]:
        """The filled rows as the service takes them."""
        return [
            {
                "user": self.users_by_pk.get(f.cleaned_data.get("user")),
                "name": (f.cleaned_data.get("name") or "").strip(),
                "position": (f.cleaned_data.get("position") or "").strip(),
                "committee_role": f.cleaned_data.get("committee_role"),
            }
            for f in self.forms
            if hasattr(f, "cleaned_data") and not f.is_blank
        ]


MemberFormSet = forms.formset_factory(
    CommitteeMemberForm, formset=BaseMemberFormSet, extra=COMMITTEE_ROWS
)


def member_formset(data=None, *, user, agency, current_members=()):
    """The members table: the current committee's members first (to keep, change or clear),
    then blank rows."""
    initial = [
        {
            "user": m.user_id,
            "name": "" if m.user_id else m.name,
            "position": m.position,
            "committee_role": m.committee_role,
        }
        for m in current_members
    ]
    users = list(selectors.committee_user_choices(user=user, agency=agency))
    return MemberFormSet(data, initial=initial or None, prefix="members", users=users)
