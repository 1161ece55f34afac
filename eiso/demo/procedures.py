"""The administrative procedures (TTHC) of the demo province (see data_procedures.py), built
only through eiso.procedures.services and the real spreadsheet import, after the document
control (documents.py), whose ISO procedures they link to the catalogue.

The history is replayed in date order with the clock (context.clock_at): the administrator
imports the province's catalogue (an XLSX made in memory, as the national database exports it)
in July 2025, the agencies enter the procedures they handle, the demo agencies link their ISO
procedures; in 2026 a decision of the Chairman shortens a time limit (a CSV import) and the ISO
procedures follow. A step table belongs to a revision of its procedure and changes only
through a new one: documents.py writes each on the draft that issues it (``planned_steps``).

Idempotent: the catalogue imports only the codes it lacks, an amendment only what still differs
from it, an agency is given only the procedures it has no row for (even a removed one), a link
is made only when the TTHC has none in the agency. A second run writes nothing."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from eiso.accounts.models import Membership, User
from eiso.core.imports import ImportReport, import_file
from eiso.core.roles import Role
from eiso.demo import data
from eiso.demo import data_documents as plan_data
from eiso.demo import data_procedures as tthc
from eiso.demo.builders import commune_specs
from eiso.demo.context import DemoContext, DemoDataError, StepReport, clock_at
from eiso.demo.data_procedures import HandlerSpec, LinkSpec, ProcedureRow
from eiso.documents.models import Document
from eiso.organizations.choices import Tier
from eiso.organizations.models import Agency
from eiso.procedures import selectors, services
from eiso.procedures.models import (
    AdministrativeProcedure,
    HandledProcedure,
    IsoProcedure,
)


class ProcedurePlanError(DemoDataError):
    """The procedure data does not fit the demo province (an unknown code, a missing ISO
    procedure, a refused import)."""


# The hour of the day each kind of step happens at: imports, lists of handled procedures, links
# with their first step tables, later versions of step tables.
EVENT_HOURS = {0: 9, 1: 14, 2: 10, 3: 15}

# --- the files --------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def catalogue_xlsx(rows: list[ProcedureRow] | tuple[ProcedureRow, ...]) -> bytes:
    """The rows as the national database's XLSX export: one header row, every cell text (a code
    such as ``2.000815`` must never become a number)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục TTHC"
    sheet.append(tthc.HEADINGS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row.cells)
    for letter, width in zip("ABCDEFGH", (26, 70, 30, 12, 30, 40, 60, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def catalogue_csv(rows: list[ProcedureRow] | tuple[ProcedureRow, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(tthc.HEADINGS)
    writer.writerows(row.cells for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


# --- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureCounts:
    """What the province's TTHC data holds."""

    catalogue: int = 0
    abolished: int = 0
    handled: int = 0
    agencies: int = 0  # active agencies that handle at least one procedure
    covered: int = 0
    links: int = 0
    step_tables: int = 0
    mismatches: int = 0  # step tables whose total differs from the statutory time limit

    @property
    def gaps(self) -> int:
        return self.handled - self.covered


def procedure_counts(user: User) -> ProcedureCounts:
    """The catalogue, the handled procedures and their coverage (as the overseer's roll-up
    computes it), the links and the step tables that differ from the statutory limit."""
    rollup = [a for a in selectors.coverage_rollup(user=user) if a.handled]
    linked = Document.objects.filter(pk__in=IsoProcedure.objects.values("document_id"))
    tables = [selectors.step_table(document=d, user=user) for d in linked]
    return ProcedureCounts(
        catalogue=AdministrativeProcedure.objects.count(),
        abolished=AdministrativeProcedure.objects.filter(is_active=False).count(),
        handled=sum(a.handled for a in rollup),
        agencies=len(rollup),
        covered=sum(a.covered for a in rollup),
        links=IsoProcedure.objects.count(),
        step_tables=sum(bool(table.steps) for table in tables),
        mismatches=sum(table.mismatch for table in tables),
    )


@dataclass
class ProcedureAdded:
    """What one run wrote."""

    catalogue: int = 0  # procedures added to the catalogue
    amended: int = 0  # procedures changed by a later decision
    handled: int = 0
    links: int = 0

    @property
    def nothing(self) -> bool:
        return not (self.catalogue or self.amended or self.handled or self.links)


# --- building ---------------------------------------------------------------------------------


def other_commune_codes() -> list[str]:
    """The wards and communes without demo users that handle the commune-level list: one in
    four, in the order of the province's data (some wards, some communes)."""
    demo = {data.WARD_THANH_MY, data.COMMUNE_AN_PHU}
    others = [spec.code for spec, _address in commune_specs() if spec.code not in demo]
    return others[::4][: tthc.OTHER_COMMUNES]


def step_rows(agency: str, key: str) -> list[dict]:
    roles = tthc.ROLES[agency]
    return [
        {
            "name": step.name,
            "responsible": step.responsible.format(**roles),
            "time_days": Decimal(step.time.replace(",", ".")) if step.time else None,
            "forms_results": step.forms_results,
        }
        for step in tthc.STEP_TABLES[key]
    ]


def step_signature(rows) -> list[tuple]:
    return [(r["name"], r["responsible"], r["time_days"], r["forms_results"]) for r in rows]


LINKS_BY_DOCUMENT = {(link.agency, link.document): link for link in tthc.LINKS}


def planned_steps(agency: str, document: str, day: datetime.date) -> list[dict] | None:
    """The step table the plan gives the ISO procedure ``document`` of ``agency`` for a revision
    issued on ``day``: the last version of its link dated on or before that day (a version
    without a date is the first one). None: not a linked procedure of the plan. The documents
    step writes it on the draft (a table changes only through a new revision)."""
    link = LINKS_BY_DOCUMENT.get((agency, document))
    if link is None:
        return None
    dated = [key for version_day, key in link.steps if version_day is None or version_day <= day]
    return step_rows(agency, dated[-1] if dated else link.steps[0][1])


class ProcedureBuilder:
    def __init__(self, actor: User, today: datetime.date | None = None) -> None:
        self.actor = actor
        self.today = today or timezone.localdate()
        self.added = ProcedureAdded()
        # A demo agency's secretary, while she holds the role there (otherwise the agency's
        # part of the plan is left out, as documents.py leaves out its documents).
        teams = {f"thuky.{plan.team}": plan.agency for plan in plan_data.PLANS}
        self.secretary_of: dict[str, User] = {
            membership.agency.code: membership.user
            for membership in Membership.objects.filter(
                user__username__in=list(teams),
                role=Role.ISO_SECRETARY,
                is_active=True,
            ).select_related("user", "agency")
            if teams[membership.user.username] == membership.agency.code
        }
        self.agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
        self._catalogue: dict[str, AdministrativeProcedure] | None = None

    @property
    def catalogue(self) -> dict[str, AdministrativeProcedure]:
        if self._catalogue is None:
            self._catalogue = {p.code: p for p in AdministrativeProcedure.objects.all()}
        return self._catalogue

    def procedure(self, code: str) -> AdministrativeProcedure:
        try:
            return self.catalogue[code]
        except KeyError:
            raise ProcedurePlanError(f"{code} is not in the catalogue") from None

    # the story, in date order

    def build(self) -> ProcedureAdded:
        """Every step at its day; the steps of one day and order run in one clock block, so
        their events follow each other by the second."""
        events: dict[tuple[datetime.date, int], list[Callable[[], None]]] = defaultdict(list)

        def at(day: datetime.date, order: int, action: Callable[[], None]) -> None:
            if day <= self.today:
                events[(day, order)].append(action)

        at(tthc.CATALOGUE_IMPORTED_ON, 0, self.import_catalogue)
        for amendment in tthc.AMENDMENTS:
            at(amendment.imported_on, 0, lambda a=amendment: self.amend(a))
        for spec in tthc.DEMO_HANDLERS:
            at(spec.on, 1, lambda s=spec: self.handle(s, self.secretary_of.get(s.agency)))
        for spec in self.other_handlers():
            at(spec.on, 1, lambda s=spec: self.handle(s, self.actor))
        for link in tthc.LINKS:
            at(link.on, 2, lambda link=link: self.link(link))
        for day, order in sorted(events):
            with clock_at(day, hour=EVENT_HOURS[order]):
                for action in events[(day, order)]:
                    action()
        return self.added

    def other_handlers(self) -> list[HandlerSpec]:
        communes = [HandlerSpec(code, Tier.COMMUNE) for code in other_commune_codes()]
        return [*tthc.OTHER_HANDLERS, *communes]

    # the catalogue

    def run_import(self, filename: str, content: bytes) -> ImportReport:
        report = import_file(
            actor=self.actor, agency=None, kind="procedures", filename=filename, content=content
        )
        if not report.ok:
            problems = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors)
            raise ProcedurePlanError(f"{filename} was refused: {problems}")
        self._catalogue = None
        return report

    def import_catalogue(self) -> None:
        """The province's list, imported as the administrator; a later run imports only the
        rows whose code is missing."""
        known = set(
            AdministrativeProcedure.objects.filter(
                code__in=[row.code for row in tthc.CATALOGUE]
            ).values_list("code", flat=True)
        )
        missing = [row for row in tthc.CATALOGUE if row.code not in known]
        if not missing:
            return
        self.run_import(tthc.CATALOGUE_FILENAME, catalogue_xlsx(missing))
        self.added.catalogue += len(missing)

    def amend(self, amendment: tthc.Amendment) -> None:
        changed = [
            row
            for row in amendment.rows
            if row.code in self.catalogue
            and self.catalogue[row.code].published_by != row.published_by
        ]
        if not changed:
            return
        self.run_import(amendment.filename, catalogue_csv(changed))
        self.added.amended += len(changed)

    # the procedures each agency handles

    def handle(self, spec: HandlerSpec, actor: User | None) -> None:
        agency = self.agencies.get(spec.agency)
        if agency is None or actor is None:
            return  # an agency closed since, or a demo agency without its secretary
        have = set(
            HandledProcedure.objects.filter(agency=agency).values_list("procedure_id", flat=True)
        )
        missing = [
            procedure
            for procedure in self.catalogue.values()
            if procedure.is_active
            and procedure.level == spec.level
            and (not spec.fields or procedure.field in spec.fields)
            and procedure.pk not in have
        ]
        if not missing:
            return
        missing.sort(key=lambda procedure: procedure.code)
        self.added.handled += services.handled_assign(
            actor=actor, agency=agency, procedures=missing, since=tthc.HANDLED_SINCE
        )

    # the ISO procedures of the demo agencies

    def document(self, link: LinkSpec) -> tuple[Document, User] | None:
        agency = self.agencies.get(link.agency)
        secretary = self.secretary_of.get(link.agency)
        if agency is None or secretary is None:
            return None
        document = Document.objects.filter(agency=agency, code=link.document).first()
        if document is None:
            raise ProcedurePlanError(f"{link.agency}: {link.document} is not built")
        return document, secretary

    def link(self, link: LinkSpec) -> None:
        found = self.document(link)
        if found is None:
            return
        document, secretary = found
        procedure = self.procedure(link.procedure)
        if IsoProcedure.objects.filter(agency=document.agency, procedure=procedure).exists():
            return
        if not HandledProcedure.objects.filter(
            agency=document.agency, procedure=procedure, is_active=True
        ).exists():
            return  # taken off the agency's list in the app: not linked again
        services.iso_procedure_link(actor=secretary, document=document, procedure=procedure)
        self.added.links += 1


def build_procedures(actor: User, today: datetime.date | None = None) -> ProcedureAdded:
    """Build (or complete) the demo province's TTHC data as ``actor`` (the administrator, who
    keeps the catalogue) and the demo agencies' secretaries; what this run wrote."""
    return ProcedureBuilder(actor, today).build()


def build(ctx: DemoContext) -> StepReport:
    """Step "procedures", as the administrator who keeps the catalogue."""
    added = build_procedures(ctx.admin, ctx.today)
    return StepReport(
        added=format_added(added), totals=format_procedures(procedure_counts(ctx.admin))
    )


def format_added(added: ProcedureAdded) -> str:
    if added.nothing:
        return ""
    return _(
        "Administrative procedures: added %(catalogue)d to the catalogue and amended "
        "%(amended)d; %(handled)d handled procedures and %(links)d links from ISO procedures."
    ) % {
        "catalogue": added.catalogue,
        "amended": added.amended,
        "handled": added.handled,
        "links": added.links,
    }


def format_procedures(totals: ProcedureCounts) -> str:
    """What the province's administrative procedures now hold."""
    return _(
        "Administrative procedures: %(catalogue)d in the catalogue (%(abolished)d abolished); "
        "%(handled)d handled by %(agencies)d agencies, %(covered)d covered by an issued ISO "
        "procedure, %(gaps)d gaps; %(steps)d step tables, %(mismatches)d of them differing from "
        "the statutory time limit."
    ) % {
        "catalogue": totals.catalogue,
        "abolished": totals.abolished,
        "handled": totals.handled,
        "agencies": totals.agencies,
        "covered": totals.covered,
        "gaps": totals.gaps,
        "steps": totals.step_tables,
        "mismatches": totals.mismatches,
    }
