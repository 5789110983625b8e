"""The deferred-debit ledger's lock: a payments import and a payment notice claiming copayments
take turns, so that a copayment the import reads as deferred cannot be claimed before the import
writes it recovered (ADR 0073)."""

from django.db import connection

# Any constant of our own; PostgreSQL's advisory locks are released with the transaction.
LEDGER_LOCK = 0x6775696368657401


def lock_ledger(*, cursor=None) -> None:
    """Wait for, then hold until the transaction ends, the ledger's lock (PostgreSQL only:
    SQLite lets one writer at a time anyway). `cursor`: the import's database thread's own, on
    the same transaction (ADR 0026)."""
    if connection.vendor != "postgresql":
        return
    if cursor is not None:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])
        return
    with connection.cursor() as own:
        own.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK])
