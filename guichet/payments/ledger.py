"""The deferred-debit ledger's lock: a payments import and a payment notice claiming copayments
take turns, so that a copayment the import reads as deferred cannot be claimed before the import
writes it recovered (ADR 0073)."""

from django.db import connection

# Any constant of our own; PostgreSQL's advisory locks are released with the transaction.
LEDGER_LOCK = 0x6775696368657401


def lock_ledger() -> None:
    """Wait for, then hold until the transaction ends, the ledger's lock (PostgreSQL only:
    SQLite lets one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])
