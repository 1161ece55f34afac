"""What a merger or split means for administrative procedures: the successor handles every
procedure its predecessors handled (registered as a hook of
``eiso.organizations.reorganization``)."""

from __future__ import annotations

from eiso.procedures import services
from eiso.procedures.models import AdministrativeProcedure


def carry_over_handled_procedures(*, actor, sources, successor, on) -> None:
    """The successor handles the procedures (still in force) the sources handled."""
    procedures = list(
        AdministrativeProcedure.objects.filter(
            is_active=True,
            handled_by__agency__in=[s.pk for s in sources],
            handled_by__is_active=True,
        )
        .distinct()
        .order_by("code")
    )
    if procedures:
        services.handled_assign(actor=actor, agency=successor, procedures=procedures, since=on)
