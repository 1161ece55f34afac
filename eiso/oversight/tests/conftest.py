import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """A client that speaks JSON by default (as in eiso/api/tests)."""
    return APIClient()
