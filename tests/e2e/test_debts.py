"""Seed 000 as Pierre BELAGE walks it: "Payer une créance", the kiosk (its own process), the way
back, the acknowledgment and the accounting run; every page audited by axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from guichet.core.actors import SYSTEM
from guichet.debts import services
from guichet.insured.models import InsuredPerson
from guichet.payments.enums import CareCategory, CopaymentStatus
from guichet.payments.models import Copayment
from guichet.payments.tests.factories import load, scripted
from sandboxes.kiosk.testing import running_kiosk
from tests.e2e.test_journeys import CODE, log_in

PIERRE = ("1 83 02 75 056 123", CODE, "pierre.belage@example.org")
THANKS = "Nous vous remercions pour votre paiement, nous le traitons dans les plus brefs délais."
KIOSK_TITLE = " – Kiosque de paiement (bac à sable)"


@pytest.fixture(scope="session")
def kiosk_sandbox(tmp_path_factory):
    with running_kiosk(var_dir=tmp_path_factory.mktemp("kiosk-sandbox")) as url:
        yield url


@pytest.fixture
def kiosk(kiosk_sandbox, settings, live_server):
    """Guichet configured for the kiosk, as its demo is for `make run`'s."""
    settings.SIPS_PAYPAGE_URL = f"{kiosk_sandbox}/paymentInit"
    settings.SIPS_OFFICE_URL = kiosk_sandbox
    settings.GUICHET_BASE_URL = live_server.url
    return kiosk_sandbox


def to_the_kiosk(site, amount: str = "20"):
    """Log in, find the notice by its reference (a wrong letter first), tick two lines, pay."""
    page = log_in(site, *PIERRE)
    site.check("Accueil – Guichet")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes paiements"
    ).click()
    site.check("Mes paiements – Guichet")
    page.get_by_role("link", name="Payer une créance").click()
    site.check("Payer une créance – Guichet")

    page.get_by_text("Où trouver la référence de votre avis ?").click()
    expect(page.get_by_text("16 chiffres et 1 lettre").first).to_be_visible()
    for label, value in (("Chiffres 1 à 4", "3811"), ("Chiffres 5 à 8", "7012"),
                         ("Chiffres 9 à 12", "0001"), ("Chiffres 13 à 16", "0075"), ("Lettre", "F")):  # fmt: skip
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("la lettre ne correspond pas aux chiffres")).to_be_visible()
    expect(page.get_by_label("Chiffres 1 à 4")).to_have_value("3811")
    site.check("Erreur – Payer une créance – Guichet")

    page.get_by_label("Lettre").fill("W")
    page.get_by_role("button", name="Rechercher").click()
    site.check("Payer une créance – 3811701200010075W – Guichet")
    expect(page.get_by_text("Créance (Référence : 3811701200010075W)")).to_be_visible()
    expect(page.get_by_text("4 références trouvé(es)")).to_be_visible()
    expect(page.get_by_role("checkbox", name="3811701200010075W")).to_be_checked()
    page.get_by_role("checkbox", name="3811708600076602T").check()
    expect(page.get_by_text("2 références sélectionné(es)")).to_be_visible()
    expect(page.get_by_text("Solde total à payer : 39,40 €")).to_be_visible()
    page.get_by_label("Montant du paiement").fill(amount)
    page.get_by_role("button", name="Payer").click()

    expect(page).to_have_title("Informations de la carte" + KIOSK_TITLE)
    expect(page.get_by_text("20,00 €").first).to_be_visible()
    site.check("Informations de la carte" + KIOSK_TITLE)
    return page


def type_card(site, page, number: str):
    page.get_by_label("Numéro de carte").fill(number)
    page.get_by_label("Mois").select_option("12")
    page.get_by_label("Année").select_option("2030")
    page.get_by_label("Cryptogramme visuel").fill("123")
    page.get_by_role("button", name="Valider").click()
    site.check("Authentification 3-D Secure" + KIOSK_TITLE)
    page.get_by_role("button", name="Authentification réussie").click()


def test_pierre_pays_20_euros_through_3d_secure_then_the_accounting_run_posts_it(site, kiosk):
    page = to_the_kiosk(site)
    page.get_by_label("Numéro de carte").fill("4100 0000 0000 0101")  # a typo: Luhn refuses it
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce numéro de carte n'est pas valide : vérifiez-le.")).to_be_visible()
    site.check("Erreur – Informations de la carte" + KIOSK_TITLE)
    type_card(site, page, "4100 0000 0000 0100")

    expect(page.get_by_text("Votre paiement a été accepté.")).to_be_visible()
    expect(
        page.get_by_text("Nous vous conseillons de conserver vos informations de paiement.")
    ).to_be_visible()
    expect(page.get_by_text("4100##########00")).to_be_visible()
    expect(page.get_by_text("Numéro d'autorisation")).to_be_visible()
    site.check("Paiement accepté" + KIOSK_TITLE)
    page.get_by_role("link", name="Imprimer le reçu du paiement").click()
    site.check("Reçu du paiement" + KIOSK_TITLE)
    page.go_back()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_text(THANKS)).to_be_visible()
    site.check("Accueil – Guichet")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Ma messagerie"
    ).click()
    page.get_by_role("link", name="Accusé de réception de votre paiement de créance").click()
    expect(
        page.get_by_text("Nous accusons réception de votre paiement de créance du")
    ).to_be_visible()
    site.check(re.compile("Accusé de réception de votre paiement de créance"))

    site.open("/mes-paiements/payer-une-creance/")
    notices = page.get_by_role("region", name="Mes avis de sommes à payer (défile horizontalement)")
    row = notices.get_by_role("row", name=re.compile("3811708600076602T"))
    expect(row).to_contain_text("26,90 €")
    expect(row).to_contain_text("dont 20,00 € : paiement en cours de traitement")
    site.check("Payer une créance – Guichet")

    assert services.post_accepted_payments() == 1  # the accounting run (a scheduled job)
    page.reload()
    expect(row).to_contain_text("6,90 €")
    expect(row).not_to_contain_text("en cours de traitement")
    site.check("Payer une créance – Guichet")


def test_pierre_pays_with_a_refused_card_and_nothing_owed_changes(site, kiosk):
    page = to_the_kiosk(site)
    type_card(site, page, "4100 0000 0000 0605")
    expect(page.get_by_text("Votre paiement a été refusé par votre banque.")).to_be_visible()
    site.check("Paiement non abouti" + KIOSK_TITLE)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_text("Votre transaction de paiement a échoué.")).to_be_visible()
    site.check("Accueil – Guichet")
    site.open("/mes-paiements/payer-une-creance/")
    notices = page.get_by_role("region", name="Mes avis de sommes à payer (défile horizontalement)")
    expect(notices.get_by_role("row", name=re.compile("3811708600076602T"))).to_contain_text(
        "26,90 €"
    )
    expect(notices).not_to_contain_text("en cours de traitement")
    assert services.post_accepted_payments() == 0


def test_a_franchise_claimed_by_a_notice_says_so_on_pierres_pages(site):
    """ADR 0073: a claimed franchise is no longer "à récupérer"; the member reads which notice
    asks for it, on the year's page and on the payment that caused it."""
    pierre = InsuredPerson.objects.get(nir=PIERRE[0].replace(" ", ""))
    day = dt.date.today() - dt.timedelta(days=20)  # medicine paid to the pharmacy: deferred
    load(scripted(pierre, [(pierre, CareCategory.PHARMACY, day, day + dt.timedelta(days=2), True)]))
    franchise = Copayment.objects.select_related("line__payment").get(
        member=pierre, status=CopaymentStatus.DEFERRED, care_date=day
    )
    notice = services.issue_notice(
        member=pierre, amount=franchise.amount, issued_on=dt.date.today(), actor=SYSTEM,
        copayments=[franchise], has_account=True,
    )  # fmt: skip
    claimed = f"Réclamée par l'avis de sommes à payer n° {notice.reference}"

    page = log_in(site, *PIERRE)
    site.check("Accueil – Guichet")
    site.open(
        f"/mes-paiements/participations-forfaitaires-et-franchises/?annee={franchise.care_date.year}"
    )
    expect(page.get_by_role("cell", name=re.compile(re.escape(claimed)))).to_be_visible()
    site.check(f"Participations forfaitaires et franchises {franchise.care_date.year} – Guichet")

    row = page.get_by_role("row", name=re.compile(re.escape(claimed)))
    row.get_by_role("link", name=franchise.line.act_label).click()
    expect(
        page.get_by_text(f"elle est réclamée par l'avis de sommes à payer n° {notice.reference}")
    ).to_be_visible()
    site.check(re.compile("Guichet$"))
    page.get_by_role("link", name="Payer une créance").first.click()
    site.check("Payer une créance – Guichet")
