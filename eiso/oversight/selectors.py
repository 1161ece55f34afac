"""The overseer's reads: the registry of a subtree, the summary by tier (and by kind) for a
date, the reminders sent and who can receive them. Aggregated in SQL, so each stays a fixed
number of queries whatever the number of agencies.

This app sits above the domain apps: it reads their models and selectors (QMS records and
announcements, handled procedures and their coverage); none of them reads this one."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from eiso.accounts.models import Membership
from eiso.core.roles import Role
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.oversight.rules import OVERSIGHT
from eiso.procedures.models import HandledProcedure
from eiso.procedures.selectors import coverage_counts, covered_percent, covered_percent_sql
from eiso.qms.choices import AnnouncementKind, QmsStatus, ReminderKind
from eiso.qms.models import Announcement, QualitySystem, Reminder
from eiso.qms.selectors import SIGNED

# Who receives a reminder in an agency.
RECIPIENT_ROLES = (Role.ISO_SECRETARY, Role.HEAD)


# --- the subtree -------------------------------------------------------------------------------


def overseen_root(*, user, pk=None, code: str = "") -> Agency | None:
    """The subtree an overseer's page or endpoint shows (``org_selectors.reached_root``)."""
    return org_selectors.reached_root(user=user, action=OVERSIGHT, pk=pk, code=code)


def root_choices(*, user) -> QuerySet[Agency]:
    """The agencies whose subtree the user may show (the "Under" filter)."""
    return org_selectors.agency_choices(user=user, action=OVERSIGHT)


# --- the registry ------------------------------------------------------------------------------


def registry(*, user, root: Agency | None = None, on: datetime.date | None = None):
    """Every active agency under ``root`` (on ``on``: those that existed that day, as the
    summary counts them) with its QMS status and version, its latest announcement (number,
    date, kind, receipt; on ``on``: signed by then) and whether its scope changed since — one
    query, whatever the number of agencies."""
    latest = Announcement.objects.filter(agency=OuterRef("pk"), status__in=SIGNED)
    if on is None:
        qs = Agency.objects.visible_to(user).filter(is_active=True)
        if root is not None:
            qs = qs.filter(path__startswith=root.path)
    else:
        latest = latest.filter(date__lte=on)
        qs = _active_on(user, root, on)
    latest = latest.order_by("-date", "-id")
    qms = QualitySystem.objects.filter(agency=OuterRef("pk"))
    return (
        qs.select_related("kind")
        .alias(last_id=Subquery(latest.values("id")[:1]))  # for annex_rows, computed only there
        .annotate(
            qms_status=Subquery(qms.values("status")[:1]),
            qms_version=Subquery(qms.values("standard_version")[:1]),
            qms_flag=Subquery(qms.values("reannouncement_reason")[:1]),
            last_number=Subquery(latest.values("number")[:1]),
            last_date=Subquery(latest.values("date")[:1]),
            last_kind=Subquery(latest.values("kind")[:1]),
            last_received=Subquery(latest.values("received_on")[:1]),
            scope_changed=Exists(
                HandledProcedure.objects.filter(
                    agency=OuterRef("pk"), updated_at__date__gt=OuterRef("last_date")
                )
            ),
        )
        .order_by("path")
    )


# The annex's columns as plain values (``annex_rows``), named as on the annotated agencies: the
# agency's own, then those read from its QMS record and its latest announcement (the annex's
# name: the record's field).
ANNEX_AGENCY_VALUES = ("id", "code", "name", "tier", "must_apply")
ANNEX_QMS_VALUES = {"qms_status": "status", "qms_version": "standard_version"}
ANNEX_ANNOUNCEMENT_VALUES = {
    "last_number": "number",
    "last_date": "date",
    "last_kind": "kind",
    "last_received": "received_on",
}
ANNEX_VALUES = (*ANNEX_AGENCY_VALUES, *ANNEX_QMS_VALUES, *ANNEX_ANNOUNCEMENT_VALUES)


def annex_rows(annex, *, user) -> list[dict]:
    """The annex (``registry``'s queryset) as plain rows with ``ANNEX_VALUES`` and the agency
    kind's code as ``kind_code``: for the summary's API and files, thousands of agencies,
    without a model instance per row. Three queries: the agencies with the id of their latest
    announcement, then those announcements and the agencies' QMS records by id, each read
    through ``visible_to(user)`` and kept to the annex's agencies. The annex's one query ran
    six subqueries per agency (the QMS status and version, the announcement's number, date,
    kind and receipt): 19 ms for a province's 250 agencies, whose few hundred QMS records and
    announcements PostgreSQL reads whole for each (bench/README.md)."""
    rows = list(
        annex.values(*ANNEX_AGENCY_VALUES, kind_code=F("kind__code")).annotate(latest=F("last_id"))
    )
    agencies = annex.values("id")
    qms = {
        q["agency_id"]: q
        for q in QualitySystem.objects.visible_to(user)
        .filter(agency__in=agencies)
        .order_by()
        .values("agency_id", *ANNEX_QMS_VALUES.values())
    }
    latest = [r["latest"] for r in rows if r["latest"]]
    announced = {
        a["id"]: a
        for a in Announcement.objects.visible_to(user)
        .filter(pk__in=latest, agency__in=agencies)
        .order_by()
        .values("id", *ANNEX_ANNOUNCEMENT_VALUES.values())
    }
    nothing: dict = {}
    for row in rows:
        system = qms.get(row["id"], nothing)
        last = announced.get(row.pop("latest"), nothing)
        row.update({name: system.get(field) for name, field in ANNEX_QMS_VALUES.items()})
        row.update({name: last.get(field) for name, field in ANNEX_ANNOUNCEMENT_VALUES.items()})
    return rows


REGISTRY_ORDERINGS = {
    "path": "path",
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "kind": "kind__sort_order",
    "-kind": "-kind__sort_order",
    "tier": "tier",
    "-tier": "-tier",
    "status": "qms_status",
    "-status": "-qms_status",
    "date": "last_date",
    "-date": "-last_date",
    "coverage": "coverage",
    "-coverage": "-coverage",
    "reminded": "reminded_at",
    "-reminded": "-reminded_at",
}
_NULLS_LAST = ("coverage", "last_date", "reminded_at", "qms_status")

# A re-announcement is due: announced, and flagged on the QMS record or procedures changed since.
# In SQL to filter and sort by it (and to pick whom to remind); a row's own ``due`` is worked out
# from its columns by ``_RegistryRows`` — the same rule, held together by a test.
_DUE = Q(last_kind__isnull=False) & (
    (Q(qms_flag__isnull=False) & ~Q(qms_flag="")) | Q(scope_changed=True)
)


def _derived(name: str):
    """A registry row's ``coverage`` or ``due`` in SQL (``_RegistryRows`` works them out in
    Python)."""
    if name == "coverage":
        return covered_percent_sql()
    return Case(When(_DUE, then=Value(True)), default=Value(False), output_field=BooleanField())


class _RegistryRows(ModelIterable):
    """The registry's agencies, each with ``coverage`` (the % of its handled procedures an
    issued ISO procedure covers; None when it handles none) and ``due`` (a re-announcement is
    due) worked out from the row's own columns. In SQL each would repeat the subqueries it
    reads — ``handled`` twice and ``covered`` once more, the latest announcement's kind, the
    QMS record's flag, the change of scope and, inside it, the announcement's date — for
    every row: the page's query took 6.7 ms to compile and 8.6 ms to run for a province's
    first 50 agencies, 3.3 and 4.5 without them (bench/README.md)."""

    def __iter__(self):
        for agency in super().__iter__():
            agency.coverage = covered_percent(agency.handled, agency.covered)
            agency.due = agency.last_kind is not None and (
                bool(agency.qms_flag) or agency.scope_changed
            )
            yield agency


def registry_table(
    *,
    user,
    root: Agency | None = None,
    q: str = "",
    kind: str = "",
    tier: str = "",
    status: str = "",
    must_apply: str = "",
    announced: str = "",
    due: str = "",
    ordering: str = "path",
):
    """The registry with each agency's coverage (handled procedures, those with an issued ISO
    procedure, %), whether a re-announcement is due, and the latest reminder sent to it —
    filtered and sortable, still one query whatever the number of agencies."""
    reminders = Reminder.objects.filter(agency=OuterRef("pk")).order_by("-sent_at", "-id")
    qs = registry(user=user, root=root).annotate(
        # the agency is one the user may see (``registry``): its procedures are counted
        **coverage_counts(),
        reminded_at=Subquery(reminders.values("sent_at")[:1]),
        reminded_kind=Subquery(reminders.values("kind")[:1]),
        reminded_by=Subquery(reminders.values("sent_by__full_name")[:1]),
    )
    order = REGISTRY_ORDERINGS.get(ordering, "path")
    name = order.lstrip("-")
    # coverage and due in SQL only where they sort or filter (``_RegistryRows`` shows them)
    derived = {"coverage"} if name == "coverage" else set()
    if due in ("yes", "no"):
        derived.add("due")
    qs = qs.alias(**{key: _derived(key) for key in derived})
    qs._iterable_class = _RegistryRows
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if kind:
        qs = qs.filter(kind__code=kind)
    if tier:
        qs = qs.filter(tier=tier)
    if status == QmsStatus.NOT_STARTED:
        qs = qs.filter(Q(qms_status__isnull=True) | Q(qms_status=status))
    elif status:
        qs = qs.filter(qms_status=status)
    if must_apply in ("yes", "no"):
        qs = qs.filter(must_apply=must_apply == "yes")
    if announced in ("yes", "no"):
        qs = qs.filter(last_kind__isnull=announced == "no")
    if due in ("yes", "no"):
        qs = qs.filter(due=due == "yes")
    if name in _NULLS_LAST:
        expression = F(name).desc if order.startswith("-") else F(name).asc
        return qs.order_by(expression(nulls_last=True), "path")
    return qs.order_by(order, "path")


# --- the summary by tier -----------------------------------------------------------------------

SUMMARY_COLUMNS = (
    "agencies",
    "must_apply",
    "built",
    "applied",
    "announced",
    "re_announced",
    "announced_this_year",
    "not_announced",
)
# The columns counted again among the agencies that must apply (the percentages' numerators).
REQUIRED_COLUMNS = SUMMARY_COLUMNS[1:]


def _active_on(user, root: Agency | None, on: datetime.date) -> QuerySet[Agency]:
    """The agencies under ``root`` that existed on ``on`` (a merged agency counts until its
    last day), whether active today or not."""
    qs = Agency.objects.visible_to(user).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    )
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs


def _of_subtree(qs: QuerySet, user, root: Agency | None) -> QuerySet:
    """The rows of ``qs`` (QMS records, announcements) the summary may count: through
    ``visible_to(user)``, under ``root`` — a province's summary reads its own announcements,
    not the country's (the counts by kind hash them once per query: PostgreSQL 14 ms → the
    province's share at the country size)."""
    qs = qs.visible_to(user)
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    return qs


def _announced(user, root: Agency | None, on: datetime.date) -> QuerySet:
    """The agencies (ids) of the subtree with an announcement signed by ``on``."""
    signed = Announcement.objects.filter(status__in=SIGNED, date__lte=on)
    return _of_subtree(signed, user, root).values("agency_id")


_BUILT = frozenset({QmsStatus.BUILDING, QmsStatus.APPLIED, QmsStatus.ANNOUNCED})
_APPLIED = frozenset({QmsStatus.APPLIED, QmsStatus.ANNOUNCED})


def _groups(user, root: Agency | None, on: datetime.date) -> list[dict]:
    """The agencies of the subtree on ``on`` grouped by what the summary counts them by — tier,
    must apply, the QMS record's status, announced (signed by ``on``), re-announced, announced
    in ``on``'s year — with how many agencies each group has (``n``): a few dozen rows, one
    query. Each agency's facts are read once: counted in SQL column by column, every count
    repeated its ``IN (announcements …)`` subquery (15 of them; a province's counts 20 ms, the
    country's 67, against 8 and 31 grouped — bench/README.md)."""
    signed = _of_subtree(
        Announcement.objects.filter(status__in=SIGNED, date__lte=on, agency=OuterRef("pk")),
        user,
        root,
    )
    record = _of_subtree(QualitySystem.objects.filter(agency=OuterRef("pk")), user, root)
    return list(
        _active_on(user, root, on)
        .annotate(
            announced=Exists(signed),
            re_announced=Exists(signed.filter(kind=AnnouncementKind.RE)),
            announced_this_year=Exists(signed.filter(date__year=on.year)),
            qms_status=Subquery(record.values("status")[:1]),
        )
        .values(
            "tier",
            "must_apply",
            "qms_status",
            "announced",
            "re_announced",
            "announced_this_year",
        )
        .annotate(n=Count("*"))
        .order_by()
    )


def _counted_in(group: dict) -> dict[str, bool]:
    """Which of the summary's columns count the agencies of a group (``_groups``). Every column
    counts the same population (the agencies of the tier); "not announced" is the complement of
    "announced"; having announced counts as having built and applied the QMS."""
    announced = group["announced"]
    return {
        "agencies": True,
        "must_apply": group["must_apply"],
        "built": announced or group["qms_status"] in _BUILT,
        "applied": announced or group["qms_status"] in _APPLIED,
        "announced": announced,
        "re_announced": group["re_announced"],
        "announced_this_year": group["announced_this_year"],
        "not_announced": not announced,
    }


def summary_and_required(
    *, user, root: Agency | None = None, on: datetime.date
) -> tuple[list[dict], dict[str, dict]]:
    """The summary by tier for a date — agencies, how many must apply, have built, applied,
    announced (first and re-), announced in the year, not yet announced — then the total
    (``tier`` ""); and the same numbers among the agencies that must apply only, by tier
    (``""``: the total): the numerators of the summary's percentages, so that voluntary agencies
    (communes encouraged to apply) never push a share past 100%. One SQL query (``_groups``),
    added up here."""
    counts: dict[str, dict] = defaultdict(lambda: dict.fromkeys(SUMMARY_COLUMNS, 0))
    required: dict[str, dict] = defaultdict(lambda: dict.fromkeys(REQUIRED_COLUMNS, 0))
    for group in _groups(user, root, on):
        tier, n = group["tier"], group["n"]
        for column, counted in _counted_in(group).items():
            if counted:
                counts[tier][column] += n
                if group["must_apply"] and column in REQUIRED_COLUMNS:
                    required[tier][column] += n
    rows = [
        {"tier": value, "label": label, **counts[value]}
        for value, label in Tier.choices
        if value in counts
    ]
    if rows:
        rows.append(
            {
                "tier": "",
                "label": _("Total"),
                **{c: sum(r[c] for r in rows) for c in SUMMARY_COLUMNS},
            }
        )
    # a tier is in ``required`` only if some of its agencies must apply
    required = dict(required)
    required[""] = {c: sum(r[c] for r in required.values()) for c in REQUIRED_COLUMNS}
    return rows, required


def summary(*, user, root: Agency | None = None, on: datetime.date) -> list[dict]:
    """The summary's rows by tier, then the total (``summary_and_required``)."""
    return summary_and_required(user=user, root=root, on=on)[0]


def summary_by_kind(*, user, root: Agency | None = None, on: datetime.date) -> list[dict]:
    """The summary's numbers by kind of agency (for "156/156 UBND cấp xã đã công bố"), kinds
    in their usual order — one SQL query grouped by kind."""
    announced = _announced(user, root, on)
    rows = (
        _active_on(user, root, on)
        .values("kind__code", "kind__name", "kind__sort_order")
        .annotate(
            n_agencies=Count("pk"),
            n_must_apply=Count("pk", filter=Q(must_apply=True)),
            n_announced_required=Count("pk", filter=Q(must_apply=True) & Q(pk__in=announced)),
            n_announced=Count("pk", filter=Q(pk__in=announced)),
        )
        .order_by("kind__sort_order", "kind__name")
    )
    return [
        {
            "kind": row["kind__code"],
            "label": row["kind__name"],
            "agencies": row["n_agencies"],
            "must_apply": row["n_must_apply"],
            "announced": row["n_announced"],
            "announced_required": row["n_announced_required"],
        }
        for row in rows
    ]


# --- reminders ---------------------------------------------------------------------------------


def reminder_targets(*, actor, root: Agency, kind: str) -> QuerySet[Agency]:
    """The active agencies under ``root`` the actor oversees that must apply and have not
    announced (``not_announced``) or whose re-announcement is due (``reannouncement_due``:
    flagged on the QMS record, or procedures changed since the last announcement). An unknown
    kind gives no agency."""
    qs = (
        registry(user=actor, root=root)
        .filter(user_scope(actor, OVERSIGHT).q(""))
        .filter(must_apply=True)
    )
    if kind == ReminderKind.NOT_ANNOUNCED:
        return qs.filter(last_kind__isnull=True)
    if kind == ReminderKind.REANNOUNCEMENT_DUE:
        return qs.filter(_DUE)
    return qs.none()


def reminder_recipients(*, agency_ids) -> dict[int, list]:
    """The people a reminder reaches, by agency: its ISO secretaries and heads with an active
    role and an active account (one query)."""
    people: dict[int, list] = defaultdict(list)
    memberships = Membership.objects.filter(
        agency__in=list(agency_ids),
        role__in=RECIPIENT_ROLES,
        is_active=True,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships.order_by("agency_id", "role", "user_id"):
        if membership.user not in people[membership.agency_id]:
            people[membership.agency_id].append(membership.user)
    return people


def unreachable_targets(*, actor, root: Agency, kind: str) -> QuerySet[Agency]:
    """Of the agencies a reminder would go to, those where nobody could receive it: no active
    ISO secretary or head with an active account."""
    receivers = Membership.objects.filter(
        agency=OuterRef("pk"), role__in=RECIPIENT_ROLES, is_active=True, user__is_active=True
    )
    return reminder_targets(actor=actor, root=root, kind=kind).filter(~Exists(receivers))


def reminder_reach(*, actor, root: Agency, shown: int) -> list[dict]:
    """Per kind of reminder, how many agencies of the subtree it reaches and which it cannot
    (the first ``shown`` by path, and how many more): three queries per kind, whatever the
    number of agencies."""
    found = []
    for kind, label in ReminderKind.choices:
        targets = reminder_targets(actor=actor, root=root, kind=kind)
        missing_qs = unreachable_targets(actor=actor, root=root, kind=kind)
        unreachable = list(missing_qs.order_by("path")[:shown])
        missing = missing_qs.count()
        found.append(
            {
                "kind": kind,
                "label": str(label),
                "reachable": targets.count() - missing,
                "unreachable": unreachable,
                "unreachable_count": missing,
                "more": missing - len(unreachable),
            }
        )
    return found


def reminder_list(
    *, user, root: Agency | None = None, kind: str = "", q: str = ""
) -> QuerySet[Reminder]:
    """Reminders sent to agencies the user oversees (newest first)."""
    qs = Reminder.objects.visible_to(user, action=OVERSIGHT).select_related(
        "agency", "agency__kind", "sent_by"
    )
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(agency__search_text__contains=vn_fold(q))
    return qs.order_by("-sent_at", "-id")
