"""The inspection plans: the list, drafting one, its page (its decisions, team, agencies and
their progress, the workflow's buttons), the agencies added one by one, picked from the tree or
imported, the approving and team decisions with their signed files, the summary with its
figures (DOCX/PDF/XLSX) and completion."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.exports import XLSX_TYPE
from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    agency_for,
    official_response,
    run_service,
)
from eiso.core.official import content_disposition
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.views import ImportView, ScopedListView
from eiso.inspections import outputs, rules, selectors, services
from eiso.inspections.choices import PlanAction, PlanStatus
from eiso.inspections.forms import (
    AgencyAddForm,
    ApproveForm,
    AttachForm,
    PickForm,
    PlanFilterForm,
    PlanForm,
    SummaryForm,
    TeamDecisionForm,
    TeamMemberForm,
    VisitForm,
)
from eiso.inspections.workflows import PLAN

PICK_PREVIEW = 50


def plan_url(plan, anchor: str = "") -> str:
    return reverse("inspections:plan_detail", args=[plan.pk]) + (f"#{anchor}" if anchor else "")


class PlanListView(ScopedListView):
    template_name = "inspections/plan_list.html"
    filter_form_class = PlanFilterForm
    export_name = "ke-hoach-kiem-tra"
    export_title = gettext_lazy("Inspection plans")
    export_columns = [
        (gettext_lazy("Year"), lambda p: p.year),
        (gettext_lazy("Plan"), lambda p: p.title),
        (gettext_lazy("Agency"), lambda p: p.agency),
        (gettext_lazy("Approving decision"), lambda p: p.decision_number),
        (gettext_lazy("Dated"), lambda p: p.decision_date),
        (gettext_lazy("From"), lambda p: p.period_start),
        (gettext_lazy("To"), lambda p: p.period_end),
        (gettext_lazy("Agencies"), lambda p: p.agency_count),
        (gettext_lazy("On site"), lambda p: p.on_site_count),
        (gettext_lazy("Records made"), lambda p: p.recorded_count),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
    ]

    def get_queryset(self, filters):
        return selectors.plan_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=not user_scope(self.request.user, Action.INSPECT).empty, **kwargs
        )


class PlanCreateView(ServiceFormView):
    form_class = PlanForm
    title = gettext_lazy("Draft the year's inspection plan")
    success_message = gettext_lazy("The plan was drafted: now the agencies to inspect.")

    def load(self):
        self.agency = agency_for(self.request, action=Action.INSPECT)
        return self.agency

    def get_initial(self):
        year = timezone.localdate().year
        return {"year": year, "checklist_version": services.current_version()}

    def get_cancel_url(self):
        return reverse("inspections:plan_list")

    def perform(self, form):
        return services.plan_create(
            actor=self.request.user, agency=self.agency, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return plan_url(result)


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "inspections/plan_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = selectors.plan_get(user=user, pk=kwargs["pk"])
        available = set(PLAN.available(user, plan))
        manages = rules.can_manage(user, plan.agency)
        return super().get_context_data(
            plan=plan,
            team=selectors.team_of(plan=plan),
            inspections=list(selectors.inspections_of(user=user, plan=plan)),
            available=available,
            manages=manages,
            on_team=rules.on_team(user, plan.pk),
            in_period=rules.in_period(plan),
            approve_form=ApproveForm(initial={"decision_date": timezone.localdate()})
            if PlanAction.APPROVE in available
            else None,
            team_form=TeamMemberForm(user=user) if PlanAction.TEAM in available else None,
            decision_form=TeamDecisionForm(initial={"team_decision_date": timezone.localdate()})
            if PlanAction.TEAM in available and not plan.team_formed
            else None,
            **kwargs,
        )


class _Manage:
    """Pages that change a plan: the overseers who keep it (others get a 404)."""

    def load(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"], manage=True)

    def get_success_url(self, result):
        return plan_url(self.object)

    def get_cancel_url(self):
        return plan_url(self.object)


class PlanUpdateView(_Manage, ServiceFormView):
    form_class = PlanForm
    title = gettext_lazy("Change the plan")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"editing": True}

    def get_initial(self):
        p = self.object
        return {
            "title": p.title,
            "period_start": p.period_start,
            "period_end": p.period_end,
            "checklist_version": p.checklist_version_id,
        }

    def perform(self, form):
        return services.plan_update(
            actor=self.request.user, plan=self.object, data=form.cleaned_data
        )


class AgencyAddView(_Manage, ServiceFormView):
    form_class = AgencyAddForm
    title = gettext_lazy("Add an agency to the plan")
    success_message = gettext_lazy("The agency was added to the plan.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "plan": self.object}

    def perform(self, form):
        data = form.cleaned_data
        return services.plan_agency_add(
            actor=self.request.user,
            plan=self.object,
            agency=data["agency"],
            mode=data["mode"],
            date=data.get("date"),
            place=data.get("place", ""),
        )

    def get_success_url(self, result):
        return plan_url(self.object, "agencies")


class AgencyPickView(_Manage, LoginRequiredMixin, TemplateView):
    """Pick agencies from the tree (tier, kind, QMS status, not inspected lately): the page
    shows what the filters find, the button adds them all."""

    template_name = "inspections/pick.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.load()
        return super().dispatch(request, *args, **kwargs)

    def _found(self, form):
        if not form.is_valid():
            return None
        return selectors.pickable_agencies(
            user=self.request.user, plan=self.object, **form.filters()
        )

    def get(self, request, *args, **kwargs):
        form = PickForm(request.GET or None)
        found = self._found(form) if request.GET else None
        return self.render_to_response(self._context(form, found))

    def post(self, request, *args, **kwargs):
        form = PickForm(request.POST)
        found = self._found(form)
        if found is not None:
            rows = [{"agency": a, "mode": form.cleaned_data["mode"]} for a in found]
            ok, count = run_service(
                request,
                form,
                lambda: services.plan_agencies_add(actor=request.user, plan=self.object, rows=rows),
            )
            if ok:
                from django.contrib import messages
                from django.http import HttpResponseRedirect

                messages.success(request, _("%(n)s agency(ies) added to the plan.") % {"n": count})
                return HttpResponseRedirect(plan_url(self.object, "agencies"))
        return self.render_to_response(self._context(form, found))

    def _context(self, form, found):
        count = found.count() if found is not None else None
        return self.get_context_data(
            plan=self.object,
            form=form,
            count=count,
            preview=list(found[:PICK_PREVIEW]) if found is not None else [],
            more=(count or 0) > PICK_PREVIEW,
        )


class AgencyImportView(ImportView):
    """The plan's agencies from a spreadsheet (agency code, mode, date, place)."""

    import_kind = "inspection_agencies"
    template_name = "inspections/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = selectors.plan_get(user=request.user, pk=kwargs["pk"], manage=True)
            if self.plan.status != PlanStatus.DRAFT:
                raise Http404
            self.success_url = plan_url(self.plan, "agencies")
        return super().dispatch(request, *args, **kwargs)

    def agency_context(self):
        return self.plan.agency

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class VisitUpdateView(ServiceFormView):
    form_class = VisitForm
    title = gettext_lazy("How, when and where the agency is inspected")
    success_message = gettext_lazy("Saved.")

    def load(self):
        return selectors.inspection_for_manager(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        i = self.object
        return {"mode": i.mode, "date": i.date, "place": i.place}

    def get_cancel_url(self):
        return plan_url(self.object.plan, "agencies")

    def perform(self, form):
        data = form.cleaned_data
        return services.plan_visit_update(
            actor=self.request.user,
            inspection=self.object,
            mode=data["mode"],
            date=data.get("date"),
            place=data.get("place", ""),
        )

    def get_success_url(self, result):
        return plan_url(self.object.plan, "agencies")


class AgencyRemoveView(ServiceActionView):
    success_message = gettext_lazy("The agency was taken out of the plan.")

    def load(self):
        return selectors.inspection_for_manager(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self):
        return services.plan_agency_remove(actor=self.request.user, inspection=self.object)

    def get_success_url(self, result):
        return plan_url(self.object.plan, "agencies")


class ApproveView(_Manage, ServiceFormView):
    form_class = ApproveForm
    title = gettext_lazy("Record the decision approving the plan")
    success_message = gettext_lazy("The plan is approved.")
    multipart = True

    def get_initial(self):
        return {"decision_date": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return services.plan_approve(
            actor=self.request.user,
            plan=self.object,
            number=data["decision_number"],
            date=data["decision_date"],
            signer=data["decision_signer"],
            signer_title=data.get("decision_signer_title", ""),
            file=data.get("decision_file"),
        )


class TeamAddView(_Manage, ServiceFormView):
    form_class = TeamMemberForm
    title = gettext_lazy("Add a member to the inspection team")
    success_message = gettext_lazy("Added to the team.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.team_add(
            actor=self.request.user,
            plan=self.object,
            role=data["role"],
            user=data.get("user"),
            name=data.get("name", ""),
            position=data.get("position", ""),
            organisation=data.get("organisation", ""),
        )

    def get_success_url(self, result):
        return plan_url(self.object, "team")


class TeamRemoveView(ServiceActionView):
    success_message = gettext_lazy("Taken off the team.")

    def load(self):
        return selectors.team_member_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self):
        return services.team_remove(actor=self.request.user, member=self.object)

    def get_success_url(self, result):
        return plan_url(self.object.plan, "team")


class TeamDecisionView(_Manage, ServiceFormView):
    form_class = TeamDecisionForm
    title = gettext_lazy("Record the decision forming the team")
    success_message = gettext_lazy("The team is formed; its members were told.")
    multipart = True

    def get_initial(self):
        return {"team_decision_date": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return services.plan_team_decision(
            actor=self.request.user,
            plan=self.object,
            number=data["team_decision_number"],
            date=data["team_decision_date"],
            signer=data["team_decision_signer"],
            file=data.get("team_decision_file"),
        )

    def get_success_url(self, result):
        return plan_url(self.object, "team")


class AttachView(_Manage, ServiceFormView):
    form_class = AttachForm
    title = gettext_lazy("Attach the signed decision")
    success_message = gettext_lazy("The signed file was attached.")
    multipart = True

    def perform(self, form):
        which = self.kwargs["which"]
        return services.plan_attach(
            actor=self.request.user, plan=self.object, which=which, file=form.cleaned_data["file"]
        )


class DecisionFileView(LoginRequiredMixin, View):
    """The signed decisions, for whoever reads the plan."""

    def get(self, request, pk, which):
        plan = selectors.plan_get(user=request.user, pk=pk)
        field, name = {
            "decision": (plan.decision_file, plan.decision_file_name),
            "team": (plan.team_decision_file, plan.team_decision_file_name),
        }.get(which, (None, ""))
        if not field:
            raise Http404
        return file_response(field, name=name)


class SummaryView(LoginRequiredMixin, TemplateView):
    """The plan's results: the figures counted from the records and announcements, the
    common shortcomings, and (for those who keep the plan) the summary's words."""

    template_name = "inspections/summary.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = selectors.plan_get(user=user, pk=kwargs["pk"])
        available = set(PLAN.available(user, plan))
        form = kwargs.pop("form", None)
        if form is None and PlanAction.SUMMARIZE in available:
            form = SummaryForm(
                initial={
                    "summary_conclusion": plan.summary_conclusion,
                    "summary_common_findings": plan.summary_common_findings,
                    "summary_recommendations": plan.summary_recommendations,
                    "summary_number": plan.summary_number,
                    "summary_date": plan.summary_date or timezone.localdate(),
                }
            )
        return super().get_context_data(
            plan=plan,
            summary=selectors.plan_summary(plan=plan),
            available=available,
            form=form,
            **kwargs,
        )

    def post(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk, manage=True)
        form = SummaryForm(request.POST)
        if form.is_valid():
            ok, _result = run_service(
                request,
                form,
                lambda: services.plan_summary_save(
                    actor=request.user, plan=plan, data=form.cleaned_data
                ),
                success_message=_("Saved."),
            )
            if ok:
                from django.http import HttpResponseRedirect

                return HttpResponseRedirect(reverse("inspections:summary", args=[plan.pk]))
        return self.render_to_response(self.get_context_data(pk=pk, form=form))


class CompleteView(ServiceActionView):
    success_message = gettext_lazy("The plan is completed.")

    def load(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"], manage=True)

    def perform(self):
        return services.plan_complete(actor=self.request.user, plan=self.object)

    def get_success_url(self, result):
        return reverse("inspections:summary", args=[self.object.pk])


class SummaryFileView(LoginRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        summary = selectors.plan_summary(plan=plan)
        name = outputs.summary_filename(plan)
        if self.file_format == "xlsx":
            rows = selectors.summary_rows(plan=plan)
            response = HttpResponse(
                outputs.summary_xlsx(plan, summary, rows), content_type=XLSX_TYPE
            )
            response["Content-Disposition"] = content_disposition(f"{name}.xlsx")
            return response
        document = outputs.summary_document(
            plan, summary, selectors.team_of(plan=plan), selectors.recommendations_of(plan=plan)
        )
        return official_response(document, name, self.file_format)
