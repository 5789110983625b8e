"""Two tabs press PAYER on the same notice at the same moment: one transaction, never two."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from guichet.core.actors import SYSTEM
from guichet.debts import services
from guichet.debts.models import DebtPayment


@pytest.mark.django_db(transaction=True)
def test_two_tabs_at_once_open_one_transaction(member, notices):
    if connection.vendor != "postgresql":
        # The test database of SQLite lives in shared memory, where a second writer fails at
        # once ("table is locked") instead of waiting; the row lock is PostgreSQL's to prove.
        pytest.skip("row locks are proven on PostgreSQL (DATABASE_URL=postgres://…)")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def tab() -> None:
        start.wait()
        try:
            services.start_payment(
                member=member, notice_ids=[notices[0].pk], amount=Decimal("20"), actor=SYSTEM
            )
            outcomes.append("opened")
        except services.PaymentUnderWay:
            outcomes.append("refused")
        finally:
            connection.close()

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["opened", "refused"]
    assert DebtPayment.objects.count() == 1


def advisory_lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_a_notice_claiming_its_copayment_then_lowers_it(member, settings):
    """The notice claims a franchise while an import that recovers it is on its way: the import
    waits for the ledger's lock, then sees the claim and lowers the notice (ADR 0073)."""
    import time

    from django.db import transaction

    from guichet.debts.models import PaymentNotice
    from guichet.debts.tests.test_claimed_copayments import TODAY, deferred_franchises, gp_visit
    from guichet.payments.models import Copayment
    from guichet.payments.tests.factories import load

    if connection.vendor != "postgresql":
        pytest.skip("the ledger's advisory lock is PostgreSQL's to prove")
    settings.GUICHET_DEBT_ELIGIBLE_MIN = Decimal("0.00")
    franchises = deferred_franchises(member)
    first = franchises[0]
    record = gp_visit(member, carried_over=[(first.external_id, first.amount)])
    claimed, imported = threading.Event(), threading.Event()

    def comptable() -> None:
        try:
            with transaction.atomic():
                services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
                claimed.set()
                deadline = time.monotonic() + 20
                while advisory_lock_waiters() == 0 and time.monotonic() < deadline:
                    time.sleep(0.01)  # until the import waits for the ledger's lock
        finally:
            connection.close()

    def importer() -> None:
        claimed.wait(timeout=20)
        try:
            load([record])
            imported.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=comptable), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert imported.is_set()
    notice = PaymentNotice.objects.get()
    first = Copayment.objects.get(pk=first.pk)
    assert (first.status, first.notice_reference) == ("recovered", notice.reference)
    total = sum((c.amount for c in franchises), Decimal("0.00"))
    assert notice.asked_amount == notice.remaining_amount == total - first.amount
