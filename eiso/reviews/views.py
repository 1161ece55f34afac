"""Management review pages: the list, planning a meeting, its page (the input pack with each
section's source, editable before the meeting; holding it; conclusions and decisions; the
minutes and their signed scan), the decisions to follow up; the minutes as DOCX/PDF."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    official_response,
    require_acting_agency,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.reviews import outputs, rules, selectors, services
from eiso.reviews.choices import ReviewAction
from eiso.reviews.forms import (
    InputForm,
    MinutesForm,
    OutputDoneForm,
    OutputFilterForm,
    OutputForm,
    ReviewFilterForm,
    ReviewForm,
    ScanForm,
)
from eiso.reviews.workflows import REVIEW


def review_url(review, anchor: str = "") -> str:
    return reverse("reviews:detail", args=[review.pk]) + (f"#{anchor}" if anchor else "")


class ReviewListView(ScopedListView):
    template_name = "reviews/review_list.html"
    filter_form_class = ReviewFilterForm
    export_name = "xem-xet-cua-lanh-dao"
    export_columns = [
        (gettext_lazy("Agency"), lambda r: r.agency),
        (gettext_lazy("Meeting date"), lambda r: r.meeting_date),
        (gettext_lazy("Chair"), lambda r: r.chair or ""),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Minutes number"), lambda r: r.minutes_number),
        (gettext_lazy("Decisions"), lambda r: r.output_count),
        (gettext_lazy("Done"), lambda r: r.outputs_done),
        (gettext_lazy("Overdue"), lambda r: r.outputs_overdue),
    ]

    def get_queryset(self, filters):
        return selectors.review_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            **kwargs,
        )


class ReviewCreateView(ServiceFormView):
    form_class = ReviewForm
    title = gettext_lazy("Plan a management review")
    success_message = gettext_lazy("The meeting is planned; its input pack was assembled.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        return self.agency

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_cancel_url(self):
        return reverse("reviews:list")

    def perform(self, form):
        return services.review_create(
            actor=self.request.user, agency=self.agency, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return review_url(result)


class ReviewDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/review_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        review = selectors.review_get(user=user, pk=kwargs["pk"])
        available = set(REVIEW.available(user, review))
        following = REVIEW.find(review.status, ReviewAction.FOLLOW_UP) is not None
        decided = list(selectors.outputs_of(user=user, review=review))
        recording = ReviewAction.RECORD in available
        return super().get_context_data(
            review=review,
            agency=review.agency,
            inputs=list(selectors.inputs_of(user=user, review=review)),
            outputs=[
                (o, following and o.done_on is None and rules.can_complete(user, o))
                for o in decided
            ],
            available=available,
            editable=ReviewAction.EDIT in available,
            recording=recording,
            output_form=OutputForm(user=user, agency=review.agency) if recording else None,
            minutes_form=MinutesForm(
                initial={
                    "conclusions": review.conclusions,
                    "minutes_number": review.minutes_number.split("/")[0]
                    if review.minutes_number
                    else "",
                    "minutes_date": review.minutes_date or timezone.localdate(),
                }
            ),
            scan_form=ScanForm(),
            today=timezone.localdate(),
            **kwargs,
        )


class _ReviewChange:
    def load(self):
        return selectors.review_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return review_url(self.object)

    def get_cancel_url(self):
        return review_url(self.object)


class ReviewUpdateView(_ReviewChange, ServiceFormView):
    form_class = ReviewForm
    title = gettext_lazy("Change the meeting")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        r = self.object
        return {
            "meeting_date": r.meeting_date,
            "place": r.place,
            "chair": r.chair_id,
            "attendees": r.attendees,
        }

    def perform(self, form):
        return services.review_update(
            actor=self.request.user, review=self.object, data=form.cleaned_data
        )


class AssembleView(_ReviewChange, ServiceActionView):
    success_message = gettext_lazy(
        "The input pack was assembled again (sections changed by hand were kept)."
    )

    def perform(self):
        return services.inputs_assemble(actor=self.request.user, review=self.object)

    def get_success_url(self, result):
        return review_url(self.object, "pack")


class InputUpdateView(ServiceFormView):
    form_class = InputForm
    title = gettext_lazy("Change the section of the input pack")
    success_message = gettext_lazy("Saved: this section is kept when the pack is assembled again.")

    def load(self):
        self.section = selectors.input_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        self.title = f"{self.section.clause} {self.section.title}"
        return self.section

    def get_initial(self):
        return {"content": self.section.content}

    def perform(self, form):
        return services.input_update(
            actor=self.request.user, section=self.section, content=form.cleaned_data["content"]
        )

    def get_success_url(self, result):
        return review_url(self.section.review, f"input-{self.section.pk}")

    def get_cancel_url(self):
        return review_url(self.section.review, "pack")


class HoldView(_ReviewChange, ServiceActionView):
    success_message = gettext_lazy("The meeting is recorded as held.")

    def perform(self):
        return services.review_hold(actor=self.request.user, review=self.object)


class MinutesView(_ReviewChange, ServiceFormView):
    """Save the conclusions and the minutes' number, or issue the minutes (``issue``)."""

    form_class = MinutesForm
    title = gettext_lazy("The minutes")
    success_message = gettext_lazy("Saved.")

    def perform(self, form):
        if "issue" in self.request.POST:
            self.success_message = gettext_lazy("The minutes are issued.")
            return services.minutes_issue(
                actor=self.request.user, review=self.object, data=form.cleaned_data
            )
        return services.minutes_save(
            actor=self.request.user, review=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return review_url(self.object, "minutes")


class ScanView(_ReviewChange, ServiceFormView):
    form_class = ScanForm
    title = gettext_lazy("Attach the signed minutes")
    success_message = gettext_lazy("The signed minutes were attached.")
    multipart = True

    def perform(self, form):
        return services.minutes_attach_scan(
            actor=self.request.user, review=self.object, upload=form.cleaned_data["scan"]
        )


class ScanDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        if not review.signed_scan:
            raise Http404
        return file_response(review.signed_scan, name=review.signed_scan_name)


class MinutesFileView(LoginRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        document = outputs.minutes_document(
            review,
            list(selectors.inputs_of(user=request.user, review=review)),
            list(selectors.outputs_of(user=request.user, review=review)),
        )
        stem = outputs.minutes_filename(review, self.file_format).rsplit(".", 1)[0]
        return official_response(document, stem, self.file_format)


class OutputCreateView(_ReviewChange, ServiceFormView):
    form_class = OutputForm
    title = gettext_lazy("Record a decision of the meeting")
    success_message = gettext_lazy("The decision was recorded; its owner was told.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        return services.output_create(
            actor=self.request.user, review=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return review_url(self.object, "outputs")


class _OutputChange:
    def load(self):
        self.output = selectors.output_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        return self.output

    def get_success_url(self, result):
        return review_url(self.output.review, "outputs")

    def get_cancel_url(self):
        return review_url(self.output.review, "outputs")


class OutputUpdateView(_OutputChange, ServiceFormView):
    form_class = OutputForm
    title = gettext_lazy("Change the decision")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.output.agency}

    def get_initial(self):
        o = self.output
        return {
            "kind": o.kind,
            "description": o.description,
            "owner": o.owner_id,
            "due_date": o.due_date,
        }

    def perform(self, form):
        return services.output_update(
            actor=self.request.user, output=self.output, data=form.cleaned_data
        )


class OutputDeleteView(_OutputChange, ServiceActionView):
    success_message = gettext_lazy("The decision was removed.")

    def perform(self):
        services.output_delete(actor=self.request.user, output=self.output)
        return self.output


class OutputDoneView(_OutputChange, ServiceFormView):
    form_class = OutputDoneForm
    title = gettext_lazy("Record the decision as carried out")
    success_message = gettext_lazy("Recorded as done.")

    def perform(self, form):
        return services.output_complete(
            actor=self.request.user,
            output=self.output,
            done_on=form.cleaned_data.get("done_on"),
            result=form.cleaned_data.get("result") or "",
        )


class OutputListView(ScopedListView):
    template_name = "reviews/output_list.html"
    filter_form_class = OutputFilterForm
    export_name = "dau-ra-xem-xet-cua-lanh-dao"
    export_columns = [
        (gettext_lazy("Agency"), lambda o: o.agency),
        (gettext_lazy("Meeting"), lambda o: str(o.review)),
        (gettext_lazy("Kind"), lambda o: o.get_kind_display()),
        (gettext_lazy("Decision"), lambda o: o.description),
        (gettext_lazy("Owner"), lambda o: o.owner or ""),
        (gettext_lazy("Due date"), lambda o: o.due_date),
        (gettext_lazy("Done on"), lambda o: o.done_on),
        (gettext_lazy("Result"), lambda o: o.result),
    ]

    def get_queryset(self, filters):
        return selectors.output_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)
