import pytest
from django.conf import settings
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as page_text
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.tests.factories import AgencyFactory, InsuredPersonFactory

pytestmark = pytest.mark.django_db


def session_queries() -> int:
    """Sessions kept in the database cost a query; in Redis (production) they cost none."""
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


@pytest.fixture
def member(client):
    account = AccountFactory(
        insured_person__with_dependents=3,
        insured_person__referring_doctor_name="PRUDHON PHILIPPE",
        insured_person__referring_doctor_specialty="Médecine générale",
        insured_person__referring_doctor_declared_on="2008-04-24",
    )
    client.force_login(account)
    return account


def test_my_information_shows_the_holder_with_the_seeds_headings(client, member):
    text = page_text(client.get(reverse("insured:information")))
    person = member.insured_person
    for heading in [
        "Numéro de sécurité sociale", "Droits", "Caisse d'assurance maladie", "Code d'organisme",
        "Organisme complémentaire", "Médecin traitant", "Carte Européenne d'Assurance Maladie",
        "Coordonnées bancaires", "Adresse postale", "Email", "Téléphone portable", "Téléphone fixe",
        "Autorisations de contact", "Paramètres de compte",
    ]:  # fmt: skip
        assert heading in text
    assert person.nir_display in text
    assert "Vos droits à l'Assurance Maladie sont ouverts." in text
    assert "PRUDHON PHILIPPE" in text and "Date de déclaration : 24/04/2008" in text
    assert "Vous n'avez pas renseigné de numéro de téléphone portable" in text


def test_my_information_lists_every_family_member_and_shows_each(client, member):
    dependents = [d.person for d in member.insured_person.dependents.all()]
    text = page_text(client.get(reverse("insured:information")))
    for child in dependents:
        assert child.first_name.upper() in text
        child_text = page_text(client.get(reverse("insured:person_information", args=[child.pk])))
        assert child.nir_display in child_text
        assert "Coordonnées bancaires" not in child_text  # the holder's own details only


def test_another_members_person_id_gives_a_404(client, member):
    stranger = InsuredPersonFactory(with_dependents=1)
    assert client.get(reverse("insured:person_information", args=[stranger.pk])).status_code == 404
    child = stranger.dependents.get().person
    assert client.get(reverse("insured:person_information", args=[child.pk])).status_code == 404
    assert client.get(reverse("insured:person_information", args=[999_999])).status_code == 404


def test_my_information_query_count_does_not_grow_with_the_family(
    client, django_assert_num_queries
):
    small = AccountFactory(insured_person__with_dependents=1)
    big = AccountFactory(insured_person__with_dependents=6)
    InsuredPersonFactory.create_batch(20, with_dependents=2)
    for account in (small, big):
        client.force_login(account)
        client.get(reverse("home:index"))  # the first request after login stamps the session once
        # account with person and fund, family, Vitale cards, CEAM, the fund's consultations of
        # the file, the header's unread counts, the person's complementary contracts, overlap and
        # pending choice (+ the session in the database)
        with django_assert_num_queries(9 + session_queries()):
            assert client.get(reverse("insured:information")).status_code == 200


def test_changing_the_phones_validates_and_journals(client, member):
    response = client.post(
        reverse("insured:phones"), {"mobile_phone": "01 23 45 67 89", "landline_phone": ""}
    )
    assert "n'est pas celui d'un téléphone portable" in page_text(response)
    assert 'value="01 23 45 67 89"' in response.content.decode()
    response = client.post(
        reverse("insured:phones"), {"mobile_phone": "06 12 34 56 78", "landline_phone": ""}
    )
    assert response["Location"] == reverse("insured:information")
    member.insured_person.refresh_from_db()
    assert member.insured_person.mobile_phone == "+33612345678"
    assert AuditEvent.objects.filter(
        action="insured.phones_changed", person_id=member.insured_person_id
    ).exists()
    assert "06 12 34 56 78" in page_text(client.get(reverse("insured:information")))


def test_sms_permission_needs_a_mobile_phone(client, member):
    response = client.post(
        reverse("insured:contact_permissions"), {"by_email": "on", "by_sms": "on"}
    )
    assert "Ajoutez d'abord un numéro de téléphone portable" in page_text(response)
    response = client.post(reverse("insured:contact_permissions"), {"by_sms": ""})
    assert response.status_code == 302
    member.insured_person.refresh_from_db()
    assert not member.insured_person.contact_by_email


def test_my_information_is_for_members_only(client):
    assert client.get(reverse("insured:information"))["Location"].startswith(
        reverse("identity:login")
    )


def test_my_funds_open_agencies_are_linked_from_my_information(
    client, member, django_assert_num_queries
):
    fund = member.insured_person.fund
    AgencyFactory(fund=fund, name="Agence de BOURG-EN-BRESSE", accessible=True)
    AgencyFactory(fund=fund, name="Agence de AMBERIEU-EN-BUGEY")
    AgencyFactory(fund=fund, name="Agence de OYONNAX", open=False)
    AgencyFactory(name="Agence de VERSAILLES")  # another fund's
    url = reverse("insured:agencies")
    assert f'href="{url}"' in page_text(client.get(reverse("insured:information")))

    # account with person and fund, the agencies, the header's unread counts (+ the session)
    with django_assert_num_queries(3 + session_queries()):
        text = page_text(client.get(url))

    assert "<h1>Les agences de ma caisse</h1>" in text
    assert text.index("Agence de AMBERIEU-EN-BUGEY") < text.index("Agence de BOURG-EN-BRESSE")
    assert "46 Rue Aristide Briand" in text and "Accessible aux personnes" in text
    assert "OYONNAX" not in text and "VERSAILLES" not in text


def test_a_fund_without_an_open_agency_says_so(client, member):
    text = page_text(client.get(reverse("insured:agencies")))
    assert "Votre caisse n'a pas d'agence ouverte en ce moment." in text
