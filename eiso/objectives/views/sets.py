"""The objectives of a year (one revision each): the list, starting a year (empty, copy last
year, from the framework model), the page of a revision with its workflow, and the decision
issuing it as DOCX/PDF."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    agency_for,
    official_response,
    oversees,
    require_acting_agency,
    year_of,
)
from eiso.core.roles import Action
from eiso.core.views import ImportView, ScopedListView
from eiso.objectives import outputs, rules, selectors, services
from eiso.objectives.forms import (
    AmendForm,
    IssueForm,
    ReturnForm,
    SetCreateForm,
    SetFilterForm,
    SetUpdateForm,
)
from eiso.objectives.views._common import set_permissions


def set_url(objective_set) -> str:
    return reverse("objectives:set_detail", args=[objective_set.pk])


class SetListView(ScopedListView):
    """Every revision of the objectives of the years, with its decision."""

    template_name = "objectives/set_list.html"
    filter_form_class = SetFilterForm
    export_name = "muc-tieu-chat-luong-cac-nam"
    export_columns = [
        (gettext_lazy("Agency"), lambda s: s.agency),
        (gettext_lazy("Year"), lambda s: s.year),
        (gettext_lazy("Revision"), lambda s: s.revision),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
        (gettext_lazy("Objectives"), lambda s: s.objective_count),
        (gettext_lazy("Decision number"), lambda s: s.decision_number),
        (gettext_lazy("Decision date"), lambda s: s.decision_date),
    ]

    def get_queryset(self, filters):
        return selectors.set_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = getattr(self.request, "membership", None)
        agency = agency.agency if agency else None
        return super().get_context_data(
            can_start=agency is not None and rules.can_draft(self.request.user, agency),
            **kwargs,
        )


class YearView(LoginRequiredMixin, View):
    """The objectives of ``?year=`` for the agency (the acting one, or ``?agency=`` in scope):
    its latest revision, or the page to start them."""

    def get(self, request):
        agency = agency_for(request)
        year = year_of(request)
        found = selectors.latest_set(user=request.user, agency=agency, year=year)
        if found is not None:
            return HttpResponseRedirect(set_url(found))
        if rules.can_draft(request.user, agency):
            return HttpResponseRedirect(f"{reverse('objectives:set_create')}?year={year}")
        return HttpResponseRedirect(f"{reverse('objectives:set_list')}?year={year}")


class SetCreateView(ServiceFormView):
    form_class = SetCreateForm
    template_name = "objectives/set_create.html"
    title = gettext_lazy("Start the quality objectives of a year")
    submit_label = gettext_lazy("Create the draft")
    success_message = gettext_lazy("The draft objectives were created.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_draft(self.request.user, self.agency):
            raise Http404
        return self.agency

    def get_initial(self):
        year = year_of(self.request)
        has_last_year = selectors.last_year_source(agency=self.agency, year=year) is not None
        return {
            "year": year,
            "start": services.START_LAST_YEAR if has_last_year else services.START_TEMPLATE,
        }

    def get_context_data(self, **kwargs):
        year = year_of(self.request)
        return super().get_context_data(
            agency=self.agency,
            last_year=selectors.last_year_source(agency=self.agency, year=year),
            templates=selectors.templates_for(agency=self.agency),
            **kwargs,
        )

    def perform(self, form):
        return services.objective_set_create(
            actor=self.request.user,
            agency=self.agency,
            year=form.cleaned_data["year"],
            start=form.cleaned_data["start"],
        )

    def get_success_url(self, result):
        return set_url(result)


class SetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "objectives/set_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        objective_set = selectors.set_get(user=user, pk=kwargs["pk"])
        return super().get_context_data(
            objective_set=objective_set,
            agency=objective_set.agency,
            objectives=selectors.objectives_of_set(user=user, objective_set=objective_set),
            revisions=selectors.revisions_of_year(
                user=user, agency=objective_set.agency, year=objective_set.year
            ),
            update_form=SetUpdateForm(
                initial={
                    "change_summary": objective_set.change_summary,
                    "signer_name": objective_set.signer_name,
                    "signer_title": objective_set.signer_title,
                }
            ),
            return_form=ReturnForm(),
            amend_form=AmendForm(),
            issue_form=IssueForm(
                agency=objective_set.agency,
                initial={
                    "signer_name": objective_set.signer_name,
                    "signer_title": objective_set.signer_title,
                },
            ),
            overseer=oversees(user),
            **set_permissions(user, objective_set),
        )


class _SetChange:
    """Loads the revision in the CHANGE scope (overseers read, they do not change): 404
    outside."""

    def load(self):
        return selectors.set_get(user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE)

    def get_success_url(self, result):
        return set_url(result if result is not None else self.object)

    def get_cancel_url(self):
        return set_url(self.object)


class SetUpdateView(_SetChange, ServiceFormView):
    form_class = SetUpdateForm
    title = gettext_lazy("What changed, and the signer")
    success_message = gettext_lazy("Saved.")

    def perform(self, form):
        return services.objective_set_update(
            actor=self.request.user, objective_set=self.object, data=form.cleaned_data
        )


class SetSubmitView(_SetChange, ServiceActionView):
    success_message = gettext_lazy("The objectives were submitted to the head for approval.")

    def perform(self):
        return services.objective_set_submit(actor=self.request.user, objective_set=self.object)


class SetApproveView(_SetChange, ServiceActionView):
    success_message = gettext_lazy("The objectives were approved.")

    def perform(self):
        return services.objective_set_approve(actor=self.request.user, objective_set=self.object)


class SetReturnView(_SetChange, ServiceFormView):
    form_class = ReturnForm
    title = gettext_lazy("Return the objectives for changes")
    submit_label = gettext_lazy("Return")
    success_message = gettext_lazy("The objectives were returned for changes.")

    def perform(self, form):
        return services.objective_set_return(
            actor=self.request.user, objective_set=self.object, reason=form.cleaned_data["reason"]
        )


class SetIssueView(_SetChange, ServiceFormView):
    form_class = IssueForm
    title = gettext_lazy("Issue the objectives by decision")
    submit_label = gettext_lazy("Issue")
    success_message = gettext_lazy("The objectives were issued.")

    def get_initial(self):
        return {"signer_name": self.object.signer_name, "signer_title": self.object.signer_title}

    def get_form_kwargs(self):
        return {"agency": self.object.agency}

    def perform(self, form):
        data = form.cleaned_data
        return services.objective_set_issue(
            actor=self.request.user,
            objective_set=self.object,
            number=data["number"],
            date=data["date"],
            signer_name=data.get("signer_name") or "",
            signer_title=data.get("signer_title") or "",
        )


class SetAmendView(_SetChange, ServiceFormView):
    form_class = AmendForm
    title = gettext_lazy("Change the objectives mid-year")
    submit_label = gettext_lazy("Open the new revision")
    success_message = gettext_lazy(
        "The new revision was opened as a draft; the issued objectives stay in force until it "
        "is issued."
    )

    def perform(self, form):
        return services.objective_set_amend(
            actor=self.request.user,
            objective_set=self.object,
            change_summary=form.cleaned_data["change_summary"],
        )


class SetDeleteView(_SetChange, ServiceActionView):
    success_message = gettext_lazy("The draft was deleted.")

    def perform(self):
        services.objective_set_delete(actor=self.request.user, objective_set=self.object)
        return None

    def get_success_url(self, result):
        return reverse("objectives:set_list")

    def get_failure_url(self):
        return set_url(self.object)


class SetFileView(LoginRequiredMixin, View):
    """The decision issuing the objectives (a draft until issued), DOCX or PDF."""

    file_format = "pdf"

    def get(self, request, pk):
        objective_set = selectors.set_get(user=request.user, pk=pk)
        objectives = selectors.objectives_of_set(user=request.user, objective_set=objective_set)
        document = outputs.decision_document(objective_set, objectives)
        stem = outputs.decision_filename(objective_set, self.file_format).rsplit(".", 1)[0]
        return official_response(document, stem, self.file_format)


class ObjectiveImportView(ImportView):
    """Objectives and their plan from a spreadsheet, into the acting agency's drafts."""

    import_kind = "objectives"

    @property
    def success_url(self):
        return reverse("objectives:set_list")
