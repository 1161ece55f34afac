"""Import of an agency's register of risks and opportunities from a spreadsheet: one row per
risk or opportunity, with its first treatment when given. The process is an administrative
procedure (by code), a department (by name) or an internal activity (its name). Every bad cell
is reported (a likelihood outside the scale, a treatment due after the year…); all rows or
none."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import CellError, Column, Importer, Row, choice, date, register, text
from eiso.risks import rules
from eiso.risks.choices import ProcessKind, RiskKind
from eiso.risks.models import Risk

KIND_WORDS = {
    "rui ro": RiskKind.RISK,
    "risk": RiskKind.RISK,
    "r": RiskKind.RISK,
    "co hoi": RiskKind.OPPORTUNITY,
    "opportunity": RiskKind.OPPORTUNITY,
    "ch": RiskKind.OPPORTUNITY,
}


def _year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError:
        raise CellError(_("%(value)s is not a year.") % {"value": value}) from None
    if not 2000 <= year <= 2100:
        raise CellError(_("%(value)s is not a year.") % {"value": value})
    return year


def _level(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise CellError(_("%(value)s is not a level of the scale.") % {"value": value}) from None


@register
class RiskImporter(Importer):
    kind = "risks"
    title = gettext_lazy("Import the register of risks and opportunities")
    url_name = "risks:import"
    sample_filename = "mau-nhap-rui-ro-co-hoi.xlsx"
    columns = [
        Column("year", gettext_lazy("Year"), aliases=("nam",), parser=_year, required=True),
        Column(
            "kind",
            gettext_lazy("Risk or opportunity"),
            aliases=("loai", "phan loai"),
            parser=choice(KIND_WORDS, accepted="rủi ro / cơ hội", what=gettext_lazy("kind")),
            required=True,
            help=gettext_lazy("rủi ro / cơ hội"),
        ),
        Column(
            "code",
            gettext_lazy("Code"),
            aliases=("ma", "ma rui ro"),
            parser=text(20),
            help=gettext_lazy("Blank: R-01, CH-01… in order."),
        ),
        Column(
            "procedure",
            gettext_lazy("Procedure code"),
            aliases=("ma thu tuc", "ma tthc"),
            parser=text(64),
            help=gettext_lazy("For a risk of an administrative procedure the agency handles."),
        ),
        Column(
            "department",
            gettext_lazy("Department"),
            aliases=("phong ban",),
            parser=text(200),
            help=gettext_lazy("For a risk of a department."),
        ),
        Column(
            "process",
            gettext_lazy("Internal activity"),
            aliases=("qua trinh", "hoat dong", "quy trinh"),
            parser=text(300),
            help=gettext_lazy("Otherwise: the internal activity."),
        ),
        Column(
            "description",
            gettext_lazy("Description"),
            aliases=("mo ta", "rui ro", "noi dung", "rui ro / co hoi"),
            parser=text(2000),
            required=True,
        ),
        Column("cause", gettext_lazy("Cause"), aliases=("nguyen nhan",), parser=text(2000)),
        Column(
            "consequence",
            gettext_lazy("Consequence"),
            aliases=("hau qua", "anh huong"),
            parser=text(2000),
        ),
        Column(
            "likelihood",
            gettext_lazy("Likelihood"),
            aliases=("kha nang", "kha nang xay ra"),
            parser=_level,
            required=True,
            help=gettext_lazy("1–5 on the default scale."),
        ),
        Column(
            "impact",
            gettext_lazy("Impact"),
            aliases=("muc do anh huong", "tac dong"),
            parser=_level,
            required=True,
            help=gettext_lazy("1–5 on the default scale."),
        ),
        Column(
            "treatment",
            gettext_lazy("Treatment"),
            aliases=("bien phap", "bien phap xu ly"),
            parser=text(2000),
        ),
        Column(
            "due_date",
            gettext_lazy("Due date"),
            aliases=("thoi han", "han"),
            parser=date,
            help=gettext_lazy("dd/mm/yyyy, within the year; needed with a treatment."),
        ),
    ]
    unique_together = (("year", "code"),)
    sample_rows = [
        {
            "year": "2026",
            "kind": "rủi ro",
            "code": "R-01",
            "process": "Tiếp nhận hồ sơ",
            "description": "Hồ sơ bị thất lạc khi chuyển giữa Bộ phận Một cửa và phòng chuyên môn",
            "cause": "Không có sổ giao nhận",
            "consequence": "Trễ hạn, phải xin lỗi người dân",
            "likelihood": "3",
            "impact": "4",
            "treatment": "Lập sổ giao nhận hồ sơ, ký nhận từng bước",
            "due_date": "30/06/2026",
        },
        {
            "year": "2026",
            "kind": "cơ hội",
            "code": "CH-01",
            "process": "Dịch vụ công trực tuyến",
            "description": "Người dân nộp hồ sơ trực tuyến nhiều hơn nhờ Cổng dịch vụ công",
            "likelihood": "4",
            "impact": "3",
        },
    ]

    def check_permission(self, *, actor, agency) -> None:
        if agency is None or not rules.can_keep(actor, agency):
            raise NotPermitted(_("Only the ISO secretary or the head import the register."))

    def prepare(self, rows: list[Row], *, actor, agency):
        from eiso.organizations.models import Department
        from eiso.procedures.models import HandledProcedure
        from eiso.risks.services import default_scale

        years = {r["year"] for r in rows if r["year"]}
        return {
            "scale": default_scale(),
            "codes": {
                (y, c.casefold())
                for y, c in Risk.objects.filter(agency=agency, year__in=years).values_list(
                    "year", "code"
                )
            },
            "procedures": {
                h.procedure.code: h.procedure
                for h in HandledProcedure.objects.filter(
                    agency=agency, is_active=True
                ).select_related("procedure")
            },
            "departments": {
                d.name.casefold(): d
                for d in Department.objects.filter(agency=agency, is_active=True)
            },
        }

    def check_row(self, row: Row, context):
        scale = context["scale"]
        for name, top in (("likelihood", scale.max_likelihood), ("impact", scale.max_impact)):
            value = row[name]
            if value is not None and not 1 <= value <= top:
                row.error(
                    name,
                    _("%(value)s is outside the scale: from 1 to %(top)s.")
                    % {"value": value, "top": top},
                )
        year = row["year"]
        if row["code"] and year and (year, row["code"].casefold()) in context["codes"]:
            row.error(
                "code",
                _("%(code)s is already in the %(year)s register.")
                % {"code": row["code"], "year": year},
            )
        data = {"process": row.get("process", ""), "procedure": None, "department": None}
        if row["procedure"]:
            procedure = context["procedures"].get(row["procedure"])
            if procedure is None:
                row.error(
                    "procedure",
                    _("This agency does not handle %(code)s.") % {"code": row["procedure"]},
                )
            data.update(process_kind=ProcessKind.PROCEDURE, procedure=procedure)
        elif row["department"]:
            department = context["departments"].get(row["department"].casefold())
            if department is None:
                row.error(
                    "department",
                    _("No department named %(name)s in this agency.") % {"name": row["department"]},
                )
            data.update(process_kind=ProcessKind.DEPARTMENT, department=department)
        else:
            if not row["process"]:
                row.error("process", _("Give the procedure code, the department or the activity."))
            data["process_kind"] = ProcessKind.INTERNAL
        treatment = None
        if row["treatment"]:
            due = row["due_date"]
            if due is None and row.ok("due_date"):
                row.error("due_date", _("A treatment needs its due date."))
            elif due is not None and year and due.year != year:
                row.error(
                    "due_date",
                    _("A treatment of the %(year)s register must be due within %(year)s.")
                    % {"year": year},
                )
            treatment = {"action": row["treatment"], "due_date": due, "owner": None}
        if not row.ok():
            return None
        data.update(
            kind=row["kind"],
            description=row["description"],
            cause=row.get("cause", ""),
            consequence=row.get("consequence", ""),
            likelihood=row["likelihood"],
            impact=row["impact"],
        )
        return {"year": year, "code": row.get("code", ""), "data": data, "treatment": treatment}

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        from eiso.risks import services

        for done, item in enumerate(cleaned, start=1):
            risk = services.risk_create(
                actor=actor, agency=agency, year=item["year"], data=item["data"], code=item["code"]
            )
            if item["treatment"] is not None:
                services.treatment_create(actor=actor, risk=risk, data=item["treatment"])
            if progress is not None and done % 100 == 0:
                progress(done)
        return len(cleaned)
