"""A PF or franchise a payment notice claims is collected once: by the notice, or by a later
payment when the fund's own system deducts it all the same (which lowers the notice), never both
without the excess being reported (ADR 0073)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.debts import services, sips
from guichet.debts.enums import DEBT_OVERPAYMENT, NoticeStatus
from guichet.debts.models import PaymentNotice, PaymentNoticeLine
from guichet.debts.tests import kiosk
from guichet.debts.tests.test_notices import TODAY, pharmacy_under_tiers_payant
from guichet.payments import selectors as payment_selectors
from guichet.payments.enums import CareCategory, CopaymentStatus
from guichet.payments.models import Copayment
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import Simulator
from guichet.payments.tests.factories import facts, family_of, load
from guichet.workqueues.models import WorkItem


@pytest.fixture(autouse=True)
def small_amounts(settings):
    """Franchises of 1 € each: every amount may be paid, whatever the balance."""
    settings.GUICHET_DEBT_ELIGIBLE_MIN = Decimal("0.00")
    settings.GUICHET_DEBT_PAYMENT_MIN = Decimal("0.01")


def deferred_franchises(member, count: int = 4) -> list[Copayment]:
    """Boxes of medicine paid to the pharmacy 200 days ago: their franchises wait."""
    return pharmacy_under_tiers_payant(member, days_ago=200, count=count)


def gp_visit(member, *, carried_over: list[tuple[str, Decimal]], days_after: int = 0) -> dict:
    """The liquidation of a GP visit, starting from these earlier copayments still to recover."""
    simulator = Simulator(ParameterTable.defaults(), random.Random(7))
    family = family_of(member)
    family.carried_over = carried_over
    family.prefix = f"{member.nir}-V{days_after}"  # one visit a day at most: ids stay unique
    care = simulator.care(
        facts(member), CareCategory.GP, TODAY + dt.timedelta(days=days_after), third_party=False
    )
    [record] = simulator.liquidate(family, [care])
    return record


def total(copayments: list[Copayment]) -> Decimal:
    return sum((c.amount for c in copayments), Decimal("0.00"))


def half(copayment: Copayment) -> Decimal:
    return (copayment.amount / 2).quantize(Decimal("0.01"))


def fetch(copayment: Copayment) -> Copayment:
    return Copayment.objects.get(pk=copayment.pk)


def fresh(notice: PaymentNotice) -> PaymentNotice:
    return PaymentNotice.objects.get(pk=notice.pk)


def pay(member, notice: PaymentNotice, amount: Decimal, *, post: bool = True) -> None:
    """The member pays through the kiosk, which accepts; the accounting run posts it."""
    payment = services.start_payment(
        member=member, notice_ids=[notice.pk], amount=amount, actor=SYSTEM
    )
    posted = kiosk.response(payment)
    fields = sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
    services.record_kiosk_response(fields=fields, channel="automatic")
    if post:
        services.post_accepted_payments()


def test_an_issued_notice_claims_its_copayments_and_the_simulator_never_recovers_them(member):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)

    assert {(c.status, c.notice_reference) for c in map(fetch, franchises)} == {
        (CopaymentStatus.CLAIMED, notice.reference)
    }
    assert payment_selectors.recoverable_copayments(member=member) == []
    record = gp_visit(member, carried_over=payment_selectors.recoverable_copayments(member=member))
    assert "recoveries" not in record
    assert AuditEvent.objects.filter(action="copayment.claimed", person_id=member.pk).exists()


def test_without_a_notice_the_same_visit_recovers_the_deferred_franchises(member):
    franchises = deferred_franchises(member)
    record = gp_visit(member, carried_over=payment_selectors.recoverable_copayments(member=member))
    assert record["recoveries"] == [c.external_id for c in franchises]


def test_a_claimed_copayment_is_never_in_the_ledger_a_notice_draws_from(member, settings):
    settings.GUICHET_DEBT_NOTICE_MINIMUM = Decimal("1.00")
    deferred_franchises(member)
    services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    assert services.issue_due_notices(today=TODAY + dt.timedelta(days=365), actor=SYSTEM) == []
    with pytest.raises(services.DebtError):
        services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)


def test_the_accounting_run_settles_the_copayments_the_payments_cover_oldest_first(member):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)

    pay(member, notice, total(franchises[:2]) + half(franchises[2]))

    statuses = [fetch(c).status for c in franchises]
    assert statuses == [CopaymentStatus.PAID_BY_NOTICE] * 2 + [CopaymentStatus.CLAIMED] * 2
    assert fresh(notice).status == NoticeStatus.ISSUED

    pay(member, notice, fresh(notice).remaining_amount)

    assert {fetch(c).status for c in franchises} == {CopaymentStatus.PAID_BY_NOTICE}
    assert all(fetch(c).settled_on for c in franchises)
    assert fresh(notice).status == NoticeStatus.SETTLED
    assert AuditEvent.objects.filter(action="notice.settled", target_id=str(notice.pk)).exists()


def test_an_accepted_payment_not_yet_posted_settles_nothing(member):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    pay(member, notice, total(franchises), post=False)
    assert {fetch(c).status for c in franchises} == {CopaymentStatus.CLAIMED}
    assert fresh(notice).status == NoticeStatus.ISSUED


def test_a_feed_recovering_a_claimed_copayment_lowers_the_notice_and_journals_it(member):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    oldest = franchises[0]

    # The fund's own system deducted it from a reimbursement all the same.
    load([gp_visit(member, carried_over=[(oldest.external_id, oldest.amount)])])

    oldest = fetch(oldest)
    assert (oldest.status, oldest.notice_reference) == (CopaymentStatus.RECOVERED, notice.reference)
    notice = fresh(notice)
    rest = total(franchises) - oldest.amount
    assert (notice.initial_amount, notice.asked_amount, notice.remaining_amount) == (
        total(franchises), rest, rest)  # fmt: skip
    assert notice.recovered_amount == oldest.amount and notice.overpaid_amount == 0
    assert PaymentNoticeLine.objects.get(copayment=oldest).released
    assert AuditEvent.objects.filter(
        action="notice.lowered_by_recovery", target_id=str(notice.pk)
    ).exists()
    assert not WorkItem.objects.filter(kind=DEBT_OVERPAYMENT).exists()

    pay(member, notice, rest)  # the rest: the notice is settled, no euro counted twice
    assert fresh(notice).status == NoticeStatus.SETTLED
    assert [fetch(c).status for c in franchises[1:]] == [CopaymentStatus.PAID_BY_NOTICE] * 3


def test_a_recovery_of_every_claimed_copayment_settles_the_notice(member):
    franchises = deferred_franchises(member, count=2)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    load([gp_visit(member, carried_over=[(c.external_id, c.amount) for c in franchises])])
    notice = fresh(notice)
    assert (notice.remaining_amount, notice.status) == (Decimal("0.00"), NoticeStatus.SETTLED)


def test_a_recovery_never_lowers_the_notice_below_what_is_paid_or_pending_the_excess_is_reported(
    member,
):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    pay(member, notice, total(franchises[:2]))  # posted: the first two are paid by the notice
    pending = franchises[2].amount + half(franchises[3])
    pay(member, notice, pending, post=False)
    youngest = franchises[-1]

    load([gp_visit(member, carried_over=[(youngest.external_id, youngest.amount)])])

    notice = fresh(notice)
    # What was left beyond the payment under way is lowered; the rest of the franchise was
    # collected twice (on the notice and on the reimbursement) and must be refunded.
    left = youngest.amount - half(youngest)
    assert (notice.remaining_amount, notice.pending_amount) == (pending, pending)
    assert notice.asked_amount == total(franchises) - left
    assert notice.overpaid_amount == youngest.amount - left
    item = WorkItem.objects.get(kind=DEBT_OVERPAYMENT)
    assert notice.reference in item.summary

    services.post_accepted_payments()
    notice = fresh(notice)
    assert (notice.remaining_amount, notice.status) == (Decimal("0.00"), NoticeStatus.SETTLED)
    assert fetch(franchises[2]).status == CopaymentStatus.PAID_BY_NOTICE


def test_cancelling_a_notice_releases_its_copayments_to_later_payments(member):
    franchises = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)

    services.cancel_notice(notice=notice, actor=SYSTEM, reason="émis par erreur")

    assert {(fetch(c).status, fetch(c).notice_reference) for c in franchises} == {
        (CopaymentStatus.DEFERRED, "")
    }
    assert fresh(notice).status == NoticeStatus.CANCELLED
    assert not PaymentNoticeLine.objects.filter(notice=notice, released=False).exists()
    record = gp_visit(member, carried_over=payment_selectors.recoverable_copayments(member=member))
    assert record["recoveries"] == [c.external_id for c in franchises]
    with pytest.raises(services.DebtError, match="annulé"):
        services.notice_to_pay(member=member, reference=notice.reference)
    # and a new notice may claim them again
    again = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    assert {fetch(c).notice_reference for c in franchises} == {again.reference}


def test_a_notice_paid_in_part_or_being_paid_cannot_be_cancelled(member):
    deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    services.start_payment(
        member=member, notice_ids=[notice.pk], amount=Decimal("0.50"), actor=SYSTEM
    )
    with pytest.raises(services.DebtError, match="en cours"):
        services.cancel_notice(notice=notice, actor=SYSTEM, reason="émis par erreur")
    assert fresh(notice).status == NoticeStatus.ISSUED


def test_the_database_refuses_a_claimed_copayment_without_its_notice(member):
    [franchise, *_] = deferred_franchises(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Copayment.objects.filter(pk=franchise.pk).update(status=CopaymentStatus.CLAIMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Copayment.objects.filter(pk=franchise.pk).update(notice_reference="3811708600076602T")


def test_the_database_refuses_a_copayment_claimed_by_two_notices(member):
    [franchise, *_] = deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    other = services.issue_notice(
        member=member, amount=Decimal("1.00"), issued_on=TODAY, actor=SYSTEM
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentNoticeLine.objects.create(notice=other, copayment=franchise, amount=Decimal("1"))
    assert PaymentNoticeLine.objects.filter(copayment=franchise).count() == 1
    assert fetch(franchise).notice_reference == notice.reference


def test_the_database_refuses_a_notice_asking_less_than_what_remains(member):
    deferred_franchises(member)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentNotice.objects.filter(pk=notice.pk).update(asked_amount=Decimal("0.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SETTLED)


def test_the_members_pages_say_which_notice_claims_a_franchise_and_when_it_was_paid(
    client, account, member
):
    from django.urls import reverse

    from guichet.core.tests.pages import page_words as text

    franchises = deferred_franchises(member, count=2)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    client.force_login(account)
    year = franchises[0].care_date.year
    detail = reverse("payments:detail", args=[franchises[0].line.payment_id])

    page = text(client.get(detail))
    assert f"réclamée par l'avis de sommes à payer n° {notice.reference}" in page
    assert "Elle ne sera pas récupérée sur un prochain remboursement" in page
    summary = text(client.get(reverse("payments:copayments") + f"?annee={year}"))
    assert f"Réclamée par l'avis de sommes à payer n° {notice.reference}" in summary
    assert "réclamés par avis de sommes à payer" in summary

    pay(member, notice, total(franchises))

    page = text(client.get(detail))
    assert f"réclamée par l'avis de sommes à payer n° {notice.reference} et réglée par vous" in page
    summary = text(client.get(reverse("payments:copayments") + f"?annee={year}"))
    assert f"Réglée par l'avis de sommes à payer n° {notice.reference}" in summary
    assert "Réglées par avis de sommes à payer" in summary


def test_the_monthly_statement_says_which_notice_claims_a_franchise(member):
    import io
    import re

    from pypdf import PdfReader

    from guichet.payments import documents

    [franchise] = deferred_franchises(member, count=1)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    paid_on = franchise.line.payment.paid_on
    payments = payment_selectors.payments_with_lines(member=member, start=paid_on, end=paid_on)
    content = documents.monthly_statement(
        member=member, year=paid_on.year, month=paid_on.month, payments=payments, issued_on=TODAY
    )
    text = re.sub(
        r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    )
    assert f"réclamée par l'avis de sommes à payer n° {notice.reference}" in text


def test_a_payment_the_kiosk_accepts_after_the_notice_was_lowered_keeps_every_euro(member):
    franchises = deferred_franchises(member, count=2)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    payment = services.start_payment(
        member=member, notice_ids=[notice.pk], amount=total(franchises), actor=SYSTEM
    )
    # While the member is on the kiosk's page, the fund recovers the whole notice elsewhere.
    load([gp_visit(member, carried_over=[(c.external_id, c.amount) for c in franchises])])
    assert fresh(notice).remaining_amount == 0

    posted = kiosk.response(payment)
    fields = sips.read_response(data=posted["Data"], received_seal=posted["Seal"])
    services.record_kiosk_response(fields=fields, channel="automatic")  # money was taken

    notice = fresh(notice)
    assert (notice.pending_amount, notice.overpaid_amount) == (0, total(franchises))
    assert payment.allocations.get().overpaid == total(franchises)
    assert WorkItem.objects.filter(
        kind=DEBT_OVERPAYMENT, summary__contains=payment.reference
    ).exists()
    services.post_accepted_payments()
    assert fresh(notice).remaining_amount == 0 and fresh(notice).status == NoticeStatus.SETTLED


def test_a_feed_may_not_recover_a_franchise_already_paid_through_its_notice(member):
    from guichet.payments import feeds

    [franchise] = deferred_franchises(member, count=1)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    pay(member, notice, franchise.amount)
    assert fetch(franchise).status == CopaymentStatus.PAID_BY_NOTICE

    report = feeds.apply_records(
        feed="payments",
        records=[gp_visit(member, carried_over=[(franchise.external_id, franchise.amount)])],
    )

    assert not report.applied
    assert [(e.field, e.reason) for e in report.errors] == [
        ("recoveries[0]", "cette participation ou franchise n'est plus à récupérer")
    ]
    assert fetch(franchise).status == CopaymentStatus.PAID_BY_NOTICE


def test_pages_tell_the_member_and_the_comptable_that_a_recovery_lowered_the_notice(
    client, account, member, fund
):
    from django.urls import reverse

    from guichet.core.tests.pages import page_words as text
    from guichet.identity.enums import AgentRole
    from guichet.identity.tests.factories import make_agent

    franchises = deferred_franchises(member, count=2)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    pay(member, notice, total(franchises), post=False)  # paid, then recovered: collected twice
    load([gp_visit(member, carried_over=[(franchises[0].external_id, franchises[0].amount)])])
    client.force_login(account)

    page = text(client.get(reverse("payments:detail", args=[franchises[0].line.payment_id])))
    assert (
        f"l'avis de sommes à payer n° {notice.reference} qui la réclamait en est diminué d'autant"
        in page
    )

    client.force_login(make_agent(role=AgentRole.ACCOUNTANT, fund=fund))
    tab = text(client.get(reverse("backoffice:member_file_tab", args=[member.pk, "creances"])))
    overpaid = fresh(notice).overpaid_amount
    assert overpaid == franchises[0].amount
    assert "Trop-perçu à rembourser" in tab and "Annuler l'avis" not in tab
