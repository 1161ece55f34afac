"""Nothing leaks to a visitor who is not signed in (issue 12, "Must show"): every URL pattern
of the project is walked as an anonymous visitor, with ids and codes aimed at real rows —
drafts, revisions no longer in force, documents and forms not marked public, an announcement
not published, a complaint's contact. Signed-in pages send the visitor to the sign-in page and
show nothing; the API answers 401/403; the public pages show only what was made public."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eiso.feedback.tests.factories import register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june")]

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
# Pages anyone may open without signing in: signing in, recovering a password, the language.
OPEN_TO_ALL = re.compile(r"^/(accounts/(login|password/reset)/|i18n/)")


def patterns(resolver=None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete(route: str, values: dict[str, list[str]]) -> list[str]:
    """Every URL of ``route`` with its parameters replaced by the sample values."""
    route = route.lstrip("^").rstrip("$").replace("\\.", ".")
    names = [m.group("name") for m in CONVERTER.finditer(route)]
    names += [m.group("name") for m in NAMED_GROUP.finditer(route)]
    urls = ["/" + route]
    for name in names:
        options = values.get(name, values["*"])
        expanded = []
        for url in urls:
            for option in options:
                replaced = (
                    CONVERTER.sub(
                        lambda m, n=name, o=option: o if m.group("name") == n else m.group(0),
                        url,
                        1,
                    )
                    if f":{name}>" in url or f"<{name}>" in url
                    else NAMED_GROUP.sub(
                        lambda m, n=name, o=option: o if m.group("name") == n else m.group(0),
                        url,
                        1,
                    )
                )
                expanded.append(replaced)
        urls = expanded
    return [u for u in urls if "(?" not in u and "<" not in u]


def private_markers(published, complaint) -> list[str]:
    return [
        "Dự thảo lần 3",  # a draft's change summary
        "QT-01 dự thảo",  # a draft's file
        "31/QĐ-B",  # an announcement not published
        "Quy trình nội bộ lưu trữ",  # an internal document
        "Phiếu kiểm soát quá trình",  # a form not marked public
        complaint.contact_phone,
        complaint.handling_note,
    ]


def test_every_url_as_an_anonymous_visitor(client, published, world):
    complaint = register(
        world, contact_phone="0912345678", subject="Phản ánh riêng tư", content="Nội dung riêng tư"
    )
    from eiso.feedback import services

    services.complaint_assign(
        actor=world.an, complaint=complaint, handler=world.binh, note="Ghi chú nội bộ bí mật"
    )
    complaint.refresh_from_db()
    files = [
        published.file_of(r)
        for r in (
            published.rev1,
            published.rev2,
            published.draft,
            published.hidden_form,
            published.internal,
            published.form,
        )
    ]
    ints = sorted(
        {
            str(x)
            for x in [
                1,
                complaint.pk,
                published.iso.pk,
                published.rev1.pk,
                published.draft.pk,
                published.unpublished_announcement.pk,
                published.announcement.pk,
                *(f.pk for f in files),
            ]
        }
    )
    values = {
        "*": ["x"],
        "pk": ints,
        "id": ints,
        "desk": ints,
        "code": ["A", "B", complaint.tracking_code],
        "procedure_code": ["1.001.A", "1.002.A"],
        "kind": ["agencies", "users"],
        "path": ["x"],
        "format": ["json"],
        "uidb64": ["MQ"],
        "token": ["set-password"],
    }
    login = reverse(settings.LOGIN_URL)
    markers = private_markers(published, complaint)
    seen_public, checked = 0, 0
    leaks, wrong = [], []
    for route in patterns():
        for url in concrete(route, values):
            if url.startswith(("/static/", "/media/")):
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                checked += 1
                status = response.status_code
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                body = body.decode(errors="replace")
                if url.startswith("/public/") or url.startswith("/api/v1/public/"):
                    seen_public += 1
                    leaks += [(url, m) for m in markers if m and m in body]
                    if status == 200 and url.startswith("/public/tep/"):
                        allowed = {
                            str(published.file_of(published.rev2).pk),
                            str(published.file_of(published.form).pk),
                        }
                        if url.split("/")[3] not in allowed:
                            wrong.append((method, url, status))
                    if status == 200 and "/thu-tuc/1.002.A/" in url:  # not marked public
                        wrong.append((method, url, status))
                    announcement = str(published.announcement.pk)
                    if status == 200 and "/cong-bo/" in url and url.split("/")[3] != announcement:
                        wrong.append((method, url, status))
                    continue
                if url.startswith("/api/"):
                    if status not in (401, 403, 404, 405):
                        wrong.append((method, url, status))
                    continue
                if OPEN_TO_ALL.match(url):
                    continue
                redirected_to_login = status == 302 and response["Location"].startswith(login)
                if not (redirected_to_login or status in (404, 405)):
                    wrong.append((method, url, status))
                leaks += [(url, m) for m in markers if m and m in body]
    assert checked > 400 and seen_public > 20, (checked, seen_public)
    assert wrong == [], wrong
    assert leaks == [], leaks
