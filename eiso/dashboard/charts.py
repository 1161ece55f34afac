"""The dashboard's charts as plain data for Chart.js (json_script; static/dashboard/
dashboard.js draws them): agencies by tier and QMS status, the obligations met and overdue, the
trends over the years."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eiso.qms.choices import QmsStatus

TREND_LABELS = {
    "announced": _("Announced (%)"),
    "reported_on_time": _("Annual report on time (%)"),
    "audited": _("Internal audit done (%)"),
    "objectives_met": _("Objectives met (%)"),
}
STATUS_COLOURS = {
    QmsStatus.NOT_STARTED: "#adb5bd",
    QmsStatus.BUILDING: "#0dcaf0",
    QmsStatus.APPLIED: "#0d6efd",
    QmsStatus.ANNOUNCED: "#198754",
    QmsStatus.SUSPENDED: "#dc3545",
}


def dashboard_charts(board) -> dict:
    return {
        "tiers": {
            "type": "bar",
            "stacked": True,
            "labels": [t["label"] for t in board.tiers],
            "series": [
                {
                    "label": str(label),
                    "data": [t["statuses"][value] for t in board.tiers],
                    "colour": STATUS_COLOURS[value],
                }
                for value, label in QmsStatus.choices
            ],
        },
        "obligations": {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [o["title"] for o in board.obligations],
            "series": [
                {
                    "label": str(_("Met on time")),
                    "data": [o["on_time"] for o in board.obligations],
                    "colour": "#198754",
                },
                {
                    "label": str(_("Met late")),
                    "data": [o["met"] - o["on_time"] for o in board.obligations],
                    "colour": "#0dcaf0",
                },
                {
                    "label": str(_("Overdue")),
                    "data": [o["overdue"] for o in board.obligations],
                    "colour": "#dc3545",
                },
            ],
        },
        "trends": {
            "type": "line",
            "percent": True,
            "labels": [str(y) for y in board.trends["years"]],
            "series": [
                {"label": str(label), "data": board.trends[key], "colour": colour}
                for (key, label), colour in zip(
                    TREND_LABELS.items(), ["#198754", "#0d6efd", "#6f42c1", "#fd7e14"], strict=True
                )
            ],
        },
    }
