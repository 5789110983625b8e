"""A throwaway database for one run: SQLite in a temporary directory, or a PostgreSQL database
that the run creates and drops. Django is configured here, before anything imports a model."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import dj_database_url
import django

# Settings only the benchmarks have (like the test suite's conftest.py): a fast hasher, tasks that
# go nowhere, static files without a manifest, and the test Client's host name.
BENCH_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}},
}


@dataclass
class Database:
    vendor: str  # "sqlite" or "postgresql"
    description: str


class BenchDatabaseError(RuntimeError):
    pass


@contextmanager
def throwaway(*, url: str | None) -> Iterator[Database]:
    """Configure Django on a fresh, migrated database; remove it all afterwards, even on error."""
    var_dir = tempfile.mkdtemp(prefix="guichet-bench-")
    created_postgres: dict | None = None
    try:
        if url is None:
            url = f"sqlite:///{os.path.join(var_dir, 'bench.sqlite3')}"
        else:
            created_postgres = _create_postgres_database(url)
        _configure_django(url=url, var_dir=var_dir)
        yield _migrate()
    finally:
        _close_connections()
        if created_postgres is not None:
            _drop_postgres_database(created_postgres)
        shutil.rmtree(var_dir, ignore_errors=True)


def _configure_django(*, url: str, var_dir: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "GUICHET_VAR_DIR": var_dir,
            "GUICHET_DEMO": "1",
            "DEBUG": "0",  # DEBUG would keep every query in memory and slow each one down
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)  # the cache and sessions live in the throwaway database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.makedirs(os.path.join(var_dir, "static"), exist_ok=True)  # WhiteNoise warns without it

    from django.conf import settings

    for name, value in BENCH_SETTINGS.items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    django.setup()


def _migrate() -> Database:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            description = f"SQLite {cursor.fetchone()[0]} (temporary file)"
        else:
            cursor.execute("SHOW server_version")
            name = connection.settings_dict["NAME"]
            description = f"PostgreSQL {cursor.fetchone()[0]} (database {name}, dropped at the end)"
    return Database(vendor=connection.vendor, description=description)


def _postgres_params(url: str) -> dict:
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise BenchDatabaseError(
            f"--database-url takes a postgres:// URL (SQLite is the default): {url}"
        )
    if "bench" not in config["NAME"]:
        raise BenchDatabaseError(
            f"The benchmarks drop and create the database {config['NAME']!r}: "
            "give one whose name contains 'bench', e.g. guichet_bench."
        )
    return config


def _maintenance_connection(config: dict):
    import psycopg

    try:
        return psycopg.connect(
            dbname="postgres",
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            autocommit=True,
        )
    except psycopg.OperationalError as error:
        raise BenchDatabaseError(f"Cannot reach PostgreSQL: {error}") from None


def _create_postgres_database(url: str) -> dict:
    from psycopg import sql

    config = _postgres_params(url)
    with _maintenance_connection(config) as maintenance:
        name = sql.Identifier(config["NAME"])
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(name))
    return config


def _drop_postgres_database(config: dict) -> None:
    from psycopg import sql

    with _maintenance_connection(config) as maintenance:
        maintenance.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(config["NAME"])
            )
        )


def _close_connections() -> None:
    from django.apps import apps

    if not apps.ready:
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):  # PostgreSQL's pool keeps its own connections
            connection.close_pool()
