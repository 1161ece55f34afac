"""Forms of the annual cycle: the year and day of an agency's obligations, the overseer's
matrix filters, the reminders' filters, and the rule sets kept by administrators."""

from __future__ import annotations

import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eiso.core import evidence
from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.roles import Action
from eiso.core.scoping import user_scope
from eiso.cycle import selectors
from eiso.cycle.choices import DueKind, ObligationState, Stage
from eiso.cycle.models import Rule, RuleSet
from eiso.cycle.rules import OVERSIGHT
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier

WIDE = "col-sm-6 col-lg-3"
NARROW = "col-6 col-sm-4 col-lg-2"


def year_choices(today=None) -> list[tuple[int, str]]:
    year = (today or timezone.localdate()).year
    return [(y, str(y)) for y in range(year + 1, year - 8, -1)]


class YearForm(FilterForm):
    """The year shown and the day it is judged on (today by default)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    date = DateField(label=_("As of"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].widget.attrs["col"] = NARROW
        self.fields["date"].widget.attrs["col"] = NARROW


class RootMixin:
    def add_root(self):
        # typed with suggestions, not listed: the national overseer reaches 5,000 agencies
        root = AgencyField(
            label=_("Under"),
            action=OVERSIGHT,  # the suggestions come from the same scope as root_choices
            required=False,
            empty_label=_("Everything I oversee"),
        )
        if self.user is not None:
            root.set_user(self.user, queryset=selectors.root_choices(user=self.user))
        root.widget.attrs["col"] = WIDE
        self.fields["root"] = root
        bootstrapify(self)


class MatrixFilterForm(RootMixin, YearForm):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    tier = forms.ChoiceField(
        label=_("Tier"), choices=[("", _("All tiers")), *Tier.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    rule = forms.ChoiceField(label=_("Obligation"), required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any state")), *ObligationState.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_root()
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (k.code, k.name) for k in org_selectors.kind_list()
        ]
        year = timezone.localdate().year
        if self.is_bound:
            with contextlib.suppress(TypeError, ValueError):
                year = int(self.data.get("year") or year)
        codes = {}
        for rule_set in selectors.sets_in_force(year):
            for rule in rule_set.rules.all():
                codes.setdefault(rule.code, rule.title)
        self.fields["rule"].choices = [("", _("Every obligation")), *codes.items()]
        self.fields["q"].widget.attrs.update(placeholder=_("Code, name…"), col=WIDE)
        for name in ("tier", "kind", "rule", "state"):
            self.fields[name].widget.attrs["col"] = WIDE
        self.order_fields(["q", "root", "year", "date", "tier", "kind", "rule", "state"])


class ReminderFilterForm(RootMixin, FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    stage = forms.ChoiceField(
        label=_("Reminder"), choices=[("", _("All reminders")), *Stage.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Every year")), *year_choices()]
        self.fields["q"].widget.attrs.update(placeholder=_("Agency code or name…"), col=WIDE)
        self.fields["stage"].widget.attrs["col"] = WIDE
        self.fields["year"].widget.attrs["col"] = NARROW
        if self.user is not None and user_scope(self.user, Action.OVERSEE).empty:
            return
        self.add_root()
        self.order_fields(["q", "root", "stage", "year"])


# --- rule sets -----------------------------------------------------------------------------------


class RuleSetForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = DateField(label=_("In force from"))
    effective_to = DateField(label=_("In force until"), required=False)
    report_from_day = forms.TypedChoiceField(
        label=_("Reporting period starts (day)"),
        coerce=int,
        choices=RuleSet._meta.get_field("report_from_day").choices,
    )
    report_from_month = forms.TypedChoiceField(
        label=_("(month, previous year)"),
        coerce=int,
        choices=RuleSet._meta.get_field("report_from_month").choices,
    )
    report_to_day = forms.TypedChoiceField(
        label=_("Reporting period ends (day)"),
        coerce=int,
        choices=RuleSet._meta.get_field("report_to_day").choices,
    )
    report_to_month = forms.TypedChoiceField(
        label=_("(month)"), coerce=int, choices=RuleSet._meta.get_field("report_to_month").choices
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("effective_from", "effective_to"):
            self.fields[name].widget.attrs["col"] = "col-sm-6"
        for name in ("report_from_day", "report_from_month", "report_to_day", "report_to_month"):
            self.fields[name].widget.attrs["col"] = "col-6 col-md-3"


class RuleSetCopyForm(BootstrapForm):
    """A new draft from a set: for a province (its subtree), from a day."""

    name = forms.CharField(label=_("Name of the new set"), max_length=200)
    scope = AgencyField(
        action=Action.KEEP_CATALOGUES,
        label=_("Adopted for"),
        required=False,
        empty_label=_("Every agency (the deployment's set)"),
    )
    effective_from = DateField(label=_("In force from"))
    effective_to = DateField(label=_("In force until"), required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Empty: the basis of the set copied."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].set_user(user)  # typed, not listed
        for name in ("effective_from", "effective_to"):
            self.fields[name].widget.attrs["col"] = "col-sm-6"


def _kind_choices(*, events: bool | None):
    return [("", "—"), *evidence.choices(events=events)]


class RuleForm(BootstrapForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Obligation"), max_length=300)
    description = forms.CharField(
        label=_("What is expected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000)
    kinds = forms.ModelMultipleChoiceField(
        label=_("For kinds of agency"),
        queryset=org_selectors.kind_list().order_by("sort_order", "code"),
        required=False,
        help_text=_("None chosen: every agency that must apply or has a QMS."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_kind = forms.ChoiceField(label=_("Due"), choices=DueKind.choices)
    due_day = forms.TypedChoiceField(
        label=_("Due day"), coerce=int, empty_value=None, required=False
    )
    due_month = forms.TypedChoiceField(
        label=_("Due month"), coerce=int, empty_value=None, required=False
    )
    opens_day = forms.TypedChoiceField(label=_("Opens (day)"), coerce=int)
    opens_month = forms.TypedChoiceField(label=_("Opens (month)"), coerce=int)
    opens_previous_year = forms.BooleanField(label=_("Opens in the previous year"), required=False)
    anchor_key = forms.ChoiceField(label=_("Relative to"), required=False)
    offset_days = forms.IntegerField(
        label=_("Days from it (negative: before)"), min_value=-365, max_value=365
    )
    trigger_key = forms.ChoiceField(label=_("After each event"), required=False)
    within_months = forms.IntegerField(label=_("Within months"), min_value=0, max_value=36)
    within_days = forms.IntegerField(label=_("And days"), min_value=0, max_value=365)
    evidence_key = forms.ChoiceField(label=_("Met by"))
    remind_before_days = forms.IntegerField(
        label=_("Remind days before"), min_value=0, max_value=365
    )
    escalate_after_days = forms.IntegerField(
        label=_("Escalate to the overseer days after"), min_value=0, max_value=365
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = [("", "—"), *Rule._meta.get_field("due_day").choices]
        months = [("", "—"), *Rule._meta.get_field("due_month").choices]
        self.fields["due_day"].choices = days
        self.fields["due_month"].choices = months
        self.fields["opens_day"].choices = Rule._meta.get_field("opens_day").choices
        self.fields["opens_month"].choices = Rule._meta.get_field("opens_month").choices
        self.fields["anchor_key"].choices = _kind_choices(events=None)
        self.fields["trigger_key"].choices = _kind_choices(events=True)
        self.fields["evidence_key"].choices = _kind_choices(events=False)[1:]
        half = "col-6 col-md-3"
        for name in (
            "due_day",
            "due_month",
            "opens_day",
            "opens_month",
            "offset_days",
            "within_months",
            "within_days",
            "remind_before_days",
            "escalate_after_days",
        ):
            self.fields[name].widget.attrs["col"] = half
        for name in ("code", "order"):
            self.fields[name].widget.attrs["col"] = "col-sm-6"

    def rule_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("kinds", None)
        for name in ("anchor_key", "trigger_key"):
            data[name] = data.get(name) or ""
        return data
