"""The agency side of the QMS: its record (version, status, scope, policy, consultant), the
steering committee, and the announcements of conformity (prepare, sign, send, publish; the
overseer acknowledges receipt). Reads go through the QMS selectors; every change loads its
agency or announcement in the CHANGE scope (overseers read and receive, they do not keep the
record) and calls one service."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.official import docx_response, pdf_response, render_docx, render_pdf
from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.core.views import ScopedListView, apply_service
from eiso.documents.forms import AgencyPickForm, oversees
from eiso.documents.views._common import current_agency, file_response
from eiso.organizations import selectors as org_selectors
from eiso.procedures import selectors as procedure_selectors
from eiso.qms import outputs, rules, selectors, services
from eiso.qms.choices import AnnouncementKind, AnnouncementStatus
from eiso.qms.forms import (
    AnnouncementFilterForm,
    AnnouncementForm,
    AnnouncementScanForm,
    AnnouncementSignForm,
    CommitteeDecisionForm,
    QmsForm,
    ReceiveForm,
    SendForm,
    member_formset,
)


def may_keep(user, agency) -> bool:
    """Whether the user keeps this agency's record from these pages: its ISO secretary or head
    (an administrator too). Overseers read it and acknowledge receipt only."""
    return user_may(user, Action.CHANGE, agency) and rules.can_keep_qms(user, agency)


def load_agency(request, action: Action = Action.VIEW):
    """The acting agency, or ``?agency=<pk>`` in the user's scope for ``action``; else 404."""
    pk = request.GET.get("agency")
    if pk:
        return org_selectors.agency_get(user=request.user, pk=pk, action=action)
    agency = current_agency(request)
    if agency is None:
        raise Http404
    if action != Action.VIEW:
        return org_selectors.agency_get(user=request.user, pk=agency.pk, action=action)
    return agency


def load_keeper_agency(request):
    agency = load_agency(request, Action.CHANGE)
    if not may_keep(request.user, agency):
        raise Http404
    return agency


def _with_agency(url: str, request, agency) -> str:
    return f"{url}?agency={agency.pk}" if request.GET.get("agency") else url


def _pick_form(user, agency):
    return AgencyPickForm(initial={"agency": agency.pk}, user=user) if oversees(user) else None


# --- the QMS record ----------------------------------------------------------------------------


class RecordView(LoginRequiredMixin, TemplateView):
    template_name = "qms/record.html"

    def get(self, request):
        agency = load_agency(request)
        user = request.user
        context = self.get_context_data(
            agency=agency,
            qms=selectors.qms_of(user=user, agency=agency),
            coverage=procedure_selectors.coverage_of(user=user, agency=agency),
            reasons=selectors.reannouncement_reasons(user=user, agency=agency),
            latest=selectors.latest_announcement(agency=agency),
            draft=selectors.draft_announcement(user=user, agency=agency),
            committee=selectors.committee_state(user=user, agency=agency),
            can_keep=may_keep(user, agency),
            pick_form=_pick_form(user, agency),
            agency_query=f"?agency={agency.pk}" if request.GET.get("agency") else "",
        )
        return self.render_to_response(context)


class RecordEditView(LoginRequiredMixin, TemplateView):
    template_name = "qms/record_form.html"

    def get(self, request):
        agency = load_keeper_agency(request)
        qms = selectors.qms_of(user=request.user, agency=agency)
        initial = {
            "standard_version": qms.standard_version,
            "status": qms.status,
            "internal_activities": qms.internal_activities,
            "exclusions": qms.exclusions,
            "quality_policy": qms.quality_policy_id,
            "consultant": qms.consultant,
            "consultant_cost": qms.consultant_cost,
            "version": qms.version,
        }
        form = QmsForm(initial=initial, user=request.user, agency=agency)
        return self.render_to_response(self.get_context_data(form=form, agency=agency))

    def post(self, request):
        agency = load_keeper_agency(request)
        form = QmsForm(request.POST, user=request.user, agency=agency)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.qms_update(
                    actor=request.user,
                    agency=agency,
                    data=form.service_data(),
                    expected_version=form.cleaned_data["version"],
                ),
                success_message=_("The QMS record was saved."),
            )
            if done:
                return redirect(_with_agency(reverse("qms:record"), request, agency))
        return self.render_to_response(self.get_context_data(form=form, agency=agency))


# --- the steering committee ----------------------------------------------------------------------


class CommitteeView(LoginRequiredMixin, TemplateView):
    template_name = "qms/committee.html"

    def get(self, request):
        agency = load_agency(request)
        return self.render_page(agency)

    def post(self, request):
        agency = load_keeper_agency(request)
        form = CommitteeDecisionForm(request.POST, request.FILES)
        members = member_formset(request.POST, user=request.user, agency=agency)
        if form.is_valid() and members.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.committee_decision_create(
                    actor=request.user,
                    agency=agency,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    notes=form.cleaned_data["notes"],
                    upload=form.cleaned_data.get("file"),
                    members=members.members(),
                ),
                success_message=_("The steering committee decision was recorded."),
            )
            if done:
                return redirect(_with_agency(reverse("qms:committee"), request, agency))
        elif form.is_valid():
            form.add_error(None, _("Check the members table."))
        return self.render_page(agency, form=form, members_formset=members)

    def render_page(self, agency, **forms):
        user = self.request.user
        state = selectors.committee_state(user=user, agency=agency)
        can_keep = may_keep(user, agency)
        if can_keep:
            forms.setdefault("form", CommitteeDecisionForm())
            forms.setdefault(
                "members_formset",
                member_formset(user=user, agency=agency, current_members=state.members),
            )
        context = self.get_context_data(
            agency=agency,
            state=state,
            history=selectors.committee_history(user=user, agency=agency),
            can_keep=can_keep,
            pick_form=_pick_form(user, agency),
            **forms,
        )
        return self.render_to_response(context)


class CommitteeFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        decision = selectors.committee_decision_get(user=request.user, pk=pk)
        if not decision.file:
            raise Http404
        return file_response(decision.file, decision.file_name)


# --- announcements --------------------------------------------------------------------------------


class AnnouncementListView(ScopedListView):
    template_name = "qms/announcement_list.html"
    filter_form_class = AnnouncementFilterForm
    export_name = "cong-bo-iso"
    export_columns = [
        (gettext_lazy("Number"), lambda a: a.number),
        (gettext_lazy("Date"), lambda a: a.date),
        (gettext_lazy("Kind"), lambda a: a.get_kind_display()),
        (gettext_lazy("Standard version"), lambda a: a.get_standard_version_display()),
        (gettext_lazy("Procedures"), lambda a: len(a.procedure_codes)),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Received on"), lambda a: a.received_on),
        (gettext_lazy("Published"), lambda a: a.is_published),
    export_title = gettext_lazy("Announcements of conformity")
        (gettext_lazy("Agency"), lambda a: a.agency),
    ]

    def get_queryset(self, filters):
        user = self.request.user
        agency = None if oversees(user) else current_agency(self.request)
        return selectors.announcement_list(user=user, agency=agency, **filters)

    def get_context_data(self, **kwargs):
        agency = current_agency(self.request)
        return super().get_context_data(
            can_create=agency is not None and may_keep(self.request.user, agency),
            **kwargs,
        )


class AnnouncementCreateView(LoginRequiredMixin, TemplateView):
    template_name = "qms/announcement_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = load_keeper_agency(request)
        self.latest = selectors.latest_announcement(agency=self.agency)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        draft = selectors.draft_announcement(user=request.user, agency=self.agency)
        if draft is not None:
            return redirect("qms:announcement_detail", pk=draft.pk)
        reasons = selectors.reannouncement_reasons(user=request.user, agency=self.agency)
        initial = {
            "signer_name": self.agency.head_name,
            "signer_title": self.agency.head_title.upper(),
            "reason": " ".join(reasons),
        }
        return self.render_page(AnnouncementForm(initial=initial, again=self.latest is not None))

    def post(self, request):
        form = AnnouncementForm(request.POST, again=self.latest is not None)
        if form.is_valid():
            announcement = apply_service(
                request,
                form,
                lambda: services.announcement_create(
                    actor=request.user, agency=self.agency, **form.cleaned_data
                ),
                success_message=_("The draft announcement was prepared."),
            )
            if announcement:
                return redirect("qms:announcement_detail", pk=announcement.pk)
        return self.render_page(form)

    def render_page(self, form):
        user = self.request.user
        snapshot = services.scope_snapshot(
            self.agency, selectors.qms_of(user=user, agency=self.agency)
        )
        context = self.get_context_data(
            form=form,
            agency=self.agency,
            again=self.latest is not None,
            latest=self.latest,
            reasons=selectors.reannouncement_reasons(user=user, agency=self.agency),
            snapshot=snapshot,
        )
        return self.render_to_response(context)


class AnnouncementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "qms/announcement_detail.html"

    def get(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        return self.render_detail(announcement)

    def render_detail(self, announcement, **forms):
        user = self.request.user
        status = announcement.status
        can_keep = may_keep(user, announcement.agency)
        if can_keep and status == AnnouncementStatus.DRAFT:
            forms.setdefault("sign_form", AnnouncementSignForm())
        if can_keep and status != AnnouncementStatus.DRAFT:
            forms.setdefault("scan_form", AnnouncementScanForm())
        can_receive = status == AnnouncementStatus.SENT and rules.can_receive(
            user, announcement.agency
        )
        if can_receive:
            forms.setdefault("receive_form", ReceiveForm())
        codes = announcement.procedure_codes
        names = selectors.procedure_names(codes=codes)
        context = self.get_context_data(
            announcement=announcement,
            procedures=[(code, names.get(code, "")) for code in codes],
            activities=announcement.scope_snapshot.get("internal_activities", ""),
            is_draft=status == AnnouncementStatus.DRAFT,
            is_again=announcement.kind == AnnouncementKind.RE,
            can_keep=can_keep,
            can_send=can_keep and status == AnnouncementStatus.SIGNED,
            can_publish=can_keep and status != AnnouncementStatus.DRAFT,
            can_receive=can_receive,
            **forms,
        )
        return self.render_to_response(context)


def _load_for_change(request, pk):
    return selectors.announcement_get(user=request.user, pk=pk, action=Action.CHANGE)


class _AnnouncementActionView(AnnouncementDetailView):
    http_method_names = ["post"]

    def done(self, announcement):
        return redirect("qms:announcement_detail", pk=announcement.pk)


class AnnouncementSignView(_AnnouncementActionView):
    def post(self, request, pk):
        announcement = _load_for_change(request, pk)
        form = AnnouncementSignForm(request.POST, request.FILES)
        if form.is_valid():
            signed = apply_service(
                request,
                form,
                lambda: services.announcement_sign(
                    actor=request.user,
                    announcement=announcement,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    signed_scan=form.cleaned_data.get("signed_scan"),
                ),
                success_message=_("The announcement was recorded as signed: the QMS is announced."),
            )
            if signed:
                return self.done(announcement)
        announcement.refresh_from_db()
        return self.render_detail(announcement, sign_form=form)


class AnnouncementScanView(_AnnouncementActionView):
    def post(self, request, pk):
        announcement = _load_for_change(request, pk)
        form = AnnouncementScanForm(request.POST, request.FILES)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.announcement_attach_scan(
                    actor=request.user,
                    announcement=announcement,
                    upload=form.cleaned_data["signed_scan"],
                ),
                success_message=_("The signed scan was attached."),
            )
            if done:
                return self.done(announcement)
        return self.render_detail(announcement, scan_form=form)


class AnnouncementSendView(_AnnouncementActionView):
    def post(self, request, pk):
        announcement = _load_for_change(request, pk)
        form = SendForm(request.POST)
        form.is_valid()
        done = apply_service(
            request,
            form,
            lambda: services.announcement_send(actor=request.user, announcement=announcement),
            success_message=_("The announcement was sent to the overseer."),
        )
        if done:
            return self.done(announcement)
        return self.render_detail(announcement, send_form=form)


class AnnouncementPublishView(_AnnouncementActionView):
    def post(self, request, pk):
        announcement = _load_for_change(request, pk)
        published = request.POST.get("published") != "0"
        apply_service(
            request,
            None,
            lambda: services.announcement_publish(
                actor=request.user, announcement=announcement, published=published
            ),
            success_message=(
                _("The announcement is published.")
                if published
                else _("The announcement is no longer published.")
            ),
        )
        return self.done(announcement)


class AnnouncementReceiveView(_AnnouncementActionView):
    """The overseer acknowledges receipt (read scope: the announcement is in their subtree)."""

    def post(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        if not rules.can_receive(request.user, announcement.agency):
            raise Http404
        form = ReceiveForm(request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.announcement_receive(
                    actor=request.user, announcement=announcement, on=form.cleaned_data["on"]
                ),
                success_message=_("The receipt was recorded."),
            )
            if done:
                return self.done(announcement)
        return self.render_detail(announcement, receive_form=form)


class AnnouncementScanDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        if not announcement.signed_file:
            raise Http404
        return file_response(announcement.signed_file, announcement.signed_file_name)


class AnnouncementFileView(LoginRequiredMixin, View):
    """The decision in the official layout (Nghị định 30/2020): the draft to print and sign,
    marked "DỰ THẢO", or the signed text."""

    file_format = "pdf"

    def get(self, request, pk):
        announcement = selectors.announcement_get(user=request.user, pk=pk)
        document = outputs.announcement_document(announcement)
        filename = outputs.announcement_filename(announcement, self.file_format)
        if self.file_format == "docx":
            return docx_response(render_docx(document), filename)
        return pdf_response(render_pdf(document), filename)
