"""Test settings that only the test suite may have: a fast hasher, tasks kept in memory, plain
static files, and one Redis database per xdist worker when the suite runs against Redis."""

import os
import re

import pytest


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import setting_changed

    overrides = {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        "STATIC_ROOT": None,  # nothing collected: the live server serves the apps' static files
        "GUICHET_LOGIN_RATE_PER_IP": "1000/m",
    }
    if settings.REDIS_URL:
        # REDIS_URL's database is the base: worker gwN uses base + N + 1, so that each worker may
        # clear its cache between tests without touching another's (or another run's) keys.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        match = re.search(r"/(\d+)$", settings.REDIS_URL.rstrip("/"))
        base = int(match.group(1)) if match else 0
        index = base + int(re.sub(r"\D", "", worker) or 0) + 1
        server = re.sub(r"/\d+$", "", settings.REDIS_URL.rstrip("/"))
        overrides["CACHES"] = {
            "default": {**settings.CACHES["default"], "LOCATION": f"{server}/{index}"}
        }
    # Django is already set up and some of these were read (the hashers and task backends are
    # cached): announce each change, as override_settings would.
    for name, value in overrides.items():
        setattr(settings, name, value)
        setting_changed.send(sender=type(settings), setting=name, value=value, enter=True)


@pytest.fixture(autouse=True)
def _isolated_side_effects():
    """Each test starts with an empty cache and no queued task."""
    from django.conf import settings
    from django.core.cache import cache
    from django.tasks import default_task_backend

    if settings.REDIS_URL:  # the database cache is rolled back with each test's transaction
        cache.clear()
    default_task_backend.clear()
    yield
    default_task_backend.clear()
