"""The left navigation, by the role the user acts as. Later apps add their entries here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from eiso.core.roles import Role

ALL = frozenset(Role.values)
MANAGERS = frozenset({Role.ADMIN, Role.OVERSEER})  # read across agencies (the registry)
# Those who keep, audit or oversee the QMS (staff read the current documents only).
QMS_KEEPERS = frozenset({Role.ISO_SECRETARY, Role.HEAD, Role.AUDITOR, Role.OVERSEER, Role.ADMIN})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset[str]
    section: str = ""
    team: bool = False  # also shown to anyone on an inspection team, whatever their role


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "dashboard:home", "house", ALL),
    NavItem(_("My agency"), "organizations:mine", "building", ALL - MANAGERS),
    NavItem(_("Documents"), "documents:list", "journal-text", ALL, _("Document control")),
    NavItem(
        _("Master list"), "documents:master_list", "list-check", QMS_KEEPERS, _("Document control")
    ),
    NavItem(
        _("Issuing decisions"),
        "documents:decision_list",
        "file-earmark-check",
        QMS_KEEPERS,
        _("Document control"),
    ),
    NavItem(
        _("Legal texts"), "documents:external_list", "bank", QMS_KEEPERS, _("Document control")
    ),
    NavItem(
        _("Revision tasks"),
        "documents:task_list",
        "arrow-repeat",
        QMS_KEEPERS,
        _("Document control"),
    ),
    NavItem(
        _("Procedures (TTHC)"),
        "procedures:handled",
        "card-checklist",
        ALL - MANAGERS,
        _("Administrative procedures"),
    ),
    NavItem(
        _("Procedures (TTHC)"),
        "procedures:catalogue",
        "card-checklist",
        MANAGERS,
        _("Administrative procedures"),
    ),
    NavItem(
        _("Coverage"), "procedures:coverage", "pie-chart", MANAGERS, _("Administrative procedures")
    ),
    NavItem(_("Agencies"), "organizations:list", "diagram-3", MANAGERS, _("Administration")),
    NavItem(
        _("Import agencies"),
        "organizations:import",
        "upload",
        frozenset({Role.ADMIN}),
        _("Administration"),
    ),
    NavItem(
        _("Users"),
        "accounts:user_list",
        "people",
        frozenset({Role.ADMIN, Role.ISO_SECRETARY}),
        _("Administration"),
    ),
    NavItem(_("Audit trail"), "core:audit_list", "clock-history", MANAGERS, _("Administration")),
    NavItem(_("API"), "api:docs", "braces", frozenset({Role.ADMIN}), _("Administration")),
    NavItem(_("Registry"), "oversight:registry", "clipboard-data", MANAGERS, _("Oversight")),
    NavItem(_("Summary"), "oversight:summary", "bar-chart", MANAGERS, _("Oversight")),
    NavItem(_("QMS"), "qms:record", "award", QMS_KEEPERS - MANAGERS, _("Quality system")),
    NavItem(_("Announcements"), "qms:announcements", "megaphone", QMS_KEEPERS, _("Quality system")),
    NavItem(
        _("Steering committee"),
        "qms:committee",
        "people",
        QMS_KEEPERS - MANAGERS,
        _("Quality system"),
    ),
    NavItem(_("Quality objectives"), "objectives:list", "bullseye", ALL, _("Planning")),
    NavItem(
        _("Objectives overview"), "objectives:overview", "speedometer2", MANAGERS, _("Planning")
    ),
    NavItem(_("Risks and opportunities"), "risks:list", "shield-exclamation", ALL, _("Planning")),
    NavItem(_("Context"), "risks:issues", "globe2", QMS_KEEPERS, _("Planning")),
    NavItem(_("Record types"), "records:list", "archive", QMS_KEEPERS, _("Evidence")),
    NavItem(_("One-stop dossiers"), "records:dossier_list", "folder2-open", ALL, _("Evidence")),
    NavItem(_("On-time rate"), "records:figures", "graph-up", ALL, _("Evidence")),
    NavItem(_("Training and competence"), "training:list", "mortarboard", ALL, _("Evidence")),
    NavItem(
        _("Training certificates"),
        "training:certificates",
        "patch-check",
        QMS_KEEPERS,
        _("Evidence"),
    ),
    NavItem(
        _("My audits"),
        "audits:mine",
        "person-badge",
        frozenset({Role.AUDITOR}),
        _("Check and improve"),
    ),
    NavItem(
        _("Internal audits"),
        "audits:list",
        "clipboard2-check",
        QMS_KEEPERS,
        _("Check and improve"),
    ),
    NavItem(
        _("Nonconformities"),
        "improvements:list",
        "exclamation-octagon",
        ALL,
        _("Check and improve"),
    ),
    NavItem(
        _("Nonconformities overview"),
        "improvements:overview",
        "bar-chart-line",
        MANAGERS,
        _("Check and improve"),
    ),
    NavItem(
        _("Management reviews"),
        "reviews:list",
        "people",
        QMS_KEEPERS,
        _("Check and improve"),
    ),
    NavItem(
        _("Inspection plans"),
        "inspections:plan_list",
        "clipboard-pulse",
        MANAGERS,
        _("Inspections"),
    ),
    NavItem(
        _("My inspections"),
        "inspections:mine",
        "person-badge",
        frozenset({Role.INSPECTOR}),
        _("Inspections"),
        team=True,  # an auditor, a head or an expert may be put on a team too
    ),
    NavItem(
        _("Inspections"),
        "inspections:list",
        "search",
        QMS_KEEPERS | {Role.INSPECTOR},
        _("Inspections"),
    ),
    NavItem(_("Satisfaction"), "feedback:summary", "emoji-smile", ALL - MANAGERS, _("Citizens")),
    NavItem(
        _("Complaints and petitions"), "feedback:complaints", "chat-left-text", ALL, _("Citizens")
    ),
    NavItem(_("QR codes"), "feedback:qr", "qr-code", QMS_KEEPERS - MANAGERS, _("Citizens")),
    NavItem(
        _("Public portal"),
        "publications:procedures",
        "globe",
        QMS_KEEPERS - MANAGERS,
        _("Citizens"),
    ),
    NavItem(
        _("Satisfaction overview"), "feedback:overview", "emoji-smile", MANAGERS, _("Citizens")
    ),
    NavItem(
        _("Our obligations"),
        "cycle:agency",
        "calendar-check",
        QMS_KEEPERS - MANAGERS,
        _("Annual cycle"),
    ),
    NavItem(_("Agencies × obligations"), "cycle:matrix", "grid-3x3", MANAGERS, _("Annual cycle")),
    NavItem(
        _("Annual reports"),
        "reports:annual_list",
        "file-earmark-text",
        QMS_KEEPERS,
        _("Annual cycle"),
    ),
    NavItem(
        _("Summary reports"),
        "reports:provincial_list",
        "journal-richtext",
        MANAGERS,
        _("Annual cycle"),
    ),
    NavItem(
        _("Transition to 2015"),
        "reports:transition",
        "arrow-left-right",
        MANAGERS,
        _("Annual cycle"),
    ),
    NavItem(_("League table"), "dashboard:ranking", "trophy", MANAGERS, _("Annual cycle")),
    NavItem(
        _("Rules of the cycle"),
        "cycle:rules",
        "journal-bookmark",
        MANAGERS,
        _("Annual cycle"),
    ),
]


def items_for(role: str | None, *, superuser: bool = False, on_team: bool = False) -> list[NavItem]:
    """The entries of ``role``; ``on_team``: the person is on an inspection team."""
    if superuser:
        role = Role.ADMIN
    return [item for item in NAV_ITEMS if role in item.roles or (on_team and item.team)]
