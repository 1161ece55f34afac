"""``seed_demo`` tells the newcomer whether the demo's administrator and overseer will be asked
for a second factor (TWO_FACTOR_REQUIRED_ROLES), in Vietnamese."""

from django.utils import translation

from eiso.demo.management.commands.seed_demo import two_factor_notice


def test_the_local_demo_says_the_second_factor_is_only_offered():
    with translation.override("vi"):
        text = two_factor_notice([])
    assert "không bắt buộc" in text and "TWO_FACTOR_REQUIRED_ROLES" in text


def test_production_names_the_roles_that_must_enrol():
    with translation.override("en"):
        text = two_factor_notice(["admin", "overseer"])
    assert text.startswith("Two-factor sign-in is required of these roles: admin, overseer")
