"""Documents journeys: Renaldo ZOVI downloads attestations, a pharmacist checks one."""

import re

from playwright.sync_api import expect

from guichet.documents.signing import GS, SHORT_ALPHABET, US, parse
from guichet.documents.tests.helpers import decode_2d_codes, read
from tests.e2e.test_journeys import CODE, log_in

RENALDO = "1 74 11 71 270 102"
PIERRE = "1 83 02 75 056 123"
MARTINE = "2 68 04 01 054 166"


def download(page, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    with open(info.value.path(), "rb") as pdf:
        return pdf.read()


def short_code_of(text: str) -> str:
    return re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b", text).group(1)


def test_renaldo_downloads_the_family_attestation_then_serenas(site):
    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    site.put_off_overlap()  # seed 003's dialog opens at login
    site.check("Accueil – Guichet")
    page.get_by_role("region", name="Mes démarches en 2 clics").get_by_role(
        "link", name="Attestation de droits"
    ).click()
    site.check("Attestation de droits – Guichet")
    expect(page.get_by_text("L'attestation justifie de vos droits")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier mon adresse")).to_be_visible()
    beneficiary = page.get_by_label("Sélectionnez vous une attestation pour")
    expect(beneficiary).to_have_value("famille")

    family = read(download(page, "DEMANDER MON ATTESTATION"))
    for name in ["Renaldo ZOVI", "Noémie ZOVI", "Serena ZOVI", "Batiste ZOVI"]:
        assert name in family
    assert "PRUDHON PHILIPPE" in family and "01 011 1411" in family

    beneficiary.select_option(label="Serena ZOVI")
    content = download(page, "DEMANDER MON ATTESTATION")
    serena = read(content)
    assert "Serena ZOVI" in serena and "10/10/2005" in serena and "Noémie ZOVI" not in serena
    [scanned] = decode_2d_codes(content)
    assert "NMSERENA ZOVI" in scanned


def test_martines_attestation_shows_her_ald_and_its_code_does_not(site):
    page = log_in(site, MARTINE, CODE, "martine.bernard@example.org")
    page.goto(site.url + "/mes-demarches/attestation-de-droits/")  # past seed 003's dialog
    site.check("Attestation de droits – Guichet")

    content = download(page, "DEMANDER MON ATTESTATION")

    pdf = read(content)
    assert "Martine BERNARD" in pdf
    assert (
        "Exonération du ticket modérateur : affection de longue durée (ALD) depuis le 12/03/2021"
        in pdf
    )
    [scanned] = decode_2d_codes(content)
    assert "NMMARTINE BERNARD" in scanned
    # her CSS (a right) is in the code, her ALD (health data) is not
    assert [di for di, _ in parse(scanned)[1].fields] == ["DN", "OR", "ON", "NM", "NE", "DD", "CS"]
    page.get_by_role("button", name="Déconnexion").click()
    page.get_by_role("link", name="Vérifier une attestation").click()
    page.get_by_label("Code de vérification").fill(short_code_of(pdf))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation authentique.")).to_be_visible()
    expect(page.get_by_text("MARTINE BERNARD, né(e) le 03/04/1968")).to_be_visible()
    expect(page.get_by_text("12/03/2021")).to_have_count(0)
    site.check("Vérifier une attestation – Guichet")


def test_the_verification_page_accepts_the_code_and_rejects_an_altered_one(site):
    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    site.put_off_overlap()  # seed 003's dialog opens at login
    page.goto(site.url + "/mes-demarches/")
    site.check("Mes démarches – Guichet")
    page.get_by_role("link", name="Attestation de droits").click()
    page.get_by_label("Sélectionnez vous une attestation pour").select_option(label="Serena ZOVI")
    content = download(page, "DEMANDER MON ATTESTATION")
    code = short_code_of(read(content))
    [scanned] = decode_2d_codes(content)
    page.get_by_role("button", name="Déconnexion").click()

    page.get_by_role("link", name="Vérifier une attestation").click()  # as a pharmacist would
    site.check("Vérifier une attestation – Guichet")
    page.get_by_label("Code de vérification").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation authentique.")).to_be_visible()
    expect(page.get_by_text("SERENA ZOVI, né(e) le 10/10/2005")).to_be_visible()
    expect(
        page.get_by_text("ne figurent pas dans ce code, car ce sont des données de santé")
    ).to_be_visible()
    site.check("Vérifier une attestation – Guichet")

    last = code[-1]
    altered = code[:-1] + SHORT_ALPHABET[(SHORT_ALPHABET.index(last) + 1) % 32]
    page.get_by_label("Code de vérification").fill(altered)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Aucune attestation ne porte ce code.")).to_be_visible()
    expect(page.get_by_text("Attestation authentique.")).to_have_count(0)
    site.check("Vérifier une attestation – Guichet")

    page.get_by_label("Code de vérification").fill("")
    as_read = scanned.replace(GS, "<GS>").replace(US, "<US>")  # as a scanner types them
    page.get_by_label("Ou le contenu du code 2D scanné").fill(as_read)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation authentique.")).to_be_visible()
    page.get_by_label("Ou le contenu du code 2D scanné").fill(
        as_read.replace("NE10102005", "NE10102004")
    )
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation non authentique.")).to_be_visible()
    site.check("Vérifier une attestation – Guichet")

    page.get_by_label("Ou le contenu du code 2D scanné").fill("")
    page.get_by_label("Code de vérification").fill("ABCD")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Un code de vérification a 12 lettres ou chiffres")).to_be_visible()
    expect(page.get_by_label("Code de vérification")).to_have_value("ABCD")
    site.check("Erreur – Vérifier une attestation – Guichet")


def test_pierre_gets_his_daily_allowances_attested_and_renaldo_is_told_he_has_none(site):
    page = log_in(site, PIERRE, CODE, "pierre.belage@example.org")
    page.get_by_role("region", name="Mes démarches en 2 clics").get_by_role(
        "link", name="Attestation de paiement d'indemnités journalières"
    ).click()
    site.check("Attestation de paiement d'indemnités journalières – Guichet")
    page.get_by_label("Du").fill("01/01/2000")
    page.get_by_role("button", name="Télécharger mon attestation").click()
    expect(page.get_by_text("L'historique conservé commence le")).to_be_visible()
    site.check("Erreur – Attestation de paiement d'indemnités journalières – Guichet")

    start = page.get_by_text(re.compile(r"Entre le \d\d/\d\d/\d{4}")).inner_text()
    page.get_by_label("Du").fill(re.search(r"\d\d/\d\d/\d{4}", start).group(0))
    text = read(download(page, "Télécharger mon attestation"))
    assert "Accident du travail" in text and "Total versé" in text

    page.get_by_role("link", name="Relevé fiscal de mes indemnités journalières").click()
    site.check("Relevé fiscal – Guichet")
    page.get_by_role("button", name="Déconnexion").click()

    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")

    site.put_off_overlap()  # seed 003's dialog opens at login
    page.goto(site.url + "/mes-demarches/releve-fiscal/")
    expect(page.get_by_text("Vous n'avez perçu aucune indemnité journalière.")).to_be_visible()
    site.check("Relevé fiscal – Guichet")
