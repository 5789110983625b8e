"""The permission matrix: every back-office URL, for an anonymous visitor, a member, and an agent of
each role. A URL added to backoffice/urls.py without a line here fails the first test."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.backoffice import urls as backoffice_urls
from guichet.backoffice.perms import Capability
from guichet.complementary.tests.factories import load as load_contracts
from guichet.complementary.tests.factories import overlap_records
from guichet.complementary.tests.test_services import submit as submit_choice
from guichet.core.actors import SYSTEM
from guichet.debts.services import issue_notice
from guichet.identity.enums import AgentRole
from guichet.messaging.services import deliver_message
from guichet.payments.models import Payment
from guichet.payments.tests.factories import gp_and_pharmacy, load
from guichet.workqueues import kinds
from guichet.workqueues import services as work_services

pytestmark = pytest.mark.django_db

C = Capability
# url name → (the capability it needs, the methods it answers to)
PROTECTED = {
    "home": (C.HOME, "GET"),
    "my_account": (C.HOME, "GET"),
    "my_password": (C.HOME, "GET"),
    "my_recovery_codes": (C.HOME, "GET"),
    "search": (C.SEARCH_MEMBERS, "GET"),
    "member_file": (C.VIEW_MEMBER_FILE, "GET"),
    "member_file_tab": (C.VIEW_MEMBER_FILE, "GET"),
    "member_payment": (C.VIEW_MEMBER_FILE, "GET"),
    "unlock": (C.UNLOCK_ACCOUNT, "GET"),
    "provisional_code": (C.SEND_PROVISIONAL_CODE, "GET"),
    "close_account": (C.CLOSE_ACCOUNT, "GET"),
    "issue_notice": (C.ISSUE_NOTICES, "GET"),
    "cancel_notice": (C.ISSUE_NOTICES, "GET"),
    "queues": (C.WORK_QUEUES, "GET"),
    "queue": (C.WORK_QUEUES, "GET"),
    "take_item": (C.WORK_QUEUES, "POST"),
    "assign_item": (C.ASSIGN_WORK, "POST"),
    "release_item": (C.WORK_QUEUES, "POST"),
    "dashboard": (C.ASSIGN_WORK, "GET"),
    "journal": (C.READ_JOURNAL, "GET"),
    "agents": (C.MANAGE_AGENTS, "GET"),
    "agent_create": (C.MANAGE_AGENTS, "GET"),
    "agent": (C.MANAGE_AGENTS, "GET"),
    "agent_unlock": (C.MANAGE_AGENTS, "GET"),
    "agent_reset_totp": (C.MANAGE_AGENTS, "GET"),
    "agent_close": (C.MANAGE_AGENTS, "GET"),
    "agent_new_password": (C.MANAGE_AGENTS, "GET"),
    "referentials": (C.EDIT_REFERENCE_DATA, "GET"),
    "referential": (C.EDIT_REFERENCE_DATA, "GET"),
    "referential_add": (C.EDIT_REFERENCE_DATA, "GET"),
    "referential_edit": (C.EDIT_REFERENCE_DATA, "GET"),
    "referential_history": (C.EDIT_REFERENCE_DATA, "GET"),
    "message_thread": (C.VIEW_MEMBER_FILE, "GET"),
    "message_answer": (C.WORK_QUEUES, "POST"),
    "message_note": (C.VIEW_MEMBER_FILE, "POST"),
    "message_attachment": (C.VIEW_MEMBER_FILE, "GET"),
    "complementary_request": (C.VIEW_MEMBER_FILE, "GET"),
}
QUEUE_ITEM_VIEWS = {"queue", "take_item", "release_item", "message_answer"}
LOGIN_FLOW = {"login", "choose_password", "enrol", "second_factor", "logout"}

# The table of roles, written out: a change to perms.ROLE_CAPABILITIES must change it too.
EXPECTED = {
    AgentRole.ADVISER: {C.HOME, C.SEARCH_MEMBERS, C.VIEW_MEMBER_FILE, C.UNLOCK_ACCOUNT,
                        C.SEND_PROVISIONAL_CODE, C.WORK_QUEUES},
    AgentRole.CASE_WORKER: {C.HOME, C.SEARCH_MEMBERS, C.VIEW_MEMBER_FILE, C.UNLOCK_ACCOUNT,
                            C.SEND_PROVISIONAL_CODE, C.CLOSE_ACCOUNT, C.WORK_QUEUES},
    AgentRole.ACCOUNTANT: {
        C.HOME, C.SEARCH_MEMBERS, C.VIEW_MEMBER_FILE, C.WORK_QUEUES, C.ISSUE_NOTICES
    },
    AgentRole.SUPERVISOR: set(C),
}  # fmt: skip


def test_every_backoffice_url_is_in_the_matrix_with_the_capability_its_view_checks():
    names = {pattern.name for pattern in backoffice_urls.urlpatterns}
    assert names == set(PROTECTED) | LOGIN_FLOW
    for pattern in backoffice_urls.urlpatterns:
        if pattern.name in PROTECTED:
            assert pattern.callback.capability == PROTECTED[pattern.name][0], pattern.name
            assert pattern.callback.login_url == "backoffice:login"


@pytest.fixture
def urls(fund, member_account, agent_of, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    colleague = agent_of(AgentRole.CASE_WORKER)
    message = deliver_message(
        person=member_account.insured_person, subject="Avis", body="Texte",
        attachments=[("avis.pdf", b"%PDF-1.4 ", "application/pdf")],
    )  # fmt: skip
    thread_args = [member_account.insured_person_id, message.thread_id]
    load(gp_and_pharmacy(member_account.person))
    payment = Payment.objects.filter(member=member_account.person).first()
    item = work_services.open_item(
        kind=kinds.ACCOUNT_UNLOCK, fund=fund, summary="déblocage", actor=SYSTEM,
        person_id=member_account.insured_person_id, target=member_account,
    )  # fmt: skip
    load_contracts(overlap_records(member_account.person))
    choice = submit_choice(member_account.person)
    notice = issue_notice(
        member=member_account.person, amount=Decimal("20.00"), issued_on=dt.date(2026, 1, 5),
        actor=SYSTEM, has_account=False,
    )  # fmt: skip
    args = {
        "complementary_request": [choice.pk],
        "member_file": [member_account.insured_person_id],
        "member_file_tab": [member_account.insured_person_id, "compte"],
        "member_payment": [member_account.insured_person_id, payment.pk],
        "unlock": [member_account.insured_person_id],
        "provisional_code": [member_account.insured_person_id],
        "close_account": [member_account.insured_person_id],
        "issue_notice": [member_account.insured_person_id],
        "cancel_notice": [member_account.insured_person_id, notice.pk],
        "queue": [kinds.ACCOUNT_UNLOCK],
        "take_item": [item.pk],
        "assign_item": [item.pk],
        "release_item": [item.pk],
        "agent": [colleague.pk],
        "agent_unlock": [colleague.pk],
        "agent_reset_totp": [colleague.pk],
        "agent_close": [colleague.pk],
        "agent_new_password": [colleague.pk],
        "referential": ["caisses"],
        "referential_add": ["parametres-paiements"],
        "referential_edit": ["caisses", fund.pk],
        "referential_history": ["caisses", fund.pk],
        "message_thread": thread_args,
        "message_answer": thread_args,
        "message_note": thread_args,
        "message_attachment": [message.attachments.get().pk],
    }
    return {name: reverse(f"backoffice:{name}", args=args.get(name, [])) for name in PROTECTED}


def request(client, name: str, url: str):
    method = PROTECTED[name][1]
    return client.post(url) if method == "POST" else client.get(url)


def test_role_table_is_the_one_documented():
    from guichet.backoffice.perms import ROLE_CAPABILITIES

    assert {role: set(caps) for role, caps in ROLE_CAPABILITIES.items()} == EXPECTED


def test_an_anonymous_visitor_is_sent_to_the_agents_login_everywhere(client, urls):
    for name, url in urls.items():
        response = request(client, name, url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("backoffice:login") + "?next="), name


def test_a_member_gets_nothing_in_the_back_office(client, urls, member_account):
    client.force_login(member_account)
    for name, url in urls.items():
        assert request(client, name, url).status_code == 403, name


@pytest.mark.parametrize("role", list(AgentRole))
def test_each_role_reaches_exactly_the_views_of_its_capabilities(client, urls, agent_of, role):
    client.force_login(agent_of(role))
    unlock_roles = kinds.get(kinds.ACCOUNT_UNLOCK).roles
    for name, url in urls.items():
        allowed = PROTECTED[name][0] in EXPECTED[role]
        status = request(client, name, url).status_code
        if allowed and name in QUEUE_ITEM_VIEWS and role not in unlock_roles:
            # the queue exists, but is not one of this role's: as if it did not exist
            assert status == 404, (role, name, status)
        elif allowed:
            assert status in (200, 302), (role, name, status)
        else:
            assert status == 403, (role, name, status)


def test_an_agent_is_refused_the_members_pages(client, adviser):
    client.force_login(adviser)
    for name in ("home:index", "insured:information", "identity:change_code"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_login_flow_never_sends_to_the_members_login(client, member_account):
    for name in LOGIN_FLOW - {"logout"}:
        response = client.get(reverse(f"backoffice:{name}"))
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert response.url.startswith("/agents/")
    client.force_login(member_account)
    assert client.get(reverse("backoffice:login")).status_code == 200
