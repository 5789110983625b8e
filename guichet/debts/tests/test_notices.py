import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_words as text
from guichet.debts import references, selectors, services
from guichet.debts.enums import NoticeDelivery
from guichet.debts.models import PaymentNotice
from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import make_agent
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments.enums import CareCategory, CopaymentStatus
from guichet.payments.models import Copayment
from guichet.payments.tests.factories import load, scripted

TODAY = dt.date(2026, 11, 20)


def pharmacy_under_tiers_payant(member, days_ago: int, count: int = 6):
    """Boxes of medicine paid to the pharmacy: their franchises wait to be recovered."""
    day = TODAY - dt.timedelta(days=days_ago)
    cares = [
        (member, CareCategory.PHARMACY, day + dt.timedelta(days=i), day + dt.timedelta(days=i + 2), True)
        for i in range(count)
    ]  # fmt: skip
    load(scripted(member, cares))
    return list(Copayment.objects.filter(member=member, status=CopaymentStatus.DEFERRED))


def test_the_scheduled_run_claims_old_deferred_franchises_once(member, settings):
    settings.GUICHET_DEBT_NOTICE_MINIMUM = Decimal("1.00")
    deferred = pharmacy_under_tiers_payant(member, days_ago=200)
    recent = pharmacy_under_tiers_payant(InsuredPersonFactory(fund=member.fund), days_ago=10)
    assert deferred and recent

    [notice] = services.issue_due_notices(today=TODAY, actor=SYSTEM)

    assert notice.member == member and notice.issued_on == TODAY
    assert notice.initial_amount == notice.remaining_amount == sum(c.amount for c in deferred)
    assert references.is_valid(notice.reference)
    assert notice.delivery == NoticeDelivery.MESSAGE  # the member has an account
    assert {line.copayment_id for line in notice.lines.all()} == {c.pk for c in deferred}
    assert AuditEvent.objects.filter(action="notice.issued", person_id=member.pk).count() == 1
    assert services.issue_due_notices(today=TODAY, actor=SYSTEM) == []


def test_below_the_minimum_no_notice_is_issued(member, settings):
    settings.GUICHET_DEBT_NOTICE_MINIMUM = Decimal("500.00")
    pharmacy_under_tiers_payant(member, days_ago=200)
    assert services.issue_due_notices(today=TODAY, actor=SYSTEM) == []


def test_a_member_without_account_gets_the_notice_on_paper(fund, settings):
    settings.GUICHET_DEBT_NOTICE_MINIMUM = Decimal("1.00")
    person = InsuredPersonFactory(fund=fund)
    pharmacy_under_tiers_payant(person, days_ago=200)
    [notice] = services.issue_due_notices(today=TODAY, actor=SYSTEM)
    assert notice.delivery == NoticeDelivery.PAPER


def test_the_database_refuses_a_remaining_due_above_the_initial_amount(notices):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        PaymentNotice.objects.filter(pk=notices[0].pk).update(remaining_amount=Decimal("51.00"))


def test_the_creances_tab_lists_notices_and_an_accountant_issues_one(client, fund, member, notices):
    pharmacy_under_tiers_payant(member, days_ago=5)
    accountant = make_agent(role=AgentRole.ACCOUNTANT, fund=fund)
    client.force_login(accountant)
    tab = reverse("backoffice:member_file_tab", args=[member.pk, "creances"])

    page = text(client.get(tab))
    assert "3811708600076602T" in page and "26,90" in page and "Émettre un avis" in page

    action = reverse("backoffice:issue_notice", args=[member.pk])
    kept = client.post(action, {"reason": "no"})
    assert kept.status_code == 200 and "motif" in text(kept).lower()
    response = client.post(action, {"reason": "relance après appel de l'assuré"})
    assert response.status_code == 302 and response.url == tab
    assert selectors.ledger_of(member=member).notices[-1].lines.exists()
    again = text(client.post(action, {"reason": "relance après appel de l'assuré"}))
    assert "pas d'avis à émettre" in again


def test_an_adviser_sees_the_tab_but_may_not_issue_a_notice(client, fund, member, notices):
    client.force_login(make_agent(role=AgentRole.ADVISER, fund=fund))
    page = text(client.get(reverse("backoffice:member_file_tab", args=[member.pk, "creances"])))
    assert "3811708600076602T" in page and "Émettre un avis" not in page
    assert client.get(reverse("backoffice:issue_notice", args=[member.pk])).status_code == 403


def test_a_notice_is_delivered_in_the_messaging_with_its_pdf(member, settings):
    from guichet.messaging.models import Message

    settings.GUICHET_DEBT_NOTICE_MINIMUM = Decimal("1.00")
    pharmacy_under_tiers_payant(member, days_ago=200)
    [notice] = services.issue_due_notices(today=TODAY, actor=SYSTEM)
    message = Message.objects.get(person=member)
    assert message.subject == "Avis de sommes à payer" and message.kind == "payment_notice"
    assert references.display(notice.reference) in message.body
    [attachment] = message.attachments.all()
    assert attachment.filename == f"avis-{notice.reference}.pdf"
    notice.refresh_from_db()
    assert notice.delivered_at is not None


def test_an_accountant_cancels_a_notice_issued_by_mistake_and_its_franchises_are_released(
    client, fund, member
):
    from guichet.debts.enums import NoticeStatus

    franchises = pharmacy_under_tiers_payant(member, days_ago=5)
    notice = services.issue_notice_now(member=member, today=TODAY, actor=SYSTEM)
    client.force_login(make_agent(role=AgentRole.ACCOUNTANT, fund=fund))
    tab = reverse("backoffice:member_file_tab", args=[member.pk, "creances"])
    action = reverse("backoffice:cancel_notice", args=[member.pk, notice.pk])
    assert "Annuler l'avis" in text(client.get(tab))

    response = client.post(action, {"reason": "avis émis en double par erreur"})

    assert response.status_code == 302 and response.url == tab
    assert PaymentNotice.objects.get(pk=notice.pk).status == NoticeStatus.CANCELLED
    assert set(
        Copayment.objects.filter(pk__in=[c.pk for c in franchises]).values_list("status", flat=True)
    ) == {CopaymentStatus.DEFERRED}
    assert AuditEvent.objects.filter(action="notice.cancelled", target_id=str(notice.pk)).exists()
    assert client.get(action).status_code == 404  # cancelled once
    assert "Annulé" in text(client.get(tab))
