import pytest
from django.urls import reverse

from eiso.core.models import Notification
from eiso.core.notifications import notify


@pytest.mark.django_db
def test_a_person_sees_only_their_notifications_and_the_header_counts_them(client, world):
    notify(users=[world.binh], agency=world.A, message="Tài liệu mới: QT-01", url="/documents/")
    notify(users=[world.chi], agency=world.B, message="Tài liệu của Sở Y tế", url="/")
    client.force_login(world.binh)
    response = client.get(reverse("core:notifications"))
    body = response.content.decode()
    assert "QT-01" in body and "Sở Y tế" not in body
    assert response.context["unread_notifications"] == 1


@pytest.mark.django_db
def test_opening_marks_read_and_follows_only_local_links(client, world):
    notify(users=[world.binh], agency=world.A, message="x", url="https://evil.example/")
    notification = Notification.objects.get(user=world.binh)
    client.force_login(world.binh)
    response = client.post(reverse("core:notification_open", args=[notification.pk]))
    assert response.url == reverse("core:notifications")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_another_persons_notification_is_404(client, world):
    notify(users=[world.chi], agency=world.B, message="x")
    notification = Notification.objects.get(user=world.chi)
    client.force_login(world.binh)
    assert client.post(reverse("core:notification_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
def test_mark_all_read_and_the_list_query_count(client, world, django_assert_num_queries):
    notify(users=[world.binh], agency=world.A, message="một")
    client.force_login(world.binh)
    url = reverse("core:notifications")
    with django_assert_num_queries(6) as first:
        client.get(url)
    for i in range(20):
        notify(users=[world.binh], agency=world.A, message=f"thông báo {i}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)
    client.post(reverse("core:notifications_read"))
    assert not Notification.objects.filter(user=world.binh, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_reading_the_object_clears_its_notification_and_only_that_one(client, world):
    from eiso.documents.tests.factories import make_draft

    document, _ = make_draft(world, world.A)
    page = reverse("documents:detail", args=[document.pk])
    notify(users=[world.an], agency=world.A, message="Bị trả lại", url=f"{page}#revision")
    notify(users=[world.an], agency=world.A, message="Khác", url=f"{page}999/")
    notify(users=[world.binh], agency=world.A, message="Của người khác", url=page)
    client.force_login(world.an)
    response = client.get(page)
    assert response.context["unread_notifications"] == 1
    assert Notification.objects.get(message="Bị trả lại").read_at is not None
    assert Notification.objects.get(message="Khác").read_at is None
    assert Notification.objects.get(message="Của người khác").read_at is None
