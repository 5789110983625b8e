"""A gestionnaire processes a member's choice from the queue."""

import pytest
from django.urls import reverse

from guichet.complementary.enums import CHOICE_TO_PROCESS, RequestStatus
from guichet.complementary.models import SelectionRequest
from guichet.complementary.tests.factories import load, overlap_records
from guichet.complementary.tests.test_services import submit
from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import make_agent
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import Notification
from guichet.workqueues.models import WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_():
    holder = InsuredPersonFactory()
    load(overlap_records(holder))
    return submit(holder)


def test_the_queue_leads_to_the_request_and_the_gestionnaire_processes_it(client, request_):
    agent = make_agent(role=AgentRole.CASE_WORKER, fund=request_.holder.fund)
    client.force_login(agent)
    queue = client.get(reverse("backoffice:queue", args=[CHOICE_TO_PROCESS])).content.decode()
    url = reverse("backoffice:complementary_request", args=[request_.pk])
    assert url in queue
    page = client.get(url).content.decode()
    assert "Traiter la demande" in page and "LES MUTUELLES DE L&#x27;AIN 2" in page
    response = client.post(url, follow=True)
    assert "La demande est traitée" in response.content.decode()
    assert SelectionRequest.objects.get().status == RequestStatus.PROCESSED
    assert Notification.objects.filter(person=request_.holder).exists()
    assert WorkItem.objects.get(kind=CHOICE_TO_PROCESS).status == "done"


def test_an_adviser_reads_but_cannot_process(client, request_):
    client.force_login(make_agent(role=AgentRole.ADVISER, fund=request_.holder.fund))
    url = reverse("backoffice:complementary_request", args=[request_.pk])
    assert "Traiter la demande" not in client.get(url).content.decode()
    client.post(url)
    assert SelectionRequest.objects.get().status == RequestStatus.PENDING


def test_another_funds_agent_gets_a_404(client, request_):
    client.force_login(make_agent(role=AgentRole.CASE_WORKER))
    url = reverse("backoffice:complementary_request", args=[request_.pk])
    assert client.get(url).status_code == 404


def test_the_file_tab_and_the_dashboard(client, request_):
    client.force_login(make_agent(role=AgentRole.SUPERVISOR, fund=request_.holder.fund))
    tab = client.get(
        reverse("backoffice:member_file_tab", args=[request_.holder.pk, "complementaire"])
    ).content.decode()
    assert "bloquée (chevauchement)" in tab and "Demande du" in tab
    dashboard = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "Aucun assuré n'a encore donné son avis" in dashboard


def test_a_supervisor_renames_an_insurer_and_the_journal_keeps_it(client, request_):
    from guichet.complementary.models import Insurer
    from guichet.core.models import AuditEvent

    client.force_login(make_agent(role=AgentRole.SUPERVISOR, fund=request_.holder.fund))
    insurer = Insurer.objects.get(name="LA BALOISE ASSURANCES")
    url = reverse("backoffice:referential_edit", args=["organismes-complementaires", insurer.pk])
    refused = client.post(url, {"name": ""})
    assert "Ce champ est obligatoire." in refused.content.decode()
    client.post(url, {"name": "BALOISE ASSURANCES"})
    assert Insurer.objects.get(pk=insurer.pk).name == "BALOISE ASSURANCES"
    assert AuditEvent.objects.filter(target_id=str(insurer.pk), action__contains="insurer").exists()


def test_an_excluded_overlap_is_in_the_queue_and_the_member_is_told_to_contact_the_fund(client):
    from guichet.complementary.enums import OVERLAP_FOR_FUND
    from guichet.identity.tests.factories import AccountFactory

    account = AccountFactory()
    load(overlap_records(account.insured_person, kind="css"))
    client.force_login(account)
    home = client.get(reverse("home:index")).content.decode()
    assert "Complémentaire santé solidaire" in home and "Contactez votre caisse" in home
    assert "Sélectionner" not in home
    item = WorkItem.objects.get(kind=OVERLAP_FOR_FUND)
    client.force_login(make_agent(role=AgentRole.ADVISER, fund=account.insured_person.fund))
    queue = client.get(reverse("backoffice:queue", args=[OVERLAP_FOR_FUND])).content.decode()
    assert reverse("backoffice:member_file_tab", args=[item.person_id, "complementaire"]) in queue
