"""Complaint and petition pages: the list (overdue in red), registering one received at the
desk, by phone, e-mail, the national portal or a letter, its page with the workflow's buttons
(assign, answer, close, decline, reopen), correcting it, the nonconformity it reveals, and the
answer rules. The sender's contact is shown only to the keepers and the handler; the export
carries it only for them."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    agency_for,
    oversees,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.feedback import rules, selectors, services
from eiso.feedback.choices import ComplaintAction
from eiso.feedback.forms import (
    AnswerForm,
    AssignForm,
    ComplaintEditForm,
    ComplaintFilterForm,
    ComplaintForm,
    DeclineForm,
    RaiseNonconformityForm,
    ReasonForm,
)
from eiso.feedback.workflows import COMPLAINT

CONTACT = ("contact_name", "contact_phone", "contact_email", "contact_address")


def complaint_url(complaint) -> str:
    return reverse("feedback:complaint_detail", args=[complaint.pk])


def _contact(user, c, name: str) -> str:
    return getattr(c, name) if rules.can_see_contact(user, c) else ""


class ComplaintListView(ScopedListView):
    template_name = "feedback/complaint_list.html"
    filter_form_class = ComplaintFilterForm
    export_name = "phan-anh-kien-nghi"

    @property
    def export_columns(self):
        user = self.request.user
        columns = [
            (gettext_lazy("Agency"), lambda c: c.agency),
            (gettext_lazy("No."), lambda c: c.code),
            (gettext_lazy("Kind"), lambda c: c.get_kind_display()),
            (gettext_lazy("Channel"), lambda c: c.get_channel_display()),
            (gettext_lazy("Received on"), lambda c: c.received_on),
            (gettext_lazy("Subject"), lambda c: c.subject),
            (gettext_lazy("Content"), lambda c: c.content),
            (gettext_lazy("Administrative procedure"), lambda c: c.procedure or ""),
            (gettext_lazy("Dossier code"), lambda c: c.dossier_code),
            (gettext_lazy("To be answered by"), lambda c: c.due_date),
            (gettext_lazy("Handled by"), lambda c: c.handler or ""),
            (gettext_lazy("Status"), lambda c: c.get_status_display()),
            (gettext_lazy("Answered on"), lambda c: c.answered_on),
            (gettext_lazy("Outcome"), lambda c: c.get_outcome_display()),
            (gettext_lazy("Answer"), lambda c: c.answer),
        ]
        # The sender's contact only for those who may read it (never an overseer's extract):
        # a row they may not read stays empty.
        if getattr(self.request, "membership", None) is not None and not self._oversees():
            columns += [
                (gettext_lazy("Name of the sender"), lambda c: _contact(user, c, "contact_name")),
                (gettext_lazy("Phone"), lambda c: _contact(user, c, "contact_phone")),
                (gettext_lazy("E-mail"), lambda c: _contact(user, c, "contact_email")),
                (gettext_lazy("Address"), lambda c: _contact(user, c, "contact_address")),
            ]
        return columns

    def _oversees(self) -> bool:
        return oversees(self.request.user)

    def get_queryset(self, filters):
        return selectors.complaint_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_register=getattr(self.request, "membership", None) is not None,
            today=timezone.localdate(),
            **kwargs,
        )


class ComplaintCreateView(ServiceFormView):
    form_class = ComplaintForm
    title = gettext_lazy("Register a complaint or petition")
    submit_label = gettext_lazy("Register")
    success_message = gettext_lazy("Registered: the due date for the answer is set.")

    def load(self):
        # ``?agency=`` for a person of several agencies; another agency is a 404.
        self.agency = agency_for(self.request, action=Action.CHANGE)
        return None

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_initial(self):
        return {"received_on": timezone.localdate(), "channel": "desk", "kind": "complaint"}

    def get_cancel_url(self):
        return reverse("feedback:complaints")

    def perform(self, form):
        return services.complaint_register(
            actor=self.request.user, agency=self.agency, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return complaint_url(result)


class ComplaintDetailView(LoginRequiredMixin, TemplateView):
    template_name = "feedback/complaint_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        complaint = selectors.complaint_get(user=user, pk=kwargs["pk"])
        available = set(COMPLAINT.available(user, complaint))
        nonconformity = None
        if complaint.nonconformity_id and services.nonconformities_available():
            nonconformity = complaint.nonconformity_id
        today = timezone.localdate()
        return super().get_context_data(
            complaint=complaint,
            agency=complaint.agency,
            available=available,
            show_contact=rules.can_see_contact(user, complaint),
            assign_form=AssignForm(user=user, agency=complaint.agency)
            if ComplaintAction.ASSIGN in available
            else None,
            answer_form=AnswerForm() if ComplaintAction.ANSWER in available else None,
            decline_form=DeclineForm() if ComplaintAction.DECLINE in available else None,
            reason_form=ReasonForm(),
            overdue=complaint.status in ("received", "handling") and complaint.due_date < today,
            can_raise_nc=rules.can_handle(user, complaint),
            nc_installed=services.nonconformities_available(),
            nonconformity=nonconformity,
            **kwargs,
        )


class _ComplaintChange:
    def load(self):
        return selectors.complaint_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return complaint_url(self.object)

    def get_cancel_url(self):
        return complaint_url(self.object)


class ComplaintUpdateView(_ComplaintChange, ServiceFormView):
    form_class = ComplaintEditForm
    title = gettext_lazy("Correct the complaint")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {
            "user": self.request.user,
            "agency": self.object.agency,
            "with_contact": rules.can_see_contact(self.request.user, self.object),
        }

    def get_initial(self):
        c = self.object
        initial = {
            "subject": c.subject,
            "content": c.content,
            "procedure": c.procedure_id,
            "dossier_code": c.dossier_code,
            "department": c.department_id,
        }
        if rules.can_see_contact(self.request.user, c):
            initial.update({name: getattr(c, name) for name in CONTACT})
        return initial

    def perform(self, form):
        return services.complaint_update(
            actor=self.request.user, complaint=self.object, data=form.cleaned_data
        )


class AssignView(_ComplaintChange, ServiceFormView):
    form_class = AssignForm
    title = gettext_lazy("Assign a handler")
    success_message = gettext_lazy("Assigned: the handler was told.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        data = form.cleaned_data
        return services.complaint_assign(
            actor=self.request.user,
            complaint=self.object,
            handler=data["handler"],
            department=data.get("department"),
            note=data.get("note") or "",
        )


class AnswerView(_ComplaintChange, ServiceFormView):
    form_class = AnswerForm
    title = gettext_lazy("Answer")
    success_message = gettext_lazy("The answer is recorded: the sender reads it with the code.")

    def perform(self, form):
        data = form.cleaned_data
        return services.complaint_answer(
            actor=self.request.user,
            complaint=self.object,
            answer=data["answer"],
            outcome=data["outcome"],
            answered_on=data.get("answered_on"),
            note=data.get("note") or "",
        )


class CloseView(_ComplaintChange, ServiceActionView):
    success_message = gettext_lazy("Closed.")

    def perform(self):
        return services.complaint_close(actor=self.request.user, complaint=self.object)


class DeclineView(_ComplaintChange, ServiceFormView):
    form_class = DeclineForm
    title = gettext_lazy("Decline")
    success_message = gettext_lazy("Recorded as not accepted: the sender reads the reason.")

    def perform(self, form):
        return services.complaint_decline(
            actor=self.request.user, complaint=self.object, reason=form.cleaned_data["reason"]
        )


class ReopenView(_ComplaintChange, ServiceFormView):
    form_class = ReasonForm
    title = gettext_lazy("Reopen")
    success_message = gettext_lazy("Reopened: back to handling.")

    def perform(self, form):
        return services.complaint_reopen(
            actor=self.request.user, complaint=self.object, reason=form.cleaned_data["reason"]
        )


class RaiseNonconformityView(_ComplaintChange, ServiceFormView):
    form_class = RaiseNonconformityForm
    title = gettext_lazy("Open a nonconformity from this complaint")
    submit_label = gettext_lazy("Open it")
    success_message = gettext_lazy("The nonconformity was opened and linked to the complaint.")

    def get_initial(self):
        return {"title": self.object.subject, "description": self.object.content}

    def perform(self, form):
        data = form.cleaned_data
        return services.complaint_raise_nonconformity(
            actor=self.request.user,
            complaint=self.object,
            title=data["title"],
            description=data["description"],
            due_date=data.get("due_date"),
        )

    def get_success_url(self, result):
        return reverse("improvements:detail", args=[result.pk])


class RuleListView(LoginRequiredMixin, TemplateView):
    """The answer rules (data, with their legal basis) and what they give today."""

    template_name = "feedback/rules.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            rules=selectors.answer_rules(),
            examples=selectors.answer_examples(today),
            today=today,
            **kwargs,
        )
