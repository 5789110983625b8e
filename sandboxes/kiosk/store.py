"""The kiosk's own database: one SQLite file, nothing shared with the portal.

Transactions, and the outbox of automatic responses still to deliver to the merchant. Each call
opens its own connection, so that gunicorn's threads and the delivery thread may use it at once.
"""

import re
import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS transactions (
    token TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    reference TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    normal_return_url TEXT NOT NULL,
    automatic_response_url TEXT NOT NULL,
    order_id TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL DEFAULT '',
    interface_version TEXT NOT NULL,
    created_at REAL NOT NULL,
    step TEXT NOT NULL DEFAULT 'card',  -- card, authentication, done
    masked_pan TEXT NOT NULL DEFAULT '',
    simulated_code TEXT NOT NULL DEFAULT '',
    brand TEXT NOT NULL DEFAULT '',
    response_code TEXT NOT NULL DEFAULT '',
    authorisation_id TEXT NOT NULL DEFAULT '',
    holder_authent_status TEXT NOT NULL DEFAULT '',
    completed_at REAL,
    response_data TEXT NOT NULL DEFAULT '',
    response_seal TEXT NOT NULL DEFAULT '',
    UNIQUE (merchant_id, reference)
);
CREATE TABLE IF NOT EXISTS deliveries (
    token TEXT PRIMARY KEY REFERENCES transactions (token),
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    delivered_at REAL,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (delivered_at, next_attempt_at);
"""


COLUMNS = frozenset(
    re.findall(
        r"^\s+(\w+) (?:TEXT|INTEGER|REAL)",
        SCHEMA.split("CREATE TABLE IF NOT EXISTS deliveries")[0],
        re.M,
    )
)


def _columns(fields: dict) -> None:
    """Column names are ours, never the request's: refuse any other before building SQL."""
    unknown = set(fields) - COLUMNS
    if unknown:
        raise ValueError(f"unknown columns {sorted(unknown)}")


class Store:
    def __init__(self, path: Path | str):
        self.path = str(path)
        with closing(sqlite3.connect(self.path, timeout=15)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def connect(self):
        with closing(sqlite3.connect(self.path, timeout=15, isolation_level=None)) as db:
            db.row_factory = sqlite3.Row
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def create(self, **fields) -> bool:
        """False when the merchant already used this transaction reference."""
        _columns(fields)
        names = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        try:
            with self.connect() as db:
                sql = f"INSERT INTO transactions ({names}) VALUES ({marks})"  # noqa: S608 (checked names)
                db.execute(sql, tuple(fields.values()))
        except sqlite3.IntegrityError:
            return False
        return True

    def get(self, token: str) -> sqlite3.Row | None:
        with self.connect() as db:
            return db.execute("SELECT * FROM transactions WHERE token = ?", (token,)).fetchone()

    def find(self, *, merchant_id: str, reference: str) -> sqlite3.Row | None:
        with self.connect() as db:
            return db.execute(
                "SELECT * FROM transactions WHERE merchant_id = ? AND reference = ?",
                (merchant_id, reference),
            ).fetchone()

    def update(self, token: str, *, only_at_step: str | None = None, **fields) -> bool:
        """Change a transaction; with `only_at_step`, only if it is still at that step."""
        _columns(fields)
        assignments = ", ".join(f"{name} = ?" for name in fields)
        where, values = "token = ?", [*fields.values(), token]
        if only_at_step is not None:
            where += " AND step = ?"
            values.append(only_at_step)
        with self.connect() as db:
            cursor = db.execute(f"UPDATE transactions SET {assignments} WHERE {where}", values)  # noqa: S608
            return cursor.rowcount == 1

    def idle(self, *, older_than: float) -> list[str]:
        with self.connect() as db:
            rows = db.execute(
                "SELECT token FROM transactions WHERE step != 'done' AND created_at < ?",
                (older_than,),
            ).fetchall()
        return [row["token"] for row in rows]

    # --- the outbox of automatic responses ----------------------------------------------------
    def queue_delivery(self, *, token: str, url: str, body: str) -> None:
        with self.connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO deliveries (token, url, body, next_attempt_at) VALUES (?, ?, ?, ?)",
                (token, url, body, time.time()),
            )

    def due_deliveries(self, *, now: float, give_up_after: int) -> list[sqlite3.Row]:
        with self.connect() as db:
            return db.execute(
                "SELECT * FROM deliveries WHERE delivered_at IS NULL AND next_attempt_at <= ? "
                "AND attempts < ? ORDER BY next_attempt_at",
                (now, give_up_after),
            ).fetchall()

    def delivery(self, token: str) -> sqlite3.Row | None:
        with self.connect() as db:
            return db.execute("SELECT * FROM deliveries WHERE token = ?", (token,)).fetchone()

    def delivered(self, token: str, *, at: float) -> None:
        with self.connect() as db:
            db.execute(
                "UPDATE deliveries SET delivered_at = ?, attempts = attempts + 1 WHERE token = ?",
                (at, token),
            )

    def failed(self, token: str, *, retry_at: float, error: str) -> None:
        with self.connect() as db:
            db.execute(
                "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE token = ?",
                (retry_at, error[:200], token),
            )
