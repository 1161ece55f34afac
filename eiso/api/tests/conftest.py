import pytest
from rest_framework.test import APIClient

from eiso.accounts.testing import token_for


@pytest.fixture
def api():
    """A client that speaks JSON by default."""
    return APIClient()


@pytest.fixture
def as_token():
    """``as_token(user)``: an API client authenticated with the user's token, as an
    integration would be (no session)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path
