import datetime as dt

import pytest
from django.utils import timezone

from guichet.messaging.models import OutboundEmail

pytestmark = pytest.mark.django_db

URL = "/demo/boite-mail/"


def email(subject: str, minutes_ago: int, body: str = "Texte") -> OutboundEmail:
    return OutboundEmail.objects.create(
        to="renaldo.zovi@example.org",
        subject=subject,
        body=body,
        template="code_changed",
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_demo_mailbox_lists_emails_newest_first_without_login(client, settings):
    assert settings.DEMO
    email("Le plus ancien", minutes_ago=30)
    email("Le plus récent", minutes_ago=1)
    email("Celui du milieu", minutes_ago=10)

    response = client.get(URL)

    assert response.status_code == 200
    subjects = [e.subject for e in response.context["emails"]]
    assert subjects == ["Le plus récent", "Celui du milieu", "Le plus ancien"]
    page = response.content.decode()
    assert (
        page.index("Le plus récent") < page.index("Celui du milieu") < page.index("Le plus ancien")
    )
    assert "no-cache" in response["Cache-Control"]


def test_demo_mailbox_shows_the_code_and_escapes_the_body(client):
    email("Votre code", minutes_ago=1, body="Code : 482913\n<script>alert(1)</script>")

    page = client.get(URL).content.decode()

    assert "482913" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_demo_mailbox_says_when_it_is_empty(client):
    assert "Aucun e-mail n'a encore été envoyé." in client.get(URL).content.decode().replace(
        "&#x27;", "'"
    )


def test_demo_mailbox_does_not_exist_outside_the_demo(client, settings):
    settings.DEMO = False
    email("Votre code", minutes_ago=1, body="Code : 482913")

    response = client.get(URL)

    assert response.status_code == 404
    assert "482913" not in response.content.decode()
