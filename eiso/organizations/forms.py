from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
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
        self.fields["q"].widget.attrs["col"] = "col-sm-6 col-lg-4"
        self.fields["kind"].widget.attrs["col"] = "col-sm-6 col-lg-3"


class AgencyForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Official name"), max_length=300)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=AgencyKind.objects.all())
    parent = AgencyField(
        label=_("Parent agency"), action=Action.MANAGE_AGENCIES, required=False, empty_label=None
    )
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
        if instance is not None and not kwargs.get("initial"):  # a view may pass initial={}
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
        # typed, not listed (a country has thousands of agencies); never itself or below it
        below = None
        if instance is not None:
            below = selectors.agency_choices(user=user, action=Action.MANAGE_AGENCIES).exclude(
                path__startswith=instance.path
            )
        self.fields["parent"].set_user(user, queryset=below)
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


class _ReorganisationForm(BootstrapForm):
    on = DateField(label=_("Effective on"), help_text=_("The old agencies end the day before."))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "col": "col-md-12"}),
        help_text=_("The decision that reorganised the agencies (number, date, issuer)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.manageable = selectors.agency_choices(user=user, action=Action.MANAGE_AGENCIES)


class MergeForm(_ReorganisationForm):
    """Merge agencies into an existing agency or a new one."""

    sources = forms.ModelMultipleChoiceField(
        label=_("Agencies to merge"), queryset=None, widget=forms.MultipleHiddenInput
    )
    into = AgencyField(
        label=_("Merge into an existing agency"),
        action=Action.MANAGE_AGENCIES,
        required=False,
        empty_label=None,
    )
    new_code = forms.CharField(label=_("Code of the new agency"), max_length=40, required=False)
    new_name = forms.CharField(
        label=_("Official name of the new agency"), max_length=300, required=False
    )
    new_short_name = forms.CharField(
        label=_("Short name of the new agency"), max_length=120, required=False
    )
    new_kind = forms.ModelChoiceField(
        label=_("Kind of the new agency"),
        queryset=AgencyKind.objects.all(),
        required=False,
        help_text=_("Default: the kind of the first agency merged."),
    )

    field_order = ["into", "new_code", "new_name", "new_short_name", "new_kind", "on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = self.manageable
        self.fields["into"].set_user(self.user)

    def clean(self):
        data = super().clean()
        new = bool(data.get("new_code") or data.get("new_name"))
        if data.get("into") and new:
            raise forms.ValidationError(_("Merge into an existing agency or a new one, not both."))
        if not data.get("into") and not new:
            raise forms.ValidationError(
                _("Choose the agency to merge into, or give the new agency's code and name.")
            )
        if new and not (data.get("new_code") and data.get("new_name")):
            raise forms.ValidationError(_("The new agency needs a code and an official name."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        new = None
        if not data.get("into"):
            new = {"code": data["new_code"], "name": data["new_name"]}
            if data.get("new_short_name"):
                new["short_name"] = data["new_short_name"]
            if data.get("new_kind"):
                new["kind"] = data["new_kind"]
        return {
            "sources": list(data["sources"]),
            "into": data.get("into"),
            "new": new,
            "on": data["on"],
            "reason": data["reason"],
        }


class SplitForm(_ReorganisationForm):
    """Split an agency into new ones: one line per new agency, ``code | official name``."""

    source = AgencyField(
        label=_("Agency to split"), action=Action.MANAGE_AGENCIES, empty_label=None
    )
    parts = forms.CharField(
        label=_("New agencies"),
        widget=forms.Textarea(attrs={"rows": 4, "col": "col-md-12"}),
        help_text=_(
            "One per line: code | official name. The first one succeeds the old agency (it "
            "receives its sub-agencies, procedures and history)."
        ),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind of the new agencies"),
        queryset=AgencyKind.objects.all(),
        required=False,
        help_text=_("Default: the kind of the agency split."),
    )

    field_order = ["source", "parts", "kind", "on", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].set_user(self.user)

    def clean_parts(self) -> list[dict]:
        parts = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition("|")
            if not sep or not code.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write “code | official name”.") % {"n": number}
                )
            parts.append({"code": code.strip(), "name": name.strip()})
        if len(parts) < 2:
            raise forms.ValidationError(_("A split needs at least two new agencies."))
        return parts

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        parts = data["parts"]
        if data.get("kind"):
            parts = [{**part, "kind": data["kind"]} for part in parts]
        return {
            "source": data["source"],
            "parts": parts,
            "on": data["on"],
            "reason": data["reason"],
        }
