"""The annual cycle's reads: the rule sets in force, the agencies concerned, and their
obligations computed from the evidence — for one agency, or for a whole subtree as a matrix
(agencies × obligations). Set-based: whatever the number of agencies, the rules take three
queries, the agencies one, and each kind of evidence one (``eiso.core.evidence``).

This app sits above the domain apps: it reads their evidence through the registry and the QMS
records to know which agencies are concerned; none of them reads this one."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from eiso.core.models import AuditEvent
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.core.text import vn_fold
from eiso.cycle import engine
from eiso.cycle.choices import MET_STATES, ObligationState, RuleSetStatus, Stage
from eiso.cycle.models import ObligationSnapshot, ObligationStatus, ReminderLog, Rule, RuleSet
from eiso.cycle.rules import OVERSIGHT
from eiso.organizations import selectors as org_selectors
from eiso.organizations.models import Agency, AgencyKind
from eiso.qms.choices import QmsStatus
from eiso.qms.models import QualitySystem

# --- the rules ---------------------------------------------------------------------------------


def _with_rules(qs: QuerySet[RuleSet]) -> QuerySet[RuleSet]:
    rules = Rule.objects.order_by("order", "code").prefetch_related(
        Prefetch("kinds", queryset=AgencyKind.objects.order_by("sort_order", "code"))
    )
    return qs.select_related("scope", "based_on").prefetch_related(Prefetch("rules", rules))


def sets_in_force(year: int) -> list[RuleSet]:
    """The adopted sets whose time in force touches ``year``, with their rules and the kinds
    of agency each applies to (three queries)."""
    qs = RuleSet.objects.filter(
        status=RuleSetStatus.ADOPTED, effective_from__lte=datetime.date(year, 12, 31)
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=datetime.date(year, 1, 1)))
    return list(_with_rules(qs).order_by("-effective_from", "-id"))


def choose_set(path: str, sets: list[RuleSet]) -> RuleSet | None:
    """The set an agency (by its tree path) follows: the one adopted closest above it (its
    province's before the deployment's), the latest in force among equals."""
    best = None
    for rule_set in sets:
        scope_path = rule_set.scope.path if rule_set.scope_id else ""
        if scope_path and not path.startswith(scope_path):
            continue
        key = (len(scope_path), rule_set.effective_from, rule_set.pk)
        if best is None or key > best[0]:
            best = (key, rule_set)
    return best[1] if best else None


def rules_for(rule_set: RuleSet | None, kind_id: int | None) -> list[Rule]:
    if rule_set is None:
        return []
    return [
        rule
        for rule in rule_set.rules.all()
        if not rule.kinds.all() or any(k.pk == kind_id for k in rule.kinds.all())
    ]


class _RulesByKind:
    """``rules_for`` once per (rule set, kind of agency): a subtree of thousands of agencies
    has a handful of each (the related managers are not free)."""

    def __init__(self):
        self.cache: dict[tuple[int, int | None], list[Rule]] = {}

    def __call__(self, rule_set: RuleSet | None, kind_id: int | None) -> list[Rule]:
        if rule_set is None:
            return []
        key = (rule_set.pk, kind_id)
        if key not in self.cache:
            self.cache[key] = rules_for(rule_set, kind_id)
        return self.cache[key]


def rule_set_list(*, status: str = "", scope=None) -> QuerySet[RuleSet]:
    """Every rule set (global data: the deployment's and each province's), newest first."""
    qs = RuleSet.objects.select_related("scope", "based_on", "adopted_by")
    if status:
        qs = qs.filter(status=status)
    if scope is not None:
        qs = qs.filter(scope=scope)
    return qs.order_by("-effective_from", "-id")


def rule_set_get(*, pk) -> RuleSet:
    try:
        return _with_rules(RuleSet.objects.all()).get(pk=int(pk))
    except (RuleSet.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def rule_get(*, pk) -> Rule:
    try:
        return (
            Rule.objects.select_related("rule_set", "rule_set__scope")
            .prefetch_related("kinds")
            .get(pk=int(pk))
        )
    except (Rule.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def rule_sets_api(*, year: int | None = None) -> QuerySet[RuleSet]:
    qs = _with_rules(RuleSet.objects.all())
    if year:
        qs = qs.filter(
            status=RuleSetStatus.ADOPTED, effective_from__lte=datetime.date(year, 12, 31)
        ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=datetime.date(year, 1, 1)))
    return qs.order_by("-effective_from", "-id")


# --- the agencies concerned ------------------------------------------------------------------------


def concerned(qs: QuerySet[Agency], on: datetime.date) -> QuerySet[Agency]:
    """The agencies of ``qs`` that existed on ``on`` and must apply a QMS or have started one
    (the ones the annual obligations bind)."""
    started = QualitySystem.objects.filter(agency=OuterRef("pk")).exclude(
        status=QmsStatus.NOT_STARTED
    )
    return qs.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=on),
        Q(active_to__isnull=True) | Q(active_to__gte=on),
    ).filter(Q(must_apply=True) | Exists(started))


# --- computing ---------------------------------------------------------------------------------


@dataclass
class AgencyYear:
    """One agency's obligations of a year, on a day."""

    agency: Agency
    year: int
    on: datetime.date
    rule_set: RuleSet | None
    obligations: list[engine.Obligation] = field(default_factory=list)

    def count(self, *states) -> int:
        return sum(1 for o in self.obligations if o.state in states)

    @property
    def overdue(self) -> int:
        return self.count(ObligationState.OVERDUE)

    @property
    def due_soon(self) -> int:
        return self.count(ObligationState.DUE_SOON)

    @property
    def met(self) -> int:
        return self.count(*MET_STATES)


def compute(
    agencies: list[Agency],
    *,
    year: int,
    on: datetime.date,
    sets: list[RuleSet] | None = None,
    among: QuerySet | None = None,
    counting: bool = False,
) -> dict[int, AgencyYear]:
    """Every agency's obligations of ``year`` on ``on``: the rules of the set each follows, the
    evidence of every kind read once for all of them. ``among``: for many agencies, a query of
    agencies that holds them all — best a cheap one, the subtree they were chosen in (the
    evidence of the others is read and left unused): the evidence is then read with it as a
    subquery instead of a list of thousands of ids. ``counting``: the obligations only as
    ``engine.Status`` (code, due date, state) — what a dashboard counts, a fraction of the time
    for thousands."""
    return compute_years(
        agencies,
        years=[year],
        on=on,
        sets={year: sets} if sets else None,
        among=among,
        counting=counting,
    )[year]


def compute_years(
    agencies: list[Agency],
    *,
    years: list[int],
    on: datetime.date,
    sets: dict | None = None,
    among: QuerySet | None = None,
    counting: bool = False,
) -> dict[int, dict[int, AgencyYear]]:
    """``{year: {agency id: AgencyYear}}`` for several years, each kind of evidence still read
    once (over the span every year asks)."""
    sets = sets or {year: sets_in_force(year) for year in years}
    chosen = {year: {a.pk: choose_set(a.path, sets[year]) for a in agencies} for year in years}
    wanted = []
    for year in years:
        for rule_set in {s for s in chosen[year].values() if s is not None}:
            for rule in rule_set.rules.all():
                wanted.extend(engine.needs(rule, year))
    ids = among.values("pk") if among is not None and agencies else [a.pk for a in agencies]
    found = engine.fetch(engine.merge_needs(wanted), ids) if wanted else {}
    result: dict[int, dict[int, AgencyYear]] = {}
    applicable = _RulesByKind()
    plans: dict = {}
    obligations_of = engine.statuses if counting else engine.obligations
    for year in years:
        result[year] = {}
        for agency in agencies:
            pk = agency.pk
            rule_set = chosen[year][pk]
            obligations = []
            for rule in applicable(rule_set, agency.kind_id):
                obligations.extend(obligations_of(rule, pk, year, on, found, plans))
            result[year][pk] = AgencyYear(agency, year, on, rule_set, obligations)
    return result


def agency_obligations(*, agency: Agency, year: int, on: datetime.date) -> AgencyYear:
    """One agency's obligations (the caller has resolved the agency in the person's scope)."""
    return compute([agency], year=year, on=on)[agency.pk]


def is_concerned(*, agency: Agency, on: datetime.date) -> bool:
    return concerned(Agency.objects.filter(pk=agency.pk), on).exists()


# --- the subtree as a matrix ----------------------------------------------------------------------


@dataclass
class Column:
    code: str
    title: str
    legal_basis: str
    rule: Rule


@dataclass
class Cell:
    state: str
    obligations: list[engine.Obligation]

    @property
    def met(self) -> int:
        return sum(1 for o in self.obligations if o.state in MET_STATES)

    @property
    def total(self) -> int:
        return len(self.obligations)


@dataclass
class MatrixRow:
    agency: Agency
    cells: dict[str, Cell]
    year: AgencyYear

    def cell(self, code: str) -> Cell | None:
        return self.cells.get(code)

    def cells_in(self, columns: list[Column]) -> list[Cell | None]:
        return [self.cells.get(c.code) for c in columns]


@dataclass
class Matrix:
    root: Agency | None
    year: int
    on: datetime.date
    columns: list[Column]
    rows: list[MatrixRow]

    def totals(self) -> list[dict]:
        """Per obligation: how many agencies are in each state (a cell of several instances
        counts in its worst state)."""
        result = []
        for column in self.columns:
            counts = Counter(
                row.cells[column.code].state for row in self.rows if column.code in row.cells
            )
            result.append(
                {
                    "code": column.code,
                    "title": column.title,
                    "agencies": sum(counts.values()),
                    **{state: counts.get(state, 0) for state in ObligationState.values},
                    "met": counts.get(ObligationState.MET_ON_TIME, 0)
                    + counts.get(ObligationState.MET_LATE, 0),
                }
            )
        return result


def columns(sets: list[RuleSet]) -> list[Column]:
    """The obligations of the sets in force, as the matrix's columns (by order, one per code)."""
    seen: dict[str, Column] = {}
    for rule_set in sets:
        for rule in rule_set.rules.all():
            if rule.code not in seen:
                seen[rule.code] = Column(rule.code, rule.title, rule.legal_basis, rule)
    return sorted(seen.values(), key=lambda c: (c.rule.order, c.code))


def subtree(*, user, root: Agency | None) -> QuerySet[Agency]:
    """Every agency the user oversees under ``root`` (bound by the obligations or not)."""
    qs = Agency.objects.visible_to(user, action=OVERSIGHT)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return qs


def subtree_agencies(*, user, root: Agency | None, on: datetime.date) -> QuerySet[Agency]:
    """The agencies the user oversees under ``root`` that the obligations bind on ``on``."""
    return concerned(subtree(user=user, root=root), on).select_related("kind").order_by("path")


def matrix(
    *,
    user,
    root: Agency | None,
    year: int,
    on: datetime.date,
    q: str = "",
    tier: str = "",
    kind: str = "",
    rule: str = "",
    state: str = "",
) -> Matrix:
    """The subtree's agencies × the year's obligations on ``on``, filtered (by agency, and by
    the state of one obligation or of any) — a fixed number of queries."""
    qs = subtree_agencies(user=user, root=root, on=on)
    if q:
        qs = qs.filter(search_text__contains=vn_fold(q))
    if tier:
        qs = qs.filter(tier=tier)
    if kind:
        qs = qs.filter(kind__code=kind)
    agencies = list(qs)
    sets = sets_in_force(year)
    computed = compute(agencies, year=year, on=on, sets=sets, among=subtree(user=user, root=root))
    shown = columns(sets)
    if rule:
        shown = [c for c in shown if c.code == rule]
    rows = []
    for agency in agencies:
        found = computed[agency.pk]
        cells: dict[str, Cell] = {}
        for obligation in found.obligations:
            cells.setdefault(obligation.code, Cell("", [])).obligations.append(obligation)
        for cell in cells.values():
            cell.state = engine.worst(o.state for o in cell.obligations)
        if state:
            states = [cells[c.code].state for c in shown if c.code in cells]
            if state not in states:
                continue
        rows.append(MatrixRow(agency, cells, found))
    return Matrix(root, year, on, shown, rows)


def overseen_root(*, user, pk=None, code: str = "") -> Agency | None:
    """The subtree an overseer's page or endpoint shows (``org_selectors.reached_root``)."""
    return org_selectors.reached_root(user=user, action=OVERSIGHT, pk=pk, code=code)


def root_choices(*, user) -> QuerySet[Agency]:
    return org_selectors.agency_choices(user=user, action=OVERSIGHT)


# --- the snapshot the inbox and the reminders read ---------------------------------------------------


def versions(agency_ids, on: datetime.date) -> dict[int, tuple[str, str]]:
    """``{agency id: (version now, version of its snapshot)}`` in one query. The version is the
    day, the agency's last audit event (every service writes one, so any new evidence changes
    it) and the last change to any rule set."""
    last_event = (
        AuditEvent.objects.filter(agency_id=OuterRef("pk"))
        .order_by()
        .values("agency_id")
        .annotate(m=Max("id"))
        .values("m")
    )
    last_rules = RuleSet.objects.order_by("-updated_at").values("updated_at")[:1]
    stored = ObligationSnapshot.objects.filter(agency_id=OuterRef("pk")).values("version")[:1]
    rows = (
        Agency.objects.filter(pk__in=list(agency_ids))
        .annotate(event=Subquery(last_event), rules=Subquery(last_rules), stored=Subquery(stored))
        .values_list("pk", "event", "rules", "stored")
    )
    return {pk: (version_of(on, event, rules), stored or "") for pk, event, rules, stored in rows}


def version_of(on: datetime.date, event, rules) -> str:
    stamp = rules.isoformat() if hasattr(rules, "isoformat") else str(rules or "")
    return f"{on.isoformat()}|{event or 0}|{stamp}"


def snapshot(agency_ids) -> QuerySet[ObligationStatus]:
    return ObligationStatus.objects.filter(agency_id__in=list(agency_ids)).select_related("agency")


def open_statuses(*, user, agency_ids, today: datetime.date, limit: int) -> list[ObligationStatus]:
    """The obligations of these agencies not met whose due date is near or past (from the
    snapshot), soonest first."""
    rows = (
        ObligationStatus.objects.visible_to(user)
        .filter(agency_id__in=list(agency_ids), met_on__isnull=True)
        .select_related("agency")
        .order_by("due", "title")
    )
    result = []
    for row in rows[: limit * 4]:
        state = engine.state_of(
            due=row.due, met_on=None, on=today, remind_before=row.remind_before_days
        )
        if state in (ObligationState.DUE_SOON, ObligationState.OVERDUE):
            row.state = state
            result.append(row)
        if len(result) >= limit:
            break
    return result


def escalations(*, user, today: datetime.date, limit: int) -> list[ReminderLog]:
    """Escalations sent to the overseers of the user's subtree whose obligation is still not
    met (one query)."""
    still_open = ObligationStatus.objects.filter(
        agency_id=OuterRef("agency_id"),
        year=OuterRef("year"),
        rule_code=OuterRef("rule_code"),
        instance=OuterRef("instance"),
        met_on__isnull=True,
    )
    return list(
        ReminderLog.objects.visible_to(user, action=OVERSIGHT)
        .filter(stage=Stage.ESCALATION, due__gte=today - datetime.timedelta(days=400))
        .filter(Exists(still_open))
        .select_related("agency", "rule")
        .order_by("due", "agency__path")[:limit]
    )


def reminder_list(
    *,
    user,
    root: Agency | None = None,
    agency: Agency | None = None,
    stage: str = "",
    year: int | None = None,
    q: str = "",
) -> QuerySet[ReminderLog]:
    """Reminders sent about the agencies the user may see (newest first), with their
    recipients."""
    qs = ReminderLog.objects.visible_to(user).select_related("agency", "rule")
    if root is not None:
        qs = qs.filter(agency__path__startswith=root.path)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if stage:
        qs = qs.filter(stage=stage)
    if year:
        qs = qs.filter(year=year)
    if q:
        qs = qs.filter(agency__search_text__contains=vn_fold(q))
    return qs.order_by("-sent_at", "-id")


def default_year(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year


def can_see(user, agency) -> bool:
    return user_scope(user, Action.VIEW).covers(agency)


# --- what other apps ask of the rules -----------------------------------------------------------


def set_for(*, agency: Agency, year: int) -> RuleSet | None:
    """The set of obligations ``agency`` follows in ``year`` (three queries)."""
    return choose_set(agency.path, sets_in_force(year))


def reporting_period(*, agency: Agency, year: int) -> tuple[datetime.date, datetime.date]:
    """The annual report's period for ``agency`` and ``year`` (from the set in force; 15/12 of
    the previous year to 14/12 when none is)."""
    rule_set = set_for(agency=agency, year=year)
    if rule_set is None:
        return RuleSet(report_from_month=12, report_from_day=15).reporting_period(year)
    return rule_set.reporting_period(year)


def due_of(*, agency: Agency, year: int, evidence_key: str) -> datetime.date | None:
    """When the obligation met by ``evidence_key`` is due for ``agency`` in ``year`` (the
    fixed date; None when no rule of the set in force names that evidence)."""
    rule_set = set_for(agency=agency, year=year)
    for rule in rules_for(rule_set, agency.kind_id):
        if rule.evidence_key == evidence_key and rule.due_month and rule.due_day:
            return engine.day_of(year, rule.due_month, rule.due_day)
    return None
