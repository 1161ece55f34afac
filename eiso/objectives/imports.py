"""Import of an agency's quality objectives and their plan from a spreadsheet (agencies move
from Excel): one row per plan action; rows with the same year and objective number belong to
one objective, whose fields are read from its first row. The objectives go into the year's
draft (started when there is none); every bad cell is reported, all rows or none."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import NotPermitted
from eiso.core.imports import CellError, Column, Importer, Row, choice, date, register, text
from eiso.objectives import rules
from eiso.objectives.choices import Comparator, Frequency
from eiso.objectives.models import ObjectiveSet, QualityObjective
from eiso.objectives.workflows import OBJECTIVE_SET

COMPARATOR_WORDS = {
    "≥": Comparator.GE,
    ">=": Comparator.GE,
    "ge": Comparator.GE,
    "lon hon hoac bang": Comparator.GE,
    "≤": Comparator.LE,
    "<=": Comparator.LE,
    "le": Comparator.LE,
    "nho hon hoac bang": Comparator.LE,
    "=": Comparator.EQ,
    "eq": Comparator.EQ,
    "bang": Comparator.EQ,
    ">": Comparator.GT,
    "gt": Comparator.GT,
    "<": Comparator.LT,
    "lt": Comparator.LT,
}
FREQUENCY_WORDS = {
    "thang": Frequency.MONTH,
    "hang thang": Frequency.MONTH,
    "month": Frequency.MONTH,
    "monthly": Frequency.MONTH,
    "quy": Frequency.QUARTER,
    "hang quy": Frequency.QUARTER,
    "quarter": Frequency.QUARTER,
    "quarterly": Frequency.QUARTER,
    "6 thang": Frequency.HALF_YEAR,
    "nua nam": Frequency.HALF_YEAR,
    "half year": Frequency.HALF_YEAR,
    "nam": Frequency.YEAR,
    "hang nam": Frequency.YEAR,
    "year": Frequency.YEAR,
    "yearly": Frequency.YEAR,
}


def _year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError:
        raise CellError(_("%(value)s is not a year.") % {"value": value}) from None
    if not 2000 <= year <= 2100:
        raise CellError(_("%(value)s is not a year.") % {"value": value})
    return year


def _number(value: str) -> Decimal:
    try:
        number = Decimal(value.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CellError(_("%(value)s is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("%(value)s is not a number.") % {"value": value})
    return number


def _whole(value: str) -> int:
    number = _number(value)
    if number != number.to_integral() or number < 1:
        raise CellError(_("%(value)s is not a whole number from 1.") % {"value": value})
    return int(number)


OBJECTIVE_FIELDS = ("statement", "indicator", "comparator", "target", "unit", "frequency")


@register
class ObjectiveImporter(Importer):
    kind = "objectives"
    title = gettext_lazy("Import quality objectives and their plan")
    url_name = "objectives:import"
    sample_filename = "mau-nhap-muc-tieu-chat-luong.xlsx"
    columns = [
        Column("year", gettext_lazy("Year"), aliases=("nam",), parser=_year, required=True),
        Column(
            "number",
            gettext_lazy("No."),
            aliases=("stt", "so thu tu", "muc tieu so"),
            parser=_whole,
            required=True,
            help=gettext_lazy("Rows with the same number are one objective with several actions."),
        ),
        Column(
            "department",
            gettext_lazy("Department"),
            aliases=("phong ban", "don vi"),
            parser=text(200),
            help=gettext_lazy("Blank: the whole agency."),
        ),
        Column(
            "statement",
            gettext_lazy("Objective"),
            aliases=("muc tieu", "muc tieu chat luong"),
            parser=text(2000),
        ),
        Column(
            "indicator",
            gettext_lazy("Measurable indicator"),
            aliases=("chi so", "chi so do luong", "chi tieu do luong"),
            parser=text(300),
        ),
        Column(
            "comparator",
            gettext_lazy("Comparator"),
            aliases=("so sanh", "dieu kien"),
            parser=choice(COMPARATOR_WORDS, accepted="≥ ≤ = > <", what=gettext_lazy("comparator")),
            help=gettext_lazy("≥ ≤ = > < (or >=, <=)."),
        ),
        Column("target", gettext_lazy("Target"), aliases=("chi tieu", "gia tri"), parser=_number),
        Column(
            "unit",
            gettext_lazy("Unit"),
            aliases=("don vi tinh",),
            parser=text(40),
            help=gettext_lazy("%, ngày, hồ sơ…"),
        ),
        Column(
            "frequency",
            gettext_lazy("Frequency of measurement"),
            aliases=("tan suat", "tan suat do luong", "ky do"),
            parser=choice(
                FREQUENCY_WORDS,
                accepted="tháng / quý / 6 tháng / năm",
                what=gettext_lazy("frequency"),
            ),
            help=gettext_lazy("tháng / quý / 6 tháng / năm"),
        ),
        Column(
            "action",
            gettext_lazy("Work to be done"),
            aliases=("noi dung cong viec", "hanh dong"),
            parser=text(2000),
            required=True,
        ),
        Column("resources", gettext_lazy("Resources"), aliases=("nguon luc",), parser=text(300)),
        Column(
            "responsible",
            gettext_lazy("Who"),
            aliases=("nguoi thuc hien", "trach nhiem"),
            parser=text(200),
            required=True,
        ),
        Column(
            "due_date",
            gettext_lazy("By when"),
            aliases=("thoi han", "han hoan thanh"),
            parser=date,
            required=True,
            help=gettext_lazy("dd/mm/yyyy, within the year."),
        ),
        Column(
            "evaluation",
            gettext_lazy("How the result is evaluated"),
            aliases=("cach danh gia", "danh gia ket qua"),
            parser=text(300),
        ),
    ]
    sample_rows = [
        {
            "year": "2026",
            "number": "1",
            "department": "",
            "statement": "Giải quyết hồ sơ thủ tục hành chính đúng hạn",
            "indicator": "Tỷ lệ hồ sơ được giải quyết đúng hoặc trước hạn",
            "comparator": "≥",
            "target": "98",
            "unit": "%",
            "frequency": "quý",
            "action": "Theo dõi tiến độ hồ sơ hằng tuần, nhắc hồ sơ sắp đến hạn",
            "resources": "Hệ thống một cửa điện tử",
            "responsible": "Văn phòng",
            "due_date": "31/12/2026",
            "evaluation": "Báo cáo quý",
        },
        {
            "year": "2026",
            "number": "1",
            "action": "Rà soát quy trình có hồ sơ trễ hạn",
            "responsible": "Thư ký ISO",
            "due_date": "30/06/2026",
        },
    ]

    def check_permission(self, *, actor, agency) -> None:
        if agency is None or not rules.can_draft(actor, agency):
            raise NotPermitted(_("Only the ISO secretary or the head import the objectives."))

    def prepare(self, rows: list[Row], *, actor, agency):
        from eiso.organizations.models import Department

        years = {r["year"] for r in rows if r["year"]}
        sets = {
            s.year: s
            for s in ObjectiveSet.objects.filter(agency=agency, year__in=years).order_by(
                "year", "revision"
            )
        }
        numbers = set(
            QualityObjective.objects.filter(objective_set__in=list(sets.values())).values_list(
                "objective_set__year", "number"
            )
        )
        departments = {
            d.name.casefold(): d for d in Department.objects.filter(agency=agency, is_active=True)
        }
        return {
            "actor": actor,
            "sets": sets,
            "numbers": numbers,
            "departments": departments,
            "first": {},
        }

    def check_row(self, row: Row, context):
        year, number = row["year"], row["number"]
        if year is None or number is None:
            return None
        existing = context["sets"].get(year)
        if existing is not None and not OBJECTIVE_SET.may(context["actor"], existing, "edit"):
            row.error(
                "year",
                _("The objectives of %(year)s are %(status)s: change them from their page.")
                % {"year": year, "status": existing.get_status_display().lower()},
            )
            return None
        if (year, number) in context["numbers"]:
            row.error(
                "number",
                _("Objective %(n)s of %(year)s already exists.") % {"n": number, "year": year},
            )
        due = row["due_date"]
        if due is not None and due.year != year:
            row.error(
                "due_date",
                _("An action of the %(year)s plan must be due within %(year)s.") % {"year": year},
            )
        first = context["first"].setdefault((year, number), row.number)
        objective = None
        if first == row.number:
            for name in OBJECTIVE_FIELDS:
                if row[name] is None and row.ok(name):
                    row.error(
                        name,
                        _("%(column)s is empty (the first row of an objective gives it).")
                        % {"column": self.column_label(name)},
                    )
            department = None
            if row["department"]:
                department = context["departments"].get(row["department"].casefold())
                if department is None:
                    row.error(
                        "department",
                        _("No department named %(name)s in this agency.")
                        % {"name": row["department"]},
                    )
            objective = {name: row[name] for name in OBJECTIVE_FIELDS}
            objective["department"] = department
        if not row.ok():
            return None
        return {
            "year": year,
            "number": number,
            "objective": objective,
            "action": {
                "what": row["action"],
                "resources": row.get("resources", ""),
                "responsible": row["responsible"],
                "due_date": due,
                "evaluation": row.get("evaluation", ""),
            },
        }

    def apply(self, cleaned: list, *, actor, agency, progress=None) -> int:
        from eiso.objectives import services

        sets: dict[int, ObjectiveSet] = {}
        objectives: dict[tuple[int, int], QualityObjective] = {}
        for done, item in enumerate(cleaned, start=1):
            year, number = item["year"], item["number"]
            if year not in sets:
                sets[year] = ObjectiveSet.objects.filter(agency=agency, year=year).order_by(
                    "-revision"
                ).first() or services.objective_set_create(actor=actor, agency=agency, year=year)
            if item["objective"] is not None:
                objectives[(year, number)] = services.objective_create(
                    actor=actor,
                    objective_set=sets[year],
                    data={"number": number, **item["objective"]},
                )
            services.plan_action_create(
                actor=actor, objective=objectives[(year, number)], data=item["action"]
            )
            if progress is not None and done % 100 == 0:
                progress(done)
        return len(cleaned)
