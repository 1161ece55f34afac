"""Forms of the TTHC pages: parsing and field validation only; choices come from selectors
(the agency comes from a scoped lookup, never from the form)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, FilterForm
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.procedures import selectors
from eiso.procedures.parsing import parse_time_limit

LEVEL_CHOICES = [("", _("All levels")), *Tier.choices]


def _field_choices(fields: list[str] | None = None) -> list[tuple[str, str]]:
    names = selectors.catalogue_fields() if fields is None else fields
    return [("", _("All fields"))] + [(name, name) for name in names]


class CatalogueFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    field = forms.ChoiceField(label=_("Field"))
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("active", _("In force")), ("abolished", _("Abolished"))],
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _field_choices()
        self.fields["q"].widget.attrs["placeholder"] = _("Code, name, field…")


class ProcedureForm(BootstrapForm):
    """A catalogue entry; the time limit is typed as published (“05 ngày”, “0,5”,
    “Trong ngày”)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("As in the national database, e.g. 1.001612.000.00.00.H01 or 2.000635."),
    )
    name = forms.CharField(label=_("Name"), max_length=500)
    field = forms.CharField(label=_("Field"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Tier.choices])
    time_limit = forms.CharField(
        label=_("Statutory time limit"),
        max_length=200,
        required=False,
        help_text=_("Days as published: “05 ngày làm việc”, “0,5” or “Trong ngày”."),
    )
    fee = forms.CharField(label=_("Fee"), max_length=300, required=False)
    published_by = forms.CharField(label=_("Published by decision"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("In force"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": instance.code,
                "name": instance.name,
                "field": instance.field,
                "level": instance.level,
                "time_limit": instance.time_limit_text or _days_text(instance),
                "fee": instance.fee,
                "published_by": instance.published_by,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:  # the code stays as the national database gave it
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")
        self.fields["code"].widget.attrs["col"] = "col-md-4"
        self.fields["name"].widget.attrs["col"] = "col-md-8"
        self.fields["field"].widget.attrs["list"] = "procedure-fields"

    def clean_time_limit(self):
        text = self.cleaned_data["time_limit"].strip()
        try:
            self.parsed_time_limit = parse_time_limit(text)
        except ValueError:
            raise forms.ValidationError(
                _("Unreadable time limit: write days (e.g. 05 or 0,5) or “Trong ngày”.")
            ) from None
        return text

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        days, within_the_day = self.parsed_time_limit
        data["time_limit_text"] = data.pop("time_limit")
        data["time_limit_days"] = days
        data["within_the_day"] = within_the_day
        if self.instance is not None:
            data.pop("code", None)
        return data


def _days_text(procedure) -> str:
    if procedure.within_the_day:
        return "Trong ngày"
    if procedure.time_limit_days is None:
        return ""
    return format(procedure.time_limit_days.normalize(), "f").replace(".", ",")


# --- handled procedures ----------------------------------------------------------------------


class AgencyPickForm(FilterForm):
    agency = AgencyField(empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].set_user(self.user)


class HandledFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    field = forms.ChoiceField(label=_("Field"))
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    coverage = forms.ChoiceField(
        label=_("Coverage"),
        choices=[("", _("All")), ("covered", _("Covered")), ("gap", _("Gaps"))],
    )

    def __init__(self, *args, fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = _field_choices(fields)
        self.fields["q"].widget.attrs["placeholder"] = _("Code, name, field…")


class HandledAddForm(BootstrapForm):
    """Add in bulk: every in-force procedure matching the search, field and/or level, or the
    ones ticked."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    procedures = forms.ModelMultipleChoiceField(
        label=_("Procedures"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(
        choices=[("matching", "matching"), ("picked", "picked")],
        initial="matching",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, agency, fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["field"].choices = _field_choices(fields)
        self.fields["procedures"].queryset = selectors.assignable_procedures(agency=agency)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "picked":
            if not data.get("procedures"):
                raise forms.ValidationError(_("Tick at least one procedure to add."))
        elif not (data.get("q") or data.get("field") or data.get("level")):
            raise forms.ValidationError(
                _("Choose a field or a level (or tick procedures one by one) first.")
            )
        return data

    def chosen(self):
        """The procedures to add (one query)."""
        data = self.cleaned_data
        if data["mode"] == "picked":
            return list(data["procedures"])
        return list(
            selectors.assignable_procedures(
                agency=self.agency, q=data["q"], field=data["field"], level=data["level"]
            )
        )


class HandledRemoveForm(BootstrapForm):
    procedures = forms.ModelMultipleChoiceField(
        label=_("Procedures"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, user, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].queryset = selectors.handled_procedure_choices(
            user=user, agency=agency
        )
        self.fields["procedures"].error_messages["required"] = _(
            "Tick the procedures the agency no longer handles."
        )


# --- coverage --------------------------------------------------------------------------------


class CoverageFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    root = AgencyField(label=_("Under"), empty_label=_("Everything I oversee"))
    kind = forms.ChoiceField(label=_("Kind"))
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All tiers")), *Tier.choices])
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].set_user(self.user)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (k.code, k.name) for k in org_selectors.kind_list()
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("Code, name, address…")


# --- ISO procedures and their steps -----------------------------------------------------------


class LinkForm(BootstrapForm):
    procedure = forms.ModelChoiceField(
        label=_("Administrative procedure"),
        queryset=None,
        empty_label="—",
        help_text=_("One of the procedures the agency handles."),
    )

    def __init__(self, *args, user, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = selectors.handled_procedure_choices(
            user=user, agency=agency
        )


class DaysField(forms.CharField):
    """A number of days, with a decimal comma or point (“0,5”); empty is None."""

    def to_python(self, value):
        text = super().to_python(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            days = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Write a number of days, e.g. 2 or 0,5.")) from None
        if not days.is_finite() or days < 0 or days > 9999:
            raise forms.ValidationError(_("Write a number of days, e.g. 2 or 0,5."))
        return days.quantize(Decimal("0.01"))


class StepForm(forms.Form):
    """One row of the step table; whether the row is complete is the service's rule."""

    name = forms.CharField(label=_("What is done"), max_length=500, required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    time_days = DaysField(
        label=_("Time (days)"), required=False, widget=forms.TextInput(attrs={"maxlength": 12})
    )
    forms_results = forms.CharField(label=_("Forms / results"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control form-control-sm"})
            field.widget.attrs["aria-label"] = str(field.label)
        self.fields["time_days"].widget.attrs.update({"inputmode": "decimal", "size": 5})


def _step_formset_class(extra: int):
    return forms.formset_factory(StepForm, extra=extra, can_delete=True, max_num=200)


def step_formset(data=None, *, steps=(), add_row: bool = False):
    """The step table as a formset; ``add_row`` gives one more empty row (no JavaScript)."""
    if data is not None:
        data = data.copy()
        total = int(data.get("steps-TOTAL_FORMS") or 0)
        if add_row:
            data["steps-TOTAL_FORMS"] = str(total + 1)
        data["steps-INITIAL_FORMS"] = "0"
        return _step_formset_class(0)(data, prefix="steps")
    initial = [
        {
            "name": s.name,
            "responsible": s.responsible,
            "time_days": format(s.time_days.normalize(), "f").replace(".", ",")
            if s.time_days is not None
            else "",
            "forms_results": s.forms_results,
        }
        for s in steps
    ]
    return _step_formset_class(0 if initial else 1)(initial=initial, prefix="steps")


STEP_FIELDS = ("name", "responsible", "time_days", "forms_results")


def steps_from(formset) -> list[dict]:
    """The rows to save, in order: removed and blank rows left out."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if all(data.get(k) in (None, "") for k in STEP_FIELDS):
            continue
        rows.append(
            {
                "name": data.get("name", ""),
                "responsible": data.get("responsible", ""),
                "time_days": data.get("time_days"),
                "forms_results": data.get("forms_results", ""),
            }
        )
    return rows
