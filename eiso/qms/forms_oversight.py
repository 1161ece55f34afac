"""Filter and action forms of the overseer's pages (registry, summary, reminders)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.roles import Action
from eiso.organizations import selectors as org_selectors
from eiso.organizations.choices import Tier
from eiso.qms.choices import QmsStatus, ReminderKind

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class RootMixin:
    """``root``: the subtree to show, among the agencies the viewer oversees. The view resolves
    it itself (an agency outside is a 404, not an ignored filter)."""

    def add_root(self):
        self.fields["root"] = forms.ModelChoiceField(
            label=_("Under"),
            queryset=org_selectors.agency_choices(user=self.user, action=Action.MANAGE_AGENCIES),
            required=False,
            empty_label=_("Everything I oversee"),
        )
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
        self.fields["q"].widget.attrs["placeholder"] = _("Code, name…")
        for name in list(self.fields):
            self.fields[name].required = False
        self.order_fields(["q", "root"])


class SummaryFilterForm(RootMixin, BootstrapForm):
    date = DateField(label=_("As of"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.add_root()


class ReminderFilterForm(RootMixin, FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Reminder"), choices=[("", _("All reminders")), *ReminderKind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_root()
        self.fields["root"].required = False
        self.fields["q"].widget.attrs["placeholder"] = _("Agency code or name…")
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
