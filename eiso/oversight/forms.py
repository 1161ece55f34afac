"""Filter and action forms of the overseer's pages (registry, summary, reminders)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.roles import Action
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.oversight import selectors
from eiso.qms.choices import QmsStatus, ReminderKind

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]
WIDE = "col-sm-6 col-lg-3"


class RootMixin:
    """``root``: the subtree to show, among the agencies the viewer oversees. The view resolves
    it itself (an agency outside is a 404, not an ignored filter)."""

    def add_root(self):
        # typed with suggestions, not listed: the national overseer reaches 5,000 agencies
        root = AgencyField(
            label=_("Under"),
            action=Action.OVERSEE,  # the suggestions come from the same scope
            required=False,
            empty_label=_("Everything I oversee"),
        )
        root.set_user(self.user, queryset=selectors.root_choices(user=self.user))
        root.widget.attrs["col"] = WIDE
        self.fields["root"] = root
        bootstrapify(self)


class RegistryFilterForm(RootMixin, FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"))
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All tiers")), *Tier.choices])
    status = forms.ChoiceField(
        label=_("QMS status"), choices=[("", _("All statuses")), *QmsStatus.choices]
    )
    must_apply = forms.ChoiceField(label=_("Must apply"), choices=YES_NO)
    announced = forms.ChoiceField(label=_("Announced"), choices=YES_NO)
    due = forms.ChoiceField(label=_("Re-announcement due"), choices=YES_NO)
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_root()
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (k.code, k.name) for k in org_selectors.kind_list()
        ]
        self.fields["q"].widget.attrs.update(placeholder=_("Code, name…"), col=WIDE)
        for name in list(self.fields):
            self.fields[name].required = False
        self.order_fields(["q", "root"])


class SummaryFilterForm(RootMixin, FilterForm):
    """The subtree and the date of the summary. A date that cannot be read (or does not exist)
    is an error on the form: the summary is never silently shown for another day."""

    date = DateField(label=_("As of"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_root()
        self.fields["root"].widget.attrs["col"] = "col-sm-7 col-lg-4"
        self.fields["date"].widget.attrs["col"] = "col-sm-5 col-lg-2"
        self.order_fields(["root", "date"])


class ReminderFilterForm(RootMixin, FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Reminder"), choices=[("", _("All reminders")), *ReminderKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_root()
        self.fields["q"].widget.attrs.update(placeholder=_("Agency code or name…"), col=WIDE)
        self.fields["kind"].widget.attrs["col"] = WIDE
        self.order_fields(["q", "root", "kind"])


class ReminderSendForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Reminder"), choices=ReminderKind.choices)
    root = forms.IntegerField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
