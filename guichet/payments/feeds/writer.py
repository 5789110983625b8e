"""Writing many rows fast: PostgreSQL's COPY, SQLite's executemany, with primary keys reserved
beforehand so that the lines of a payment can point to it without reading anything back."""

from collections.abc import Collection, Sequence

from django.db import connection, models

SQLITE_PARAMETERS = 900  # below SQLite's oldest limit on the parameters of a statement


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` fresh primary keys of `table`; must run inside the transaction that uses them."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: transactions are IMMEDIATE (config/settings.py), so no one else writes now.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))


def select_in(
    model: type[models.Model], key: str, columns: Sequence[str], values: Collection
) -> list[tuple]:
    """SELECT columns FROM the model's table WHERE key is one of values: on PostgreSQL one array
    parameter (`= ANY`), not thousands of placeholders for the driver to splice in."""
    if not values:
        return []
    quote = connection.ops.quote_name
    select = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(key)}"
    )
    values = list(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} = ANY(%s)", [values])
            return cursor.fetchall()
        rows = []
        for start in range(0, len(values), SQLITE_PARAMETERS):
            part = values[start : start + SQLITE_PARAMETERS]
            cursor.execute(f"{select} IN ({', '.join(['%s'] * len(part))})", part)
            rows.extend(cursor.fetchall())
        return rows


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows whose values are already what the database stores (ids included)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def update_rows(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """UPDATE table SET columns = … WHERE key = …, for each (key, *values) row."""
    if not rows:
        return
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # One statement for all rows: a staging table filled by COPY, then UPDATE … FROM.
        stage = f"stage_{table}"
        names = [key, *columns]
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(stage)} ON COMMIT DELETE ROWS AS "
                f"SELECT {', '.join(quote(n) for n in names)} FROM {quote(table)} WITH NO DATA"
            )
        insert_rows(stage, names, rows)
        sets = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(table)} t SET {sets} FROM {quote(stage)} s "
                f"WHERE t.{quote(key)} = s.{quote(key)}"
            )
            cursor.execute(f"DELETE FROM {quote(stage)}")
        return
    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
    statement = f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(statement, [(*values, key_value) for key_value, *values in rows])
