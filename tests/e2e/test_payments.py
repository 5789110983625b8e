"""Payments journeys of seeds 002 and 004, walked as a member would, every page audited."""

import datetime as dt
import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from guichet.core.templatetags.guichet import MONTHS, SHORT_MONTHS
from guichet.demo.history import marina_anchor, shift_months
from tests.e2e.test_journeys import CODE, log_in

MARINA = "2 95 09 78 361 042"
JESSICA = "2 88 10 01 053 087"


def pdf_text(download) -> str:
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    return re.sub(r"[\s\u00a0]+", " ", " ".join(page.extract_text() for page in reader.pages))


def forward_label(paid_on: dt.date, kind: str) -> re.Pattern:
    """A payment's check box on the page to forward: '21 SEPT. Paiement à un tiers'."""
    return re.compile(rf"{paid_on.day} {re.escape(SHORT_MONTHS[paid_on.month - 1])} {kind}")


def test_marina_filters_her_payments_opens_one_and_downloads_a_monthly_statement(site):
    today = dt.date.today()
    anchor = marina_anchor(today)  # seed 002's 14 November, the demo's latest 14th
    month_name = MONTHS[anchor.month - 1]
    page = log_in(site, MARINA, CODE, "marina.latournerie@example.org")
    payments = page.get_by_role("region", name="Mes derniers paiements")
    expect(payments.get_by_role("row").nth(1)).to_contain_text("Paiement à un tiers")
    expect(payments).to_contain_text("12,62 €")
    site.check("Accueil – Guichet")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes paiements"
    ).click()
    site.check("Mes paiements – Guichet")
    expect(page.get_by_text("Vous recherchez un paiement de plus de 6 mois ?")).to_be_visible()

    page.get_by_label("Du").fill((today + dt.timedelta(days=3)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("La date de début ne peut pas être dans le futur.")).to_be_visible()
    site.check("Erreur – Mes paiements – Guichet")

    page.get_by_label("Du").fill(f"01/{anchor:%m/%Y}")
    page.get_by_label("Au").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Bénéficiaire").select_option(label="Marina LATOURNERIE")
    page.get_by_label("Indemnités journalières").uncheck()
    page.get_by_role("button", name="Rechercher").click()
    month = page.get_by_role("region", name=re.compile(rf"^{month_name.upper()} {anchor.year}"))
    expect(month.get_by_role("link")).to_have_count(5)
    expect(month).to_contain_text("47,96 €")
    expect(page.get_by_label("Indemnités journalières")).not_to_be_checked()
    site.check("Mes paiements – Guichet")

    month.get_by_role("link", name=re.compile("Paiement à un tiers")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Paiement du {anchor:%d/%m/%Y}")
    expect(page.get_by_text("12,62 €").first).to_be_visible()
    expect(page.get_by_text("Franchise sur les médicaments", exact=False).first).to_be_visible()
    site.check(f"Paiement du {anchor:%d/%m/%Y} – Guichet")

    page.get_by_role("link", name="Retour à mes paiements").click()
    page.get_by_role("link", name="Mes relevés mensuels").first.click()
    site.check("Mes relevés mensuels – Guichet")
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Relevé de {month_name} {anchor.year} (PDF)").click()
    text = pdf_text(info.value)
    assert f"Relevé mensuel de vos remboursements — {month_name}" in text
    assert "MARINA LATOURNERIE" in text
    for amount in ["12,62 €", "31,64 €", "19,87 €", "47,96 €", "3,00 €"]:
        assert amount in text
    assert "Nombre de paiements 5" in text


def test_jessica_downloads_her_decomptes_to_forward(site):
    today = dt.date.today()  # seed 004's payments, here 3 and 5 months before the demo's day
    pharmacy = forward_label(shift_months(today, -3, 21), "Paiement à un tiers")
    dental = forward_label(shift_months(today, -3, 19), "Remboursement de soins")
    older = forward_label(shift_months(today, -5, 13), "Remboursement de soins")
    page = log_in(site, JESSICA, CODE, "jessica.petit@example.org")
    expect(
        page.get_by_text(
            "Un ou plusieurs paiement(s) sont à télécharger et à transmettre à votre organisme complémentaire."
        )
    ).to_be_visible()
    site.check("Accueil – Guichet")

    page.get_by_role("link", name="Paiements à transmettre à votre complémentaire").click()
    site.check("Paiements à transmettre à votre complémentaire – Guichet")
    checks = page.get_by_role("checkbox")
    expect(checks.first).to_be_checked()
    expect(page.get_by_label(pharmacy)).to_be_checked()
    expect(page.get_by_label(dental)).to_be_checked()
    for index in range(checks.count()):
        checks.nth(index).uncheck()
    page.get_by_role("button", name="Télécharger mes décomptes à transmettre").click()
    expect(page.get_by_text("Cochez au moins un paiement à télécharger.")).to_be_visible()
    site.check("Erreur – Paiements à transmettre à votre complémentaire – Guichet")

    page.get_by_label(pharmacy).check()
    page.get_by_label(dental).check()
    page.get_by_label(older).check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger mes décomptes à transmettre").click()
    text = pdf_text(info.value)
    assert "Décomptes à transmettre à votre organisme complémentaire" in text
    assert "Nombre de décomptes 3" in text
    for amount in ["2,28 €", "21,00 €", "18,50 €"]:
        assert amount in text
    assert "MUTUELLE GÉNÉRALE DE L'AIN" in text

    page.goto(site.url + "/mes-paiements/a-transmettre/")
    expect(page.get_by_text("(déjà téléchargé)")).to_have_count(3)
    expect(page.get_by_label(pharmacy)).not_to_be_checked()
    site.check("Paiements à transmettre à votre complémentaire – Guichet")
