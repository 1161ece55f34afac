"""The question bank: every clause's questions (general and per process), read by everyone who
audits, kept by an administrator."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from eiso.audits import selectors, services
from eiso.audits.forms import QuestionFilterForm, QuestionForm
from eiso.core.generic import ServiceFormView
from eiso.core.views import ScopedListView


class QuestionBankView(ScopedListView):
    template_name = "audits/question_bank.html"
    filter_form_class = QuestionFilterForm
    paginate_by = 50
    export_name = "ngan-hang-cau-hoi-danh-gia"
    export_columns = [
        (gettext_lazy("Clause"), lambda q: q.clause.code),
        (gettext_lazy("Title"), lambda q: q.clause.title),
        (gettext_lazy("Process"), lambda q: q.process),
        (gettext_lazy("Question"), lambda q: q.text),
        (gettext_lazy("Evidence to look for"), lambda q: q.guidance),
        (gettext_lazy("In use"), lambda q: q.is_active),
    ]

    def get_queryset(self, filters):
        return selectors.question_list(**filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_keep=services.can_keep_bank(self.request.user), **kwargs
        )


class _Keeper:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_keep_bank(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self, result):
        return reverse("audits:bank") + f"?clause={result.clause_id}"

    def get_cancel_url(self):
        return reverse("audits:bank")


class QuestionCreateView(_Keeper, ServiceFormView):
    form_class = QuestionForm
    title = gettext_lazy("Add a question to the bank")
    success_message = gettext_lazy("The question was added to the bank.")

    def get_initial(self):
        return {"clause": self.request.GET.get("clause") or None, "is_active": True}

    def perform(self, form):
        return services.question_create(actor=self.request.user, data=form.cleaned_data)


class QuestionUpdateView(_Keeper, ServiceFormView):
    form_class = QuestionForm
    title = gettext_lazy("Change the question")
    success_message = gettext_lazy("Saved.")

    def load(self):
        return selectors.question_get(pk=self.kwargs["pk"])

    def get_initial(self):
        q = self.object
        return {
            "clause": q.clause_id,
            "process": q.process,
            "text": q.text,
            "guidance": q.guidance,
            "is_active": q.is_active,
        }

    def perform(self, form):
        return services.question_update(
            actor=self.request.user, question=self.object, data=form.cleaned_data
        )
