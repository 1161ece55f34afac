"""Import of a draft inspection plan's agencies from a spreadsheet (agency code, mode, date,
place): every bad row is shown in the preview, all rows or none. The plan is the draft plan of
the agency the import is made for (the page passes the plan's agency); a ``year`` column
chooses among several drafts."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import Column, Importer, Row, choice, date, fetch_in, register, text
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.inspections import rules, services
from eiso.inspections.choices import Mode, PlanStatus
from eiso.inspections.models import InspectionPlan
from eiso.organizations.models import Agency

MODE_WORDS = {
    "tại chỗ": Mode.ON_SITE,
    "kiểm tra tại chỗ": Mode.ON_SITE,
    "trực tiếp": Mode.ON_SITE,
    "on site": Mode.ON_SITE,
    "on_site": Mode.ON_SITE,
    "qua hồ sơ": Mode.RECORDS,
    "qua hồ sơ, báo cáo": Mode.RECORDS,
    "qua hồ sơ báo cáo": Mode.RECORDS,
    "hồ sơ": Mode.RECORDS,
    "báo cáo": Mode.RECORDS,
    "records": Mode.RECORDS,
    "through records and reports": Mode.RECORDS,
}


def _year(value: str) -> int:
    from eiso.core.imports import CellError

    try:
        year = int(str(value).strip())
    except ValueError:
        raise CellError(_("%(value)s is not a year.") % {"value": value}) from None
    if not 2000 <= year <= 2100:
        raise CellError(_("%(value)s is not a year.") % {"value": value})
    return year


@register
class PlanAgencyImporter(Importer):
    kind = "inspection_agencies"
    title = gettext_lazy("Import the agencies of an inspection plan")
    url_name = "inspections:plan_list"
    sample_filename = "mau-danh-sach-kiem-tra.xlsx"
    columns = [
        Column(
            "agency_code",
            gettext_lazy("Agency code"),
            aliases=("ma co quan", "ma don vi", "code"),
            parser=text(40),
            required=True,
            unique=True,
        ),
        Column(
            "mode",
            gettext_lazy("Mode"),
            aliases=("hinh thuc", "hinh thuc kiem tra"),
            parser=choice(MODE_WORDS, accepted="tại chỗ, qua hồ sơ", what=gettext_lazy("mode")),
            required=True,
            help=gettext_lazy("“tại chỗ” (on site) or “qua hồ sơ” (through records and reports)."),
        ),
        Column(
            "date",
            gettext_lazy("Date"),
            aliases=("ngay", "ngay kiem tra", "thoi gian"),
            parser=date,
            help=gettext_lazy("dd/mm/yyyy, within the plan's period; may be left empty."),
        ),
        Column(
            "place",
            gettext_lazy("Place"),
            aliases=("dia diem",),
            parser=text(300),
        ),
        Column(
            "year",
            gettext_lazy("Plan year"),
            aliases=("nam", "nam ke hoach"),
            parser=_year,
            help=gettext_lazy("Only when several draft plans exist."),
        ),
    ]
    sample_rows = [
        {"agency_code": "STP", "mode": "tại chỗ", "date": "", "place": "Trụ sở Sở Tư pháp"},
        {"agency_code": "SYT", "mode": "qua hồ sơ", "date": "", "place": ""},
    ]

    def check_permission(self, *, actor, agency) -> None:
        allowed = (
            not user_scope(actor, Action.INSPECT).empty
            if agency is None
            else rules.can_manage(actor, agency)
        )
        if not allowed:
            raise NotPermitted(
                _("Only the overseers of the Department of Science and Technology keep the plan.")
            )

    def prepare(self, rows: list[Row], *, actor, agency):
        drafts = InspectionPlan.objects.visible_to(actor, action=Action.INSPECT).filter(
            status=PlanStatus.DRAFT
        )
        if agency is not None:
            drafts = drafts.filter(agency=agency)
        years = {row["year"] for row in rows if row["year"] is not None}
        if years:
            drafts = drafts.filter(year__in=years)
        plans = list(drafts.select_related("agency"))
        plan = plans[0] if len(plans) == 1 else None
        agencies = {}
        taken = set()
        if plan is not None:
            inside = Agency.objects.visible_to(actor, action=Action.INSPECT).filter(
                path__startswith=plan.agency.path, is_active=True
            )
            codes = (row["agency_code"] for row in rows)
            agencies = {a.code.casefold(): a for a in fetch_in(inside, "code", codes)}
            taken = set(plan.inspections.values_list("agency_id", flat=True))
        return {"plan": plan, "plans": len(plans), "agencies": agencies, "taken": taken}

    def check_row(self, row: Row, context) -> dict | None:
        plan = context["plan"]
        if plan is None:
            return None
        code = row["agency_code"] or ""
        target = context["agencies"].get(code.casefold()) if code else None
        if code and target is None:
            row.error(
                "agency_code",
                _("Unknown agency code %(code)s, or not under %(root)s.")
                % {"code": code, "root": plan.agency},
            )
        elif target is not None:
            problem = services.inspectable_problem(plan, target, taken=context["taken"])
            if problem:
                row.error("agency_code", problem)
        day = row["date"]
        if day is not None and not plan.period_start <= day <= plan.period_end:
            row.error(
                "date",
                _("%(date)s is outside the plan's period (%(start)s – %(end)s).")
                % {
                    "date": f"{day:%d/%m/%Y}",
                    "start": f"{plan.period_start:%d/%m/%Y}",
                    "end": f"{plan.period_end:%d/%m/%Y}",
                },
            )
        if not row.ok():
            return None
        return {
            "plan": plan.pk,
            "agency": target,
            "mode": row["mode"],
            "date": day,
            "place": row.get("place", ""),
        }

    def check_file(self, rows: list[Row], items: list, context) -> None:
        if context["plan"] is None and rows:
            message = (
                _("Several draft plans: give the plan's year in a column “Năm”.")
                if context["plans"] > 1
                else _("There is no draft inspection plan to add these agencies to.")
            )
            rows[0].error("agency_code", message)

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        if not cleaned:
            return 0
        plan = InspectionPlan.objects.visible_to(actor, action=Action.INSPECT).get(
            pk=cleaned[0]["plan"]
        )
        return services.plan_agencies_add(actor=actor, plan=plan, rows=cleaned)
