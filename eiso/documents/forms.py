"""Forms of document control: parsing and field validation only; every choice is scoped
through a selector (the agency comes from the acting membership, never from the form)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from eiso.core.fields import AgencyField
from eiso.core.files import DOCX, PDF, SCANS, XLSX, accept, upload_help_text
from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.generic import oversees
from eiso.core.scoping import acting_membership
from eiso.documents import rules, selectors
from eiso.documents.choices import (
    OPEN_STATUSES,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    ExternalKind,
    RevisionStatus,
    TaskStatus,
)
from eiso.documents.models import MasterListReview
from eiso.organizations import selectors as org_selectors

FILES = (DOCX, PDF, XLSX)
FILE_ACCEPT = accept(FILES)
SCAN_ACCEPT = accept(SCANS)


def _textarea(rows: int, col: str = "col-12") -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "col": col})


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"col": "col-md-6"})


class AgencyFilterForm(FilterForm):
    """A filter form that knows the agency the person acts in (the header's switch), to scope
    its choices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = acting_membership(self.user) if self.user is not None else None
        self.acting_agency = membership.agency if membership is not None else None


# --- documents ---------------------------------------------------------------------------


class DocumentFilterForm(AgencyFilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *DocumentKind.choices])
    agency = AgencyField()
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, empty_label=_("All departments")
    )
    state = forms.ChoiceField(label=_("Revision"))
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *DocumentStatus.choices])
    effective_from = DateField(label=_("Effective from"))
    effective_to = DateField(label=_("Effective to"))
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.acting_agency
        if oversees(self.user):  # by agency: departments belong to one agency each
            self.fields["agency"].set_user(self.user)
            del self.fields["department"]
        elif agency is not None:
            del self.fields["agency"]
            departments = org_selectors.department_list(user=self.user, agency=agency)
            self.fields["department"].queryset = departments.select_related(None).order_by("name")
        else:
            del self.fields["agency"], self.fields["department"]
        states = [
            ("", _("All")),
            ("issued", pgettext_lazy("document state", "In force")),
            ("upcoming", _("Issued, not yet in force")),
            ("never_issued", _("Never issued")),
        ]
        if agency is None or rules.can_see_drafts(self.user, agency):
            states += [(status, RevisionStatus(status).label) for status in OPEN_STATUSES]
        self.fields["state"].choices = states
        self.fields["q"].widget.attrs.update(
            placeholder=_("Code, title, change summary…"), col="col-md-6 col-lg-4"
        )
        for name in ("agency", "department"):
            if name in self.fields:
                self.fields[name].widget.attrs["col"] = "col-md-6 col-lg-3"


class _DocumentLinksForm(BootstrapForm):
    """Description and links of a document, with choices of the document's agency."""

    LINKS = ("legal_bases", "references", "forms", "distribution")

    code = forms.CharField(label=_("Code"), max_length=60, help_text=_("E.g. QT-01, BM-01-02."))
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *DocumentKind.choices])
    department = forms.ModelChoiceField(
        label=_("Owning department"), queryset=None, required=False, empty_label="—"
    )
    legal_bases = forms.ModelMultipleChoiceField(
        label=_("Legal bases"), queryset=None, required=False, widget=_checkboxes()
    )
    references = forms.ModelMultipleChoiceField(
        label=_("Refers to"), queryset=None, required=False, widget=_checkboxes()
    )
    distribution = forms.ModelMultipleChoiceField(
        label=_("Distributed to"),
        queryset=None,
        required=False,
        widget=_checkboxes(),
        help_text=_("Departments whose people must read it; none: the whole agency."),
    )
    # Declared last: from here on, ``forms`` in this class body is the field, not the module.
    forms = forms.ModelMultipleChoiceField(
        label=_("Forms"), queryset=None, required=False, widget=_checkboxes()
    )

    field_order = [
        "code",
        "title",
        "kind",
        "department",
        "legal_bases",
        "references",
        "forms",
        "distribution",
    ]

    def __init__(self, *args, user, agency, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = (
            org_selectors.department_list(user=user, agency=agency)
            .filter(is_active=True)
            .select_related(None)
            .order_by("name")
        )
        self.fields["department"].queryset = departments
        self.fields["distribution"].queryset = departments
        self.fields["legal_bases"].queryset = selectors.external_choices(user=user, agency=agency)
        documents = selectors.document_choices(user=user, agency=agency, exclude=document)
        self.fields["references"].queryset = documents
        self.fields["forms"].queryset = documents.filter(kind=DocumentKind.FORM)
        self.fields["title"].widget.attrs["col"] = "col-md-8"
        self.fields["code"].widget.attrs["col"] = "col-md-4"


class DocumentCreateForm(_DocumentLinksForm):
    effective_date = DateField(
        label=_("Effective date"),
        required=False,
        help_text=_("Empty: the date of the issuing decision."),
    )
    change_summary = forms.CharField(
        label=_("Change summary"),
        max_length=2000,
        required=False,
        widget=_textarea(2),
        help_text=_("Empty: “First issue”."),
    )
    content = forms.CharField(label=_("Content"), required=False, widget=_textarea(8))
    file = forms.FileField(
        label=_("File (DOCX, PDF or XLSX)"),
        required=False,
        help_text=upload_help_text(FILES),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )

    field_order = [
        "code",
        "title",
        "kind",
        "department",
        "effective_date",
        "file",
        "change_summary",
        "content",
        "legal_bases",
        "references",
        "forms",
        "distribution",
    ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.LINKS:
            data[name] = list(data[name])
        return data


class DocumentUpdateForm(_DocumentLinksForm):
    def __init__(self, *args, document, links: dict | None = None, **kwargs):
        if links is not None:
            kwargs["initial"] = {
                "code": document.code,
                "title": document.title,
                "kind": document.kind,
                "department": document.department_id,
                **{name: [o.pk for o in links[name]] for name in self.LINKS},
            }
        super().__init__(*args, document=document, **kwargs)
        if document.revisions.issued().exists():
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Issued documents keep their code.")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.LINKS:
            data[name] = list(data[name])
        return data


# --- revisions ---------------------------------------------------------------------------


class RevisionForm(BootstrapForm):
    effective_date = DateField(
        label=_("Effective date"),
        required=False,
        help_text=_("Empty: the date of the issuing decision."),
    )
    change_summary = forms.CharField(
        label=_("Change summary"),
        required=False,
        widget=_textarea(3),
        help_text=_("What changed and why."),
    )
    content = forms.CharField(label=_("Content"), required=False, widget=_textarea(14))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, revision=None, **kwargs):
        if revision is not None:
            kwargs["initial"] = {
                "effective_date": revision.effective_date,
                "change_summary": revision.change_summary,
                "content": revision.content,
                "version": revision.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].widget.attrs["col"] = "col-md-4"


class UploadForm(BootstrapForm):
    file = forms.FileField(
        label=_("File (DOCX, PDF or XLSX)"),
        help_text=upload_help_text(FILES),
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT, "col": "col-12"}),
    )


# --- issuing decisions -------------------------------------------------------------------


class DecisionFilterForm(AgencyFilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Draft or signed")), *DecisionStatus.choices],
    )
    agency = AgencyField()
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
            self.fields["agency"].widget.attrs["col"] = "col-md-6 col-lg-3"
        else:
            del self.fields["agency"]
        self.fields["q"].widget.attrs.update(
            placeholder=_("Number or subject…"), col="col-md-6 col-lg-3"
        )


def _number_help(symbol: str) -> str:
    return _("Type the number only: 45 becomes 45/QĐ-%(symbol)s.") % {"symbol": symbol}


class DecisionForm(BootstrapForm):
    subject = forms.CharField(
        label=_("Subject (“Về việc …”)"),
        max_length=500,
        widget=_textarea(2),
        help_text=_("Printed after “Về việc” in the decision, as it is shown on its page."),
    )
    signer_name = forms.CharField(label=_("Signer"), max_length=200)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200)
    number = forms.CharField(
        label=_("Number"),
        max_length=60,
        required=False,
        help_text=_("May be left empty until the decision is signed."),
    )
    date = DateField(label=_("Date"), required=False)
    revisions = forms.ModelMultipleChoiceField(
        label=_("Approved revisions to issue"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple(attrs={"col": "col-12"}),
        error_messages={"required": _("Choose at least one approved revision.")},
    )

    def __init__(self, *args, revisions, symbol: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if symbol:
            self.fields["number"].help_text = _number_help(symbol)
        self.fields["revisions"].queryset = revisions
        self.fields["revisions"].label_from_instance = lambda r: (
            f"{r.document.code} {r.document.title} — {_('revision')} {r.number:02d}"
        )
        for name in ("number", "date"):
            self.fields[name].widget.attrs["col"] = "col-md-3"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["revisions"] = list(data["revisions"])
        return data


class DecisionSignForm(BootstrapForm):
    number = forms.CharField(label=_("Number"), max_length=60)
    date = DateField(label=_("Date"), help_text=_("The day it was signed: today at the latest."))
    signed_scan = forms.FileField(
        label=_("Signed scan (PDF, PNG or JPEG)"),
        required=False,
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT, "col": "col-12"}),
    )

    def __init__(self, *args, symbol: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if symbol:
            self.fields["number"].help_text = _number_help(symbol)


class DecisionScanForm(BootstrapForm):
    signed_scan = forms.FileField(
        label=_("Signed scan (PDF, PNG or JPEG)"),
        help_text=upload_help_text(SCANS),
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT, "col": "col-12"}),
    )


# --- master list -------------------------------------------------------------------------


class MasterListReviewForm(BootstrapForm):
    reviewed_on = DateField(label=_("Reviewed on"), initial=timezone.localdate)
    result = forms.ChoiceField(label=_("Result"), choices=MasterListReview.Result.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(2))


# --- external documents ------------------------------------------------------------------


class ExternalFilterForm(AgencyFilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ExternalKind.choices])
    scope = forms.ChoiceField(
        label=_("List"),
        choices=[("", _("All")), ("shared", _("Province catalogue")), ("own", _("Agency's own"))],
    )
    in_force = forms.ChoiceField(
        label=_("In force"), choices=[("", _("All")), ("yes", _("Yes")), ("no", _("No"))]
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title, issuer…")


class ExternalForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExternalKind.choices)
    number = forms.CharField(label=_("Number / symbol"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=500, widget=_textarea(2))
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)
    issue_date = DateField(label=_("Issue date"), required=False)
    effective_date = DateField(label=_("Effective date"), required=False)
    expiry_date = DateField(label=_("Expiry date"), required=False)
    replaces = forms.ModelChoiceField(
        label=_("Replaces"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_(
            "Every document resting on the replaced text is linked to this one and gets a "
            "revision task."
        ),
    )
    is_shared = forms.BooleanField(
        label=_("Shared with the agencies below (province catalogue)"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_textarea(2))

    def __init__(self, *args, user, agency, may_share: bool, external=None, **kwargs):
        if external is not None:
            kwargs.setdefault("initial", {})
            kwargs["initial"] |= {
                name: getattr(external, name)
                for name in (
                    "kind",
                    "number",
                    "title",
                    "issuer",
                    "issue_date",
                    "effective_date",
                    "expiry_date",
                    "is_shared",
                    "notes",
                )
            }
        super().__init__(*args, **kwargs)
        if external is None:
            self.fields["replaces"].queryset = selectors.external_replace_choices(
                user=user, agency=agency
            )
        else:  # the replacement is recorded when the new text is registered
            del self.fields["replaces"]
        if not may_share:
            del self.fields["is_shared"]
        for name in ("issue_date", "effective_date", "expiry_date"):
            self.fields[name].widget.attrs["col"] = "col-md-4"
        self.fields["title"].widget.attrs["col"] = "col-12"

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


# --- revision tasks ----------------------------------------------------------------------


class TaskFilterForm(AgencyFilterForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[*TaskStatus.choices, ("all", _("All"))], initial="open"
    )
    overdue = forms.BooleanField(label=_("Overdue only"))
    agency = AgencyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if oversees(self.user):
            self.fields["agency"].set_user(self.user)
        else:
            del self.fields["agency"]


class TemplateAdoptForm(BootstrapForm):
    templates = forms.ModelMultipleChoiceField(
        label=_("Templates"),
        queryset=selectors.template_list(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one template.")},
    )
