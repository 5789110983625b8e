"""Messaging journeys (issue 6): Eva DUPONT asks a question with a PDF, an agent of her fund
answers it from the queue, Eva is told by e-mail, reads the answer, downloads it as a PDF and
deletes an old message. Every page is audited by axe-core."""

import re

import pyotp
from playwright.sync_api import expect

from guichet.insured.models import InsuredPerson
from guichet.messaging.services import deliver_message
from guichet.messaging.tests import files
from tests.e2e.test_backoffice import agent_login
from tests.e2e.test_journeys import CODE, log_in
from tests.e2e.test_payments import pdf_text

EVA = "2 90 10 31 555 012"
EVA_EMAIL = "eva.dupont@example.org"
THOMAS = ("thomas.leroy@cpam-haute-garonne.example", "DEMOCONSEILLERHAUTEGARONNEAGENT2")


def file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_eva_asks_a_question_an_agent_answers_she_reads_downloads_and_deletes(site):
    page = log_in(site, EVA, CODE, EVA_EMAIL)
    site.check("Accueil – Guichet")
    expect(page.get_by_role("link", name=re.compile("2 Nouveaux messages"))).to_be_visible()

    # "Ma messagerie", then "J'ai une question"
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name=re.compile("Ma messagerie")).click()
    site.check("Ma messagerie – Guichet")
    expect(page.get_by_role("cell", name="Assurance Maladie").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Sera supprimé le \d\d/\d\d/\d{4}")).first).to_be_visible()
    page.get_by_role("link", name="J'ai une question").click()
    site.check("Écrire un message – Guichet")
    page.get_by_label("Sujet de votre demande").select_option(label="Mes remboursements")
    page.get_by_label("Objet").fill("Remboursement de mes lunettes")
    page.get_by_label("Votre message").fill("Bonjour, je n'ai pas été remboursée de mes lunettes.")
    # a picture whose name says PDF: refused, what was typed is kept
    page.get_by_label("Pièce jointe 1 (facultative)").set_input_files(
        file("facture.pdf", files.image("PNG"), "application/pdf")
    )
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("est en réalité un fichier PNG")).to_be_visible()
    expect(page.get_by_label("Objet")).to_have_value("Remboursement de mes lunettes")
    site.check("Erreur : Écrire un message – Guichet")
    page.get_by_label("Pièce jointe 1 (facultative)").set_input_files(
        file("facture.pdf", files.pdf(), "application/pdf")
    )
    page.get_by_role("button", name="Envoyer").click()
    site.check("Message envoyé – Guichet")
    expect(page.get_by_text("Vous recevrez une réponse en moins de 48h")).to_be_visible()
    expect(page.get_by_text(re.compile("avec 1 pièce jointe"))).to_be_visible()
    page.get_by_role("button", name="Déconnexion").click()

    # Thomas LEROY, conseiller at the CPAM de la Haute-Garonne, answers from the queue
    page = agent_login(site, *[THOMAS[0], "Guichet-Agent-2026"])
    site.check("Code de l'application – Espace agents – Guichet")
    page.get_by_label("Code de l'application d'authentification").fill(pyotp.TOTP(THOMAS[1]).now())
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Files de travail"
    ).click()
    page.get_by_role("link", name="Questions des assurés").click()
    site.check("Questions des assurés – Espace agents – Guichet")
    page.get_by_role("button", name=re.compile("Je m'en occupe")).click()
    page.get_by_role("link", name="Mes remboursements : Remboursement de mes lunettes").click()
    site.check("Remboursement de mes lunettes – Eva DUPONT – Espace agents – Guichet")
    expect(page.get_by_text("dans les délais")).to_be_visible()
    expect(page.get_by_role("link", name="facture.pdf")).to_be_visible()
    page.get_by_label("Note interne").fill("Facture d'opticien reçue, dossier complet.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_text("La note interne est enregistrée.")).to_be_visible()
    page.get_by_label("Modèle de réponse").select_option(label="Remboursement en cours")
    page.get_by_role("button", name="Utiliser ce modèle").click()
    expect(page.get_by_label("Votre réponse")).to_contain_text("en cours de traitement")
    site.check("Remboursement de mes lunettes – Eva DUPONT – Espace agents – Guichet")
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée.")).to_be_visible()
    page.get_by_role("button", name="Déconnexion").click()

    # The e-mail invites Eva to log in, and says nothing of the answer
    mailbox = page.context.new_page()
    mailbox.goto(site.url + "/demo/boite-mail/")
    notice = mailbox.get_by_role("article").filter(has_text=EVA_EMAIL).first
    expect(notice).to_contain_text(
        "Une information importante vous attend dans la rubrique Ma messagerie"
    )
    expect(notice).not_to_contain_text("en cours de traitement")
    mailbox.close()

    # Eva reads the answer (this browser is trusted now), downloads it, deletes an old message
    page = site.open("/connexion/")
    page.get_by_label("Mon numéro de sécurité sociale").fill(EVA)
    page.get_by_label("Mon code personnel").fill(CODE)
    page.get_by_role("button", name="Me connecter").click()
    site.check("Accueil – Guichet")
    page.get_by_role("link", name=re.compile("Nouveaux messages")).click()
    site.check("Ma messagerie – Guichet")
    page.get_by_role("link", name=re.compile("RE : Remboursement de mes lunettes")).click()
    site.check("RE : Remboursement de mes lunettes – Guichet")
    expect(page.get_by_text("Votre remboursement est en cours de traitement.")).to_be_visible()
    expect(page.get_by_text("je n'ai pas été remboursée de mes lunettes")).to_be_visible()
    expect(page.get_by_text("Facture d'opticien")).to_have_count(0)  # the note stays internal
    page.get_by_role("link", name="Imprimer").click()
    site.check("Imprimer : RE : Remboursement de mes lunettes – Guichet")
    expect(page.get_by_text("Votre remboursement est en cours de traitement.")).to_be_visible()
    page.get_by_role("link", name="Retour au message").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger en PDF").click()
    text = pdf_text(info.value)
    assert "EVA DUPONT" in text and "Votre remboursement est en cours de traitement." in text
    page.get_by_role("link", name="Retour", exact=True).click()
    site.check("Ma messagerie – Guichet")
    page.get_by_role("link", name="Bienvenue dans votre compte").click()
    page.get_by_role("link", name="Supprimer").click()
    site.check("Supprimer le message – Guichet")
    page.get_by_role("button", name="Supprimer le message").click()
    expect(
        page.get_by_text("Le message « Bienvenue dans votre compte » a été supprimé.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Bienvenue dans votre compte")).to_have_count(0)
    site.check("Ma messagerie – Guichet")


def test_eva_cannot_open_another_members_message_or_attachment(site):
    renaldo = InsuredPerson.objects.get(nir="1741171270102")
    message = deliver_message(
        person=renaldo, subject="Avis de sommes à payer", body="Confidentiel",
        attachments=[("avis.pdf", files.pdf(), "application/pdf")], notify_by_email=False,
    )  # fmt: skip
    page = log_in(site, EVA, CODE, EVA_EMAIL)
    for path in (
        f"/ma-messagerie/messages/{message.pk}/",
        f"/ma-messagerie/pieces-jointes/{message.attachments.get().pk}/",
    ):
        response = page.goto(site.url + path)
        assert response.status == 404
        expect(page.get_by_text("Confidentiel")).to_have_count(0)
    site.check(re.compile("introuvable"))


def test_eva_follows_her_notification_and_refuses_the_weekly_payment_email(site):
    page = log_in(site, EVA, CODE, EVA_EMAIL)
    page.get_by_role("link", name=re.compile("1 Notification")).click()
    site.check("Mes notifications – Guichet")
    expect(page.get_by_text("Non lue")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Voir")).click()
    site.check("L'e-mail « Information de paiement » – Guichet")
    checkbox = page.get_by_label("Recevoir chaque semaine l'e-mail « Information de paiement »")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Vous ne recevrez plus l'e-mail « Information de paiement ».")
    ).to_be_visible()
    site.check("Mes autorisations de contact – Guichet")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Accueil"
    ).click()
    expect(page.get_by_text("Aucune notification")).to_be_visible()
