"""The agency's side of satisfaction: the summary of a period (satisfaction index, criteria,
months, procedures, desks, complaints), the ratings and their comments, the overseer's figures
per agency, the QR codes and desks with their A4 posters."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.generic import ServiceFormView, agency_for, require_acting_agency
from eiso.core.official import content_disposition
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.feedback import outputs, rules, selectors, services
from eiso.feedback.forms import DeskForm, OverviewForm, PeriodForm, RatingFilterForm


class SummaryView(LoginRequiredMixin, TemplateView):
    """The satisfaction of one agency over a period (this year so far by default)."""

    template_name = "feedback/summary.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = agency_for(self.request)
        form = PeriodForm(self.request.GET or None, user=user, agency=agency)
        start, end = selectors.default_period()
        procedure = desk = None
        if form.is_valid():
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
            procedure = form.cleaned_data.get("procedure")
            desk = form.cleaned_data.get("desk")
        period = {"start": start, "end": end}
        filters = {**period, "procedure": procedure, "desk": desk}
        return super().get_context_data(
            agency=agency,
            form=form,
            start=start,
            end=end,
            summary=selectors.satisfaction_summary(user=user, agency=agency, **filters),
            months=selectors.satisfaction_by_month(user=user, agency=agency, **filters),
            procedures=selectors.satisfaction_by_procedure(
                user=user, agency=agency, desk=desk, **period
            )[:15],
            desks=selectors.satisfaction_by_desk(user=user, agency=agency, **period),
            comments=list(
                selectors.rating_list(user=user, agency=agency, with_comment=True, **filters)[:10]
            ),
            complaints=selectors.complaint_summary(user=user, agency=agency, **period),
            **kwargs,
        )


class RatingListView(ScopedListView):
    """Every rating with its comment, filterable and exportable."""

    template_name = "feedback/rating_list.html"
    filter_form_class = RatingFilterForm
    export_name = "danh-gia-hai-long"
    export_columns = [
        (gettext_lazy("Agency"), lambda r: r.agency),
        (gettext_lazy("Date"), lambda r: r.submitted_on),
        (gettext_lazy("Attitude of the staff"), lambda r: r.attitude),
        (gettext_lazy("Time taken"), lambda r: r.timeliness),
        (gettext_lazy("Guidance given"), lambda r: r.guidance),
        (gettext_lazy("Result"), lambda r: r.result),
        (gettext_lazy("Average"), lambda r: r.score),
        (gettext_lazy("Satisfied"), lambda r: r.satisfied),
        (gettext_lazy("Administrative procedure"), lambda r: r.procedure or ""),
        (gettext_lazy("Desk"), lambda r: r.desk or ""),
        (gettext_lazy("Dossier code"), lambda r: r.dossier_code),
        (gettext_lazy("Comment"), lambda r: r.comment),
    ]

    def get_queryset(self, filters):
        return selectors.rating_list(user=self.request.user, **filters)


class OverviewView(ScopedListView):
    """The overseer's figures per agency: ratings and share satisfied in the period,
    complaints received, complaints overdue now."""

    template_name = "feedback/overview.html"
    filter_form_class = OverviewForm
    required_action = Action.OVERSEE
    paginate_by = 50
    export_name = "tong-hop-hai-long"
    export_columns = [
        (gettext_lazy("Agency"), lambda a: a.name),
        (gettext_lazy("Ratings"), lambda a: a.n_ratings),
        (
            gettext_lazy("Satisfied (%)"),
            lambda a: round(a.satisfaction, 1) if a.satisfaction is not None else "",
        ),
        (gettext_lazy("Complaints received"), lambda a: a.n_complaints),
        (gettext_lazy("Complaints overdue"), lambda a: a.n_overdue),
    ]

    def get_filters(self):
        filters = super().get_filters()
        start, end = selectors.default_period()
        filters.setdefault("start", start)
        filters.setdefault("end", end)
        return filters

    def get_queryset(self, filters):
        self.period = (filters["start"], filters["end"])
        return selectors.overview_agencies(
            user=self.request.user,
            start=filters["start"],
            end=filters["end"],
            root=filters.get("root"),
        ).order_by("path")

    def get_context_data(self, **kwargs):
        return super().get_context_data(start=self.period[0], end=self.period[1], **kwargs)


# --- QR codes and desks -------------------------------------------------------------------------


class QrView(LoginRequiredMixin, TemplateView):
    """The agency's QR code and each desk's, with their posters; desks added and changed by
    the keepers."""

    template_name = "feedback/qr.html"

    def get_context_data(self, **kwargs):
        agency = agency_for(self.request)
        user = self.request.user
        url = outputs.rating_url(self.request, agency)
        desks = [
            (
                d,
                outputs.rating_url(self.request, agency, d),
                outputs.qr_svg(outputs.rating_url(self.request, agency, d), scale=3),
            )
            for d in selectors.desk_list(user=user, agency=agency)
        ]
        return super().get_context_data(
            agency=agency,
            url=url,
            qr=outputs.qr_svg(url, scale=5),
            desks=desks,
            can_keep=rules.can_keep(user, agency),
            **kwargs,
        )


class PosterView(LoginRequiredMixin, View):
    """The A4 poster (PDF) of the agency's code, or of a desk's."""

    def get(self, request, pk=None):
        if pk is not None:
            desk = selectors.desk_get(user=request.user, pk=pk)
            agency = desk.agency
        else:
            desk, agency = None, agency_for(request)
        content = outputs.poster_pdf(request, agency, desk)
        response = HttpResponse(content, content_type="application/pdf")
        name = f"Ma QR danh gia {agency.code}{'-' + str(desk.pk) if desk else ''}.pdf"
        response["Content-Disposition"] = content_disposition(name, attachment=False)
        return response


class DeskCreateView(ServiceFormView):
    form_class = DeskForm
    title = gettext_lazy("Add a desk")
    success_message = gettext_lazy("The desk was added, with its own QR code.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        return None

    def get_form_kwargs(self):
        return {"agency": self.agency}

    def get_cancel_url(self):
        return reverse("feedback:qr")

    def perform(self, form):
        return services.desk_create(
            actor=self.request.user, agency=self.agency, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return reverse("feedback:qr") + f"#desk-{result.pk}"


class DeskUpdateView(ServiceFormView):
    form_class = DeskForm
    title = gettext_lazy("Change the desk")
    success_message = gettext_lazy("Saved.")

    def load(self):
        return selectors.desk_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_form_kwargs(self):
        return {"agency": self.object.agency}

    def get_initial(self):
        d = self.object
        return {"name": d.name, "procedure": d.procedure_id, "is_active": d.is_active}

    def get_cancel_url(self):
        return reverse("feedback:qr")

    def perform(self, form):
        return services.desk_update(
            actor=self.request.user, desk=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return reverse("feedback:qr") + f"#desk-{result.pk}"
