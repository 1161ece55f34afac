import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_the_switch_chooses_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "en" and "Sign in" in response.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert client.get(reverse("accounts:login"))["Content-Language"] == "vi"
