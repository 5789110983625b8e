"""Agencies as reference data (issue 3, ADR 0028): the demo superviseur adds an agency, fixes a
bad postal code, closes another, and finds both changes in their histories; a member of the fund
then sees the new agency, not the closed one."""

import re

from playwright.sync_api import expect

from tests.e2e.test_backoffice import demo_agent_login
from tests.e2e.test_journeys import CODE, RENALDO, log_in

TABLE_TITLE = "Agences – Référentiels – Espace agents – Guichet"


def test_the_superviseur_adds_an_agency_edits_another_and_reads_their_history(site):
    page = demo_agent_login(
        site, "sophie.garnier@cpam-ain.example", "DEMOSUPERVISEURAINGUICHETAGENT23"
    )
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Référentiels"
    ).click()
    page.get_by_role("link", name="Agences").click()
    site.check(TABLE_TITLE)
    expect(page.get_by_role("cell", name="Agence de AMBERIEU-EN-BUGEY", exact=True)).to_be_visible()

    page.get_by_role("link", name="Ajouter une agence").click()
    site.check("Ajouter une agence – Agences – Espace agents – Guichet")
    page.get_by_label(re.compile("^Nom")).fill("Agence de BELLEY")
    page.get_by_label(re.compile("^Adresse")).fill("22 boulevard du Mail")
    page.get_by_label(re.compile("^Code postal")).fill("1300")
    page.get_by_label(re.compile("^Commune")).fill("Belley")
    page.get_by_label(re.compile("^Téléphone")).fill("3646")
    page.get_by_label(re.compile("^Horaires d'ouverture")).fill("Le mardi, de 8h30 à 12h30.")
    page.get_by_label("Accessible aux personnes à mobilité réduite").check()
    page.get_by_role("button", name="Ajouter").click()
    expect(
        page.get_by_text("Le code postal comporte 5 chiffres, par exemple 01000.")
    ).to_be_visible()
    expect(page.get_by_label(re.compile("^Adresse"))).to_have_value("22 boulevard du Mail")
    site.check("Ajouter une agence – Agences – Espace agents – Guichet")
    page.get_by_label(re.compile("^Code postal")).fill("01300")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("La nouvelle ligne est enregistrée.")).to_be_visible()
    site.check(TABLE_TITLE)

    oyonnax = page.get_by_role("row").filter(has_text="Agence de OYONNAX")
    oyonnax.get_by_role("link", name=re.compile("^Modifier")).click()
    site.check("Modifier – Agence de OYONNAX – Espace agents – Guichet")
    page.get_by_label(re.compile("^Horaires d'ouverture")).fill("Le jeudi, de 13h30 à 16h30.")
    page.get_by_label("Ouverte").uncheck()
    page.get_by_role("button", name=re.compile("^Enregistrer")).click()
    expect(page.get_by_text("Les modifications sont enregistrées.")).to_be_visible()
    expect(oyonnax.get_by_role("cell", name="Fermée", exact=True)).to_be_visible()
    site.check(TABLE_TITLE)

    oyonnax.get_by_role("link", name=re.compile("^Historique")).click()
    site.check(re.compile("Historique.+ – Espace agents – Guichet"))
    expect(page.get_by_text("ouverte : « Oui » devient « Non »")).to_be_visible()
    expect(page.get_by_text(re.compile("Le jeudi, de 13h30 à 16h30"))).to_be_visible()
    page.go_back()
    page.get_by_role("row").filter(has_text="Agence de BELLEY").get_by_role(
        "link", name=re.compile("^Historique")
    ).click()
    site.check(re.compile("Historique.+ – Espace agents – Guichet"))
    expect(
        page.get_by_text("adresse : « (vide) » devient « 22 boulevard du Mail »")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Sophie GARNIER")).first).to_be_visible()
    page.get_by_role("button", name="Déconnexion").click()

    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")

    site.put_off_overlap()  # seed 003's dialog opens at login
    page.get_by_role("link", name="Mes informations").first.click()
    page.get_by_role("link", name="Les agences de ma caisse").click()
    site.check("Les agences de ma caisse – Guichet")
    expect(page.get_by_role("heading", name="Agence de BELLEY")).to_be_visible()
    expect(page.get_by_role("heading", name="Agence de AMBERIEU-EN-BUGEY")).to_be_visible()
    expect(page.get_by_text("46 Rue Aristide Briand")).to_be_visible()
    expect(page.get_by_role("heading", name="Agence de OYONNAX")).to_have_count(0)
