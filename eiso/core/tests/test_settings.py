import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings_from_url, env_bool, env_int

ROOT = Path(__file__).resolve().parents[3]


def test_env_helpers_fail_loudly_on_malformed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "peut-etre")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "abc")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_BOOL", "yes")
    assert env_bool("X_BOOL") is True


def test_email_url_is_translated():
    smtp = email_settings_from_url("smtp+tls://user%40x:p%40ss@mail.tinh.gov.vn:587")
    assert smtp["EMAIL_HOST"] == "mail.tinh.gov.vn" and smtp["EMAIL_USE_TLS"]
    assert smtp["EMAIL_HOST_USER"] == "user@x" and smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert email_settings_from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url("ftp://x")


def _manage(args, env):
    dropped = {"EISO_DEV", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage(["check"], {"EISO_TESTING": "0"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "EISO_TESTING": "0",
            "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "eiso.tinh.gov.vn",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_code_only_commands_run_without_production_variables():
    result = _manage(["makemigrations", "--check", "--dry-run"], {"EISO_TESTING": "0"})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
