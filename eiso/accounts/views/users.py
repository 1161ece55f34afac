"""Sign-in, password pages, the role switch, and user management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.accounts import selectors, services
from eiso.accounts.forms import (
    EisoPasswordChangeForm,
    EisoPasswordResetForm,
    EisoSetPasswordForm,
    LoginForm,
    MembershipGrantForm,
    SecondFactorResetForm,
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
)
from eiso.accounts.imports import UserImporter
from eiso.accounts.middleware import ALL_AGENCIES_KEY, SESSION_KEY
from eiso.accounts.rules import is_administrator
from eiso.accounts.selectors import two_factor_status
from eiso.accounts.services.two_factor import two_factor_reset
from eiso.accounts.services.users import site_url
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.views import ImportView, ScopedListView, apply_service


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        idle = self.request.GET.get("idle", "")
        return super().get_context_data(
            idle_minutes=int(idle) if idle.isdigit() else None, **kwargs
        )


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = EisoPasswordChangeForm
    success_url = reverse_lazy("dashboard:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = EisoPasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = EisoSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class SwitchMembershipView(LoginRequiredMixin, View):
    """Choose the role/agency to act as (header)."""

    def post(self, request):
        if request.POST.get("membership") == "all" and len(request.memberships) > 1:
            request.session[ALL_AGENCIES_KEY] = True
            messages.info(request, _("Lists now show every agency where you hold a role."))
            return self._back(request)
        try:
            wanted = int(request.POST.get("membership", ""))
        except ValueError:
            raise Http404 from None
        membership = next((m for m in request.memberships if m.pk == wanted), None)
        if membership is None:
            raise Http404
        request.session[SESSION_KEY] = membership.pk
        request.session.pop(ALL_AGENCIES_KEY, None)
        messages.info(
            request,
            _("You now act as %(role)s of %(agency)s.")
            % {"role": membership.get_role_display(), "agency": membership.agency},
        )
        return self._back(request)

    @staticmethod
    def _back(request):
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or "dashboard:home")


def _roles_text(user) -> str:
    return "; ".join(
        f"{m.get_role_display()} — {m.agency}" for m in getattr(user, "visible_memberships", [])
    )


class ManageUsersMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_scope(request.user, Action.MANAGE_USERS).empty:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class UserListView(ManageUsersMixin, ScopedListView):
    template_name = "accounts/user_list.html"
    filter_form_class = UserFilterForm
    export_name = "danh-sach-nguoi-dung"
    export_title = gettext_lazy("Users")
    export_columns = [
        (gettext_lazy("User name"), lambda u: u.username),
        (gettext_lazy("Full name"), lambda u: u.full_name),
        (gettext_lazy("E-mail"), lambda u: u.email),
        (gettext_lazy("Position"), lambda u: u.position),
        (gettext_lazy("Phone"), lambda u: u.phone),
        (gettext_lazy("Roles"), _roles_text),
        (gettext_lazy("Last sign-in"), lambda u: u.last_login),
        (gettext_lazy("Active"), lambda u: _("Yes") if u.is_active else _("No")),
    ]

    def get_queryset(self, filters):
        return selectors.user_list(user=self.request.user, action=Action.MANAGE_USERS, **filters)


class UserCreateView(ManageUsersMixin, TemplateView):
    template_name = "accounts/user_form.html"

    def get(self, request):
        initial = {}
        if request.membership and request.membership.agency:
            initial["agency"] = request.membership.agency
        return self.render_to_response(
            self.get_context_data(form=UserCreateForm(actor=request.user, initial=initial))
        )

    def post(self, request):
        form = UserCreateForm(request.POST, actor=request.user)
        if form.is_valid():
            user = apply_service(
                request,
                form,
                lambda: services.user_create(
                    actor=request.user,
                    base_url=site_url(request.build_absolute_uri("/")),
                    **form.cleaned_data,
                ),
                success_message=_(
                    "The user was created; a link to set their password was sent to their e-mail."
                ),
            )
            if user:
                return redirect("accounts:user_detail", pk=user.pk)
        return self.render_to_response(self.get_context_data(form=form))


class UserDetailView(ManageUsersMixin, TemplateView):
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        person = selectors.user_get(user=user, pk=kwargs["pk"], action=Action.MANAGE_USERS)
        memberships = list(
            selectors.membership_list(user=user, action=Action.MANAGE_USERS, of_user=person)
        )
        # A new role starts in the person's (first current) agency, its departments listed.
        current = [m.agency for m in memberships if m.is_active and m.agency.is_active]
        initial = {"agency": current[0]} if current else {}
        return super().get_context_data(
            person=person,
            memberships=memberships,
            grant_form=kwargs.pop("grant_form", None)
            or MembershipGrantForm(actor=user, initial=initial),
            reset_form=kwargs.pop("reset_form", None) or SecondFactorResetForm(),
            has_second_factor=two_factor_status(person),
            is_administrator=is_administrator(user),
            **kwargs,
        )


class UserUpdateView(ManageUsersMixin, TemplateView):
    """A person's details. No password field: nobody types another person's password (the
    person gets a link, ``UserPasswordLinkView``)."""

    template_name = "accounts/user_edit.html"

    def load(self, request, pk):
        return selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)

    @staticmethod
    def form(request, person, data=None) -> UserUpdateForm:
        form = UserUpdateForm(
            data,
            initial={
                "full_name": person.full_name,
                "email": person.email,
                "position": person.position,
                "phone": person.phone,
                "is_active": person.is_active,
            },
        )
        if person.pk != request.user.pk and not is_administrator(request.user):
            # Another person's e-mail is an administrator's to change (the service says so too).
            form.fields["email"].disabled = True
        return form

    def get(self, request, pk):
        person = self.load(request, pk)
        form = self.form(request, person)
        return self.render_to_response(self.get_context_data(form=form, person=person))

    def post(self, request, pk):
        person = self.load(request, pk)
        form = self.form(request, person, request.POST)
        if form.is_valid():
            done = apply_service(
                request,
                form,
                lambda: services.user_update(
                    actor=request.user, user=person, data=form.cleaned_data
                ),
                success_message=_("The user was saved."),
            )
            if done:
                return redirect("accounts:user_detail", pk=person.pk)
        return self.render_to_response(self.get_context_data(form=form, person=person))


class UserPasswordLinkView(ManageUsersMixin, View):
    """E-mail the person a link to set their own password."""

    def post(self, request, pk):
        person = selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
        apply_service(
            request,
            None,
            lambda: services.user_send_password_link(
                actor=request.user,
                user=person,
                base_url=site_url(request.build_absolute_uri("/")),
            ),
            success_message=_("A link to set a new password was sent to %(email)s.")
            % {"email": person.email},
        )
        return redirect("accounts:user_detail", pk=person.pk)


class UserSecondFactorResetView(ManageUsersMixin, View):
    """An administrator removes a person's second factor (audited; the person is told)."""

    def post(self, request, pk):
        person = selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
        form = SecondFactorResetForm(request.POST)
        if form.is_valid() and apply_service(
            request,
            form,
            lambda: two_factor_reset(
                actor=request.user, user=person, reason=form.cleaned_data["reason"]
            ),
            success_message=_("The second factor of %(user)s was reset.") % {"user": person},
        ):
            return redirect("accounts:user_detail", pk=person.pk)
        view = UserDetailView(request=request, kwargs={"pk": pk})
        return view.render_to_response(view.get_context_data(pk=pk, reset_form=form))


class MembershipGrantView(ManageUsersMixin, View):
    def post(self, request, pk):
        person = selectors.user_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
        form = MembershipGrantForm(request.POST, actor=request.user)
        if form.is_valid() and apply_service(
            request,
            form,
            lambda: services.membership_grant(actor=request.user, user=person, **form.cleaned_data),
            success_message=_("The role was granted."),
        ):
            return redirect("accounts:user_detail", pk=person.pk)
        view = UserDetailView(request=request, kwargs={"pk": pk})
        return view.render_to_response(view.get_context_data(pk=pk, grant_form=form))


class MembershipEndView(ManageUsersMixin, View):
    def post(self, request, pk):
        membership = selectors.membership_get(user=request.user, pk=pk, action=Action.MANAGE_USERS)
        apply_service(
            request,
            None,
            lambda: services.membership_end(
                actor=request.user, membership=membership, reason=request.POST.get("reason", "")
            ),
            success_message=_("The role was ended."),
        )
        return redirect("accounts:user_detail", pk=membership.user_id)


class UserImportView(ImportView):
    import_kind = UserImporter.kind
    success_url = reverse_lazy("accounts:user_list")
