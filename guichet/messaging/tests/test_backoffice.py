"""The agents' side of messaging: the topics as reference data, the questions' queue, answers."""

import html

import pytest
from django.urls import reverse

from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import make_agent
from guichet.messaging.models import Topic

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


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
