"""Import throughput: the payments feed (JSON Lines → checks → rows) against the database's own
bulk load of the very same rows (PostgreSQL's COPY, SQLite's executemany) in the same run."""

import datetime as dt
import gc
import json
import os
import time
from dataclasses import dataclass

from django.db import connection, transaction

from guichet.insured.models import Fund, InsuredPerson
from guichet.insured.synthetic import bulk_register, generate_families
from guichet.payments import feeds
from guichet.payments.feeds.payments import COPAYMENT_COLUMNS, LINE_COLUMNS, PAYMENT_COLUMNS
from guichet.payments.feeds.writer import insert_rows, without_row_checks
from guichet.payments.models import Copayment, Payment, PaymentLine
from guichet.payments.parameters import ParameterTable
from guichet.payments.synthetic import histories

TABLES = [
    (Payment._meta.db_table, PAYMENT_COLUMNS),
    (PaymentLine._meta.db_table, LINE_COLUMNS),
    (Copayment._meta.db_table, COPAYMENT_COLUMNS),
]


TARGET = 20_000  # lines a second on PostgreSQL: issue 4


@dataclass
class ImportFigure:
    lines: int
    rows: int
    megabytes: float
    import_seconds: float
    baseline_seconds: float
    baseline: str
    import_cpu_seconds: float = 0.0  # this process's CPU (every thread), not the database's
    baseline_cpu_seconds: float = 0.0
    load_average: float = 0.0  # the machine's, over the last minute, when the file was imported
    # The PostgreSQL backend's CPU (its process, read in /proc when the server is on this machine)
    import_database_cpu_seconds: float | None = None
    baseline_database_cpu_seconds: float | None = None
    # The same COPY with PostgreSQL's foreign-key triggers off (the floor of a load that checks
    # its references otherwise, as the import does when its role may: ADR 0027)
    unchecked_baseline_seconds: float | None = None

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.import_seconds

    @property
    def ratio(self) -> float:
        return self.import_seconds / self.baseline_seconds


def measure(*, fund: Fund, families: int, months: int = 27, seed: int = 4) -> ImportFigure:
    """Import the history of `families` new families as one file, then bulk-load its rows."""
    first_serial = InsuredPerson.objects.count() + 1_000_001
    generated = list(generate_families(count=families, seed=seed, first_serial=first_serial))
    with transaction.atomic():
        bulk_register(fund=fund, families=generated)
    today = dt.date.today()
    records = histories(
        families=generated,
        start=today - dt.timedelta(days=months * 30),
        end=today,
        seed=seed,
        params=ParameterTable.load(),
    )
    content = [json.dumps(record, ensure_ascii=False).encode() + b"\n" for record in records]
    gc.collect()
    load_average = os.getloadavg()[0]
    started, cpu, database_cpu = time.perf_counter(), time.process_time(), _database_cpu()
    report, _, _ = feeds.run(feed="payments", stream=content)
    import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    import_database_cpu = _spent(database_cpu)
    if not report.applied:
        raise RuntimeError(f"The bench's file was refused: {report.errors[:3]}")

    rows = {table: _rows(table, columns) for table, columns in TABLES}
    _delete()
    gc.collect()
    started, cpu, database_cpu = time.perf_counter(), time.process_time(), _database_cpu()
    with transaction.atomic():
        for table, columns in TABLES:
            insert_rows(table, columns, rows[table])
    baseline_seconds, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu
    baseline_database_cpu = _spent(database_cpu)
    _delete()
    unchecked_seconds = None
    if connection.vendor == "postgresql":  # for information: COPY without the FK triggers
        gc.collect()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if without_row_checks(cursor):
                for table, columns in TABLES:
                    insert_rows(table, columns, rows[table])
                unchecked_seconds = time.perf_counter() - started
        _delete()
    return ImportFigure(
        lines=report.lines,
        rows=sum(len(r) for r in rows.values()),
        megabytes=sum(len(line) for line in content) / 1e6,
        import_seconds=import_seconds,
        baseline_seconds=baseline_seconds,
        baseline="PostgreSQL COPY" if connection.vendor == "postgresql" else "SQLite executemany",
        import_cpu_seconds=import_cpu,
        baseline_cpu_seconds=baseline_cpu,
        load_average=load_average,
        import_database_cpu_seconds=import_database_cpu,
        baseline_database_cpu_seconds=baseline_database_cpu,
        unchecked_baseline_seconds=unchecked_seconds,
    )


def _database_cpu() -> tuple[int, float] | None:
    """(backend pid, CPU seconds) of this connection's PostgreSQL backend, when its process is
    on this machine; None otherwise (SQLite, a remote server)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of proc(5), counted after the command's ")"
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _spent(before: tuple[int, float] | None) -> float | None:
    after = _database_cpu()
    if before is None or after is None or after[0] != before[0]:
        return None
    return after[1] - before[1]


def _rows(table: str, columns: list[str]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} ORDER BY id"
        )
        return cursor.fetchall()


def _delete() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _ in reversed(TABLES):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table, _ in TABLES:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
