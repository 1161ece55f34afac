"""One agency's inspection: the list (an agency its own, overseers their subtree's, a team its
plan's), its page (the agency's QMS to read during the period, the checklist's progress, the
findings sent back as nonconformities, the record, the remediation and its follow-up), the
checklist filled from a phone, the record as DOCX/PDF with its signed file."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import ServiceActionView, ServiceFormView, official_response, run_service
from eiso.core.views import ScopedListView
from eiso.inspections import outputs, rules, selectors, services
from eiso.inspections.choices import InspectionAction, Result
from eiso.inspections.forms import (
    AnswerForm,
    AttachForm,
    ConcludeForm,
    FindingForm,
    InspectionFilterForm,
    NoteForm,
    RemediationForm,
)
from eiso.inspections.workflows import INSPECTION


def inspection_url(inspection, anchor: str = "") -> str:
    return reverse("inspections:detail", args=[inspection.pk]) + (f"#{anchor}" if anchor else "")


def checklist_url(inspection, anchor: str = "") -> str:
    return reverse("inspections:checklist", args=[inspection.pk]) + (f"#{anchor}" if anchor else "")


class InspectionListView(ScopedListView):
    template_name = "inspections/inspection_list.html"
    filter_form_class = InspectionFilterForm
    export_name = "kiem-tra-iso"
    export_title = gettext_lazy("Inspections")
    export_columns = [
        (gettext_lazy("Year"), lambda i: i.plan.year),
        (gettext_lazy("Agency"), lambda i: i.agency),
        (gettext_lazy("Mode"), lambda i: i.get_mode_display()),
        (gettext_lazy("Date"), lambda i: i.date),
        (gettext_lazy("Place"), lambda i: i.place),
        (gettext_lazy("Items given"), lambda i: i.given_count),
        (gettext_lazy("Items not met"), lambda i: i.fail_count),
        (gettext_lazy("Findings"), lambda i: i.finding_count),
        (gettext_lazy("Record dated"), lambda i: i.record_date),
        (gettext_lazy("Status"), lambda i: i.get_status_display()),
    ]

    def get_queryset(self, filters):
        return selectors.inspection_list(user=self.request.user, **filters)


class InspectionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "inspections/inspection_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        inspection = selectors.inspection_get(user=user, pk=kwargs["pk"])
        available = set(INSPECTION.available(user, inspection))
        answers = selectors.answers_of(inspection=inspection)
        plan = inspection.plan
        return super().get_context_data(
            inspection=inspection,
            plan=plan,
            agency=inspection.agency,
            team=selectors.team_of(plan=plan),
            answers=answers,
            given=sum(1 for a in answers if a.result),
            failed=sum(1 for a in answers if a.result == Result.FAIL),
            findings=selectors.findings_of(inspection=inspection),
            available=available,
            on_team=rules.on_team(user, plan.pk),
            reads_qms=rules.on_team(user, plan.pk) and rules.in_period(plan),
            conclude_form=ConcludeForm(
                initial={
                    "conclusion": inspection.conclusion,
                    "recommendations": inspection.recommendations,
                    "record_date": inspection.record_date or timezone.localdate(),
                }
            )
            if InspectionAction.CONCLUDE in available
            else None,
            remediation_form=RemediationForm()
            if InspectionAction.REPORT_REMEDIATION in available
            else None,
            note_form=NoteForm(),
            attach_form=AttachForm() if InspectionAction.ATTACH_RECORD in available else None,
            **kwargs,
        )


class ChecklistView(LoginRequiredMixin, TemplateView):
    """The checklist, item by item, each with what the platform knows: the team gives each its
    result (a correction says why); others read it."""

    template_name = "inspections/checklist.html"

    def get_context_data(self, **kwargs):
        errors = kwargs.pop("errors", {})
        user = self.request.user
        inspection = selectors.inspection_get(user=user, pk=kwargs["pk"])
        available = set(INSPECTION.available(user, inspection))
        answers = selectors.answers_of(inspection=inspection)
        for answer in answers:  # a refused answer comes back under its item, as typed
            refused = errors.get(answer.pk)
            answer.refused = refused
            answer.typed_result = refused.data.get("result", "") if refused else answer.result
            answer.typed_note = refused.data.get("note", "") if refused else answer.note
        return super().get_context_data(
            inspection=inspection,
            plan=inspection.plan,
            answers=answers,
            given=sum(1 for a in answers if a.result),
            can_fill=InspectionAction.ANSWER in available,
            can_start=InspectionAction.START in available,
            can_refresh=InspectionAction.REFRESH in available,
            can_record=InspectionAction.RECORD_FINDING in available,
            results=Result.choices,
            **kwargs,
        )


class _TeamAction(ServiceActionView):
    def load(self):
        return selectors.inspection_for_team(user=self.request.user, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return checklist_url(self.object)


class StartView(_TeamAction):
    success_message = gettext_lazy(
        "The checklist is ready, pre-filled with what the platform knows."
    )

    def perform(self):
        return services.inspection_start(actor=self.request.user, inspection=self.object)


class RefreshView(_TeamAction):
    success_message = gettext_lazy("What the platform knows was read again.")

    def perform(self):
        return services.inspection_refresh(actor=self.request.user, inspection=self.object)


class AnswerView(LoginRequiredMixin, View):
    """One item's result (POST from the checklist): back to the item, or the checklist with
    the refusal under the item and what was typed kept."""

    def post(self, request, pk):
        answer = selectors.answer_get(user=request.user, pk=pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            ok, _result = run_service(
                request,
                form,
                lambda: services.answer_give(
                    actor=request.user,
                    answer=answer,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data.get("note", ""),
                ),
            )
            if ok:
                return HttpResponseRedirect(checklist_url(answer.inspection, f"item-{answer.pk}"))
        view = ChecklistView()
        view.setup(request, pk=answer.inspection_id)
        context = view.get_context_data(pk=answer.inspection_id, errors={answer.pk: form})
        return view.render_to_response(context)


class FindingAddView(ServiceFormView):
    form_class = FindingForm
    title = gettext_lazy("Record a finding")
    success_message = gettext_lazy(
        "The finding was recorded and sent to the agency as a nonconformity."
    )

    def load(self):
        return selectors.inspection_for_team(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"inspection": self.object}

    def get_initial(self):
        item = self.request.GET.get("item")
        return {"answer": item} if item and item.isdigit() else {}

    def get_cancel_url(self):
        return checklist_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.finding_record(
            actor=self.request.user,
            inspection=self.object,
            description=data["description"],
            requirement=data.get("requirement", ""),
            due_date=data["due_date"],
            answer=data.get("answer"),
        )

    def get_success_url(self, result):
        return inspection_url(self.object, "findings")


class ConcludeView(ServiceFormView):
    form_class = ConcludeForm
    title = gettext_lazy("Make the inspection record")
    success_message = gettext_lazy("The inspection record is made; the agency was told.")

    def load(self):
        return selectors.inspection_for_team(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        i = self.object
        return {
            "conclusion": i.conclusion,
            "recommendations": i.recommendations,
            "record_date": i.record_date or timezone.localdate(),
        }

    def get_cancel_url(self):
        return inspection_url(self.object)

    def perform(self, form):
        data = form.cleaned_data
        return services.inspection_conclude(
            actor=self.request.user,
            inspection=self.object,
            record_date=data["record_date"],
            conclusion=data["conclusion"],
            recommendations=data.get("recommendations", ""),
        )

    def get_success_url(self, result):
        return inspection_url(self.object, "record")


class RecordAttachView(ServiceFormView):
    form_class = AttachForm
    title = gettext_lazy("Attach the signed inspection record")
    success_message = gettext_lazy("The signed record was attached.")
    multipart = True

    def load(self):
        return selectors.inspection_for_team(user=self.request.user, pk=self.kwargs["pk"])

    def get_cancel_url(self):
        return inspection_url(self.object, "record")

    def perform(self, form):
        return services.record_attach(
            actor=self.request.user, inspection=self.object, file=form.cleaned_data["file"]
        )

    def get_success_url(self, result):
        return inspection_url(self.object, "record")


class RecordFileView(LoginRequiredMixin, View):
    """The record as DOCX/PDF (a draft until it is made)."""

    file_format = "pdf"

    def get(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        document = outputs.record_document(
            inspection,
            selectors.team_of(plan=inspection.plan),
            selectors.answers_of(inspection=inspection),
            selectors.findings_of(inspection=inspection),
        )
        return official_response(document, outputs.record_filename(inspection), self.file_format)


class StoredFileView(LoginRequiredMixin, View):
    """The signed record or the remediation report's file, for whoever reads the inspection."""

    def get(self, request, pk, which):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        field, name = {
            "record": (inspection.record_file, inspection.record_file_name),
            "remediation": (inspection.remediation_file, inspection.remediation_file_name),
        }.get(which, (None, ""))
        if not field:
            raise Http404
        return file_response(field, name=name)


class RemediationView(ServiceFormView):
    form_class = RemediationForm
    title = gettext_lazy("Report the remediation of the findings")
    success_message = gettext_lazy("The remediation was reported to the inspection team.")
    multipart = True

    def load(self):
        return selectors.inspection_for_agency(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"report": self.object.remediation_report}

    def get_cancel_url(self):
        return inspection_url(self.object, "remediation")

    def perform(self, form):
        return services.remediation_report(
            actor=self.request.user,
            inspection=self.object,
            report=form.cleaned_data["report"],
            file=form.cleaned_data.get("file"),
        )

    def get_success_url(self, result):
        return inspection_url(self.object, "remediation")


class _FollowUp(ServiceActionView):
    def load(self):
        return selectors.inspection_for_team(user=self.request.user, pk=self.kwargs["pk"])

    def get_success_url(self, result):
        return inspection_url(self.object, "remediation")


class ReturnView(_FollowUp):
    success_message = gettext_lazy("The remediation report was returned to the agency.")

    def perform(self):
        return services.remediation_return(
            actor=self.request.user, inspection=self.object, note=self.request.POST.get("note", "")
        )


class CloseView(_FollowUp):
    success_message = gettext_lazy("The inspection is closed.")

    def perform(self):
        return services.inspection_close(
            actor=self.request.user, inspection=self.object, note=self.request.POST.get("note", "")
        )
