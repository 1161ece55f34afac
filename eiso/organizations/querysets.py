from __future__ import annotations

from eiso.core.scoping import AgencyScopedQuerySet


class AgencyQuerySet(AgencyScopedQuerySet):
    """The agency tree is scoped by its own path."""

    agency_field = ""

    def active(self):
        return self.filter(is_active=True)

    def subtree_of(self, agency, *, include_self: bool = True):
        qs = self.filter(path__startswith=agency.path)
        return qs if include_self else qs.exclude(pk=agency.pk)
