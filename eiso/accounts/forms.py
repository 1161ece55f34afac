from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from eiso.accounts.rules import roles_grantable_somewhere
from eiso.accounts.services.tokens import MAX_DAYS, default_days
from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, FilterForm, bootstrapify
from eiso.core.roles import Action, Role
from eiso.organizations.models import Department


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def full_clean(self):
        super().full_clean()
        bootstrapify(self)


class LoginForm(BootstrapMixin, AuthenticationForm):
    pass


class EisoPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class EisoPasswordResetForm(BootstrapMixin, PasswordResetForm):
    def get_users(self, email):
        """Also people who have not set a password yet (accounts are created without one:
        the person sets it), not only those with a usable password as Django's form does."""
        from eiso.accounts.models import User

        return (
            u
            for u in User.objects.filter(email__iexact=email, is_active=True)
            if u.email.casefold() == email.casefold()
        )


class EisoSetPasswordForm(BootstrapMixin, DjangoSetPasswordForm):
    pass


def grantable_roles(user) -> list[tuple[str, str]]:
    """The roles the grant policy lets ``user`` hand out somewhere (the service checks the
    agency)."""
    return [(r.value, r.label) for r in roles_grantable_somewhere(user)]


class UserFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices])
    agency = AgencyField(action=Action.MANAGE_USERS)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, user name, e-mail…")


class _Listed(forms.models.ModelChoiceIterator):
    """A model choice field's options drawn from ``queryset`` rather than the field's own."""

    def __init__(self, field, queryset):
        super().__init__(field)
        self.queryset = queryset.order_by("name")


class MembershipFields(forms.Form):
    """Agency, role, department: choices limited to what the actor may grant."""

    agency = AgencyField(action=Action.MANAGE_USERS, empty_label=None)
    role = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].set_user(actor)  # typed, not listed: thousands in a country
        self.fields["role"].choices = grantable_roles(actor)
        # Any department the actor manages is accepted (clean() ties it to the agency), but
        # only the chosen agency's are listed: a national administrator manages the departments
        # of thousands of agencies. static/accounts/department-choice.js lists them again from
        # the departments API when another agency is chosen.
        departments = Department.objects.visible_to(actor, action=Action.MANAGE_USERS).filter(
            is_active=True
        )
        field = self.fields["department"]
        field.queryset = departments
        field.widget.choices = _Listed(field, departments.filter(agency_id=self._agency_pk()))
        field.widget.attrs["data-departments-of"] = self.add_prefix("agency")
        field.widget.attrs["data-departments-url"] = reverse("api:department-list")
        field.help_text = _("The chosen agency's departments.")

    def _agency_pk(self) -> int | None:
        """The agency posted, or the initial one: whose departments the list offers."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("agency"))
        else:
            value = self.get_initial_for_field(self.fields["agency"], "agency")
        value = getattr(value, "pk", value)
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        department, agency = data.get("department"), data.get("agency")
        if department and agency and department.agency_id != agency.pk:
            self.add_error("department", _("Choose a department of this agency."))
        return data


class UserCreateForm(BootstrapMixin, MembershipFields):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("The person receives a link there to set their own password."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    field_order = [
        "username",
        "full_name",
        "email",
        "position",
        "phone",
        "agency",
        "role",
        "department",
        "title",
    ]


class UserUpdateForm(BootstrapForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Only a system administrator changes another person's e-mail."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("Can sign in"), required=False)


class MembershipGrantForm(BootstrapMixin, MembershipFields):
    pass


class SecondFactorResetForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: the person lost their phone."),
    )


class CodeForm(BootstrapForm):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class ApiTokenForm(BootstrapForm):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. the one-stop system.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = default_days()
