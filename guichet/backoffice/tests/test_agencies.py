"""Agencies as reference data: a superviseur lists, adds and edits their own fund's agencies,
with validation and history; no one else reaches them (issue 3, ADR 0028)."""

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import make_agent
from guichet.insured.models import Agency
from guichet.insured.tests.factories import AgencyFactory, FundFactory

pytestmark = pytest.mark.django_db
TABLE = "agences"
LIST = reverse("backoffice:referential", args=[TABLE])
ADD = reverse("backoffice:referential_add", args=[TABLE])


def new_agency(**overrides) -> dict:
    return {"name": "Agence de BELLEY", "address": "22 boulevard du Mail", "postal_code": "01300",
            "city": "Belley", "phone": "3646", "opening_hours": "Le mardi, de 8h30 à 12h30.",
            "accessible": "on", "open": "on", **overrides}  # fmt: skip


def agency_urls(agency) -> dict[str, str]:
    return {
        "list": LIST,
        "add": ADD,
        "edit": reverse("backoffice:referential_edit", args=[TABLE, agency.pk]),
        "history": reverse("backoffice:referential_history", args=[TABLE, agency.pk]),
    }


def test_the_superviseur_adds_an_agency_with_validation_and_finds_it_in_the_history(
    client, supervisor, fund
):
    client.force_login(supervisor)
    assert "Ajouter une agence" in text(client.get(LIST))
    page = text(client.post(ADD, new_agency(postal_code="1300", phone="12")))
    assert "Le code postal comporte 5 chiffres" in page and "Saisissez un numéro" in page
    assert 'value="22 boulevard du Mail"' in page and 'value="1300"' in page
    assert "Ce champ est obligatoire." in text(client.post(ADD, new_agency(address="")))
    assert not Agency.objects.exists()

    response = client.post(ADD, new_agency())

    assert response.url == LIST
    agency = Agency.objects.get()
    assert (agency.fund, agency.city, agency.accessible, agency.open) == (
        fund,
        "BELLEY",
        True,
        True,
    )
    event = AuditEvent.objects.get(action="reference.agency.added")
    assert event.actor_id == str(supervisor.pk)
    assert "Agence de BELLEY" in text(client.get(LIST))
    history = text(client.get(agency_urls(agency)["history"]))
    assert "« 22 boulevard du Mail »" in history and supervisor.agent_profile.full_name in history


def test_the_superviseur_closes_an_agency_it_is_kept_and_journaled(client, supervisor, fund):
    agency = AgencyFactory(fund=fund, name="Agence de OYONNAX")
    client.force_login(supervisor)
    edit = agency_urls(agency)["edit"]
    data = {**new_agency(name="Agence de OYONNAX", city="OYONNAX", postal_code="01100")}
    del data["open"]
    page = text(client.post(edit, {**data, "postal_code": "ABCDE"}))
    assert "Le code postal comporte 5 chiffres" in page and 'value="ABCDE"' in page

    assert client.post(edit, data).url == LIST

    agency.refresh_from_db()
    assert (agency.open, agency.postal_code) == (False, "01100")
    event = AuditEvent.objects.get(action="reference.agency.changed")
    assert event.details["changes"]["open"] == [True, False]
    assert "Fermée" in text(client.get(LIST))
    assert "ouverte : « Oui » devient « Non »" in text(client.get(agency_urls(agency)["history"]))


@pytest.mark.parametrize("role", [r for r in AgentRole if r != AgentRole.SUPERVISOR])
def test_other_roles_get_nothing(client, agent_of, fund, role):
    urls = agency_urls(AgencyFactory(fund=fund))
    client.force_login(agent_of(role))
    for name, url in urls.items():
        assert client.get(url).status_code == 403, name
    assert client.post(ADD, new_agency()).status_code == 403
    assert not Agency.objects.filter(name="Agence de BELLEY").exists()


def test_a_member_and_an_anonymous_visitor_get_nothing(client, fund, member_account):
    urls = agency_urls(AgencyFactory(fund=fund))
    for name, url in urls.items():
        assert client.get(url).url.startswith(reverse("backoffice:login")), name
    client.force_login(member_account)
    for name, url in urls.items():
        assert client.get(url).status_code == 403, name
    assert client.post(ADD, new_agency()).status_code == 403


def test_a_superviseur_of_another_fund_neither_sees_nor_edits_them(client, fund):
    agency = AgencyFactory(fund=fund, name="Agence de AMBERIEU-EN-BUGEY")
    other = make_agent(role=AgentRole.SUPERVISOR, fund=FundFactory(code="017811000"))
    client.force_login(other)
    urls = agency_urls(agency)
    assert "Agence de AMBERIEU-EN-BUGEY" not in text(client.get(urls["list"]))
    assert client.get(urls["edit"]).status_code == 404
    assert client.post(urls["edit"], new_agency()).status_code == 404
    assert client.get(urls["history"]).status_code == 404
    client.post(ADD, new_agency())
    assert Agency.objects.get(name="Agence de BELLEY").fund.code == "017811000"
    agency.refresh_from_db()
    assert agency.name == "Agence de AMBERIEU-EN-BUGEY"
