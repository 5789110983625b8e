"""The agents' side of messaging: the topics as reference data, the questions' queue, answers."""

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import make_agent
from guichet.messaging.models import Message, OutboundEmail, ReplyTemplate, Topic
from guichet.messaging.tests import files
from guichet.workqueues.models import WorkItem

pytestmark = pytest.mark.django_db


def test_the_superviseur_edits_a_topic_and_the_member_form_follows(client, eva):
    supervisor = make_agent(role=AgentRole.SUPERVISOR, fund=eva.fund)
    client.force_login(supervisor)
    topic = Topic.objects.get(label="Ma carte Vitale")
    url = reverse("backoffice:referential_edit", args=["sujets-des-messages", topic.pk])

    listing = text(client.get(reverse("backoffice:referential", args=["sujets-des-messages"])))
    assert "Sujets des messages" in listing and "Ma carte Vitale" in listing
    bad = text(client.post(url, {"label": "", "position": "douze"}))
    assert "Ce champ est obligatoire." in bad and "Saisissez un nombre entier" in bad
    response = client.post(url, {"label": "Ma carte Vitale", "position": "15"})  # unchecked: hidden
    assert response.status_code == 302

    topic.refresh_from_db()
    assert (topic.position, topic.active) == (15, False)
    history = text(
        client.get(
            reverse("backoffice:referential_history", args=["sujets-des-messages", topic.pk])
        )
    )
    assert "Proposé" in history
    member_client = client_for(eva)
    assert "Ma carte Vitale" not in text(member_client.get(reverse("messaging:write")))


def client_for(person):
    from django.test import Client

    from guichet.identity.models import Account

    member_client = Client()
    member_client.force_login(Account.objects.get(insured_person=person))
    return member_client


# --- the queue of questions and the answers -------------------------------------------------------


@pytest.fixture
def asked(eva):
    """Eva asked a question with a PDF."""
    from guichet.core.actors import Actor
    from guichet.messaging.services import ask_question
    from guichet.messaging.uploads import check_attachment

    return ask_question(
        person=eva,
        topic=Topic.objects.get(label="Mes remboursements"),
        subject="Mes lunettes",
        body="Je n'ai pas été remboursée de mes lunettes.",
        attachments=[check_attachment(filename="facture.pdf", content=files.pdf())],
        actor=Actor.member(1),
    )


@pytest.fixture
def adviser(eva):
    return make_agent(role=AgentRole.ADVISER, fund=eva.fund)


def test_a_question_waits_in_the_queue_with_its_age_and_links_to_its_thread(client, asked, adviser):
    client.force_login(adviser)
    page = text(client.get(reverse("backoffice:queue", args=["member_question"])))

    assert "Questions des assurés" in page
    assert "Mes remboursements : Mes lunettes" in page
    assert "Délai cible : 2 j." in page
    thread_url = reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id])
    assert thread_url in page


def test_the_agent_reads_the_thread_and_its_file_and_it_is_journaled(client, asked, adviser):
    client.force_login(adviser)
    url = reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id])

    page = text(client.get(url))

    assert "Je n'ai pas été remboursée de mes lunettes." in page
    assert "dans les délais" in page and "délai cible" in page
    assert AuditEvent.objects.filter(action="message_thread.viewed", person_id=asked.person_id)
    attachment = asked.attachments.get()
    response = client.get(reverse("backoffice:message_attachment", args=[attachment.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="message_attachment.downloaded").exists()


def test_the_agent_answers_from_a_template_and_the_member_is_told_by_email(client, asked, adviser):
    client.force_login(adviser)
    url = reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id])
    template = ReplyTemplate.objects.get(title="Remboursement en cours")

    prefilled = text(client.get(url, {"modele": template.pk}))
    assert "Votre remboursement est en cours de traitement." in prefilled
    empty = client.post(
        reverse("backoffice:message_answer", args=[asked.person_id, asked.thread_id]), {"body": ""}
    )
    assert "Ce champ est obligatoire." in text(empty)
    client.post(
        reverse("backoffice:message_answer", args=[asked.person_id, asked.thread_id]),
        {"body": "Votre remboursement de 120,00 € part demain."},
    )

    answer = Message.objects.get(thread=asked.thread, sender="fund")
    assert (answer.kind, answer.agent_id, answer.subject) == (
        "answer",
        adviser.pk,
        "RE : Mes lunettes",
    )
    asked.thread.refresh_from_db()
    assert asked.thread.status == "answered"
    assert not WorkItem.objects.filter(kind="member_question").pending().exists()
    email = OutboundEmail.objects.get(person_id=asked.person_id, template="deposit_notice")
    assert "120,00" not in email.body and "remboursement" not in email.body.lower()
    assert "Ma messagerie" in email.body


def test_internal_notes_are_kept_for_agents_and_never_shown_to_the_member(client, asked, adviser):
    client.force_login(adviser)
    note_url = reverse("backoffice:message_note", args=[asked.person_id, asked.thread_id])
    assert "Ce champ est obligatoire." in text(client.post(note_url, {"note": ""}))
    client.post(note_url, {"note": "Facture illisible, voir avec le service optique."})

    thread_page = text(
        client.get(reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id]))
    )
    assert "Facture illisible" in thread_page
    member_page = text(client_for(asked.person).get(reverse("messaging:message", args=[asked.pk])))
    assert "Facture illisible" not in member_page


def test_an_agent_of_another_fund_sees_nothing(client, asked):
    client.force_login(make_agent(role=AgentRole.ADVISER))
    url = reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id])
    assert client.get(url).status_code == 404
    attachment = asked.attachments.get()
    assert (
        client.get(reverse("backoffice:message_attachment", args=[attachment.pk])).status_code
        == 404
    )
    answer_url = reverse("backoffice:message_answer", args=[asked.person_id, asked.thread_id])
    assert client.post(answer_url, {"body": "Bonjour"}).status_code == 404


def test_the_members_file_has_a_messages_tab(client, asked, adviser):
    client.force_login(adviser)
    page = text(
        client.get(reverse("backoffice:member_file_tab", args=[asked.person_id, "messages"]))
    )
    assert "Mes lunettes" in page and "En attente de réponse" in page


def test_the_agent_takes_the_question_from_its_page_and_stays_there(client, asked, adviser):
    client.force_login(adviser)
    url = reverse("backoffice:message_thread", args=[asked.person_id, asked.thread_id])
    item = WorkItem.objects.get(kind="member_question")
    assert "Je m'en occupe" in text(client.get(url))

    response = client.post(reverse("backoffice:take_item", args=[item.pk]), {"suivant": url})
    assert response.url == url
    item.refresh_from_db()
    assert item.assigned_to_id == adviser.pk
    assert f"Attribuée à {adviser.agent_profile.full_name}." in text(client.get(url))
    outside = client.post(
        reverse("backoffice:take_item", args=[item.pk]), {"suivant": "https://ailleurs.example/"}
    )
    assert outside.url == reverse("backoffice:queue", args=["member_question"])


def test_the_agent_joins_a_form_to_the_answer_and_the_member_downloads_it(client, asked, adviser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(adviser)
    answer_url = reverse("backoffice:message_answer", args=[asked.person_id, asked.thread_id])
    lying = SimpleUploadedFile("formulaire.pdf", files.image("PNG"), content_type="application/pdf")
    refused = text(client.post(answer_url, {"body": "Voici le formulaire.", "attachment_1": lying}))
    assert "est en réalité un fichier PNG" in refused and "Voici le formulaire." in refused

    content = files.pdf()
    form = SimpleUploadedFile("formulaire.pdf", content, content_type="application/pdf")
    client.post(answer_url, {"body": "Voici le formulaire.", "attachment_1": form})

    answer = Message.objects.get(thread=asked.thread, sender="fund")
    attachment = answer.attachments.get()
    member = client_for(asked.person)
    response = member.get(reverse("messaging:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
