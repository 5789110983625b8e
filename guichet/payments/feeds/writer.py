"""Writing many rows fast: PostgreSQL's COPY, SQLite's executemany, with primary keys reserved
beforehand so that the lines of a payment can point to it without reading anything back."""

import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, models

SQLITE_PARAMETERS = 900  # below SQLite's oldest limit on the parameters of a statement
SEPARATOR = "\x1f"  # ASCII's unit separator, which no external id, NIR or number contains


def reserve_ids(table: str, count: int, *, cursor=None, above: int = 0) -> list[int]:
    """`count` fresh primary keys of `table`; must run inside the transaction that uses them.
    `cursor`: a cursor of that transaction's connection (by default, Django's). `above`: on
    SQLite, the highest id reserved earlier by this transaction and not yet written."""
    if count == 0:
        return []
    if cursor is None:
        with connection.cursor() as cursor:
            return reserve_ids(table, count, cursor=cursor, above=above)
    if connection.vendor == "postgresql":
        # The sequence named once, not by pg_get_serial_sequence for each key (7 µs a key)
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [_sequence(cursor, table), count],
        )
        return cursor.fetchone()[0]
    # SQLite: transactions are IMMEDIATE (config/settings.py), so no one else writes now.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
    last = max(cursor.fetchone()[0], above)
    return list(range(last + 1, last + 1 + count))


_SEQUENCES: dict[tuple[str, str], str] = {}  # (database alias, table) → its id's sequence


def _sequence(cursor, table: str) -> str:
    key = (connection.alias, table)
    if key not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        _SEQUENCES[key] = cursor.fetchone()[0]
    return _SEQUENCES[key]


def select_in(
    model: type[models.Model], key: str, columns: Sequence[str], values: Collection, *, cursor=None
) -> list[tuple]:
    """SELECT columns FROM the model's table WHERE key is one of values: on PostgreSQL one array
    parameter (`= ANY`), not thousands of placeholders for the driver to splice in. `cursor`:
    a cursor of the connection to read from (by default, Django's)."""
    quote = connection.ops.quote_name
    select = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)}",
        quote(key),
        model,
        key,
    )
    return select_all([(*select, values)], cursor=cursor)[0]


# A query of select_all: (SELECT … FROM …, the key's SQL, the key's model and field, values),
# and optionally what follows the WHERE clause on PostgreSQL (" FOR KEY SHARE OF …").
type KeyQuery = (
    tuple[str, str, type[models.Model], str, Collection]
    | tuple[str, str, type[models.Model], str, Collection, str]
)


def select_all(queries: Sequence[KeyQuery], *, cursor=None) -> list[list[tuple]]:
    """The rows of each `SELECT … WHERE key is one of values`; on PostgreSQL all in one round
    trip (psycopg's pipeline mode), so that the database thread waits once, not once a query."""
    if cursor is None:
        with connection.cursor() as cursor:
            return select_all(queries, cursor=cursor)
    return run_statements(cursor, statements(queries))


type Statements = list[list[tuple[str, list]]]


def statements(queries: Sequence[KeyQuery]) -> Statements:
    """The SQL and parameters of each query: made in the caller's thread, run by
    `run_statements` in the database thread, which then has only the database to wait for."""
    return [_statements(*query) for query in queries]


def run_statements(cursor, statements: Statements) -> list[list[tuple]]:
    if connection.vendor != "postgresql":
        results = []
        for parts in statements:
            rows = []
            for sql, params in parts:
                cursor.execute(sql, params)
                rows.extend(cursor.fetchall())
            results.append(rows)
        return results
    raw = cursor.connection
    cursors = [raw.cursor() if parts else None for parts in statements]
    with raw.pipeline():
        for each, parts in zip(cursors, statements, strict=True):
            if each is not None:
                each.execute(*parts[0])
    return [each.fetchall() if each is not None else [] for each in cursors]


def _statements(
    select: str,
    key: str,
    model: type[models.Model],
    field_name: str,
    values: Collection,
    suffix: str = "",
) -> list[tuple[str, list]]:
    if not values:
        return []
    values = list(values)
    if connection.vendor == "postgresql":
        joined = _joined(values)
        if joined is None:
            return [(f"{select} WHERE {key} = ANY(%s){suffix}", [values])]
        # psycopg dumps a list at about 1 µs a value, a joined text at 0.05 µs
        column_type = model._meta.get_field(field_name).db_type(connection)  # type: ignore[union-attr]
        return [
            (
                f"{select} WHERE {key} = ANY(string_to_array(%s, %s)::{column_type}[]){suffix}",
                [joined, SEPARATOR],
            )
        ]
    return [
        (
            f"{select} WHERE {key} IN ({', '.join(['%s'] * len(values[start : start + SQLITE_PARAMETERS]))})",
            values[start : start + SQLITE_PARAMETERS],
        )
        for start in range(0, len(values), SQLITE_PARAMETERS)
    ]


def _joined(values: list) -> str | None:
    """The values (texts or integers) joined by SEPARATOR, or None when one is empty or contains
    it: a text split back into exactly these values."""
    if not all(isinstance(value, str | int) for value in values):
        return None
    texts = [value if isinstance(value, str) else str(value) for value in values]
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1 or not all(texts):
        return None
    return joined


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows whose values are already what the database stores (ids included)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor.cursor, table, columns, rows)
        else:
            quote = connection.ops.quote_name
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def update_rows(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """UPDATE table SET columns = … WHERE key = …, for each (key, *values) row."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _update(cursor.cursor, table, key, columns, rows)
            return
        quote = connection.ops.quote_name
        sets = ", ".join(f"{quote(column)} = %s" for column in columns)
        cursor.executemany(
            f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = %s",
            [(*values, key_value) for key_value, *values in rows],
        )


def _copy(cursor, table: str, columns: Sequence[str], rows: "Sequence[Sequence] | bytes") -> None:
    """PostgreSQL's COPY through psycopg's own cursor, of rows or of COPY's text."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        if isinstance(rows, bytes):
            copy.write(rows)
            return
        for row in rows:
            copy.write_row(row)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


NULL = "\\N"  # NULL in COPY's text format
_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
_ESCAPED = re.compile(r"\\[\\tnr]")


@lru_cache(maxsize=65_536)
def text(value: str) -> str:
    """A free text as a value of COPY's text format (a file repeats its labels and names)."""
    return value.translate(_ESCAPES)


def rows_of(copied: bytes) -> list[list[str | None]]:
    """COPY's text format back into rows, for SQLite, which has no COPY: texts and None."""
    return [
        [
            None if value == NULL else _ESCAPED.sub(lambda found: _UNESCAPES[found[0]], value)
            for value in line.split("\t")
        ]
        for line in copied.decode().split("\n")[:-1]
    ]


def _update(cursor, table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """One statement for all rows: a staging table filled by COPY, then UPDATE … FROM."""
    if not rows:
        return
    quote = connection.ops.quote_name
    stage = f"stage_{table}"
    names = [key, *columns]
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(stage)} ON COMMIT DELETE ROWS AS "
        f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table)} WITH NO DATA"
    )
    _copy(cursor, stage, names, rows)
    sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
    cursor.execute(
        f"UPDATE {quote(table)} t SET {sets} FROM {quote(stage)} s "
        f"WHERE t.{quote(key)} = s.{quote(key)}"
    )
    cursor.execute(f"DELETE FROM {quote(stage)}")


def without_row_checks(cursor) -> bool:
    """Turn PostgreSQL's row-by-row foreign-key checks off until the transaction ends (or
    `with_row_checks`), if this role may (a superuser, or `GRANT SET ON PARAMETER
    session_replication_role`); returns whether it did. Those checks are triggers, which the
    `replica` role does not fire; a writer that turns them off must check its references set-wise
    (`dangling`) and lock the rows it points to (`FOR KEY SHARE`) itself (ADR 0027)."""
    if connection.vendor != "postgresql" or connection.pg_version < 150000:  # type: ignore[attr-defined]
        return False  # SQLite; PostgreSQL grants SET on a parameter from version 15
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def with_row_checks(cursor) -> None:
    """The foreign-key triggers fire again, for what the transaction writes next."""
    cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def dangling(model: type[models.Model], key: str, values: Collection) -> tuple[str, list]:
    """A statement counting the rows of `model` whose `key` is one of `values` and that point,
    through any of the model's foreign keys, to a row that does not exist: what PostgreSQL's
    foreign-key triggers check row by row, in one set-wise query (index probes, no trigger)."""
    quote = connection.ops.quote_name
    [(select, params)] = _statements(
        f"SELECT count(*) FROM {quote(model._meta.db_table)} t",
        f"t.{quote(_column(model._meta.get_field(key)))}",
        model,
        key,
        values,
    )
    return f"{select} AND ({_missing(model)})", params


def dangling_between(model: type[models.Model], low: int, high: int) -> tuple[str, list]:
    """The same for the rows whose primary key goes from `low` to `high`."""
    quote = connection.ops.quote_name
    key = quote(_column(model._meta.pk))
    return (
        f"SELECT count(*) FROM {quote(model._meta.db_table)} t "
        f"WHERE t.{key} BETWEEN %s AND %s AND ({_missing(model)})",
        [low, high],
    )


def _missing(model: type[models.Model]) -> str:
    """SQL true for a row `t` of `model` one of whose foreign keys points to no row."""
    quote = connection.ops.quote_name
    missing = []
    for column in model._meta.concrete_fields:
        if not (column.is_relation and getattr(column, "db_constraint", False)):
            continue
        target = column.target_field  # type: ignore[attr-defined]
        name = quote(_column(column))
        probe = (
            f"NOT EXISTS (SELECT FROM {quote(target.model._meta.db_table)} r "
            f"WHERE r.{quote(_column(target))} = t.{name})"
        )
        missing.append(f"(t.{name} IS NOT NULL AND {probe})" if column.null else probe)
    return " OR ".join(missing)


def _column(field: Any) -> str:
    """A concrete field's column in the database."""
    if not isinstance(getattr(field, "column", None), str):
        raise TypeError(f"{field} has no column")
    return field.column


@dataclass
class Writes:
    """The rows of one chunk: inserts (table, columns, rows), then updates (table, key, columns,
    rows), in this order; then `checks`, statements counting rows that must not exist (`dangling`),
    run when the foreign-key triggers are off."""

    inserts: list[tuple[str, Sequence[str], "Sequence[Sequence] | bytes"]] = field(
        default_factory=list
    )
    updates: list[tuple[str, str, Sequence[str], Sequence[Sequence]]] = field(default_factory=list)
    checks: list[tuple[str, list]] = field(default_factory=list)


def write(cursor, writes: Writes) -> None:
    """Write a chunk's rows through `cursor` (psycopg's own on PostgreSQL, Django's on SQLite)."""
    if connection.vendor == "postgresql":
        for table, columns, rows in writes.inserts:
            _copy(cursor, table, columns, rows)
        for table, key, columns, rows in writes.updates:
            _update(cursor, table, key, columns, rows)
        for sql, params in writes.checks:
            cursor.execute(sql, params)
            if cursor.fetchone()[0]:
                raise IntegrityError(
                    "une ligne écrite désigne un enregistrement qui n'existe pas "
                    f"({sql.split(' t ')[0].removeprefix('SELECT count(*) FROM ')})"
                )
        return
    for table, columns, rows in writes.inserts:
        insert_rows(table, columns, rows_of(rows) if isinstance(rows, bytes) else rows)
    for table, key, columns, rows in writes.updates:
        update_rows(table, key, columns, rows)


class DatabaseQueue:
    """A file's reads and writes, run one after the other in the order they are submitted, on the
    transaction's own connection: in a thread on PostgreSQL, so that the caller checks and turns
    into rows one chunk while the database reads the next chunk's keys and COPYs the previous
    chunk's rows, never waiting for Python (ADR 0026). psycopg's connection is only ever used
    by that thread until `drain` or `close`. On SQLite each task runs at once, in the caller's
    thread.

    A task is `task(cursor)`; `result` returns its value or raises, as Django's DatabaseError,
    what the database refused."""

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._raw: Any = None
        self._writes: list[Future] = []

    def submit[T](self, task: Callable[[Any], T]) -> "Future[T]":
        if connection.vendor != "postgresql":
            future: Future[T] = Future()
            try:
                with connection.cursor() as cursor:
                    future.set_result(task(cursor))
            except Exception as error:  # raised by `result`, like the thread's
                future.set_exception(error)
            return future
        if self._executor is None:
            connection.ensure_connection()
            self._raw = connection.connection
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-database")
        return self._executor.submit(self._run, task)

    def _run[T](self, task: Callable[[Any], T]) -> T:
        with self._raw.cursor() as cursor:
            return task(cursor)

    def write(self, writes: Writes) -> None:
        """Queue a chunk's rows; a refusal is raised by a later `check`, `result` or `drain`."""
        self._writes.append(self.submit(lambda cursor: write(cursor, writes)))
        self.check()

    def check(self) -> None:
        """Raise the refusal of a write already done, if any."""
        while self._writes and self._writes[0].done():
            self.result(self._writes.pop(0))

    def result[T](self, future: "Future[T]") -> T:
        try:
            return future.result()
        except Exception as error:
            # After a refused write every later statement fails ("current transaction is
            # aborted"): the write's refusal is the cause to report.
            refused = [w.exception() for w in self._writes if w.done() and w.exception()]
            cause = refused[0] or error if refused else error
            if isinstance(cause, DatabaseError):
                raise cause from None
            with connection.wrap_database_errors:
                raise cause from None
            raise  # not reached: wrap_database_errors raises

    def drain(self) -> None:
        """Wait for every write; the connection is the caller's again."""
        while self._writes:
            self.result(self._writes.pop(0))
        self.close()

    def close(self) -> None:
        """End the thread, dropping what is not done yet (after a failure: the transaction is
        being rolled back anyway)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = None
        self._writes.clear()
