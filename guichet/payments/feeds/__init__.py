"""Import feeds from the fund's systems: JSON Lines, one JSON Schema each (docs/feeds.md)."""

import hashlib
import time
from collections.abc import Iterable, Iterator

from django.db import DatabaseError, transaction

from guichet.payments.feeds.base import RecordError, Report, chunks, decode, read_lines
from guichet.payments.feeds.files import SickLeavesFeed, WorkAccidentsFeed
from guichet.payments.feeds.payments import PaymentsFeed

FEEDS = {
    "payments": PaymentsFeed,
    "sick_leaves": SickLeavesFeed,
    "work_accidents": WorkAccidentsFeed,
}
CHUNK = 5000


class _Hashing:
    """Passes the lines through, hashing them: the batch keeps the file's digest."""

    def __init__(self, stream: Iterable[bytes]):
        self.stream = stream
        self.sha256 = hashlib.sha256()

    def __iter__(self) -> Iterator[bytes]:
        for raw in self.stream:
            self.sha256.update(raw)
            yield raw


def run(*, feed: str, stream: Iterable[bytes]) -> tuple[Report, str, float]:
    """Read, check and apply a whole file in one transaction: every line or none.

    Every line is checked even after an error, so that the report lists them all; then the
    transaction is rolled back. Returns the report, the file's SHA-256 and the seconds taken."""
    handler = FEEDS[feed]()
    report = Report(feed=feed)
    hashing = _Hashing(stream)
    started = time.perf_counter()
    with transaction.atomic():
        for chunk in chunks(read_lines(hashing), CHUNK):
            records = []
            for number, raw in chunk:
                report.lines += 1
                record = decode(feed, number, raw, report)
                if record is None:
                    continue
                try:
                    handler.check(record)
                except RecordError as error:
                    report.add(number, error.field, error.reason)
                    continue
                records.append(record)
            try:
                handler.apply(records, report, write=report.applied)
            except DatabaseError as error:  # a rule the checks missed: refuse, never crash
                report.add(
                    0, "(fichier)", f"la base de données a refusé le fichier : {str(error)[:200]}"
                )
                break
        if not report.applied:
            transaction.set_rollback(True)
    if report.lines == 0:
        report.add(0, "(fichier)", "le fichier ne contient aucun enregistrement")
    if not report.applied:
        report.created = report.updated = report.unchanged = 0
    return report, hashing.sha256.hexdigest(), time.perf_counter() - started


def apply_records(*, feed: str, records: Iterable[dict]) -> Report:
    """Apply records made by Guichet itself (the simulator): the rules and the database checks
    run, the JSON parsing and the schema do not. Every record or none, like `run`."""
    from guichet.payments.feeds.base import Record, digest

    handler = FEEDS[feed]()
    report = Report(feed=feed)
    with transaction.atomic():
        for chunk in chunks(enumerate(records, start=1), CHUNK):
            checked = []
            for number, data in chunk:
                report.lines += 1
                record = Record(number, data, digest(data))
                try:
                    handler.check(record)
                except RecordError as error:
                    report.add(number, error.field, error.reason)
                    continue
                checked.append(record)
            handler.apply(checked, report, write=report.applied)
        if not report.applied:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
    return report
