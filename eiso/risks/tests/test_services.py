"""The register through its services: ratings on the scale, treatments, re-rating and review as
declared in the workflow, copy last year, the report — every refusal clear and nothing saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eiso.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from eiso.core.models import AuditEvent, Notification
from eiso.risks import selectors, services
from eiso.risks.choices import RiskStatus
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskScale, Treatment
from eiso.risks.tests.factories import add_risk, add_treatment, risk_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("july", "media_in_tmp")]


def test_the_default_scale_is_data_with_its_basis():
    scale = RiskScale.objects.get(is_default=True)
    assert (scale.max_likelihood, scale.max_impact) == (5, 5)
    assert scale.acceptance_threshold == 4 and "6.1" in scale.legal_basis
    assert [scale.level(r) for r in (4, 5, 9, 10)] == ["low", "medium", "medium", "high"]


def test_a_risk_is_rated_likelihood_times_impact_and_coded(world):
    first = add_risk(world, world.A)
    second = add_risk(world, world.A, kind="opportunity", likelihood=2, impact=3)
    assert (first.code, first.rating, first.level) == ("R-01", 16, "high")
    assert (second.code, second.rating) == ("CH-01", 6)
    assert AuditEvent.objects.filter(action="risk.create").count() == 2


def test_a_likelihood_or_impact_outside_the_scale_is_refused(world):
    for bad in ({"likelihood": 6}, {"likelihood": 0}, {"impact": "cao"}):
        with pytest.raises(ValidationFailed) as refused:
            add_risk(world, world.A, **bad)
        assert set(refused.value.fields) == {next(iter(bad))}
        assert "1 to 5" in refused.value.message or "1 đến 5" in refused.value.message
    assert not Risk.objects.exists()


def test_the_process_must_belong_to_the_agency(world):
    from eiso.organizations.tests.factories import DepartmentFactory

    theirs = DepartmentFactory(agency=world.B, name="Phòng của B")
    with pytest.raises(ValidationFailed) as refused:
        add_risk(world, world.A, process_kind="department", department=theirs)
    assert set(refused.value.fields) == {"department"}
    with pytest.raises(ValidationFailed) as refused:
        add_risk(world, world.A, process_kind="internal", process="")
    assert set(refused.value.fields) == {"process"}


def test_only_keepers_add_risks(world):
    for actor in (world.binh, world.dung, world.chi):
        with pytest.raises(NotPermitted):
            services.risk_create(actor=actor, agency=world.A, year=2026, data=risk_data())


def test_a_treatment_due_after_the_year_is_refused(world):
    risk = add_risk(world, world.A)
    for due in (datetime.date(2027, 1, 1), datetime.date(2025, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            add_treatment(world, risk, due=due)
        assert set(refused.value.fields) == {"due_date"}
    assert not Treatment.objects.exists()


def test_the_treatment_owner_is_notified_and_completes_it_with_evidence(world):
    risk = add_risk(world, world.A)
    treatment = add_treatment(world, risk, owner=world.binh)
    assert Notification.objects.filter(user=world.binh).exists()
    with pytest.raises(NotPermitted):
        services.treatment_complete(actor=world.chi, treatment=treatment)
    with pytest.raises(ValidationFailed) as refused:
        services.treatment_complete(
            actor=world.binh, treatment=treatment, done_on=datetime.date(2026, 7, 16)
        )
    assert set(refused.value.fields) == {"done_on"}
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban phan cong")
    done = services.treatment_complete(
        actor=world.binh, treatment=treatment, result="Đã phân công", evidence=evidence
    )
    assert done.done_on == datetime.date(2026, 7, 15) and done.evidence_name == "bien-ban.pdf"
    with pytest.raises(ValidationFailed):
        services.treatment_complete(actor=world.binh, treatment=treatment)


def test_rerate_needs_a_treatment_above_the_threshold_and_every_treatment_done(world):
    risk = add_risk(world, world.A)
    with pytest.raises(InvalidTransition, match="plan a treatment"):
        services.risk_rerate(actor=world.an, risk=risk, likelihood=2, impact=2)
    treatment = add_treatment(world, risk)
    with pytest.raises(InvalidTransition, match="done"):
        services.risk_rerate(actor=world.an, risk=risk, likelihood=2, impact=2)
    services.treatment_complete(actor=world.an, treatment=treatment)
    with pytest.raises(ValidationFailed) as refused:
        services.risk_rerate(actor=world.an, risk=risk, likelihood=9, impact=2)
    assert set(refused.value.fields) == {"residual_likelihood"}
    rerated = services.risk_rerate(actor=world.an, risk=risk, likelihood=2, impact=2)
    assert (rerated.status, rerated.residual_rating, rerated.residual_level) == (
        "treated",
        4,
        "low",
    )


def test_an_accepted_risk_is_re_rated_without_treatment(world):
    risk = add_risk(world, world.A, likelihood=2, impact=2)
    assert (
        services.risk_rerate(actor=world.an, risk=risk, likelihood=1, impact=2).status == "treated"
    )


def test_review_needs_the_effectiveness_and_closes_reopen_needs_a_reason(world):
    risk = add_risk(world, world.A, likelihood=1, impact=2)
    with pytest.raises(InvalidTransition):  # not re-rated yet
        services.risk_review(actor=world.an, risk=risk, effectiveness="Hiệu quả")
    services.risk_rerate(actor=world.an, risk=risk, likelihood=1, impact=1)
    with pytest.raises(InvalidTransition, match="effective"):
        services.risk_review(actor=world.an, risk=risk, effectiveness=" ")
    closed = services.risk_review(actor=world.an, risk=risk, effectiveness="Không còn hồ sơ trễ")
    assert closed.status == RiskStatus.CLOSED and closed.reviewed_by == world.an
    with pytest.raises(InvalidTransition):  # closed: no more edits
        services.risk_update(actor=world.an, risk=closed, data={"likelihood": 3})
    with pytest.raises(ValidationFailed):
        services.risk_reopen(actor=world.an, risk=closed, reason="")
    assert (
        services.risk_reopen(actor=world.an, risk=closed, reason="Phát sinh mới").status == "open"
    )


def test_staff_and_overseers_cannot_rerate_or_review(world):
    risk = add_risk(world, world.A, likelihood=1, impact=1)
    for actor in (world.binh, world.dung):
        with pytest.raises(NotPermitted):
            services.risk_rerate(actor=actor, risk=risk, likelihood=1, impact=1)


def test_copy_last_year_copies_what_the_new_year_lacks(world):
    services.issue_create(
        actor=world.an,
        agency=world.A,
        year=2025,
        data={"kind": "external", "category": "legal", "description": "Luật mới về TTHC"},
    )
    services.party_create(
        actor=world.an,
        agency=world.A,
        year=2025,
        data={"kind": "citizens", "name": "Người dân", "requirements": "Giải quyết đúng hạn"},
    )
    old = add_risk(world, world.A, year=2025, likelihood=1, impact=3)
    services.risk_rerate(actor=world.an, risk=old, likelihood=1, impact=2)
    copied = services.copy_last_year(actor=world.an, agency=world.A, year=2026)
    assert copied == {"issues": 1, "parties": 1, "risks": 1}
    new = Risk.objects.get(year=2026)
    assert (new.code, new.rating, new.status, new.residual_rating) == ("R-01", 2, "open", None)
    assert ContextIssue.objects.filter(year=2026).count() == 1
    assert InterestedParty.objects.filter(year=2026).count() == 1
    with pytest.raises(ValidationFailed, match="Nothing to copy"):
        services.copy_last_year(actor=world.an, agency=world.A, year=2026)


def test_context_issues_and_parties_refuse_what_is_missing(world):
    with pytest.raises(ValidationFailed) as refused:
        services.issue_create(actor=world.an, agency=world.A, year=2026, data={"kind": "x"})
    assert set(refused.value.fields) == {"kind", "category", "description"}
    with pytest.raises(ValidationFailed) as refused:
        services.party_create(actor=world.an, agency=world.A, year=2026, data={"kind": "citizens"})
    assert set(refused.value.fields) == {"name", "requirements"}


def test_the_heat_map_moves_a_risk_after_re_rating(world):
    risk = add_risk(world, world.A, likelihood=4, impact=4)
    add_risk(world, world.B, likelihood=4, impact=4)
    before, after = selectors.heat_maps(selectors.risk_list(user=world.an))

    def count(grid, likelihood, impact):
        return next(
            c.count
            for row in grid.rows
            for c in row
            if (c.likelihood, c.impact) == (likelihood, impact)
        )

    assert count(before, 4, 4) == 1 and count(after, 4, 4) == 1
    services.treatment_complete(actor=world.an, treatment=add_treatment(world, risk))
    services.risk_rerate(actor=world.an, risk=risk, likelihood=2, impact=2)
    before, after = selectors.heat_maps(selectors.risk_list(user=world.an))
    assert count(before, 4, 4) == 1 and count(after, 4, 4) == 0 and count(after, 2, 2) == 1
    assert before.rows[0][4].level == "high" and before.rows[4][0].level == "low"


def test_the_report_needs_a_date_and_every_high_risk_treated_then_freezes(world):
    risk = add_risk(world, world.A)
    report = services.report_save(actor=world.an, agency=world.A, year=2026)
    with pytest.raises(InvalidTransition, match="date"):
        services.report_finalize(actor=world.an, report=report)
    report = services.report_save(
        actor=world.an, agency=world.A, year=2026, report_date=datetime.date(2026, 7, 1)
    )
    with pytest.raises(InvalidTransition, match="R-01"):
        services.report_finalize(actor=world.an, report=report)
    add_treatment(world, risk)
    final = services.report_finalize(actor=world.an, report=report)
    assert final.status == "final" and final.snapshot[0]["code"] == "R-01"
    with pytest.raises(InvalidTransition):
        services.report_save(actor=world.an, agency=world.A, year=2026, summary="x")
