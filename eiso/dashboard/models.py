"""The overseer's dashboard keeps one thing as data: the formula of the composite score its
league table ranks agencies by — each indicator's weight, with the reasons, versioned (the
formula in force on a day is the latest whose first day has come; older ones are kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreFormula(models.Model):
    """``weights``: ``{indicator key: weight}`` (keys of ``eiso.dashboard.indicators``). The
    score of an agency is the weighted mean of its indicators (each 0–100); an indicator the
    system has no value for is left out and the others' weights count for it."""

    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    weights = models.JSONField(_("weights"), default=dict)
    basis = models.TextField(_("why these weights"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score formula")
        verbose_name_plural = _("score formulas")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return self.name
