"""What a merger or split means for the QMS: the successor must announce again (registered as
a hook of ``eiso.organizations.reorganization``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eiso.qms import services


def flag_successor_for_reannouncement(*, actor, sources, successor, on) -> None:
    """Flag the successor's QMS for re-announcement, naming the agencies it succeeds."""
    names = ", ".join(source.name for source in sources)
    reason = _("Reorganisation of %(date)s: %(successor)s succeeds %(agencies)s.") % {
        "date": on.strftime("%d/%m/%Y"),
        "agencies": names,
        "successor": successor.name,
    }
    services.qms_flag_reannouncement(actor=actor, agency=successor, reason=reason)
