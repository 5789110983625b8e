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
