"""The public forms: the rating a QR code leads to (the agency's, a desk's), a complaint with
its tracking code, and the abuse resistance without a CAPTCHA — the rate limit per client
address (behind trusted proxies only), the honeypot, the signed short-lived single-use form
token, duplicates kept once. CSRF works without a session."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from eiso.feedback import services as feedback
from eiso.feedback.models import Complaint, Rating
from eiso.feedback.tests.factories import tthc
from eiso.objectives.tests.conftest import at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]
SCORES = {"attitude": "5", "timeliness": "4", "guidance": "5", "result": "4"}


@pytest.fixture
def quick(settings):
    """People in tests fill the form at once: no minimum time."""
    settings.PUBLIC_FORM_MIN_SECONDS = 0


def form_of(client, url, **extra):
    page = client.get(url, **extra)
    assert page.status_code == 200, page.status_code
    body = page.content.decode()
    return {
        "form_token": re.search(r'name="form_token" value="([^"]+)"', body).group(1),
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(
            1
        ),
    }


def send_rating(client, url, data=None, **extra):
    fields = form_of(client, url, **extra)
    return client.post(url, {**fields, **SCORES, **(data or {})}, **extra)


def test_a_rating_with_csrf_and_no_session_reaches_the_agency(world, quick):
    strict = Client(enforce_csrf_checks=True)
    url = reverse("portal:rating", args=["A"]) + "?qr=1"
    procedure = tthc(world, world.A)
    response = send_rating(
        strict,
        url,
        {
            "procedure": procedure.pk,
            "dossier_code": "000.00.12.H01-260617-0001",
            "comment": "Cán bộ hướng dẫn tận tình",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:rating_thanks", args=["A"])
    assert "sessionid" not in response.cookies
    rating = Rating.objects.get()
    assert (rating.agency, rating.procedure, rating.source) == (world.A, procedure, "qr")
    assert rating.satisfied and rating.comment == "Cán bộ hướng dẫn tận tình"
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0
    thanks = strict.get(response["Location"])
    assert thanks.status_code == 200 and not thanks.cookies


def test_a_desk_code_says_which_desk_and_a_desk_not_in_use_or_foreign_is_404(client, world, quick):
    desk = feedback.desk_create(actor=world.an, agency=world.A, data={"name": "Quầy 2"})
    other = feedback.desk_create(actor=world.chi, agency=world.B, data={"name": "Quầy 1"})
    url = reverse("portal:rating_desk", args=["A", desk.pk])
    assert send_rating(client, url).status_code == 302
    assert Rating.objects.get().desk == desk
    assert client.get(reverse("portal:rating_desk", args=["A", other.pk])).status_code == 404
    feedback.desk_update(actor=world.an, desk=desk, data={"is_active": False})
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:rating", args=["NOPE"])).status_code == 404


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(client, world, quick):
    url = reverse("portal:rating", args=["A"])
    response = send_rating(client, url, {"website": "http://spam.example"})
    assert response.status_code == 302 and Rating.objects.count() == 0
    complaint_url = reverse("portal:complaint", args=["A"])
    fields = form_of(client, complaint_url)
    sent = client.post(
        complaint_url,
        {
            **fields,
            "kind": "complaint",
            "subject": "Mua thuốc giá rẻ",
            "content": "spam",
            "website": "x",
        },
    )
    assert sent.status_code == 200 and Complaint.objects.count() == 0


def test_a_form_without_a_valid_token_is_refused(client, world, quick):
    url = reverse("portal:rating", args=["A"])
    fields = form_of(client, url)
    missing = client.post(url, {**SCORES, "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"]})
    forged = client.post(url, {**fields, **SCORES, "form_token": fields["form_token"] + "x"})
    other = form_of(client, reverse("portal:rating", args=["B"]))["form_token"]
    for_another_agency = client.post(url, {**fields, **SCORES, "form_token": other})
    for response in (missing, forged, for_another_agency):
        assert response.status_code == 400
        assert "expired" in response.content.decode() or "hết hạn" in response.content.decode()
    assert Rating.objects.count() == 0


def test_a_token_expires_after_two_hours(client, world, quick):
    url = reverse("portal:rating", args=["A"])
    fields = form_of(client, url)
    late = at(2026, 6, 17, 12) + datetime.timedelta(seconds=1)
    with time_machine.travel(late, tick=False):  # two hours and one second later
        assert client.post(url, {**fields, **SCORES}).status_code == 400
    fields = form_of(client, url)
    with time_machine.travel(at(2026, 6, 17, 11), tick=False):
        assert client.post(url, {**fields, **SCORES}).status_code == 302
    assert Rating.objects.count() == 1


def test_a_form_sent_back_too_fast_is_refused(client, world):
    url = reverse("portal:rating", args=["A"])
    fields = form_of(client, url)  # the clock is stopped: sent back at once
    refused = client.post(url, {**fields, **SCORES})
    assert refused.status_code == 400 and Rating.objects.count() == 0
    with time_machine.travel(at(2026, 6, 17, 10) + datetime.timedelta(seconds=3), tick=False):
        assert client.post(url, {**fields, **SCORES}).status_code == 302
    assert Rating.objects.count() == 1


def test_a_token_is_used_once_and_the_same_content_is_kept_once(client, world, quick):
    url = reverse("portal:rating", args=["A"])
    fields = form_of(client, url)
    assert client.post(url, {**fields, **SCORES}).status_code == 302
    assert client.post(url, {**fields, **SCORES}).status_code == 302  # the same form again
    assert Rating.objects.count() == 1
    again = send_rating(client, url)  # a new form, the same answers, the same address
    assert again.status_code == 302 and Rating.objects.count() == 1
    elsewhere = send_rating(client, url, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.status_code == 302 and Rating.objects.count() == 2
    different = send_rating(client, url, {"comment": "Thêm ý kiến"})
    assert different.status_code == 302 and Rating.objects.count() == 3


def test_ratings_are_rate_limited_per_address(client, settings, world, quick):
    settings.PUBLIC_RATE_LIMITS = {"rating": (2, 3600)}
    url = reverse("portal:rating", args=["A"])
    for comment in ("một", "hai"):
        assert send_rating(client, url, {"comment": comment}).status_code == 302
    limited = send_rating(client, url, {"comment": "ba"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    # another address is not limited; a forged X-Forwarded-For changes nothing
    assert (
        send_rating(client, url, {"comment": "bốn"}, REMOTE_ADDR="203.0.113.7").status_code == 302
    )
    forged = send_rating(client, url, {"comment": "năm"}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429
    assert Rating.objects.count() == 3


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(client, settings, world, quick):
    settings.PUBLIC_RATE_LIMITS = {"rating": (1, 3600)}
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("portal:rating", args=["A"])
    one = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    two = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert send_rating(client, url, {"comment": "a"}, **one).status_code == 302
    assert send_rating(client, url, {"comment": "b"}, **one).status_code == 429
    assert send_rating(client, url, {"comment": "c"}, **two).status_code == 302


def test_pages_are_rate_limited_too(client, settings, world):
    settings.PUBLIC_RATE_LIMITS = {"page": (3, 60)}
    url = reverse("portal:home")
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_a_complaint_gets_a_tracking_code_and_its_answer_is_read_with_it(client, world, quick):
    url = reverse("portal:complaint", args=["A"])
    fields = form_of(client, url)
    sent = client.post(
        url,
        {
            **fields,
            "kind": "complaint",
            "subject": "Trả kết quả trễ hẹn",
            "content": "Hồ sơ hẹn ngày 10/06 nhưng đến 17/06 chưa có.",
            "contact_phone": "0912345678",
        },
    )
    assert sent.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in sent.content.decode()
    assert complaint.channel == "public_portal" and complaint.contact_phone == "0912345678"
    assert sent["Cache-Control"] == "no-store, private"
    lookup = client.get(reverse("portal:tracking"), {"ma": complaint.tracking_code.lower()})
    assert lookup.status_code == 302
    page = client.get(lookup["Location"])
    body = page.content.decode()
    assert "Trả kết quả trễ hẹn" in body and "0912345678" not in body
    feedback.complaint_answer(
        actor=world.an,
        complaint=complaint,
        answer="Đã trả kết quả, xin lỗi ông/bà.",
        outcome="justified",
    )
    answered = client.get(lookup["Location"]).content.decode()
    assert "Đã trả kết quả, xin lỗi ông/bà." in answered
    assert client.get(reverse("portal:tracking_detail", args=["AAAA-BBBB-CCCC"])).status_code == 404
    unknown = client.get(reverse("portal:tracking"), {"ma": "AAAA-BBBB-CCCC"})
    assert unknown.status_code == 200 and 'data-testid="tracking-form"' in unknown.content.decode()


def test_tracking_look_ups_are_rate_limited(client, settings, world):
    settings.PUBLIC_RATE_LIMITS = {"lookup": (2, 600)}
    url = reverse("portal:tracking")
    codes = [client.get(url, {"ma": f"AAAA-BBBB-CCC{i}"}).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_a_complaint_form_with_errors_keeps_what_was_typed(client, world, quick):
    url = reverse("portal:complaint", args=["A"])
    fields = form_of(client, url)
    response = client.post(url, {**fields, "kind": "complaint", "subject": "Chỉ có tiêu đề"})
    assert response.status_code == 400
    assert "Chỉ có tiêu đề" in response.content.decode() and Complaint.objects.count() == 0
