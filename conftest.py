import pytest

from eiso.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _no_axes_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _sign_in_hardening_off_between_tests(settings):
    """Tests sign people in with ``force_login`` and move clocks: the second factor and the
    idle timeout are tested where they are built (eiso/accounts/tests, e2e/test_two_factor.py)
    and off elsewhere."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    settings.SESSION_IDLE_MINUTES = 0
