from __future__ import annotations

from django.db.models import Q

from eiso.core.roles import Action
from eiso.core.scoping import AgencyScopedQuerySet, ancestor_paths, user_scope


class ExternalDocumentQuerySet(AgencyScopedQuerySet):
    def visible_to(self, user, *, action: Action = Action.VIEW):
        """Rows of agencies in scope, plus the shared catalogue of every agency above the
        user's own agencies (reading only)."""
        scope = user_scope(user, action)
        if scope.everything:
            return self
        condition = scope.q("agency") if not scope.empty else Q(pk__in=[])
        if action == Action.VIEW:
            above = ancestor_paths(user)
            if above:
                condition |= Q(is_shared=True, agency__path__in=above)
        return self.filter(condition)
