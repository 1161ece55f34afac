import pytest

from eiso.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _no_axes_between_tests(settings):
    settings.AXES_ENABLED = False
