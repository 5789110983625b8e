"""J'ai une question: the form, its checks, the draft, the acknowledgment, the member's reply."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as page_text
from guichet.messaging.models import Draft, Message, Thread, Topic
from guichet.messaging.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return Topic.objects.get(label="Mes remboursements")


def question(chosen, **fields):
    return {
        "action": "send",
        "topic": chosen.pk,
        "subject": "Remboursement de mes lunettes",
        "body": "Bonjour, je n'ai pas reçu le remboursement de mes lunettes.",
        **fields,
    }


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_inbox_links_to_the_question_form_with_the_topics_and_limits(client, member):
    inbox = page_text(client.get(reverse("messaging:inbox")))
    assert "J'ai une question" in inbox and reverse("messaging:write") in inbox

    text = page_text(client.get(reverse("messaging:write")))

    assert "Écrire un message" in text
    for words in ["Sujet de votre demande", "Mes remboursements", "Objet", "120 caractères au maximum",
                  "4 000 caractères au maximum", "Pièce jointe 3 (facultative)", "PDF, JPEG ou PNG, 5 Mo"]:  # fmt: skip
        assert words in text


def test_sending_a_question_with_a_pdf_acknowledges_it_with_the_answer_time(client, member, topic):
    response = client.post(
        reverse("messaging:write"),
        question(topic, attachment_1=upload("ordonnance.pdf", files.pdf())),
        follow=True,
    )

    text = page_text(response)
    assert "Votre message est envoyé" in text
    assert "réponse en moins de 48h" in text
    assert "avec 1 pièce jointe" in text
    message = Message.objects.get(person=member)
    assert (message.sender, message.kind, message.thread.status) == (
        "member",
        "question",
        "waiting",
    )
    assert message.thread.topic == topic
    assert message.attachments.get().content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="message.question_sent", person_id=member.pk).exists()
    assert "Remboursement de mes lunettes" in page_text(client.get(reverse("messaging:inbox")))


def test_a_lying_extension_is_refused_next_to_its_field_and_the_text_is_kept(client, member, topic):
    response = client.post(
        reverse("messaging:write"),
        question(topic, attachment_2=upload("scan.pdf", files.image("PNG"))),
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "Le fichier « scan.pdf » est en réalité un fichier PNG" in text
    assert 'id="id_attachment_2_error"' in response.content.decode()
    assert "je n'ai pas reçu le remboursement de mes lunettes" in text
    assert "les pièces jointes doivent être choisies de nouveau" in text
    assert not Message.objects.exists()


def test_a_pdf_with_javascript_is_refused(client, member, topic):
    response = client.post(
        reverse("messaging:write"),
        question(topic, attachment_1=upload("piege.pdf", files.pdf(javascript="app.alert(1)"))),
    )
    assert "contient du JavaScript" in page_text(response)
    assert not Thread.objects.filter(person=member).exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"topic": ""}, "Ce champ est obligatoire."),
        ({"topic": "999999"}, "Choisissez un sujet dans la liste."),
        ({"subject": ""}, "Ce champ est obligatoire."),
        ({"subject": "x" * 121}, "au plus 120 caractères"),
        ({"body": "y" * 4001}, "au plus 4000 caractères"),
    ],
)
def test_bad_input_gets_a_french_error_never_a_500(client, member, topic, fields, error):
    response = client.post(reverse("messaging:write"), question(topic, **fields))
    assert response.status_code == 200
    assert error in page_text(response)


def test_a_draft_is_kept_and_offered_again_then_gone_once_sent(client, member, topic):
    response = client.post(
        reverse("messaging:write"),
        {"action": "draft", "topic": topic.pk, "subject": "Ma carte", "body": "Début du texte"},
        follow=True,
    )
    assert "Votre brouillon est enregistré" in page_text(response)
    assert "Reprendre mon brouillon « Ma carte »" in page_text(response)

    text = page_text(client.get(reverse("messaging:write")))
    assert "Vous reprenez votre brouillon" in text and "Début du texte" in text

    client.post(reverse("messaging:write"), question(topic))
    assert not Draft.objects.filter(person=member).exists()


def test_a_draft_left_by_the_page_script_answers_no_content(client, member):
    response = client.post(
        reverse("messaging:write"),
        {"action": "draft", "silent": "1", "body": "Je pars", "topic": "x"},
    )
    assert response.status_code == 204
    assert Draft.objects.get(person=member).body == "Je pars"


def test_the_member_replies_in_their_thread_which_waits_again(client, member, topic):
    client.post(reverse("messaging:write"), question(topic))
    thread = Thread.objects.get(person=member)
    thread.status = "answered"
    thread.save()
    first = thread.messages.get()

    assert "Répondre" in page_text(client.get(reverse("messaging:message", args=[first.pk])))
    response = client.post(
        reverse("messaging:reply", args=[first.pk]), {"body": "Merci, une précision."}, follow=True
    )

    assert "Votre message est envoyé" in page_text(response)
    thread.refresh_from_db()
    assert thread.status == "waiting" and thread.messages.count() == 2


def test_a_member_cannot_reply_to_a_message_of_the_fund(client, member):
    from guichet.messaging.services import deliver_message

    message = deliver_message(person=member, subject="Information", body="Texte")
    assert client.get(reverse("messaging:reply", args=[message.pk])).status_code == 404
    assert client.get(reverse("messaging:sent", args=[message.pk])).status_code == 404


def test_a_member_writes_at_most_the_daily_limit_and_keeps_the_text(
    client, member, topic, settings
):
    settings.GUICHET_MESSAGES_PER_DAY = 2
    client.post(reverse("messaging:write"), question(topic))
    client.post(reverse("messaging:write"), question(topic))

    response = client.post(reverse("messaging:write"), question(topic, subject="Encore une"))

    text = page_text(response)
    assert "Vous avez déjà envoyé 2 messages aujourd'hui" in text
    assert 'value="Encore une"' in text
    assert Message.objects.filter(person=member).count() == 2
