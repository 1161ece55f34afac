from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.forms import BootstrapForm, DateField, FilterForm
from eiso.core.roles import Action
from eiso.organizations import selectors
from eiso.organizations.choices import DepartmentKind, Tier
from eiso.organizations.models import AgencyKind


class AgencyFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"))
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All tiers")), *Tier.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )
    ordering = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (k.code, k.name) for k in selectors.kind_list()
        ]
        self.fields["q"].widget.attrs["placeholder"] = _("Code, name, address…")


class AgencyForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Official name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=AgencyKind.objects.all())
    parent = forms.ModelChoiceField(label=_("Parent agency"), queryset=None, required=False)
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=[("", _("From the kind")), *Tier.choices],
        required=False,
        help_text=_("The level the agency counts in for the reports."),
    )
    must_apply = forms.TypedChoiceField(
        label=_("Must apply ISO"),
        choices=[("", _("From the kind")), ("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    head_name = forms.CharField(label=_("Head"), max_length=200, required=False)
    head_title = forms.CharField(label=_("Head's title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    active_from = DateField(label=_("Active from"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": instance.code,
                "name": instance.name,
                "short_name": instance.short_name,
                "kind": instance.kind_id,
                "parent": instance.parent_id,
                "tier": instance.tier,
                "must_apply": "1" if instance.must_apply else "0",
                "address": instance.address,
                "head_name": instance.head_name,
                "head_title": instance.head_title,
                "phone": instance.phone,
                "email": instance.email,
                "active_from": instance.active_from,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        parents = selectors.agency_choices(user=user, action=Action.MANAGE_AGENCIES)
        if instance is not None:
            parents = parents.exclude(path__startswith=instance.path)
        self.fields["parent"].queryset = parents
        self.fields["name"].widget.attrs["col"] = "col-md-12"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if not data.get("tier"):
            data["tier"] = data["kind"].default_tier
        if data.get("must_apply") is None:
            data["must_apply"] = data["kind"].must_apply
        return data


class DeactivateForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    on = DateField(label=_("Inactive from"), required=False)


class DepartmentForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DepartmentKind.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
