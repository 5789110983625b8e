"""The back office's journeys, walked as an agent would: enrol an authenticator app, find a member,
open their file, unlock a locked member; then the superviseur finds it all in the journal."""

import re

import pyotp
from playwright.sync_api import expect

from guichet.core.actors import SYSTEM
from guichet.identity import services as identity_services
from guichet.identity.enums import AgentRole
from guichet.insured.models import Fund

PASSWORD = "Bourg-en-Bresse-2026"


def agent_login(site, email: str, password: str):
    page = site.open("/agents/")
    site.check("Connexion à l'espace agents – Guichet")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Me connecter").click()
    return page


def test_an_agent_enrols_finds_renaldo_opens_his_file_unlocks_paul_richard_and_the_superviseur_sees_it(
    site,
):
    identity_services.create_agent(
        fund=Fund.objects.get(code="010111411"), role=AgentRole.ADVISER, first_name="Paul",
        last_name="Durand", email="paul.durand@cpam-ain.example", password=PASSWORD, actor=SYSTEM,
    )  # fmt: skip

    # Enrolment: the QR code, or the key typed into the app
    page = agent_login(site, "paul.durand@cpam-ain.example", PASSWORD)
    site.check("Activer la double authentification – Espace agents – Guichet")
    expect(
        page.get_by_role("img", name="QR code à scanner avec l'application d'authentification")
    ).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code affiché par l'application").fill("123")
    page.get_by_role("button", name="Activer").click()
    expect(
        page.get_by_text("Le code affiché par l'application comporte 6 chiffres.")
    ).to_be_visible()
    site.check("Activer la double authentification – Espace agents – Guichet")
    page.get_by_label("Code affiché par l'application").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activer").click()
    site.check("Vos codes de secours – Espace agents – Guichet")
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()

    # Finding Renaldo ZOVI by his NIR, with spaces and the key
    site.check("Accueil – Espace agents – Guichet")
    page.get_by_label("Numéro de sécurité sociale").fill("1 74 11 71 270 102 58")
    page.get_by_role("button", name="Rechercher").click()
    site.check("Résultats de la recherche – Espace agents – Guichet")
    expect(page.get_by_text("1 assuré trouvé.")).to_be_visible()
    page.get_by_role("link", name="ZOVI Renaldo").click()
    site.check("Identité – Renaldo ZOVI – Espace agents – Guichet")
    expect(page.get_by_role("heading", level=1, name="ZOVI Renaldo")).to_be_visible()
    tabs = page.get_by_role("navigation", name="Dossier de l'assuré")
    tabs.get_by_role("link", name="Famille").click()
    site.check("Famille – Renaldo ZOVI – Espace agents – Guichet")
    expect(page.get_by_role("link", name="ZOVI Batiste")).to_be_visible()
    tabs.get_by_role("link", name="Compte en ligne").click()
    site.check("Compte en ligne – Renaldo ZOVI – Espace agents – Guichet")
    expect(page.get_by_text("Dernière connexion", exact=True)).to_be_visible()

    # The queue of unlock requests: Paul RICHARD is locked out and asked to be unlocked
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Files de travail"
    ).click()
    site.check("Files de travail – Espace agents – Guichet")
    page.get_by_role("link", name="Demandes de déblocage de compte").click()
    site.check("Demandes de déblocage de compte – Espace agents – Guichet")
    page.get_by_role("button", name=re.compile("Je m'en occupe")).click()
    expect(page.get_by_text("Cet élément vous est attribué.")).to_be_visible()
    page.get_by_role("link", name="Paul RICHARD demande le déblocage de son compte").click()
    site.check("Compte en ligne – Paul RICHARD – Espace agents – Guichet")
    expect(page.get_by_text(re.compile("Bloqué jusqu'au"))).to_be_visible()
    page.get_by_role("link", name="Débloquer le compte").click()
    site.check("Débloquer le compte – Paul RICHARD – Espace agents – Guichet")
    page.get_by_role("button", name="Débloquer le compte").click()
    expect(page.get_by_text("Indiquez le motif de cette action.")).to_be_visible()
    site.check("Débloquer le compte – Paul RICHARD – Espace agents – Guichet")
    page.get_by_label("Motif").fill("Demande en ligne, identité vérifiée au téléphone")
    page.get_by_role("button", name="Débloquer le compte").click()
    expect(
        page.get_by_text("Le compte est débloqué. L'assuré en est informé par e-mail.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Bloqué jusqu'au"))).to_have_count(0)
    site.check("Compte en ligne – Paul RICHARD – Espace agents – Guichet")
    page.get_by_role("button", name="Déconnexion").click()
    site.check("Connexion à l'espace agents – Guichet")

    # The superviseur finds both events in the journal
    page = agent_login(site, "sophie.garnier@cpam-ain.example", "Guichet-Agent-2026")
    site.check("Code de l'application – Espace agents – Guichet")
    page.get_by_label("Code de l'application d'authentification").fill(
        pyotp.TOTP("DEMOSUPERVISEURAINGUICHETAGENT23").now()
    )
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Journal"
    ).click()
    site.check("Journal – Espace agents – Guichet")
    page.get_by_label("Agent").select_option(label="Paul DURAND (Conseiller)")
    page.get_by_label("Action").select_option(label="Consultation d'un dossier")
    page.get_by_role("button", name="Filtrer").click()
    site.check("Journal – Espace agents – Guichet")
    events = page.get_by_role("region", name="Événements")
    expect(events.get_by_role("row").filter(has_text="Renaldo ZOVI").first).to_be_visible()
    page.get_by_label("Action").select_option(label="Déblocage d'un compte")
    page.get_by_role("button", name="Filtrer").click()
    row = events.get_by_role("row").filter(has_text="Paul RICHARD")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Demande en ligne, identité vérifiée au téléphone")
    site.check("Journal – Espace agents – Guichet")


def test_a_member_sees_that_their_fund_consulted_their_file(site):
    from tests.e2e.test_journeys import CODE, RENALDO, log_in

    identity_services.create_agent(
        fund=Fund.objects.get(code="010111411"), role=AgentRole.SUPERVISOR, first_name="Ana",
        last_name="Lopez", email="ana.lopez@cpam-ain.example", password=PASSWORD,
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", actor=SYSTEM,
    )  # fmt: skip
    page = agent_login(site, "ana.lopez@cpam-ain.example", PASSWORD)
    page.get_by_label("Code de l'application d'authentification").fill(
        pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").now()
    )
    page.get_by_role("button", name="Valider").click()
    page.get_by_label("Numéro de sécurité sociale").fill(RENALDO)
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="ZOVI Renaldo").click()
    page.get_by_role("button", name="Déconnexion").click()

    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    site.put_off_overlap()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes informations"
    ).click()
    site.check("Mes informations – Guichet")
    consultations = page.get_by_role("region", name="Consultations de mon dossier par ma caisse")
    expect(consultations).to_contain_text("CPAM de l'Ain, Encadrement")
    expect(consultations).not_to_contain_text("Lopez")


def test_every_back_office_page_is_accessible_and_fits_a_320_pixel_phone(site):
    from guichet.identity.models import Account
    from guichet.insured.models import InsuredPerson
    from guichet.payments.models import Parameter, Payment

    renaldo = InsuredPerson.objects.get(birth_name="ZOVI", first_names="Renaldo").pk
    jessica = InsuredPerson.objects.get(birth_name="PETIT").pk
    fund = Fund.objects.get(code="010111411").pk
    claire = Account.objects.get(identifier="claire.martin@cpam-ain.example").pk
    payment = Payment.objects.filter(member_id=renaldo).order_by("-paid_on").first().pk
    parameter = Parameter.objects.get(name="flat_fee.amount", valid_to=None).pk
    page = site.page
    page.set_viewport_size({"width": 320, "height": 640})
    page = agent_login(site, "sophie.garnier@cpam-ain.example", "Guichet-Agent-2026")
    page.get_by_label("Code de l'application d'authentification").fill(
        pyotp.TOTP("DEMOSUPERVISEURAINGUICHETAGENT23").now()
    )
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1, name="Bonjour Sophie")).to_be_visible()
    paths = [
        "/agents/", "/agents/recherche/?last_name=zovi&birth_date=22/11/1974",
        "/agents/recherche/?nir=2+99", f"/agents/assures/{renaldo}/",
        *(f"/agents/assures/{renaldo}/{tab}/" for tab in ("famille", "droits", "coordonnees", "compte", "paiements")),
        f"/agents/assures/{jessica}/compte/code-provisoire/", f"/agents/assures/{jessica}/compte/fermer/",
        "/agents/files/", "/agents/files/account_unlock/", "/agents/tableau-de-bord/",
        "/agents/journal/", "/agents/journal/?date_from=demain", "/agents/equipe/",
        "/agents/equipe/nouvel-agent/", f"/agents/equipe/{claire}/", f"/agents/equipe/{claire}/debloquer/",
        f"/agents/equipe/{claire}/double-authentification/", f"/agents/equipe/{claire}/fermer/",
        f"/agents/equipe/{claire}/mot-de-passe/",
        "/agents/referentiels/",
        "/agents/referentiels/caisses/", f"/agents/referentiels/caisses/{fund}/modifier/",
        f"/agents/referentiels/caisses/{fund}/historique/", "/connexion/demande-de-deblocage/",
        f"/agents/assures/{renaldo}/paiements/{payment}/", "/agents/mon-compte/",
        "/agents/mon-compte/mot-de-passe/", "/agents/mon-compte/codes-de-secours/",
        "/agents/referentiels/parametres-paiements/", "/agents/referentiels/parametres-paiements/ajouter/",
        f"/agents/referentiels/parametres-paiements/{parameter}/modifier/",
        f"/agents/referentiels/parametres-paiements/{parameter}/historique/",
    ]  # fmt: skip
    for path in paths:
        site.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        site.check(re.compile(".+ – Guichet"))


def demo_agent_login(site, email: str, secret: str):
    page = agent_login(site, email, "Guichet-Agent-2026")
    site.check("Code de l'application – Espace agents – Guichet")
    page.get_by_label("Code de l'application d'authentification").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Valider").click()
    return page


def change_password(page, current: str, new: str) -> None:
    page.get_by_label("Mon mot de passe actuel").fill(current)
    page.get_by_label("Mon nouveau mot de passe", exact=True).fill(new)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(new)
    page.get_by_role("button", name="Enregistrer mon nouveau mot de passe").click()


def test_the_comptable_reads_renaldos_payments_and_changes_her_password_then_the_superviseur_adds_a_pf_amount(
    site,
):
    # Amina BENALI, comptable: Renaldo ZOVI's payments, one of them in detail
    page = demo_agent_login(
        site, "amina.benali@cpam-ain.example", "DEMOCOMPTABLEAINGUICHETAGENT2345"
    )
    page.get_by_label("Numéro de sécurité sociale").fill("1 74 11 71 270 102")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name="ZOVI Renaldo").click()
    page.get_by_role("navigation", name="Dossier de l'assuré").get_by_role(
        "link", name="Paiements"
    ).click()
    site.check("Paiements – Renaldo ZOVI – Espace agents – Guichet")
    payments = page.get_by_role("region", name=re.compile("^Paiements"))
    expect(payments.get_by_role("row").nth(1)).to_be_visible()
    payments.get_by_role("link", name=re.compile("^Détail")).first.click()
    site.check(re.compile("^Paiement du .+ – Renaldo ZOVI – Espace agents – Guichet$"))
    expect(page.get_by_role("heading", name="Détail des soins")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Participations forfaitaires et franchises")
    ).to_be_visible()

    # Her own account: the app and the recovery codes, a new password, new recovery codes
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mon compte"
    ).click()
    site.check("Mon compte – Espace agents – Guichet")
    expect(page.get_by_text("Application d'authentification (codes à 6 chiffres)")).to_be_visible()
    page.get_by_role("link", name="Changer mon mot de passe").click()
    site.check("Changer mon mot de passe – Espace agents – Guichet")
    change_password(page, "pas-le-bon-2026", "Ambérieu-en-Bugey-2027")
    expect(page.get_by_text("Votre mot de passe actuel est incorrect.")).to_be_visible()
    site.check("Changer mon mot de passe – Espace agents – Guichet")
    change_password(page, "Guichet-Agent-2026", "Ambérieu-en-Bugey-2027")
    expect(page.get_by_text("Votre mot de passe est modifié.")).to_be_visible()
    site.check("Mon compte – Espace agents – Guichet")
    page.get_by_role("link", name="Générer de nouveaux codes de secours").click()
    site.check("Nouveaux codes de secours – Espace agents – Guichet")
    page.get_by_label("Mon mot de passe actuel").fill("Ambérieu-en-Bugey-2027")
    page.get_by_role("button", name="Générer de nouveaux codes").click()
    site.check("Vos codes de secours – Espace agents – Guichet")
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.get_by_role("button", name="Déconnexion").click()

    # Sophie GARNIER, superviseur: the PF goes to 3 € from 1 January 2027
    page = demo_agent_login(
        site, "sophie.garnier@cpam-ain.example", "DEMOSUPERVISEURAINGUICHETAGENT23"
    )
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Référentiels"
    ).click()
    page.get_by_role("link", name="Paramètres des remboursements").click()
    site.check("Paramètres des remboursements – Référentiels – Espace agents – Guichet")
    page.get_by_role("link", name="Ajouter une valeur datée").click()
    site.check("Ajouter une valeur datée – Paramètres des remboursements – Espace agents – Guichet")
    page.get_by_label(re.compile("^Paramètre")).select_option(
        label="Participation forfaitaire par acte"
    )
    page.get_by_label("En vigueur à partir du").fill("01/01/2024")
    page.get_by_role("textbox", name=re.compile("^Valeur")).fill("3,00")
    page.get_by_label("Source").fill("Décret de démonstration")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text(re.compile("Cette période chevauche celle du"))).to_be_visible()
    expect(page.get_by_label("Source")).to_have_value("Décret de démonstration")
    site.check("Ajouter une valeur datée – Paramètres des remboursements – Espace agents – Guichet")
    page.get_by_label("En vigueur à partir du").fill("01/01/2027")
    page.get_by_role("button", name="Ajouter").click()
    expect(page.get_by_text("La nouvelle ligne est enregistrée.")).to_be_visible()
    site.check("Paramètres des remboursements – Référentiels – Espace agents – Guichet")
    row = page.get_by_role("row").filter(has_text="flat_fee.amount").filter(has_text="31/12/2026")
    row.get_by_role("link", name=re.compile("^Historique")).click()
    site.check(re.compile("Historique.+ – Espace agents – Guichet"))
    expect(page.get_by_text("31/12/2026").first).to_be_visible()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Journal"
    ).click()
    page.get_by_label("Action").select_option(label="Mot de passe changé par un agent")
    page.get_by_role("button", name="Filtrer").click()
    expect(
        page.get_by_role("region", name="Événements")
        .get_by_role("row")
        .filter(has_text="Amina BENALI")
    ).to_have_count(1)
    site.check("Journal – Espace agents – Guichet")
