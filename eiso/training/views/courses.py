"""Courses and their sessions: the list, a course with its sessions, a session with its
attendance, evidence file and the certificates it gave."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceFormView,
    acting_agency,
    agency_for,
    run_service,
)
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.training import rules, selectors, services
from eiso.training.forms import (
    AttendanceForm,
    CourseFilterForm,
    CourseForm,
    IssueCertificatesForm,
    SessionForm,
)


class CourseListView(ScopedListView):
    template_name = "training/course_list.html"
    filter_form_class = CourseFilterForm
    export_name = "dao-tao"
    export_title = gettext_lazy("Training courses")
    export_columns = [
        (gettext_lazy("Agency"), lambda c: c.agency),
        (gettext_lazy("Course"), lambda c: c.title),
        (gettext_lazy("Kind"), lambda c: c.get_kind_display()),
        (gettext_lazy("Hours"), lambda c: c.hours),
        (gettext_lazy("Sessions"), lambda c: c.session_count),
        (gettext_lazy("People trained"), lambda c: c.trained),
        (gettext_lazy("Last session"), lambda c: c.last_session),
    ]

    def get_queryset(self, filters):
        return selectors.course_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency), **kwargs
        )


def _course_initial(course) -> dict:
    return {
        "title": course.title,
        "kind": course.kind,
        "hours": course.hours,
        "certificate_kind": course.certificate_kind,
        "is_active": course.is_active,
        "description": course.description,
    }


class CourseCreateView(ServiceFormView):
    form_class = CourseForm
    title = gettext_lazy("Add a course")
    success_message = gettext_lazy("The course was added: now record its sessions.")

    def load(self):
        self.agency = agency_for(self.request, action=Action.CHANGE)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404

    def get_initial(self):
        return {"kind": "awareness", "is_active": True}

    def get_cancel_url(self):
        return reverse("training:list")

    def perform(self, form):
        return services.course_create(
            actor=self.request.user, agency=self.agency, data=dict(form.cleaned_data)
        )

    def get_success_url(self, result):
        return reverse("training:course", args=[result.pk])


class CourseUpdateView(ServiceFormView):
    form_class = CourseForm
    title = gettext_lazy("Change the course")
    success_message = gettext_lazy("The course was saved.")

    def load(self):
        return selectors.course_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_initial(self):
        return _course_initial(self.object)

    def get_cancel_url(self):
        return reverse("training:course", args=[self.object.pk])

    def perform(self, form):
        return services.course_update(
            actor=self.request.user, course=self.object, data=dict(form.cleaned_data)
        )

    def get_success_url(self, result):
        return reverse("training:course", args=[result.pk])


class CourseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "training/course_detail.html"

    def get_context_data(self, **kwargs):
        course = selectors.course_get(user=self.request.user, pk=kwargs["pk"])
        return super().get_context_data(
            course=course,
            sessions=list(selectors.sessions_of(user=self.request.user, course=course)),
            can_keep=rules.can_keep(self.request.user, course.agency),
            **kwargs,
        )


class SessionCreateView(ServiceFormView):
    form_class = SessionForm
    title = gettext_lazy("Record a session")
    success_message = gettext_lazy("The session was recorded: now record who attended.")

    def load(self):
        return selectors.course_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_cancel_url(self):
        return reverse("training:course", args=[self.object.pk])

    def perform(self, form):
        data = dict(form.cleaned_data)
        evidence = data.pop("evidence", None)
        return services.session_create(
            actor=self.request.user, course=self.object, data=data, evidence=evidence
        )

    def get_success_url(self, result):
        return reverse("training:session", args=[result.pk])


class SessionUpdateView(ServiceFormView):
    form_class = SessionForm
    title = gettext_lazy("Change the session")
    success_message = gettext_lazy("The session was saved.")

    def load(self):
        return selectors.session_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_initial(self):
        s = self.object
        return {
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "trainer": s.trainer,
            "place": s.place,
            "note": s.note,
        }

    def get_cancel_url(self):
        return reverse("training:session", args=[self.object.pk])

    def perform(self, form):
        data = dict(form.cleaned_data)
        evidence = data.pop("evidence", None)
        return services.session_update(
            actor=self.request.user, session=self.object, data=data, evidence=evidence
        )

    def get_success_url(self, result):
        return reverse("training:session", args=[result.pk])


class SessionDetailView(LoginRequiredMixin, TemplateView):
    """A session: who attended and passed (the keepers tick them here), its evidence, and the
    certificates given to those who passed."""

    template_name = "training/session_detail.html"

    def load(self, pk):
        self.session = selectors.session_get(user=self.request.user, pk=pk)
        self.can_keep = rules.can_keep(self.request.user, self.session.agency)

    def forms(self, data=None):
        attendance = selectors.attendance_of(user=self.request.user, session=self.session)
        people = []
        if self.can_keep:
            listed = {a.person_id for a in attendance}
            people = [a.person for a in attendance] + [
                p
                for p in selectors.people_of(user=self.request.user, agency=self.session.agency)
                if p.pk not in listed
            ]
        return attendance, AttendanceForm(data, people=people, attendance=attendance)

    def get(self, request, pk):
        self.load(pk)
        attendance, form = self.forms()
        return self.render_to_response(
            self.context(
                attendance,
                form,
                IssueCertificatesForm(
                    initial={
                        "issued_on": self.session.ends_on or self.session.starts_on,
                        "years": 3,
                    }
                ),
            )
        )

    def context(self, attendance, form, issue_form):
        return self.get_context_data(
            session=self.session,
            course=self.session.course,
            attendance=attendance,
            form=form,
            issue_form=issue_form if self.session.course.certificate_kind else None,
            certificates=list(self.session.certificates.select_related("holder")),
            can_keep=self.can_keep,
        )

    def post(self, request, pk):
        self.load(pk)
        if not self.can_keep:
            raise Http404
        selectors.session_get(user=request.user, pk=pk, action=Action.CHANGE)
        attendance, form = self.forms(request.POST)
        if form.is_valid():
            ok, _result = run_service(
                request,
                None,
                lambda: services.attendance_record(
                    actor=request.user, session=self.session, rows=form.rows()
                ),
                success_message=gettext_lazy("The attendance was saved."),
            )
            return HttpResponseRedirect(reverse("training:session", args=[pk]))
        return self.render_to_response(self.context(attendance, form, IssueCertificatesForm()))


class SessionCertificatesView(ServiceFormView):
    """Give the course's certificate to those who passed the session."""

    form_class = IssueCertificatesForm
    title = gettext_lazy("Give the certificates")

    def load(self):
        return selectors.session_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_cancel_url(self):
        return reverse("training:session", args=[self.object.pk])

    def perform(self, form):
        created = services.certificates_for_session(
            actor=self.request.user,
            session=self.object,
            issuer=form.cleaned_data["issuer"],
            issued_on=form.cleaned_data["issued_on"],
            years=form.cleaned_data.get("years"),
        )
        from django.contrib import messages
        from django.utils.translation import gettext as _

        messages.success(self.request, _("%(n)s certificate(s) given.") % {"n": len(created)})
        return created

    def get_success_url(self, result):
        return reverse("training:session", args=[self.object.pk])


class SessionEvidenceView(LoginRequiredMixin, View):
    def get(self, request, pk):
        session = selectors.session_get(user=request.user, pk=pk)
        if not session.evidence:
            raise Http404
        return file_response(session.evidence, name=session.evidence_name)
