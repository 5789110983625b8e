import pytest
from django.urls import reverse

from guichet.core import views
from guichet.core.upcoming import SECTIONS
from guichet.identity.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login(client):
    response = client.get("/sante/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(views, "connection", Unreachable())

    response = client.get("/sante/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize("slug", SECTIONS)
def test_upcoming_section_answers_a_member_with_an_honest_page(client, slug):
    account = AccountFactory()
    client.force_login(account)

    response = client.get(reverse(f"upcoming:{slug}"))

    assert response.status_code == 200
    assert "core/upcoming.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Ce service arrive bientôt" in page
    assert SECTIONS[slug].meanwhile.replace("'", "&#x27;") in page
    assert account.insured_person.fund.name in page


@pytest.mark.parametrize("slug", SECTIONS)
def test_upcoming_section_sends_anonymous_visitors_to_the_login_page(client, slug):
    url = reverse(f"upcoming:{slug}")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/connexion/?next={url}"


def test_upcoming_section_marks_its_menu_entry_as_current(client):
    client.force_login(AccountFactory())

    response = client.get(reverse("upcoming:european_card"))

    current = [item["label"] for item in response.context["navigation"] if item["current"]]
    assert current == ["Mes démarches"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_unknown_page_renders_the_french_404(client, logged_in):
    if logged_in:
        client.force_login(AccountFactory())

    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "Page introuvable" in response.content.decode()


def test_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200


def test_favicon_redirects_to_the_static_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/core/favicon.svg"
