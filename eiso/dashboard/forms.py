"""The dashboard's choices: which subtree and which day; the composite score's weights."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from eiso.core.fields import AgencyField
from eiso.core.forms import BootstrapForm, DateField, FilterForm, bootstrapify
from eiso.core.roles import Action
from eiso.dashboard import indicators


class DashboardForm(FilterForm):
    # Typed with suggestions, not a <select>: an overseer of the country has 5,000 agencies.
    root = AgencyField(
        label=_("Under"), action=Action.OVERSEE, empty_label=_("Everything I oversee")
    )
    date = DateField(label=_("As of"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["root"].widget.attrs["col"] = "col-sm-8 col-lg-5"
        bootstrapify(self)
        self.fields["date"].widget.attrs["col"] = "col-sm-4 col-lg-2"
        self.order_fields(["root", "date"])
        for field in self.fields.values():
            field.required = False


class RankingForm(DashboardForm):
    order = forms.ChoiceField(label=_("Ranked by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = [
            ("", _("Composite score")),
            *[(k, label) for k, label in indicators.LABELS.items()],
        ]
        self.fields["order"].widget.attrs["col"] = "col-sm-6 col-lg-3"


class FormulaForm(BootstrapForm):
    """The weights of a new version of the formula (in force from a day)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    effective_from = DateField(label=_("In force from"))
    basis = forms.CharField(
        label=_("Why these weights"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in indicators.LABELS.items():
            self.fields[f"w_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=0, required=False
            )
            self.fields[f"w_{key}"].widget.attrs["col"] = "col-6 col-md-3"
        bootstrapify(self)

    def weights(self) -> dict:
        return {key: self.cleaned_data.get(f"w_{key}") or 0 for key in indicators.LABELS}
