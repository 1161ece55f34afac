"""Certificates (they follow their holder across agencies) and a person's competence
history."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.files import file_response
from eiso.core.generic import ServiceFormView, acting_agency, agency_for
from eiso.core.roles import Action
from eiso.core.views import ScopedListView
from eiso.training import rules, selectors, services
from eiso.training.forms import CertificateDeleteForm, CertificateFilterForm, CertificateForm


class CertificateListView(ScopedListView):
    template_name = "training/certificate_list.html"
    filter_form_class = CertificateFilterForm
    export_name = "chung-chi"
    export_title = gettext_lazy("Training certificates")
    export_columns = [
        (gettext_lazy("Holder"), lambda c: c.holder),
        (gettext_lazy("Kind"), lambda c: c.get_kind_display()),
        (gettext_lazy("Number"), lambda c: c.number),
        (gettext_lazy("Issued by"), lambda c: c.issuer),
        (gettext_lazy("Issued on"), lambda c: c.issued_on),
        (gettext_lazy("Valid until"), lambda c: c.expires_on),
        (gettext_lazy("Recorded by"), lambda c: c.agency),
    ]

    def get_queryset(self, filters):
        self.today = timezone.localdate()
        return selectors.certificate_list(user=self.request.user, today=self.today, **filters)

    def get_context_data(self, **kwargs):
        agency = acting_agency(self.request)
        return super().get_context_data(
            today=self.today,
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            **kwargs,
        )


class CertificateCreateView(ServiceFormView):
    form_class = CertificateForm
    title = gettext_lazy("Record a certificate")
    success_message = gettext_lazy("The certificate was recorded.")

    def load(self):
        self.agency = agency_for(self.request, action=Action.CHANGE)
        if not rules.can_keep(self.request.user, self.agency):
            raise Http404

    def get_form_kwargs(self):
        return {"user": self.request.user, "agency": self.agency}

    def get_initial(self):
        return {"kind": "internal_auditor", "holder": self.request.GET.get("holder") or None}

    def get_cancel_url(self):
        return reverse("training:certificates")

    def perform(self, form):
        data = dict(form.cleaned_data)
        holder, file = data.pop("holder"), data.pop("file", None)
        return services.certificate_create(
            actor=self.request.user, agency=self.agency, holder=holder, data=data, file=file
        )

    def get_success_url(self, result):
        return reverse("training:person", args=[result.holder_id])


class CertificateUpdateView(ServiceFormView):
    form_class = CertificateForm
    title = gettext_lazy("Change the certificate")
    success_message = gettext_lazy("The certificate was saved.")

    def load(self):
        return selectors.certificate_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_form_kwargs(self):
        return {"editing": True}

    def get_initial(self):
        c = self.object
        return {
            "kind": c.kind,
            "number": c.number,
            "issuer": c.issuer,
            "issued_on": c.issued_on,
            "expires_on": c.expires_on,
            "note": c.note,
        }

    def get_cancel_url(self):
        return reverse("training:person", args=[self.object.holder_id])

    def perform(self, form):
        data = dict(form.cleaned_data)
        file = data.pop("file", None)
        return services.certificate_update(
            actor=self.request.user, certificate=self.object, data=data, file=file
        )

    def get_success_url(self, result):
        return reverse("training:person", args=[result.holder_id])


class CertificateDeleteView(ServiceFormView):
    form_class = CertificateDeleteForm
    title = gettext_lazy("Remove a certificate recorded by mistake")
    submit_label = gettext_lazy("Remove")
    success_message = gettext_lazy("The certificate was removed.")

    def load(self):
        return selectors.certificate_get(
            user=self.request.user, pk=self.kwargs["pk"], action=Action.CHANGE
        )

    def get_cancel_url(self):
        return reverse("training:person", args=[self.object.holder_id])

    def perform(self, form):
        holder = self.object.holder_id
        services.certificate_delete(
            actor=self.request.user, certificate=self.object, reason=form.cleaned_data["reason"]
        )
        return holder

    def get_success_url(self, result):
        return reverse("training:person", args=[result])


class CertificateFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        certificate = selectors.certificate_get(user=request.user, pk=pk)
        if not certificate.file:
            raise Http404
        return file_response(certificate.file, name=certificate.file_name)


class PersonView(LoginRequiredMixin, TemplateView):
    """A person's competence history: the roles held where, the sessions attended (in any
    agency), the certificates with their validity today."""

    template_name = "training/person.html"

    def get_context_data(self, **kwargs):
        person = selectors.person_get(user=self.request.user, pk=kwargs["pk"])
        agency = acting_agency(self.request)
        return super().get_context_data(
            person=person,
            today=timezone.localdate(),
            can_keep=agency is not None and rules.can_keep(self.request.user, agency),
            **selectors.competence_of(user=self.request.user, person=person),
            **kwargs,
        )
