"""The public portal for anonymous visitors: agencies found without accents, only published
announcements, procedures through their ISO procedure's revision in force (the switch on its
effective date, both sides), files downloadable only when public and in force, history only
when asked and without files, the statistics and sitemap; cached pages dropped when what they
show changes; no session and no cookie; query counts that do not grow with the rows."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from eiso.objectives.tests.conftest import at
from eiso.portal import selectors, services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]


def text(response) -> str:
    return response.content.decode()


def file_url(f) -> str:
    return reverse("portal:file", args=[f.pk])


def test_an_agency_is_found_without_typing_accents(client, published):
    for query in ("so tu phap", "SO TU PHAP", "tư pháp", "tu ph"):
        body = text(client.get(reverse("portal:home"), {"q": query}))
        assert "Sở Tư pháp tỉnh Phú An" in body, query
    assert "Sở Y tế" not in text(client.get(reverse("portal:home")))  # not published
    assert "Sở Y tế" not in text(client.get(reverse("portal:home"), {"q": "so y te"}))
    filtered = text(client.get(reverse("portal:home"), {"tier": "commune"}))
    assert "Sở Tư pháp" not in filtered


def test_only_the_published_announcement_and_its_signed_decision_are_shown(client, published):
    page = text(client.get(reverse("portal:agency", args=["A"])))
    assert "25/QĐ-A" in page and "04/05/2026" in page
    pdf = client.get(reverse("portal:announcement_file", args=[published.announcement.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    hidden = published.unpublished_announcement
    assert client.get(reverse("portal:announcement_file", args=[hidden.pk])).status_code == 404
    assert "31/QĐ-B" not in text(client.get(reverse("portal:agency", args=["B"])))
    page_of_b = text(client.get(reverse("portal:agency", args=["b"])))  # any case
    assert 'data-testid="current-announcement"' not in page_of_b


def test_a_procedure_shows_the_revision_in_force_its_steps_and_files(client, published):
    url = reverse("portal:procedure", args=["A", "1.001.A"])
    body = text(client.get(url))
    assert "Đăng ký khai sinh" in body and "QT-01" in body
    assert "Thẩm định, trình ký" in body  # revision 2's step table
    assert "Dự thảo lần 3" not in body
    rev2_file = published.file_of(published.rev2)
    assert file_url(rev2_file) in body
    assert file_url(published.file_of(published.rev1)) not in body
    assert file_url(published.file_of(published.draft)) not in body
    assert file_url(published.file_of(published.form)) in body  # the published form
    assert "BM-02" not in body  # a form the agency did not publish
    assert client.get(reverse("portal:procedure", args=["A", "1.002.A"])).status_code == 404


def test_files_are_downloaded_only_when_public_and_in_force(client, published):
    ok = [published.file_of(published.rev2), published.file_of(published.form)]
    refused = [
        published.file_of(published.rev1),  # no longer in force
        published.file_of(published.draft),  # a draft
        published.file_of(published.hidden_form),  # not marked public
        published.file_of(published.internal),  # an internal document
    ]
    for f in ok:
        response = client.get(file_url(f))
        assert response.status_code == 200, f.original_name
        assert response["Content-Disposition"].startswith("attachment")
    for f in refused:
        assert client.get(file_url(f)).status_code == 404, f.original_name
    assert client.get("/public/tep/999999/").status_code == 404
    services.document_publish(
        actor=published_actor(published), document=published.form, published=False
    )
    assert client.get(file_url(ok[1])).status_code == 404


def published_actor(published):
    from eiso.accounts.models import User

    return User.objects.get(username="an")


def test_the_switch_to_a_new_revision_happens_on_its_effective_date(client, world):
    from eiso.portal.tests.factories import published_world

    made = published_world(world)
    url = reverse("portal:procedure", args=["A", "1.001.A"])
    with time_machine.travel(at(2026, 3, 1, 23), tick=False):
        before = text(client.get(url))
        assert client.get(file_url(made.file_of(made.rev1))).status_code == 200
        assert client.get(file_url(made.file_of(made.rev2))).status_code == 404
    with time_machine.travel(at(2026, 3, 2, 0), tick=False):
        after = text(client.get(url))
        assert client.get(file_url(made.file_of(made.rev1))).status_code == 404
        assert client.get(file_url(made.file_of(made.rev2))).status_code == 200
    assert "Thẩm định, trình ký" not in before and "Thẩm định, trình ký" in after


def test_earlier_revisions_only_when_asked_and_without_their_files(client, published):
    url = reverse("portal:procedure", args=["A", "1.001.A"])
    assert 'data-testid="revision-history"' not in text(client.get(url))
    history = text(client.get(url, {"lich-su": "1"}))
    assert 'data-testid="revision-history"' in history
    assert "12/01/2026 – 02/03/2026" in history and "Rút ngắn thời gian thẩm định" in history
    assert "Dự thảo lần 3" not in history
    assert file_url(published.file_of(published.rev1)) not in history


def test_statistics_count_by_tier_and_the_sitemap_lists_what_is_public(client, published):
    stats = text(client.get(reverse("portal:statistics")))
    assert 'data-tier-announced="provincial">2<' in stats  # A and B announced
    rows = {row.tier: row for row in selectors.tier_counts()}
    assert (rows["provincial"].announced, rows["provincial"].published) == (2, 1)
    sitemap = text(client.get(reverse("portal:sitemap")))
    assert "/public/co-quan/A/" in sitemap
    assert "/public/co-quan/A/thu-tuc/1.001.A/" in sitemap
    assert "1.002.A" not in sitemap and "/co-quan/B/" not in sitemap


def test_pages_are_cached_and_dropped_when_what_they_show_changes(client, published):
    url = reverse("portal:agency", args=["A"])
    first, second = client.get(url), client.get(url)
    assert (first["X-Portal-Cache"], second["X-Portal-Cache"]) == ("miss", "hit")
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert "BM-01" in text(second)
    services.document_publish(
        actor=published_actor(published), document=published.form, published=False
    )
    third = client.get(url)
    assert third["X-Portal-Cache"] == "miss" and "BM-01" not in text(third)


def test_no_session_and_no_cookie_for_visitors(client, published):
    urls = [
        reverse("portal:home"),
        reverse("portal:home") + "?q=tu+phap",
        reverse("portal:agency", args=["A"]),
        reverse("portal:procedure", args=["A", "1.001.A"]),
        reverse("portal:statistics"),
        reverse("portal:sitemap"),
        reverse("portal:tracking"),
        reverse("portal:rating_thanks", args=["A"]),
        file_url(published.file_of(published.rev2)),
        "/public/co-quan/KHONG-CO/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert not response.cookies, (url, list(response.cookies))
        assert "Set-Cookie" not in response.headers, url
    # the forms set the CSRF cookie (no session either)
    form = client.get(reverse("portal:rating", args=["A"]))
    assert set(form.cookies) == {"csrftoken"}
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0


def test_public_pages_are_in_vietnamese_with_lang_and_labels(client, published):
    body = text(client.get(reverse("portal:home")))
    assert '<html lang="vi">' in body
    assert 'href="#main"' in body  # skip link for keyboard users
    rating = text(client.get(reverse("portal:rating", args=["A"])))
    for field in ("id_procedure", "id_dossier_code", "id_comment"):
        assert f'for="{field}"' in rating
    assert rating.count("<legend") == 4  # one per criterion
    assert "style=" not in rating and "<script>" not in rating


def _many_agencies(world, count: int):
    """``count`` more agencies that announced and published (the list grows)."""
    from eiso.accounts.tests.factories import MembershipFactory, UserFactory
    from eiso.organizations.tests.factories import AgencyFactory
    from eiso.portal.tests.factories import announce
    from eiso.procedures.tests.factories import handled, procedure

    for i in range(count):
        agency = AgencyFactory(code=f"X{i}", name=f"Sở Thử nghiệm {i}", parent=world.P)
        user = UserFactory(username=f"thuky{i}")
        MembershipFactory(user=user, agency=agency, role="iso_secretary")
        handled(world, agency, procedure(world, f"9.{i:03d}"))
        with time_machine.travel(at(2026, 5, 5), tick=False):
            announce(
                world,
                agency,
                user,
                number=str(40 + i),
                day=datetime.date(2026, 5, 5),
                published=True,
            )


@pytest.mark.parametrize(
    "url, queries",
    [
        ("/public/", 4),
        ("/public/?q=so", 4),
        ("/public/thong-ke/", 4),
        ("/public/sitemap.xml", 2),
        ("/public/co-quan/A/", 8),
        ("/public/co-quan/A/thu-tuc/1.001.A/?lich-su=1", 9),
    ],
)
def test_query_counts_do_not_grow_with_the_rows(
    client, published, world, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _many_agencies(world, 4)
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):  # cached
        assert client.get(url).status_code == 200


def test_a_csrf_token_is_required_on_the_public_forms(published):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("portal:rating", args=["A"]))
    token = re.search(r'name="form_token" value="([^"]+)"', text(page)).group(1)
    refused = strict.post(
        reverse("portal:rating", args=["A"]), {"attitude": "5", "form_token": token}
    )
    assert refused.status_code == 403
