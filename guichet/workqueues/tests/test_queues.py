"""The work queues: opening, assigning, releasing, closing items, and the dashboard's figures."""

import datetime as dt

import pytest
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import AccountFactory, make_agent
from guichet.insured.tests.factories import FundFactory
from guichet.workqueues import kinds, selectors, services
from guichet.workqueues.enums import ItemStatus

pytestmark = pytest.mark.django_db
KIND = kinds.ACCOUNT_UNLOCK


def open_for(account, **fields):
    return services.open_item(
        kind=KIND, fund=account.person.fund, summary="déblocage", actor=SYSTEM,
        person_id=account.insured_person_id, target=account, **fields,
    )  # fmt: skip


def test_an_item_is_opened_once_per_target_and_journaled():
    account = AccountFactory()
    first, second = open_for(account), open_for(account)
    assert first.pk == second.pk
    assert AuditEvent.objects.filter(action="work_item.opened").count() == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        services.open_item(kind="nope", fund=FundFactory(), summary="x", actor=SYSTEM)


def test_an_item_is_assigned_only_to_an_agent_of_its_fund_whose_role_works_it():
    account = AccountFactory()
    item = open_for(account)
    fund = account.person.fund
    with pytest.raises(services.WorkQueueError, match="ne fait pas partie"):
        services.assign_item(item_id=item.pk, fund=fund, agent=make_agent(), actor=SYSTEM)
    accountant = make_agent(fund=fund, role=AgentRole.ACCOUNTANT)
    with pytest.raises(services.WorkQueueError, match="ne traite pas"):
        services.assign_item(item_id=item.pk, fund=fund, agent=accountant, actor=SYSTEM)
    adviser = make_agent(fund=fund)
    item = services.assign_item(item_id=item.pk, fund=fund, agent=adviser, actor=SYSTEM)
    assert (item.status, item.assigned_to_id) == (ItemStatus.ASSIGNED, adviser.pk)
    item = services.release_item(item_id=item.pk, fund=fund, actor=SYSTEM)
    assert (item.status, item.assigned_to_id) == (ItemStatus.OPEN, None)
    assert AuditEvent.objects.filter(action="work_item.assigned").exists()


def test_closing_the_items_about_a_target_ends_them_and_a_done_item_cannot_be_assigned():
    account = AccountFactory()
    item = open_for(account)
    assert services.close_items_about(kind=KIND, target=account, outcome="fait", actor=SYSTEM) == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.closed_at is not None
    with pytest.raises(services.WorkQueueError, match="déjà été traité"):
        services.assign_item(
            item_id=item.pk, fund=account.person.fund, agent=make_agent(fund=account.person.fund),
            actor=SYSTEM,
        )  # fmt: skip


def test_the_summary_counts_pending_late_and_done_items_oldest_first():
    fund = FundFactory()
    now = timezone.now()
    accounts = [AccountFactory(insured_person__fund=fund) for _ in range(4)]
    items = [open_for(a) for a in accounts]
    from guichet.workqueues.models import WorkItem

    WorkItem.objects.filter(pk=items[0].pk).update(created_at=now - dt.timedelta(hours=30))
    WorkItem.objects.filter(pk=items[1].pk).update(created_at=now - dt.timedelta(hours=2))
    services.close_items_about(kind=KIND, target=accounts[3], outcome="fait", actor=SYSTEM)
    services.assign_item(item_id=items[2].pk, fund=fund, agent=make_agent(fund=fund), actor=SYSTEM)
    summary = next(s for s in selectors.queue_summaries(fund=fund) if s.kind.slug == KIND)
    assert (summary.pending, summary.unassigned, summary.late, summary.done_recently) == (
        3,
        2,
        1,
        1,
    )
    assert summary.oldest_at == now - dt.timedelta(hours=30)
    assert summary.mean_delay is not None and summary.mean_delay < dt.timedelta(minutes=1)
    queue = list(selectors.queue_items(fund=fund, kind=KIND))
    assert [i.pk for i in queue] == [items[0].pk, items[1].pk, items[2].pk]
    assert selectors.queue_summaries(fund=FundFactory())[0].pending == 0  # other funds see nothing
