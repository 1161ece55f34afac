"""A person's own account: two-factor sign-in (enrol, recovery codes, the code after the
password), their signed-in sessions ("sign out everywhere") and their API tokens."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login

from eiso.accounts import selectors
from eiso.accounts.forms import ApiTokenForm, CodeForm
from eiso.accounts.middleware import SECOND_FACTOR_KEY
from eiso.accounts.services import sessions as session_services
from eiso.accounts.services import tokens as token_services
from eiso.accounts.services import two_factor
from eiso.core.errors import ApplicationError
from eiso.core.views import apply_service


def _next_url(request, fallback: str = "dashboard:home"):
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def _gated(request) -> bool:
    """Whether the second-factor step still stands between the person and the site (the page
    then shows no navigation: nothing is reachable before it)."""
    if request.user.is_verified():
        return False
    return bool(request.session.get(SECOND_FACTOR_KEY)) or two_factor.is_required(
        request.user, request.memberships
    )


class AccountView(LoginRequiredMixin, TemplateView):
    """My account: details, two-factor sign-in, sessions, API tokens."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            two_factor=selectors.two_factor_status(user),
            two_factor_required=two_factor.is_required(user, self.request.memberships),
            sessions=selectors.active_sessions(user=user),
            current_session=self.request.session.session_key,
            tokens=selectors.api_tokens_of(user=user),
            token_form=kwargs.pop("token_form", None) or ApiTokenForm(),
            **kwargs,
        )


class TwoFactorEnrolView(LoginRequiredMixin, TemplateView):
    """Scan the QR code with an authenticator app, confirm with a code; the recovery codes
    are then shown once."""

    template_name = "accounts/two_factor_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        # With an authenticator already, only a session that passed it may replace it (a
        # stolen password alone must not enrol the thief's phone).
        if (
            request.user.is_authenticated
            and request.session.get(SECOND_FACTOR_KEY)
            and not request.user.is_verified()
        ):
            return redirect("accounts:two_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = two_factor.pending_device(self.request.user)
        qr = segno.make(device.config_url, error="m")
        secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        context = {
            # segno writes plain SVG markup (no script, no style attribute).
            "qr_svg": mark_safe(qr.svg_inline(scale=4, dark="#000", light="#fff")),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "form": kwargs.pop("form", None) or CodeForm(),
            "next": _next_url(self.request, ""),
            "required": two_factor.is_required(self.request.user, self.request.memberships),
        }
        if _gated(self.request):
            context["user"] = AnonymousUser()
        return super().get_context_data(**context, **kwargs)

    def post(self, request):
        form = CodeForm(request.POST)
        device = two_factor.pending_device(request.user)
        if form.is_valid():
            codes = apply_service(
                request,
                form,
                lambda: two_factor.two_factor_confirm(
                    user=request.user, device=device, code=form.cleaned_data["code"]
                ),
                success_message=_("Two-factor sign-in is on."),
            )
            if codes:
                device.refresh_from_db()
                otp_login(request, device)
                request.session[SECOND_FACTOR_KEY] = True
                return self._codes(request, codes)
        return self.render_to_response(self.get_context_data(form=form))

    def _codes(self, request, codes):
        return RecoveryCodesView.as_view()(request, codes=codes)


class RecoveryCodesView(LoginRequiredMixin, TemplateView):
    """The ten recovery codes, shown once: after enrolment, or when asked for new ones (the
    old ones stop working)."""

    template_name = "accounts/recovery_codes.html"
    http_method_names = ["post"]

    def post(self, request, codes=None):
        if codes is None:
            if not request.user.is_verified():
                return redirect("accounts:account")
            codes = two_factor.recovery_codes_generate(user=request.user)
            messages.success(request, _("New recovery codes: the old ones no longer work."))
        return self.render_to_response(
            self.get_context_data(codes=codes, next=_next_url(request, ""))
        )


class TwoFactorDisableView(LoginRequiredMixin, View):
    def post(self, request):
        if (
            apply_service(
                request,
                None,
                lambda: two_factor.two_factor_disable(
                    user=request.user, memberships=request.memberships
                ),
                success_message=_("Two-factor sign-in is off."),
            )
            is not None
        ):
            request.session[SECOND_FACTOR_KEY] = False
        return redirect("accounts:account")


class TwoFactorVerifyView(LoginRequiredMixin, TemplateView):
    """The code after the password (from the app, or a recovery code)."""

    template_name = "accounts/two_factor_verify.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_verified() or not request.session.get(SECOND_FACTOR_KEY):
            return redirect(_next_url(request))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=kwargs.pop("form", None) or CodeForm(),
            next=_next_url(self.request, ""),
            user=AnonymousUser(),
            **kwargs,
        )

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = two_factor.two_factor_verify(
                    user=request.user, code=form.cleaned_data["code"]
                )
            except ApplicationError as exc:
                form.add_error("code", exc.message)
            else:
                if device is not None:
                    otp_login(request, device)
                    left = two_factor.recovery_codes_left(request.user)
                    if left <= 3:
                        messages.warning(
                            request,
                            _("%(n)s recovery codes left: make new ones on My account.")
                            % {"n": left},
                        )
                    return redirect(_next_url(request))
                if not request.user.is_authenticated:
                    return redirect("accounts:login")
                form.add_error("code", _("The code is not right."))
        return self.render_to_response(self.get_context_data(form=form))


class SessionEndView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = selectors.session_get(user=request.user, pk=pk)
        if session.session_key == request.session.session_key:
            logout(request)
            return redirect("accounts:login")
        apply_service(
            request,
            None,
            lambda: session_services.session_end(actor=request.user, session=session),
            success_message=_("That session was signed out."),
        )
        return redirect("accounts:account")


class SignOutEverywhereView(LoginRequiredMixin, View):
    """End every session of the person, this one included; API tokens stay."""

    def post(self, request):
        session_services.sessions_end_all(user=request.user, actor=request.user)
        logout(request)
        return redirect("accounts:login")


class ApiTokenCreateView(LoginRequiredMixin, View):
    """Issue one's own API token: the key is shown on this answer only."""

    def post(self, request):
        form = ApiTokenForm(request.POST)
        key = None
        if form.is_valid():
            issued = apply_service(
                request,
                form,
                lambda: token_services.api_token_create(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data.get("days"),
                ),
                success_message=_(
                    "The token was created. Copy its key now: it is not shown again."
                ),
            )
            if issued:
                key = issued[1]
                form = ApiTokenForm()
        view = AccountView(request=request, kwargs={})
        return view.render_to_response(view.get_context_data(token_form=form, new_key=key))


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = selectors.api_token_get(user=request.user, pk=pk)
        apply_service(
            request,
            None,
            lambda: token_services.api_token_revoke(actor=request.user, token=token),
            success_message=_("The token was revoked."),
        )
        return redirect("accounts:account")
