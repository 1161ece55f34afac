"""The agency side of the QMS: its record (version, status, scope, policy, consultant), the
steering committee, and the announcements of conformity (prepare, edit or discard the draft,
record it as signed, correct it, send and publish it; the overseer receives it or returns it
for correction). Reads go through the QMS selectors; which agency a page is about comes from
``eiso.core.generic``; every change loads its object in scope and calls one service, and the
announcement's buttons are those its workflow table allows (``WORKFLOW.available``)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import (
    ServiceActionView,
    ServiceFormView,
    acting_agency,
    agency_for,
    official_response,
    oversees,
    run_service,
    with_agency_query,
)
from eiso.core.roles import Action
from eiso.core.scoping import user_may
from eiso.core.views import ScopedListView
from eiso.procedures import selectors as procedure_selectors
from eiso.qms import outputs, rules, selectors, services
from eiso.qms.choices import AnnouncementAction, AnnouncementKind, AnnouncementStatus
from eiso.qms.forms import (
    AgencyPickForm,
    AnnouncementCorrectForm,
    AnnouncementFilterForm,
    AnnouncementForm,
    AnnouncementScanForm,
    AnnouncementSignForm,
    CommitteeDecisionForm,
    DiscardForm,
    QmsForm,
    ReceiveForm,
    ReturnForm,
    member_formset,
)
from eiso.qms.workflows import WORKFLOW, ready


def may_keep(user, agency) -> bool:
    """Whether the user keeps this agency's record from these pages: its ISO secretary or head
    (an administrator too). Overseers read it, receive and return announcements only."""
    return user_may(user, Action.CHANGE, agency) and rules.can_keep_qms(user, agency)


def keeper_agency(request):
    """The agency whose record the person keeps (``?agency=`` or the acting one), else 404."""
    agency = agency_for(request, action=Action.CHANGE)
    if not may_keep(request.user, agency):
        raise Http404
    return agency


def _pick_form(request, agency):
    if not oversees(request.user):
        return None
    return AgencyPickForm(initial={"agency": agency.pk}, user=request.user)


# --- the QMS record ----------------------------------------------------------------------------


class RecordView(LoginRequiredMixin, TemplateView):
    template_name = "qms/record.html"

    def get(self, request):
        agency = agency_for(request)
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
            pick_form=_pick_form(request, agency),
            agency_query=with_agency_query("", request, agency),
        )
        return self.render_to_response(context)


class RecordEditView(ServiceFormView):
    template_name = "qms/record_form.html"
    form_class = QmsForm
    success_message = gettext_lazy("The QMS record was saved.")

    def load(self):
        self.agency = keeper_agency(self.request)
        self.qms = selectors.qms_of(user=self.request.user, agency=self.agency)
        return self.qms

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_initial(self):
        qms = self.qms
        return {
            "standard_version": qms.standard_version,
            "status": qms.status,
            "internal_activities": qms.internal_activities,
            "exclusions": qms.exclusions,
            "quality_policy": qms.quality_policy_id,
            "consultant": qms.consultant,
            "consultant_cost": qms.consultant_cost,
            "version": qms.version,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=self.agency, **kwargs)

    def get_cancel_url(self):
        return with_agency_query(reverse("qms:record"), self.request, self.agency)

    def perform(self, form):
        return services.qms_update(
            actor=self.request.user,
            agency=self.agency,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )

    def get_success_url(self, result):
        return self.get_cancel_url()


# --- the steering committee ----------------------------------------------------------------------


class CommitteeView(LoginRequiredMixin, TemplateView):
    """The committee's members and history; its keepers record a new decision here (the
    members' table is a formset beside the form, so this page calls ``run_service`` itself)."""

    template_name = "qms/committee.html"

    def get(self, request):
        return self.render_page(agency_for(request))

    def post(self, request):
        agency = keeper_agency(request)
        form = CommitteeDecisionForm(request.POST, request.FILES, agency=agency)
        members = member_formset(request.POST, user=request.user, agency=agency)
        if form.is_valid() and members.is_valid():
            ok, _decision = run_service(
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
            if ok:
                return HttpResponseRedirect(
                    with_agency_query(reverse("qms:committee"), request, agency)
                )
        elif form.is_valid():
            form.add_error(None, _("Check the members table."))
        return self.render_page(agency, form=form, members_formset=members)

    def render_page(self, agency, **forms):
        user = self.request.user
        state = selectors.committee_state(user=user, agency=agency)
        can_keep = may_keep(user, agency)
        if can_keep:
            forms.setdefault("form", CommitteeDecisionForm(agency=agency))
            forms.setdefault(
                "members_formset",
                member_formset(user=user, agency=agency, current_members=state.members),
            )
        context = self.get_context_data(
            agency=agency,
            state=state,
            history=selectors.committee_history(user=user, agency=agency),
            can_keep=can_keep,
            pick_form=_pick_form(self.request, agency),
            **forms,
        )
        return self.render_to_response(context)


class CommitteeFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        decision = selectors.committee_decision_get(user=request.user, pk=pk)
        if not decision.file:
            raise Http404
        return file_response(decision.file, name=decision.file_name)


# --- announcements --------------------------------------------------------------------------------


class AnnouncementListView(ScopedListView):
    """Every announcement the person may read — an overseer's whole subtree, filtered by
    agency and searched by number."""

    template_name = "qms/announcement_list.html"
    filter_form_class = AnnouncementFilterForm
    export_name = "cong-bo-iso"
    export_title = gettext_lazy("Announcements of conformity")
    export_columns = [
        (gettext_lazy("Number"), lambda a: a.number),
        (gettext_lazy("Date"), lambda a: a.date),
        (gettext_lazy("Kind"), lambda a: a.get_kind_display()),
        (gettext_lazy("Subject"), outputs.announcement_subject),
        (gettext_lazy("Standard version"), lambda a: a.get_standard_version_display()),
        (gettext_lazy("Procedures"), lambda a: len(a.procedure_codes)),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Received on"), lambda a: a.received_on),
        (gettext_lazy("Published"), lambda a: a.is_published),
        (gettext_lazy("Agency"), lambda a: a.agency),
    ]

    def get_queryset(self, filters):
        return selectors.announcement_list(user=self.request.user, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            can_create=agency is not None and may_keep(self.request.user, agency),
            **kwargs,
        )


class AnnouncementCreateView(ServiceFormView):
    template_name = "qms/announcement_form.html"
    form_class = AnnouncementForm
    success_message = gettext_lazy("The draft announcement was prepared.")

    def load(self):
        self.agency = keeper_agency(self.request)
        self.latest = selectors.latest_announcement(agency=self.agency)
        return None

    def get(self, request, *args, **kwargs):
        self.load()
        draft = selectors.draft_announcement(user=request.user, agency=self.agency)
        if draft is not None:
            return HttpResponseRedirect(reverse("qms:announcement_detail", args=[draft.pk]))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"again": self.latest is not None}

    def get_initial(self):
        reasons = selectors.reannouncement_reasons(user=self.request.user, agency=self.agency)
        return {
            "signer_name": self.agency.head_name,
            "signer_title": self.agency.head_title.upper(),
            "reason": " ".join(reasons),
        }

    def get_context_data(self, **kwargs):
        user = self.request.user
        qms = selectors.qms_of(user=user, agency=self.agency)
        return super().get_context_data(
            agency=self.agency,
            again=self.latest is not None,
            latest=self.latest,
            reasons=selectors.reannouncement_reasons(user=user, agency=self.agency),
            snapshot=services.scope_snapshot(self.agency, qms),
            **kwargs,
        )

    def get_cancel_url(self):
        return reverse("qms:announcements")

    def perform(self, form):
        data = form.cleaned_data
        return services.announcement_create(
            actor=self.request.user,
            agency=self.agency,
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            reason=data.get("reason", ""),
        )

    def get_success_url(self, result):
        return reverse("qms:announcement_detail", args=[result.pk])


def _announcement(request, pk, action: Action = Action.VIEW):
    return selectors.announcement_get(user=request.user, pk=pk, action=action)


class AnnouncementEditView(ServiceFormView):
    """Edit a draft: who signs, the reason, the scope taken again."""

    template_name = "qms/announcement_form.html"
    form_class = AnnouncementForm
    success_message = gettext_lazy("The draft was saved.")

    def load(self):
        announcement = _announcement(self.request, self.kwargs["pk"], Action.CHANGE)
        if not WORKFLOW.may(self.request.user, announcement, AnnouncementAction.EDIT):
            raise Http404
        return announcement

    def get_form_kwargs(self):
        return {"again": self.object.kind == AnnouncementKind.RE, "editing": True}

    def get_initial(self):
        a = self.object
        return {"signer_name": a.signer_name, "signer_title": a.signer_title, "reason": a.reason}

    def get_context_data(self, **kwargs):
        a = self.object
        return super().get_context_data(
            agency=a.agency,
            editing=True,
            again=a.kind == AnnouncementKind.RE,
            snapshot=a.scope_snapshot,
            **kwargs,
        )

    def get_cancel_url(self):
        return reverse("qms:announcement_detail", args=[self.object.pk])

    def perform(self, form):
        data = form.cleaned_data
        return services.announcement_update(
            actor=self.request.user,
            announcement=self.object,
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            reason=data.get("reason"),
            refresh_scope=data.get("refresh_scope", False),
        )

    def get_success_url(self, result):
        return self.get_cancel_url()


def detail_context(request, announcement, forms: dict) -> dict:
    """What the announcement's page shows: the decision as it will be printed (its subject
    line is the document's), its scope, its history, and a form or button for each step the
    person may take now."""
    user = request.user
    actions = set(WORKFLOW.available(user, announcement))
    a = announcement
    if AnnouncementAction.SIGN in actions:
        forms.setdefault("sign_form", AnnouncementSignForm(agency=a.agency))
    if AnnouncementAction.CORRECT in actions:
        forms.setdefault(
            "correct_form",
            AnnouncementCorrectForm(
                agency=a.agency,
                initial={
                    "number": a.number,
                    "date": a.date,
                    "signer_name": a.signer_name,
                    "signer_title": a.signer_title,
                },
            ),
        )
    if ready(user, a, AnnouncementAction.ATTACH_SCAN):
        forms.setdefault("scan_form", AnnouncementScanForm())
    if AnnouncementAction.RECEIVE in actions:
        forms.setdefault("receive_form", ReceiveForm())
    if AnnouncementAction.RETURN in actions:
        forms.setdefault("return_form", ReturnForm())
    if AnnouncementAction.DISCARD in actions:
        forms.setdefault("discard_form", DiscardForm())
    codes = a.procedure_codes
    names = selectors.procedure_names(codes=codes)
    events = list(selectors.announcement_events(announcement=a))
    returns = [e for e in events if e.action == AnnouncementAction.RETURN]
    return {
        "announcement": a,
        "subject": outputs.announcement_subject(a),
        "procedures": [(code, names.get(code, "")) for code in codes],
        "activities": a.scope_snapshot.get("internal_activities", ""),
        "events": events,
        "last_return": returns[-1] if returns else None,
        "is_draft": a.status == AnnouncementStatus.DRAFT,
        "is_returned": a.status == AnnouncementStatus.RETURNED,
        "is_again": a.kind == AnnouncementKind.RE,
        "can_edit": AnnouncementAction.EDIT in actions,
        "can_send": AnnouncementAction.SEND in actions,
        "can_publish": AnnouncementAction.PUBLISH in actions,
        **forms,
    }


class AnnouncementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "qms/announcement_detail.html"

    def get(self, request, pk):
        announcement = _announcement(request, pk)
        return self.render_to_response(
            self.get_context_data(**detail_context(request, announcement, {}))
        )


class _AnnouncementStepFormView(ServiceFormView):
    """A step with a form, posted from the announcement's page: on refusal the same page
    again with the form's errors and what was typed."""

    template_name = "qms/announcement_detail.html"
    form_key = ""
    action = Action.CHANGE

    def load(self):
        return _announcement(self.request, self.kwargs["pk"], self.action)

    def get(self, request, *args, **kwargs):
        self.object = self.load()
        return HttpResponseRedirect(self.get_success_url(self.object))

    def render_form(self, form, **extra):
        announcement = _announcement(self.request, self.kwargs["pk"])  # as it stands now
        context = detail_context(self.request, announcement, {self.form_key: form})
        return self.render_to_response(self.get_context_data(**context))

    def get_success_url(self, result):
        return reverse("qms:announcement_detail", args=[self.kwargs["pk"]])


class AnnouncementSignView(_AnnouncementStepFormView):
    form_class = AnnouncementSignForm
    form_key = "sign_form"
    success_message = gettext_lazy("The announcement was recorded as signed: the QMS is announced.")

    def get_form_kwargs(self):
        return {"agency": self.object.agency}

    def perform(self, form):
        data = form.cleaned_data
        return services.announcement_sign(
            actor=self.request.user,
            announcement=self.object,
            number=data["number"],
            date=data["date"],
            signed_scan=data.get("signed_scan"),
        )


class AnnouncementCorrectView(_AnnouncementStepFormView):
    form_class = AnnouncementCorrectForm
    form_key = "correct_form"
    success_message = gettext_lazy("The correction was recorded.")

    def get_form_kwargs(self):
        return {"agency": self.object.agency}

    def perform(self, form):
        data = form.cleaned_data
        return services.announcement_correct(
            actor=self.request.user,
            announcement=self.object,
            number=data["number"],
            date=data["date"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            comment=data["comment"],
        )


class AnnouncementScanView(_AnnouncementStepFormView):
    form_class = AnnouncementScanForm
    form_key = "scan_form"
    success_message = gettext_lazy("The signed scan was attached.")

    def perform(self, form):
        return services.announcement_attach_scan(
            actor=self.request.user,
            announcement=self.object,
            upload=form.cleaned_data["signed_scan"],
        )


class _OverseerStepView(_AnnouncementStepFormView):
    """The overseer's steps: the announcement is read in their subtree; anyone who is not the
    agency's overseer gets a 404."""

    action = Action.VIEW

    def load(self):
        announcement = super().load()
        if not rules.can_receive(self.request.user, announcement.agency):
            raise Http404
        return announcement


class AnnouncementReceiveView(_OverseerStepView):
    form_class = ReceiveForm
    form_key = "receive_form"
    success_message = gettext_lazy("The receipt was recorded.")

    def perform(self, form):
        return services.announcement_receive(
            actor=self.request.user, announcement=self.object, on=form.cleaned_data["on"]
        )


class AnnouncementReturnView(_OverseerStepView):
    form_class = ReturnForm
    form_key = "return_form"
    success_message = gettext_lazy("The announcement was returned to the agency for correction.")

    def perform(self, form):
        return services.announcement_return(
            actor=self.request.user, announcement=self.object, reason=form.cleaned_data["reason"]
        )


class AnnouncementDiscardView(_AnnouncementStepFormView):
    form_class = DiscardForm
    form_key = "discard_form"
    success_message = gettext_lazy("The draft was discarded.")

    def perform(self, form):
        return services.announcement_discard(
            actor=self.request.user,
            announcement=self.object,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, result):
        return reverse("qms:announcements")


class _AnnouncementButtonView(ServiceActionView):
    def load(self):
        return _announcement(self.request, self.kwargs["pk"], Action.CHANGE)

    def get_success_url(self, result):
        return reverse("qms:announcement_detail", args=[self.kwargs["pk"]])


class AnnouncementSendView(_AnnouncementButtonView):
    success_message = gettext_lazy("The announcement was sent to the overseer.")

    def perform(self):
        return services.announcement_send(actor=self.request.user, announcement=self.object)


class AnnouncementPublishView(_AnnouncementButtonView):
    def load(self):
        self.published = self.request.POST.get("published") != "0"
        self.success_message = (
            _("The announcement is published.")
            if self.published
            else _("The announcement is no longer published.")
        )
        return super().load()

    def perform(self):
        return services.announcement_publish(
            actor=self.request.user, announcement=self.object, published=self.published
        )


class AnnouncementScanDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        announcement = _announcement(request, pk)
        if not announcement.signed_file:
            raise Http404
        return file_response(announcement.signed_file, name=announcement.signed_file_name)


class AnnouncementFileView(LoginRequiredMixin, View):
    """The decision in the official layout (Nghị định 30/2020): the draft to print and sign,
    marked "DỰ THẢO", or the signed text."""

    file_format = "pdf"

    def get(self, request, pk):
        announcement = _announcement(request, pk)
        document = outputs.announcement_document(announcement)
        filename = outputs.announcement_filename(announcement, self.file_format)
        return official_response(document, filename.rsplit(".", 1)[0], self.file_format)
