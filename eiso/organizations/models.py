"""Agencies (a tree of any depth, materialized path) and the departments inside them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel, TimeStampedModel
from eiso.organizations.choices import DepartmentKind, Tier
from eiso.organizations.querysets import AgencyQuerySet

PATH_STEP = 7  # digits of one path step: "0000012/"


class AgencyKind(models.Model):
    """A kind of agency with its defaults: data, not code (the province can edit them; the legal
    basis is kept beside the rule)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    default_tier = models.CharField(_("default tier"), max_length=16, choices=Tier.choices)
    must_apply = models.BooleanField(_("must apply ISO by default"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("agency kind")
        verbose_name_plural = _("agency kinds")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Agency(TimeStampedModel):
    """A state agency: the province's People's Committee, a department, a commune…"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("official name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.ForeignKey(AgencyKind, verbose_name=_("kind"), on_delete=models.PROTECT)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    must_apply = models.BooleanField(_("must apply ISO"), default=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    head_name = models.CharField(_("head"), max_length=200, blank=True)
    head_title = models.CharField(_("head's title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]
        indexes = [models.Index(fields=["tier", "is_active"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        return self.name


class Department(AgencyOwnedModel):
    """A department (phòng, ban, bộ phận) inside an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.OFFICE
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
