"""The one-stop dossier log and the training records of the demo province (records.py,
training.py): two years of dossiers with late ones concentrated in a few procedures, some
overdue in the keepers' inbox, lists of records to keep, courses and certificates (one expired,
one expiring, one followed to another agency). Built once for the package (conftest.py)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Q, Sum

from eiso.core import inbox
from eiso.demo import records as records_step
from eiso.demo import training as training_step
from eiso.records import kpis, selectors
from eiso.records.models import AgencyMonthStat, Dossier, DossierStat, RecordType
from eiso.training.models import Certificate, Course
from eiso.training.selectors import has_valid_certificate

pytestmark = pytest.mark.django_db


def test_two_years_of_dossiers_with_their_monthly_figures(demo):
    today = demo.context.today
    assert Dossier.objects.filter(agency__code="STP").count() > 1000
    oldest = Dossier.objects.filter(agency__code="STP").order_by("received_at").first()
    assert (today - oldest.received_at.date()).days > 600
    sums = AgencyMonthStat.objects.aggregate(received=Sum("received"))
    assert sums["received"] == Dossier.objects.count()


def test_late_dossiers_are_concentrated_in_a_few_procedures(demo):
    stp = demo.context.agency("STP")
    rows = list(
        DossierStat.objects.filter(agency=stp)
        .values("procedure_id")
        .annotate(late=Sum("late"), finished=Sum("finished"))
        .filter(finished__gt=50)
    )
    rates = sorted(r["late"] / r["finished"] for r in rows)
    assert rates[-1] > 0.15 > rates[0]  # a hard procedure, and well-run ones


def test_some_dossiers_are_overdue_in_the_keepers_inbox(demo):
    today = demo.context.today
    keepers = demo.context.keepers["STP"]
    items = inbox.inbox_for(keepers.secretary, today=today, kinds=["records.overdue"])
    assert items and all(i.overdue_on(today) for i in items)


def test_the_persona_teams_keep_their_list_of_records(demo):
    stp = demo.context.agency("STP")
    keep = selectors.records_to_keep(user=demo.context.keepers["STP"].secretary, agency=stp)
    assert RecordType.objects.filter(agency=stp).count() >= 5
    assert keep.kept and not keep.missing


def test_the_on_time_rate_of_a_team_agency(demo):
    stp = demo.context.agency("STP")
    today = demo.context.today
    rate = kpis.on_time_rate(stp, today.replace(month=1, day=1), today)
    assert rate is not None and 70 < rate < 100


def test_courses_and_certificates_one_expired_one_expiring_one_followed(demo):
    today = demo.context.today
    users = demo.context.users
    assert Course.objects.filter(agency__code="STP").count() == 2
    assert Certificate.objects.filter(expires_on__lt=today).exists()
    assert has_valid_certificate(user=users["dgnb.stp"], on=today)
    assert not has_valid_certificate(
        user=users["thuky.stp"], on=today
    )  # 2021's expired: the demo shows why audits warn
    soon = today + datetime.timedelta(days=60)
    expiring = Certificate.objects.filter(expires_on__gte=today, expires_on__lte=soon)
    assert expiring.filter(holder__username="canbo.stp").exists()
    anphu = demo.context.keepers["XA-AN-PHU"].secretary
    items = inbox.inbox_for(anphu, today=today, kinds=["training.expiring"])
    staff = users["canbo.stp"]  # seconded to An Phú: the commune sees his certificate
    followed = expiring.get(holder=staff)
    assert [i.title for i in items] == [f"{followed.get_kind_display()} — {staff.full_name}"]
    assert followed.agency.code == "STP"


def test_a_second_run_adds_nothing(demo):
    records = records_step.RecordsBuilder(demo.context)
    records.build()
    training = training_step.TrainingBuilder(demo.context)
    training.build()
    assert (records.rows, records.record_types, training.courses) == (0, 0, 0)


def test_the_figures_count_every_dossier_once(demo):
    received = DossierStat.objects.aggregate(n=Sum("received"))["n"]
    assert received == Dossier.objects.count()
    finished = Dossier.objects.filter(status="finished").aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(on_time=False))
    )
    sums = DossierStat.objects.aggregate(finished=Sum("finished"), late=Sum("late"))
    assert (sums["finished"], sums["late"]) == (finished["n"], finished["late"])
