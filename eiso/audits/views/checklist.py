"""The checklist of an audit: copied from the question bank, edited, filled in the browser — at a
desk or on a phone in the department (one card per question: the answer, evidence notes, a
file) — and the findings recorded from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.audits import rules, selectors, services
from eiso.audits.choices import Answer, AuditAction, FindingGrade
from eiso.audits.forms import AnswerForm, CopyForm, FindingForm, QuestionItemForm
from eiso.audits.workflows import AUDIT
from eiso.core.files import file_response
from eiso.core.generic import ServiceActionView, ServiceFormView
from eiso.core.roles import Action


def checklist_url(audit_id: int, session_id=None, item_id=None) -> str:
    url = reverse("audits:checklist", args=[audit_id])
    if session_id:
        url += f"?session={session_id}"
    if item_id:
        url += f"#item-{item_id}"
    return url


class ChecklistView(LoginRequiredMixin, TemplateView):
    """The checklist, one card per question, filtered to one line of the schedule
    (``?session=``); the cards are forms the auditor fills on a phone."""

    template_name = "audits/checklist.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        audit = selectors.audit_get(user=user, pk=kwargs["pk"])
        sessions = list(selectors.sessions_of(user=user, audit=audit))
        current = None
        wanted = self.request.GET.get("session")
        for s in sessions:
            if str(s.pk) == wanted:
                current = s
        items = list(selectors.checklist_of(user=user, audit=audit, session=current))
        available = set(AUDIT.available(user, audit))
        can_fill = bool({AuditAction.START, AuditAction.AUDIT} & available) and rules.on_team(
            user, audit
        )
        return super().get_context_data(
            audit=audit,
            agency=audit.agency,
            sessions=sessions,
            current=current,
            items=items,
            answers=Answer.choices,
            can_fill=can_fill,
            can_prepare=AuditAction.PREPARE in available,
            answered=sum(1 for i in items if i.answer),
            **kwargs,
        )


class _AuditPrepare:
    def load(self):
        self.audit = selectors.audit_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        return self.audit

    def get_form_kwargs(self):
        return {"user": self.request.user, "audit": self.audit}

    def get_success_url(self, result):
        return checklist_url(self.audit.pk, self.request.POST.get("session") or None)

    def get_cancel_url(self):
        return checklist_url(self.audit.pk)


class ChecklistCopyView(_AuditPrepare, ServiceFormView):
    form_class = CopyForm
    title = gettext_lazy("Copy questions from the bank")
    submit_label = gettext_lazy("Copy")

    def get_initial(self):
        session = self.request.GET.get("session")
        initial = {"session": session} if session else {}
        for s in selectors.sessions_of(user=self.request.user, audit=self.audit):
            if str(s.pk) == session:
                initial["clauses"] = [c.pk for c in s.clauses.all()]
        return initial

    def perform(self, form):
        data = form.cleaned_data
        count = services.checklist_copy(
            actor=self.request.user,
            audit=self.audit,
            session=data.get("session"),
            clauses=data["clauses"],
            processes=data.get("processes") or [],
        )
        messages.success(self.request, _("%(n)s question(s) copied.") % {"n": count})
        return count


class ChecklistItemAddView(_AuditPrepare, ServiceFormView):
    form_class = QuestionItemForm
    title = gettext_lazy("Add a question")
    success_message = gettext_lazy("The question was added.")

    def get_initial(self):
        return {"session": self.request.GET.get("session") or None}

    def perform(self, form):
        data = form.cleaned_data
        return services.checklist_item_add(
            actor=self.request.user,
            audit=self.audit,
            question=data["question"],
            guidance=data.get("guidance") or "",
            clause=data.get("clause"),
            session=data.get("session"),
        )


class _ItemChange:
    def load(self):
        self.item = selectors.item_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        return self.item

    def get_success_url(self, result):
        return checklist_url(self.item.audit_id, self.item.session_id, self.item.pk)

    def get_cancel_url(self):
        return checklist_url(self.item.audit_id, self.item.session_id, self.item.pk)


class ChecklistItemUpdateView(_ItemChange, ServiceFormView):
    form_class = QuestionItemForm
    title = gettext_lazy("Change the question")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "audit": self.item.audit}

    def get_initial(self):
        i = self.item
        return {
            "question": i.question,
            "guidance": i.guidance,
            "clause": i.clause_id,
            "session": i.session_id,
        }

    def perform(self, form):
        data = form.cleaned_data
        return services.checklist_item_update(
            actor=self.request.user,
            item=self.item,
            question=data["question"],
            guidance=data.get("guidance") or "",
            clause=data.get("clause"),
        )


class ChecklistItemDeleteView(_ItemChange, ServiceActionView):
    success_message = gettext_lazy("The question was removed.")

    def perform(self):
        services.checklist_item_delete(actor=self.request.user, item=self.item)
        return self.item


class AnswerView(_ItemChange, ServiceFormView):
    """One card of the checklist, posted from the phone; a refusal comes back on its own
    page with what was typed."""

    form_class = AnswerForm
    title = gettext_lazy("Answer the question")
    success_message = gettext_lazy("Saved.")
    multipart = True

    def get_initial(self):
        return {"answer": self.item.answer, "note": self.item.note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.checklist_answer(
            actor=self.request.user,
            item=self.item,
            answer=data["answer"],
            note=data.get("note") or "",
            files=[data["file"]] if data.get("file") else [],
        )


class FindingCreateView(ServiceFormView):
    """Record a finding, from a question of the checklist (``?item=``) or on its own."""

    form_class = FindingForm
    template_name = "audits/finding_form.html"
    title = gettext_lazy("Record a finding")
    success_message = gettext_lazy("The finding was recorded.")

    def load(self):
        self.audit = selectors.audit_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        self.item = None
        wanted = self.request.GET.get("item") or self.request.POST.get("item")
        if wanted:
            self.item = selectors.item_get(user=self.request.user, pk=wanted, action=Action.CHANGE)
            if self.item.audit_id != self.audit.pk:
                self.item = None
        return self.audit

    def get_form_kwargs(self):
        return {"user": self.request.user, "audit": self.audit}

    def get_initial(self):
        if self.item is None:
            return {"grade": FindingGrade.MINOR}
        return {
            "grade": FindingGrade.MINOR,
            "clause": self.item.clause_id,
            "department": self.item.session.department_id if self.item.session_id else None,
            "description": self.item.note,
            "evidence": self.item.note,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, audit=self.audit, **kwargs)

    def get_cancel_url(self):
        if self.item is not None:
            return checklist_url(self.audit.pk, self.item.session_id, self.item.pk)
        return reverse("audits:detail", args=[self.audit.pk]) + "#findings"

    def perform(self, form):
        return services.finding_record(
            actor=self.request.user, audit=self.audit, data={**form.cleaned_data, "item": self.item}
        )

    def get_success_url(self, result):
        return self.get_cancel_url()


class ChecklistFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        found = selectors.file_get(user=request.user, pk=pk)
        return file_response(found.file, name=found.name)
