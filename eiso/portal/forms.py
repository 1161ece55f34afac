"""The public forms (search, rating, complaint, tracking) and the agency's publication filter:
parsing and field validation only. The rating and complaint forms carry the honeypot and the
signed form token of ``guards``; their choices are the agency's own procedures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.forms import BootstrapForm, FilterForm
from eiso.feedback.choices import ComplaintKind, Criterion, Score
from eiso.organizations.choices import Tier
from eiso.portal import guards

SCORE_CHOICES = [(str(value), label) for value, label in Score.choices]


class AgencySearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("Agency name or code"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. so tu phap, an phu"), "col": "col-md-6"}
        ),
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("All tiers")), *Tier.choices],
        widget=forms.Select(attrs={"col": "col-6 col-md-3"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of agency"),
        required=False,
        choices=(),
        widget=forms.Select(attrs={"col": "col-6 col-md-3"}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((k.code, k.name) for k in kinds)]


class ProcedureSearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("Find a procedure"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "col": "col-md-8"}),
    )


class ProcedureChoiceField(forms.ModelChoiceField):
    """A procedure as people know it: by its name (the code means nothing to them)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class _Guarded(BootstrapForm):
    """The honeypot (hidden from people by CSS and from the keyboard) and the form token."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[guards.HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields[guards.TOKEN_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)


class RatingForm(_Guarded):
    """Rating 1–5 on each criterion (at least one), the procedure (optional, from the agency's
    list), the dossier code (optional) and a comment. No personal data is asked."""

    procedure = ProcedureChoiceField(
        label=_("Procedure you came for (optional)"),
        queryset=None,
        required=False,
        empty_label=_("— Not said —"),
    )
    dossier_code = forms.CharField(
        label=_("Dossier code on your receipt (optional)"), max_length=60, required=False
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("Please do not write your name, phone number or other personal details."),
    )

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Criterion.choices:
            self.fields[value] = forms.ChoiceField(
                label=label, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
            )
        self.fields["procedure"].queryset = procedures
        self.order_fields([*Criterion.values, "procedure", "dossier_code", "comment"])

    def scores(self) -> dict:
        return {name: self.cleaned_data.get(name) or None for name in Criterion.values}

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in Criterion.values):
            raise forms.ValidationError(_("Rate at least one of the criteria."))
        return data

    def criteria(self):
        return [self[name] for name in Criterion.values]


class ComplaintForm(_Guarded):
    kind = forms.ChoiceField(
        label=_("What do you send?"),
        choices=ComplaintKind.choices,
        initial=ComplaintKind.COMPLAINT,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = forms.CharField(
        label=_("Content"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("What happened, when, at which desk or for which dossier; what you propose."),
    )
    procedure = ProcedureChoiceField(
        label=_("Procedure concerned (optional)"),
        queryset=None,
        required=False,
        empty_label=_("— Not said —"),
    )
    dossier_code = forms.CharField(
        label=_("Dossier code (optional)"), max_length=60, required=False
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("E-mail (optional)"), required=False)

    def __init__(self, *args, procedures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures


class TrackingForm(BootstrapForm):
    ma = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"placeholder": "XXXX-XXXX-XXXX", "autocomplete": "off", "col": "col-md-6"}
        ),
    )


class PublicationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), max_length=100)
