"""Settings fail loudly where a default would be unsafe, and not in the demo."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env
from guichet.documents.signing import new_private_pem

PRODUCTION = {
    "SECRET_KEY": "a-real-secret-for-this-test-only",
    "GUICHET_BASE_URL": "https://guichet.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Guichet <ne-pas-repondre@example.org>",
    "GUICHET_DOCUMENT_SIGNING_KEY": new_private_pem(),
    "GUICHET_DOCUMENT_KEY_ID": "K001",
}


def setup_django(tmp_path, **variables) -> subprocess.CompletedProcess:
    """`django.setup()` in a fresh interpreter whose environment holds only `variables`."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GUICHET_VAR_DIR": str(tmp_path),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = setup_django(tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_without_smtp_host_refuses_to_start(tmp_path):
    variables = {name: value for name, value in PRODUCTION.items() if name != "EMAIL_HOST"}

    result = setup_django(tmp_path, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_HOST must be set" in result.stderr


def test_production_without_the_documents_signing_key_refuses_to_start(tmp_path):
    variables = {k: v for k, v in PRODUCTION.items() if k != "GUICHET_DOCUMENT_SIGNING_KEY"}

    result = setup_django(tmp_path, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured: GUICHET_DOCUMENT_SIGNING_KEY must be set" in result.stderr


def test_production_with_a_signing_key_that_is_not_p256_refuses_to_start(tmp_path):
    result = setup_django(tmp_path, **(PRODUCTION | {"GUICHET_DOCUMENT_SIGNING_KEY": "abc"}))

    assert result.returncode != 0
    assert "GUICHET_DOCUMENT_SIGNING_KEY is not a readable PEM private key" in result.stderr


def test_production_with_every_secret_starts(tmp_path):
    result = setup_django(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_demo_starts_without_any_secret(tmp_path):
    result = setup_django(tmp_path, GUICHET_DEMO="1")

    assert result.returncode == 0, result.stderr


def test_a_flag_that_is_neither_yes_nor_no_refuses_to_start(tmp_path):
    result = setup_django(tmp_path, GUICHET_DEMO="maybe")

    assert result.returncode != 0
    assert "GUICHET_DEMO='maybe'" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *[("1", True), ("TRUE", True), (" yes ", True), ("on", True)],
        *[("0", False), ("false", False), ("No", False), ("off", False), ("", False)],
    ],
)
def test_flag_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("GUICHET_TEST_FLAG", raw)

    assert env.flag("GUICHET_TEST_FLAG") is expected


def test_flag_refuses_maybe(monkeypatch):
    monkeypatch.setenv("GUICHET_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="GUICHET_TEST_FLAG='maybe'"):
        env.flag("GUICHET_TEST_FLAG")


def test_flag_takes_its_default_when_unset(monkeypatch):
    monkeypatch.delenv("GUICHET_TEST_FLAG", raising=False)

    assert env.flag("GUICHET_TEST_FLAG", True) is True
    assert env.flag("GUICHET_TEST_FLAG") is False


def test_integer_refuses_what_is_not_a_whole_number(monkeypatch):
    monkeypatch.setenv("GUICHET_TEST_NUMBER", "12.5")

    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env.integer("GUICHET_TEST_NUMBER", 1)


def test_integer_takes_its_default_when_empty(monkeypatch):
    monkeypatch.setenv("GUICHET_TEST_NUMBER", " ")

    assert env.integer("GUICHET_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["-1", "301"])
def test_integer_refuses_what_is_out_of_its_range(monkeypatch, raw):
    monkeypatch.setenv("GUICHET_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="from 0 to 300"):
        env.integer("GUICHET_TEST_NUMBER", 60, low=0, high=300)


@pytest.mark.parametrize(
    ("name", "raw"),
    [("FC_CLOCK_SKEW_SECONDS", "3600"), ("FC_CLOCK_SKEW_SECONDS", "-60"), ("FC_HTTP_TIMEOUT_SECONDS", "0")],
)  # fmt: skip
def test_a_franceconnect_tolerance_out_of_bounds_refuses_to_start(tmp_path, name, raw):
    result = setup_django(tmp_path, GUICHET_DEMO="1", **{name: raw})

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}={raw!r}: expected a whole number from" in result.stderr


def test_words_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("GUICHET_TEST_WORDS", " a.example.org, ,b.example.org ")

    assert env.words("GUICHET_TEST_WORDS") == ["a.example.org", "b.example.org"]


def test_required_falls_back_only_when_relaxed(monkeypatch):
    monkeypatch.delenv("GUICHET_TEST_SECRET", raising=False)

    assert env.required("GUICHET_TEST_SECRET", unless=True, fallback="demo") == "demo"
    with pytest.raises(ImproperlyConfigured, match="GUICHET_TEST_SECRET must be set"):
        env.required("GUICHET_TEST_SECRET", unless=False, fallback="demo")
