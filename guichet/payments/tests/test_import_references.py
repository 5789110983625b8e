"""The payments import on PostgreSQL writes without the row-by-row foreign-key triggers when its
role may (ADR 0027): it must then lock what it points to and check its references set-wise,
and fall back to the triggers when its role may not."""

import datetime as dt

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments.feeds import writer
from guichet.payments.feeds.base import Report, decode
from guichet.payments.feeds.payments import LINE_COLUMNS, PaymentsFeed
from guichet.payments.models import Copayment, PaymentLine
from guichet.payments.tests.factories import history, jsonl
from guichet.payments.tests.test_import import counts, run

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's triggers and row locks"
    ),
]


@pytest.fixture
def holder():
    return InsuredPersonFactory(with_dependents=1)


def role_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def test_an_import_checks_its_references_set_wise_then_gives_the_triggers_back(holder):
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))

    with transaction.atomic():
        report = run(jsonl(records))
        after = role_setting()  # still in the transaction the import wrote in

    assert report.applied and report.created == len(records)
    assert after == "origin"


def test_a_row_pointing_nowhere_is_refused_when_the_triggers_are_off(holder):
    line = (10**12, 10**12 + 1, 1, "2026-01-05", None, "gp", "G", "Consultation", "", 1,
            "30.00", "30.00", "70", "21.00")  # fmt: skip

    with transaction.atomic(), connection.cursor() as cursor:
        assert writer.without_row_checks(cursor.cursor)
        writes = writer.Writes(
            inserts=[(PaymentLine._meta.db_table, LINE_COLUMNS, [line])],
            checks=[writer.dangling(PaymentLine, "id", [line[0]])],
        )
        with pytest.raises(IntegrityError, match="n'existe pas"):
            writer.write(cursor.cursor, writes)
        transaction.set_rollback(True)
    assert PaymentLine.objects.count() == 0


def test_dangling_counts_each_missing_reference_and_ignores_an_empty_optional_one(holder):
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert run(jsonl(records)).applied
    copayment = Copayment.objects.filter(settled_by__isnull=False).first()  # deducted
    assert copayment is not None

    def missing(**changes) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            assert writer.without_row_checks(cursor.cursor)
            Copayment.objects.filter(pk=copayment.pk).update(**changes)
            sql, params = writer.dangling(Copayment, "id", [copayment.pk])
            cursor.execute(sql, params)
            found = cursor.fetchone()[0]
            transaction.set_rollback(True)
        return found

    assert missing() == 0
    assert missing(settled_by_id=None) == 0  # optional, empty: nothing to point to
    assert missing(member_id=10**12) == 1
    assert missing(person_id=10**12) == 1
    assert missing(line_id=10**12) == 1
    assert missing(settled_by_id=10**12) == 1


@pytest.mark.django_db(transaction=True)
def test_no_one_deletes_an_assure_that_the_import_points_to_before_it_commits(holder):
    """What the foreign-key trigger's FOR KEY SHARE did: the import's read locks the persons, so
    that another transaction cannot delete one and leave its payments pointing nowhere."""
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
    lines = jsonl(records).splitlines(keepends=True)
    report = Report(feed="payments")
    parsed = [decode("payments", number, raw, report) for number, raw in enumerate(lines, 1)]
    settings = connection.get_connection_params()

    with transaction.atomic():
        feed = PaymentsFeed()
        try:
            chunk = feed.look_up([record for record in parsed if record], write=True)
            feed.database.result(chunk.found)  # the reads are done, the rows not written yet
            with psycopg.connect(**settings, autocommit=False) as other:
                other.execute("SET lock_timeout = '300ms'")
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute("DELETE FROM insured_insuredperson WHERE id = %s", [holder.pk])
                other.rollback()
        finally:
            feed.close()
            transaction.set_rollback(True)


def test_a_role_that_may_not_turn_the_triggers_off_imports_with_them(holder):
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    with connection.cursor() as cursor:  # all rolled back with the test's transaction
        cursor.execute("CREATE ROLE guichet_test_importer NOLOGIN")
        cursor.execute(
            "GRANT ALL ON ALL TABLES IN SCHEMA public TO guichet_test_importer; "
            "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO guichet_test_importer"
        )
        cursor.execute("SET LOCAL ROLE guichet_test_importer")

    report = run(jsonl(records))

    assert report.applied and report.created == len(records)
    assert counts()[0] == len(records)
    with connection.cursor() as cursor:
        assert not writer.without_row_checks(cursor.cursor)
    assert role_setting() == "origin"


def test_an_import_whose_rows_would_point_nowhere_is_refused_whole(holder, monkeypatch):
    """Through the import's own queue: the set-wise checks go with each chunk's rows."""
    from guichet.payments import feeds
    from guichet.payments.feeds import payments

    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    found = payments._Found.of

    def misread(rows, ids):  # as if the assuré's id read were one no row has
        seen = found(rows, ids)
        seen.persons = {nir: 10**12 for nir in seen.persons}
        return seen

    monkeypatch.setattr(payments._Found, "of", misread)
    monkeypatch.setattr(feeds, "CHUNK", 5)

    report = run(jsonl(records))

    assert not report.applied
    assert [(e.line, e.field) for e in report.errors] == [(0, "(fichier)")]
    assert "n'existe pas" in report.errors[0].reason
    assert counts() == (0, 0, 0)
    assert role_setting() == "origin"
