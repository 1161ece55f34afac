"""Users and their memberships: (user, agency, role)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.accounts.usernames import normalize_username, username_skeleton
from eiso.core.models import AgencyOwnedModel
from eiso.core.roles import Role
from eiso.core.scoping import user_scope


class UserQuerySet(models.QuerySet):
    def visible_to(self, user, *, action="view"):
        """Users with an active membership in an agency the viewer may reach (and the viewer)."""
        scope = user_scope(user, action)
        if scope.everything:
            return self
        if scope.empty:
            return self.filter(pk=user.pk) if user.is_authenticated else self.none()
        # The viewer inside the subquery (a scope comes from their memberships, so they have
        # one): "id IN (…) OR id = me" keeps PostgreSQL from a semi-join; it walked every user
        # of the country to keep twenty (bench/README.md).
        member_ids = Membership.objects.filter(
            scope.q("agency") | models.Q(user_id=user.pk)
        ).values("user_id")
        return self.filter(pk__in=member_ids)


class EisoUserManager(UserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username):
        """Sign-in finds the person whatever the case or width of what they typed (user
        names are stored normalised)."""
        return self.get(username=normalize_username(username))


class User(AbstractUser):
    """A person who signs in. Names are Vietnamese full names in one field."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    search_text = models.TextField(editable=False, default="")
    # What the name looks like (``eiso.accounts.usernames``): a new name whose skeleton an
    # existing name has is refused as a look-alike.
    username_skeleton = models.CharField(max_length=150, editable=False, default="", db_index=True)

    objects = EisoUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Derived from the name on every path that saves a user (services, createsuperuser,
        # factories), so no user escapes the look-alike check.
        self.username_skeleton = username_skeleton(self.username)
        if kwargs.get("update_fields") is not None and "username" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "username_skeleton"}
        super().save(*args, **kwargs)


class Membership(AgencyOwnedModel):
    """A role a user holds in an agency. Overseers reach the agency's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "organizations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=models.Q(is_active=True),
                name="membership_unique_active_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class ApiToken(models.Model):
    """A key an integration (or a person) uses for the API. Only a SHA-256 hash of the key is
    stored; the key itself is shown once, when it is issued. It expires, it is revoked when
    the password changes, and its last use is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app. Hashed at rest (the codes
    are shown once, when generated)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.created_at:%d/%m/%Y}"


class UserSession(models.Model):
    """One signed-in session of a person, for the list of their sessions and "sign out
    everywhere" (Django's session table cannot be searched by user)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_activity = models.DateTimeField(_("last activity"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_activity", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.user_agent[:40]}"
