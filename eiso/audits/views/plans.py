"""Audit plans: the list, drafting one, its page (plan, team, schedule, checklist by line,
findings, report, the workflow's buttons), the team and schedule, approval with the plan's
number, the report, closing; the plan and the report as DOCX/PDF; the findings list; the
auditor's home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.audits import outputs, rules, selectors, services
from eiso.audits.choices import AuditAction
from eiso.audits.forms import (
    ApproveForm,
    AuditFilterForm,
    AuditForm,
    FindingFilterForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    SessionForm,
    TeamForm,
)
from eiso.audits.workflows import AUDIT
from eiso.core import inbox
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    official_response,
    require_acting_agency,
)
from eiso.core.roles import Action
from eiso.core.scoping import acting_membership
from eiso.core.views import ScopedListView


def audit_url(audit, anchor: str = "") -> str:
    return reverse("audits:detail", args=[audit.pk]) + (f"#{anchor}" if anchor else "")


class AuditListView(ScopedListView):
    template_name = "audits/audit_list.html"
    filter_form_class = AuditFilterForm
    export_name = "danh-gia-noi-bo"
    export_columns = [
        (gettext_lazy("Agency"), lambda a: a.agency),
        (gettext_lazy("Title"), lambda a: a.title),
        (gettext_lazy("From"), lambda a: a.start_date),
        (gettext_lazy("To"), lambda a: a.end_date),
        (gettext_lazy("Plan number"), lambda a: a.plan_number),
        (gettext_lazy("Questions"), lambda a: a.question_count),
        (gettext_lazy("Answered"), lambda a: a.answered_count),
        (gettext_lazy("Findings"), lambda a: a.finding_count),
        (gettext_lazy("Nonconformities"), lambda a: a.nc_count),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Report number"), lambda a: a.report_number),
    ]

    def get_queryset(self, filters):
        return selectors.audit_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            **kwargs,
        )


class AuditCreateView(ServiceFormView):
    form_class = AuditForm
    template_name = "audits/audit_form.html"
    title = gettext_lazy("Plan an internal audit")
    success_message = gettext_lazy("The plan was drafted: now its team and schedule.")

    def load(self):
        self.agency = require_acting_agency(self.request)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404
        return self.agency

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_initial(self):
        return {"criteria": services.DEFAULT_CRITERIA}

    def get_cancel_url(self):
        return reverse("audits:list")

    def perform(self, form):
        return services.audit_create(
            actor=self.request.user, agency=self.agency, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return audit_url(result)


class AuditDetailView(LoginRequiredMixin, TemplateView):
    template_name = "audits/audit_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        audit = selectors.audit_get(user=user, pk=kwargs["pk"])
        available = set(AUDIT.available(user, audit))
        editable = AuditAction.EDIT in available
        sessions = list(selectors.sessions_of(user=user, audit=audit))
        findings = list(selectors.findings_of(user=user, audit=audit))
        can_reply = AuditAction.REPLY in available
        return super().get_context_data(
            audit=audit,
            agency=audit.agency,
            team=list(audit.team.all()),
            sessions=sessions,
            findings=[(f, can_reply and not f.is_nonconformity) for f in findings],
            available=available,
            editable=editable,
            on_team=rules.on_team(user, audit),
            questions=sum(s.question_count for s in sessions),
            answered=sum(s.answered_count for s in sessions),
            team_form=TeamForm(user=user, agency=audit.agency) if editable else None,
            approve_form=ApproveForm(initial={"date": timezone.localdate()}),
            reason_form=ReasonForm(),
            reply_form=ReplyForm(),
            report_form=ReportForm(
                initial={
                    "report_number": audit.report_number.split("/")[0]
                    if audit.report_number
                    else "",
                    "report_date": audit.report_date,
                    "strengths": audit.strengths,
                    "conclusion": audit.conclusion,
                    "recommendations": audit.recommendations,
                }
            ),
            **kwargs,
        )


class _AuditChange:
    def load(self):
        return selectors.audit_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_success_url(self, result):
        return audit_url(self.object)

    def get_cancel_url(self):
        return audit_url(self.object)


class AuditUpdateView(_AuditChange, ServiceFormView):
    form_class = AuditForm
    template_name = "audits/audit_form.html"
    title = gettext_lazy("Change the audit plan")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def get_initial(self):
        a = self.object
        return {
            "title": a.title,
            "purpose": a.purpose,
            "scope": a.scope,
            "criteria": a.criteria,
            "start_date": a.start_date,
            "end_date": a.end_date,
            "programme": a.programme_id,
        }

    def perform(self, form):
        return services.audit_update(
            actor=self.request.user, audit=self.object, data=form.cleaned_data
        )


class TeamAddView(_AuditChange, ServiceFormView):
    form_class = TeamForm
    title = gettext_lazy("Add an auditor to the team")
    success_message = gettext_lazy("The auditor was added to the team.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.object.agency}

    def perform(self, form):
        member = services.team_add(
            actor=self.request.user,
            audit=self.object,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        )
        if member.warning:
            messages.warning(self.request, member.warning)
        return member

    def get_success_url(self, result):
        return audit_url(self.object, "team")


class TeamRemoveView(ServiceActionView):
    success_message = gettext_lazy("The auditor was removed from the team.")

    def load(self):
        return selectors.member_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def perform(self):
        services.team_remove(actor=self.request.user, member=self.object)
        return self.object

    def get_success_url(self, result):
        return audit_url(self.object.audit, "team")


class SessionAddView(_AuditChange, ServiceFormView):
    form_class = SessionForm
    title = gettext_lazy("Add a line to the schedule")
    success_message = gettext_lazy("The line was added to the schedule.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "audit": self.object}

    def get_initial(self):
        return {"date": self.object.start_date}

    def perform(self, form):
        data = dict(form.cleaned_data)
        clauses = data.pop("clauses", [])
        return services.session_add(
            actor=self.request.user, audit=self.object, data=data, clauses=clauses
        )

    def get_success_url(self, result):
        return audit_url(self.object, "schedule")


class _SessionChange:
    def load(self):
        self.session = selectors.session_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        return self.session

    def get_success_url(self, result):
        return audit_url(self.session.audit, "schedule")

    def get_cancel_url(self):
        return audit_url(self.session.audit, "schedule")


class SessionUpdateView(_SessionChange, ServiceFormView):
    form_class = SessionForm
    title = gettext_lazy("Change the line of the schedule")
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        return {"user": self.request.user, "audit": self.session.audit}

    def get_initial(self):
        s = self.session
        return {
            "department": s.department_id,
            "process": s.process,
            "date": s.date,
            "start_time": s.start_time,
            "end_time": s.end_time,
            "auditor": s.auditor_id,
            "auditee": s.auditee,
            "clauses": [c.pk for c in s.clauses.all()],
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        clauses = data.pop("clauses", [])
        return services.session_update(
            actor=self.request.user, session=self.session, data=data, clauses=clauses
        )


class SessionDeleteView(_SessionChange, ServiceActionView):
    success_message = gettext_lazy("The line was removed from the schedule.")

    def perform(self):
        services.session_delete(actor=self.request.user, session=self.session)
        return self.session


class ApproveView(_AuditChange, ServiceFormView):
    form_class = ApproveForm
    title = gettext_lazy("Approve the audit plan")
    success_message = gettext_lazy("The plan is approved; the team was told.")

    def perform(self, form):
        return services.audit_approve(
            actor=self.request.user,
            audit=self.object,
            number=form.cleaned_data["number"],
            date=form.cleaned_data["date"],
        )


class ReviseView(_AuditChange, ServiceFormView):
    form_class = ReasonForm
    title = gettext_lazy("Revise the audit plan")
    success_message = gettext_lazy("The plan is a draft again.")

    def perform(self, form):
        return services.audit_revise(
            actor=self.request.user, audit=self.object, reason=form.cleaned_data["reason"]
        )


class ReportView(_AuditChange, ServiceFormView):
    """Write the report (saved as it is), or issue it (``issue`` button)."""

    form_class = ReportForm
    title = gettext_lazy("The audit report")
    success_message = gettext_lazy("Saved.")

    def perform(self, form):
        if "issue" in self.request.POST:
            self.success_message = gettext_lazy("The report is issued.")
            return services.audit_report(
                actor=self.request.user, audit=self.object, data=form.cleaned_data
            )
        return services.report_save(
            actor=self.request.user, audit=self.object, data=form.cleaned_data
        )

    def get_success_url(self, result):
        return audit_url(self.object, "report")


class CloseView(_AuditChange, ServiceActionView):
    success_message = gettext_lazy("The audit is closed.")

    def perform(self):
        return services.audit_close(actor=self.request.user, audit=self.object)


class FindingReplyView(ServiceFormView):
    form_class = ReplyForm
    title = gettext_lazy("Reply to the finding")
    success_message = gettext_lazy("The reply was recorded.")

    def load(self):
        self.finding = selectors.finding_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )
        return self.finding

    def get_initial(self):
        return {"reply": self.finding.reply}

    def perform(self, form):
        return services.finding_reply(
            actor=self.request.user, finding=self.finding, reply=form.cleaned_data["reply"]
        )

    def get_success_url(self, result):
        return audit_url(self.finding.audit, "findings")

    def get_cancel_url(self):
        return audit_url(self.finding.audit, "findings")


class _FileView(LoginRequiredMixin, View):
    file_format = "pdf"

    def get(self, request, pk):
        audit = selectors.audit_get(user=request.user, pk=pk)
        document, name = self.document(request.user, audit)
        return official_response(document, name.rsplit(".", 1)[0], self.file_format)


class PlanFileView(_FileView):
    def document(self, user, audit):
        sessions = list(selectors.sessions_of(user=user, audit=audit))
        document = outputs.plan_document(audit, list(audit.team.all()), sessions)
        return document, outputs.plan_filename(audit, self.file_format)


class ReportFileView(_FileView):
    def document(self, user, audit):
        sessions = list(selectors.sessions_of(user=user, audit=audit))
        unscheduled = selectors.checklist_of(user=user, audit=audit).filter(session__isnull=True)
        questions = sum(s.question_count for s in sessions) + unscheduled.count()
        answered = sum(s.answered_count for s in sessions) + unscheduled.exclude(answer="").count()
        document = outputs.report_document(
            audit,
            list(audit.team.all()),
            list(selectors.findings_of(user=user, audit=audit)),
            questions=questions,
            answered=answered,
        )
        return document, outputs.report_filename(audit, self.file_format)


class FindingListView(ScopedListView):
    template_name = "audits/finding_list.html"
    filter_form_class = FindingFilterForm
    export_name = "phat-hien-danh-gia-noi-bo"
    export_columns = [
        (gettext_lazy("Agency"), lambda f: f.agency),
        (gettext_lazy("Audit"), lambda f: f.audit.label),
        (gettext_lazy("No."), lambda f: f.code),
        (gettext_lazy("Grade"), lambda f: f.get_grade_display()),
        (gettext_lazy("Clause"), lambda f: f.clause.code),
        (gettext_lazy("Department"), lambda f: f.department or ""),
        (gettext_lazy("Finding"), lambda f: f.description),
        (gettext_lazy("Evidence"), lambda f: f.evidence),
        (gettext_lazy("Recorded on"), lambda f: f.recorded_on),
        (gettext_lazy("Nonconformity"), lambda f: f.nonconformity.code if f.nonconformity else ""),
        (gettext_lazy("Reply"), lambda f: f.reply),
    ]

    def get_queryset(self, filters):
        return selectors.finding_list(user=self.request.user, **filters)


class MyAuditsView(LoginRequiredMixin, TemplateView):
    """The auditor's home: audits assigned, checklists to fill, findings awaiting replies."""

    template_name = "audits/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        membership = acting_membership(user)
        agency_id = membership.agency_id if membership is not None else None

        def here(rows):
            return [r for r in rows if agency_id is None or r.agency_id == agency_id]

        return super().get_context_data(
            audits=here(selectors.my_audits(user=user)),
            sessions=here(selectors.sessions_to_fill(user=user, limit=inbox.LIMIT)),
            findings=here(
                selectors.findings_awaiting(user=user, recorded_by=user, limit=inbox.LIMIT)
            ),
            today=timezone.localdate(),
            **kwargs,
        )
