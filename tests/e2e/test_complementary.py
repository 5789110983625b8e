"""Seed 003 (issue 7): Renaldo ZOVI's family has two complementary insurers. He puts the dialog
off, sees it again at his next login, chooses for his whole family, rates the service; the job
processes his choice; he gets the e-mail and the notification, and "Mes informations" shows the
insurer he kept with transmission active. Every page is audited by axe-core."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from guichet.complementary import services
from tests.e2e.test_journeys import CODE, RENALDO, log_in

EMAIL = "renaldo.zovi@example.org"
DIALOG = "La transmission automatique des remboursements vers votre complémentaire est bloquée."
FAMILY = ["Renaldo ZOVI", "Noémie ZOVI", "Serena ZOVI", "Batiste ZOVI"]


def sign_in_again(site):
    """This browser is trusted since the first login: no e-mail code."""
    page = site.open("/connexion/")
    page.get_by_label("Mon numéro de sécurité sociale").fill(RENALDO)
    page.get_by_label("Mon code personnel").fill(CODE)
    page.get_by_role("button", name="Me connecter").click()
    return page


def focus_is_in_dialog(page) -> bool:
    return page.evaluate("document.activeElement.closest('dialog') !== null")


def test_renaldo_puts_off_then_chooses_his_complementary_and_it_is_processed(site):
    page = log_in(site, RENALDO, CODE, EMAIL)
    dialog = page.get_by_role("dialog", name="Ma complémentaire santé")
    expect(dialog).to_contain_text(DIALOG)
    site.check("Accueil – Guichet")
    # a modal dialog: the focus stays inside it
    expect(page.locator("dialog:modal")).to_be_visible()
    for _ in range(4):
        page.keyboard.press("Tab")
        assert focus_is_in_dialog(page)
    dialog.get_by_role("button", name="Plus tard").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("dialog")).to_have_count(0)  # not again in this session
    page.get_by_role("button", name="Déconnexion").click()

    # at the next login, the dialog again
    page = sign_in_again(site)
    dialog = page.get_by_role("dialog", name="Ma complémentaire santé")
    expect(dialog).to_contain_text(DIALOG)
    dialog.get_by_role("link", name="Sélectionner").click()

    site.check("Choisir ma complémentaire santé – Guichet")
    expect(
        page.get_by_text(
            "Pour chaque bénéficiaire, choisissez l'organisme auquel vous souhaitez que soient "
            "transmis vos remboursements."
        )
    ).to_be_visible()
    # everyone at once: one person left out is an error next to them
    for name in FAMILY[:3]:
        page.get_by_role("group", name=re.compile(name)).get_by_label(
            re.compile("LA BALOISE ASSURANCES")
        ).check()
    page.get_by_role("button", name="Valider").click()
    expect(
        page.get_by_text("Choisissez l'organisme complémentaire de Batiste ZOVI.")
    ).to_be_visible()
    site.check("Erreur – Choisir ma complémentaire santé – Guichet")
    batiste = page.get_by_role("group", name=re.compile("Batiste ZOVI"))
    expect(batiste).to_contain_text("N° adhérent* : 4789563P")
    expect(batiste).to_contain_text("Contrat du 01/01/2020")
    expect(
        page.get_by_role("group", name=re.compile("Serena ZOVI")).get_by_label(
            re.compile("LA BALOISE ASSURANCES")
        )
    ).to_be_checked()  # what was chosen is kept
    batiste.get_by_label(re.compile("LA BALOISE ASSURANCES")).check()
    page.get_by_role("button", name="Valider").click()

    site.check("Confirmer mon choix de complémentaire – Guichet")
    expect(
        page.get_by_role("row", name=re.compile("Renaldo ZOVI.*LA BALOISE ASSURANCES"))
    ).to_be_visible()
    page.get_by_role("button", name="Confirmer").click()

    site.check("Votre choix a bien été envoyé – Guichet")
    expect(page.get_by_role("heading", name="Votre choix a bien été envoyé !")).to_be_visible()
    expect(page.locator("#contenu").get_by_role("link", name="Mes paiements")).to_have_attribute(
        "href", "/mes-paiements/a-transmettre/"
    )
    page.get_by_label("Satisfait", exact=True).check()
    page.get_by_label("Votre commentaire (facultatif)").fill("Simple, merci.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci, votre avis a bien été enregistré.")).to_be_visible()
    site.check("Votre choix a bien été envoyé – Guichet")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes informations"
    ).click()
    site.check("Mes informations – Guichet")
    expect(page.get_by_text("DEMANDE EN COURS")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Demande faite le \d\d/\d\d/\d{4}"))).to_be_visible()
    expect(
        page.get_by_text(
            "Votre choix de complémentaire sera traité sous 7 jours à partir de la date de la demande."
        )
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("SERENA")).click()
    expect(page.get_by_text("DEMANDE EN COURS")).to_be_visible()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Accueil"
    ).click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("button", name="Déconnexion").click()

    # a week later, the scheduled job processes the choice
    assert services.process_due_requests(now=timezone.now() + dt.timedelta(days=7, hours=1)) == 1

    mailbox = page.context.new_page()
    mailbox.goto(site.url + "/demo/boite-mail/")
    notice = mailbox.get_by_role("article").filter(has_text=EMAIL).first
    expect(notice).to_contain_text(
        "Une information importante vous attend dans la rubrique Notifications"
    )
    expect(notice).not_to_contain_text("BALOISE")
    mailbox.close()

    page = sign_in_again(site)
    site.check("Accueil – Guichet")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(
        page.get_by_text(
            "La transmission automatique des paiements à votre complémentaire est activée."
        )
    ).to_be_visible()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes informations"
    ).click()
    site.check("Mes informations – Guichet")
    expect(page.get_by_text("LA BALOISE ASSURANCES")).to_be_visible()
    expect(page.get_by_text("LES MUTUELLES DE L'AIN 2")).to_have_count(0)
    expect(
        page.get_by_text(
            "La transmission automatique des paiements à votre complémentaire est activée."
        )
    ).to_be_visible()


def test_the_dialog_closes_with_escape_and_works_as_a_page_without_javascript(site, browser):
    page = log_in(site, RENALDO, CODE, EMAIL)
    expect(page.locator("dialog:modal")).to_be_visible()  # dialog.js has run
    with page.expect_response(re.compile("/ma-complementaire/plus-tard/")):
        page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("dialog")).to_have_count(0)  # Escape means "Plus tard"

    context = browser.new_context(java_script_enabled=False, bypass_csp=True, locale="fr-FR")
    bare = context.new_page()
    bare.context.add_cookies(page.context.cookies())
    bare.goto(site.url + "/ma-complementaire/")
    expect(bare.get_by_role("heading", name="Ma complémentaire santé", level=1)).to_be_visible()
    expect(bare.get_by_text(DIALOG)).to_be_visible()
    bare.get_by_role("link", name="Sélectionner").click()
    expect(bare.get_by_role("heading", name="Choisir ma complémentaire santé")).to_be_visible()
    context.close()
