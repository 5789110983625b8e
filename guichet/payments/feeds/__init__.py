"""Import feeds from the fund's systems: JSON Lines, one JSON Schema each (docs/feeds.md)."""

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import DatabaseError, connection, transaction

from guichet.payments.feeds.base import (
    SCHEMA_DIRS,
    Record,
    RecordError,
    Report,
    ahead,
    chunks,
    decode,
    digest,
    paused_gc,
    quick_switching,
    read_lines,
    typed_from_dict,
    typed_record,
)
from guichet.payments.feeds.files import SickLeavesFeed, WorkAccidentsFeed
from guichet.payments.feeds.payments import PaymentsFeed

FEEDS: dict[str, type] = {
    "payments": PaymentsFeed,
    "sick_leaves": SickLeavesFeed,
    "work_accidents": WorkAccidentsFeed,
}
CHUNK = 2000


def register(*, name: str, handler: type, schemas: Path) -> None:
    """Another app's feed, applied by the same machinery; its schema is `schemas/<name>.schema.json`."""
    FEEDS[name] = handler
    SCHEMA_DIRS[name] = schemas


# lines checked against the database and written at a time


class _Hashing:
    """Passes the lines through, hashing them: the batch keeps the file's digest. The lines are
    hashed a block at a time: hashlib lets go of the GIL for a long buffer, not for a line."""

    BLOCK = 1 << 18

    def __init__(self, stream: Iterable[bytes]):
        self.stream = stream
        self._sha256 = hashlib.sha256()
        self._pending: list[bytes] = []
        self._size = 0

    def __iter__(self) -> Iterator[bytes]:
        for raw in self.stream:
            self._pending.append(raw)
            self._size += len(raw)
            if self._size >= self.BLOCK:
                self._flush()
            yield raw

    def _flush(self) -> None:
        self._sha256.update(b"".join(self._pending))
        self._pending.clear()
        self._size = 0

    def hexdigest(self) -> str:
        self._flush()
        return self._sha256.hexdigest()


def run(*, feed: str, stream: Iterable[bytes]) -> tuple[Report, str, float]:
    """Read, check and apply a whole file in one transaction: every line or none.

    Every line is checked even after an error, so that the report lists them all; then the
    transaction is rolled back. A thread parses and validates the next chunk while this one
    waits on the database. Returns the report, the file's SHA-256 and the seconds taken."""
    handler = FEEDS[feed]()
    hashing = _Hashing(stream)
    started = time.perf_counter()

    def parse(number: int, raw: bytes, report: Report) -> Record | None:
        return decode(feed, number, raw, report)

    with (
        paused_gc(),
        quick_switching(),
        ahead(_checked(handler, read_lines(hashing), parse)) as checked,
    ):
        report = _apply(handler, checked)
    if report.lines == 0:
        report.add(0, "(fichier)", "le fichier ne contient aucun enregistrement")
    if not report.applied:
        report.created = report.updated = report.unchanged = 0
    return report, hashing.hexdigest(), time.perf_counter() - started


def apply_records(*, feed: str, records: Iterable[dict]) -> Report:
    """Apply records made by Guichet itself (the simulator): the rules and the database checks
    run, the JSON parsing and the schema do not. Every record or none, like `run`."""

    kind = typed_record(feed)

    def made(number: int, data: dict, report: Report) -> Record | None:
        if kind is None:
            return Record(number, data, digest(data))
        return typed_from_dict(kind, number, data, report)

    handler = FEEDS[feed]()
    with paused_gc():
        report = _apply(handler, _checked(handler, enumerate(records, start=1), made))
    if not report.applied:
        report.created = report.updated = report.unchanged = 0
    return report


def _checked[T](
    handler, items: Iterable[tuple[int, T]], parse: Callable[[int, T, Report], Record | None]
) -> Iterator[tuple[list[Record], Report]]:
    """Chunks of records that passed the schema and their own rules, each with a report of its
    lines and errors: what needs no database, so that it can run in `ahead`'s thread."""
    for chunk in chunks(items, CHUNK):
        chunk_report = Report(feed=handler.name, lines=len(chunk))
        records = []
        for number, item in chunk:
            record = parse(number, item, chunk_report)
            if record is None:
                continue
            try:
                handler.check(record)
            except RecordError as error:
                chunk_report.add(number, error.field, error.reason)
                continue
            records.append(record)
        yield records, chunk_report


class _AtOnce:
    """A feed that checks and writes each chunk at once (`apply`), seen as one that looks its
    chunks up ahead (`look_up`, then `settle`)."""

    def __init__(self, handler):
        self.handler = handler

    def look_up(self, records: list[Record], *, write: bool) -> list[Record]:
        return records

    def settle(self, records: list[Record], report: Report, *, write: bool) -> None:
        self.handler.apply(records, report, write=write)

    def finish(self) -> None:
        self.handler.finish()

    def close(self) -> None:
        self.handler.close()


def _apply(handler, checked: Iterable[tuple[list[Record], Report]]) -> Report:
    """Check the chunks against the database and write them, in one transaction: all or none."""
    name = handler.name
    if not hasattr(handler, "look_up"):
        handler = _AtOnce(handler)
    report = Report(feed=name)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Foreign keys checked by each COPY, while the next chunk is being validated,
            # rather than all at once by the commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                # Those checks run one query per row through a plan PostgreSQL caches in the
                # session: made while a table is still small, it is a sequential scan that every
                # later row pays again (a file of small chunks took 35 s instead of 1.5). Only the
                # primary-key index, whatever the size (docs/performance.md).
                cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            # Each chunk's database reads are queued before the previous chunk is settled, so
            # that the database works while Python does (ADR 0026); the errors stay in line order.
            pending = None
            for records, chunk_report in checked:
                looked_up = handler.look_up(records, write=report.applied)
                if pending is not None:
                    handler.settle(pending, report, write=report.applied)
                report.merge(chunk_report)
                pending = looked_up
            if pending is not None:
                handler.settle(pending, report, write=report.applied)
            if report.applied:
                handler.finish()
        except DatabaseError as error:  # a rule the checks missed: refuse, never crash
            report.add(
                0, "(fichier)", f"la base de données a refusé le fichier : {str(error)[:200]}"
            )
        finally:
            handler.close()
        if not report.applied:
            transaction.set_rollback(True)
    return report
