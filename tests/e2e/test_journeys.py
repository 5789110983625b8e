"""The foundation's journeys, walked as a member would: by what they read on the screen."""

import re

from playwright.sync_api import expect

RENALDO = "1 74 11 71 270 102"
CODE = "Guichet-2026"


def log_in(site, nir: str, code: str, email: str):
    page = site.open("/connexion/")
    page.get_by_label("Mon numéro de sécurité sociale").fill(nir)
    page.get_by_label("Mon code personnel").fill(code)
    page.get_by_role("button", name="Me connecter").click()
    expect(page.get_by_role("heading", name="Saisissez le code de sécurité")).to_be_visible()
    site.check("Code de sécurité – Guichet")
    page.get_by_label("Code de sécurité reçu par e-mail").fill(site.mailbox_code(email))
    page.get_by_role("button", name="Valider").click()
    return page


def test_create_an_account_from_the_login_page_to_the_home_page(site):
    page = site.open("/connexion/")
    site.check("J'accède à mon compte – Guichet")
    page.get_by_role("link", name="Première visite ? Créer un compte").click()

    site.check("Je crée mon compte – étape 1 sur 3 – Guichet")
    page.get_by_label("Mon nom").fill("Lambert")
    page.get_by_label("Mon n° de sécurité sociale").fill("2 82 02 95 046 199")
    page.get_by_label("Ma date de naissance").fill("14/02/1982")
    page.get_by_label("Mon code postal").fill("95000")
    page.get_by_role("button", name="Continuer").click()

    site.check("Je crée mon compte – étape 2 sur 3 – Guichet")
    page.get_by_label("Les 7 derniers caractères de mon IBAN").fill("0000000")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Il vous reste 2 essais")).to_be_visible()
    site.check("Je crée mon compte – étape 2 sur 3 – Guichet")
    page.get_by_label("Les 7 derniers caractères de mon IBAN").fill("7890189")
    page.get_by_role("button", name="Continuer").click()

    site.check("Je crée mon compte – étape 3 sur 3 – Guichet")
    page.get_by_label("Mon adresse e-mail").fill("sarah.lambert@example.org")
    page.get_by_label("Confirmation de l'adresse e-mail").fill("sarah.lambert@example.org")
    page.get_by_role("button", name="Créer mon compte").click()

    site.check("Votre compte est créé – Guichet")
    expect(page.get_by_text("sarah.lambert@example.org")).to_be_visible()
    provisional = site.mailbox_code("sarah.lambert@example.org")
    page.get_by_role("main").get_by_role("link", name="J'accède à mon compte").click()

    page.get_by_label("Mon numéro de sécurité sociale").fill("2 82 02 95 046 199")
    page.get_by_label("Mon code personnel").fill(provisional)
    page.get_by_role("button", name="Me connecter").click()

    site.check("Choisir mon code personnel – Guichet")
    page.get_by_label("Mon nouveau code personnel").fill("sarah2026")
    page.get_by_label("Confirmation du nouveau code personnel").fill("sarah2026")
    page.get_by_role("button", name="Enregistrer mon code").click()
    expect(page.get_by_text("Ajoutez au moins une lettre majuscule.")).to_be_visible()
    site.check("Choisir mon code personnel – Guichet")
    page.get_by_label("Mon nouveau code personnel").fill("Sarah-Cergy-95")
    page.get_by_label("Confirmation du nouveau code personnel").fill("Sarah-Cergy-95")
    page.get_by_role("button", name="Enregistrer mon code").click()

    expect(page.get_by_role("heading", name="Bonjour Sarah")).to_be_visible()
    expect(page.get_by_text("Votre code personnel est enregistré.")).to_be_visible()
    site.check("Accueil – Guichet")


def test_renaldo_logs_in_sees_his_family_changes_his_phone_and_logs_out(site):
    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    expect(page.get_by_role("heading", name="Bonjour Renaldo")).to_be_visible()
    expect(page.get_by_text("Dernière connexion le 12/03/2020 à 10:15")).to_be_visible()
    expect(
        page.get_by_role("region", name="Mes derniers paiements").get_by_role("row")
    ).to_have_count(6)
    site.check("Accueil – Guichet")
    site.put_off_overlap()

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Mes informations"
    ).click()
    site.check("Mes informations – Guichet")
    expect(page.get_by_text("1 74 11 71 270 102 58")).to_be_visible()
    expect(page.get_by_text("Code d'organisme 01 011 1411")).to_be_visible()
    expect(page.get_by_text("PRUDHON PHILIPPE")).to_be_visible()
    expect(page.get_by_text("Date de déclaration : 24/04/2008")).to_be_visible()

    family = page.get_by_role("navigation", name="Membres de votre famille")
    for name, birth in (
        ("NOÉMIE", "18/05/2002"),
        ("SERENA", "10/10/2005"),
        ("BATISTE", "29/08/2008"),
    ):
        family.get_by_role("link", name=re.compile(name)).click()
        expect(
            page.get_by_role("heading", level=2, name=re.compile(name, re.IGNORECASE))
        ).to_be_visible()
        expect(family.get_by_role("link", name=re.compile(name))).to_have_attribute(
            "aria-current", "page"
        )
        expect(
            family.get_by_text(f"née le {birth}").or_(family.get_by_text(f"né le {birth}"))
        ).to_be_visible()
        site.check(re.compile(r"Mes informations – .+ – Guichet"))
    family.get_by_role("link", name=re.compile("RENALDO")).click()

    page.get_by_role("link", name="Ajouter un téléphone portable").click()
    site.check("Mes numéros de téléphone – Guichet")
    page.get_by_label("Téléphone portable").fill("04 74 00 00 00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Ce numéro n'est pas celui d'un téléphone portable")).to_be_visible()
    expect(page.get_by_label("Téléphone portable")).to_have_value("04 74 00 00 00")
    site.check("Mes numéros de téléphone – Guichet")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos numéros de téléphone sont enregistrés.")).to_be_visible()
    expect(page.get_by_text("06 12 34 56 78")).to_be_visible()

    page.get_by_role("button", name="Déconnexion").click()
    site.check("Vous êtes déconnecté(e) – Guichet")
    expect(page.get_by_text("Vous êtes déconnecté(e) de votre compte.")).to_be_visible()
    expect(page.get_by_text("Merci de votre visite !")).to_be_visible()
    expect(page.get_by_text("Vous souhaitez vous reconnecter ?")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="J'accède à mon compte").click()
    expect(page.get_by_role("heading", name="J'accède à mon compte")).to_be_visible()


def test_five_wrong_codes_lock_the_account_with_a_clear_message(site):
    page = site.open("/connexion/")
    for attempt in range(1, 6):
        page.get_by_label("Mon numéro de sécurité sociale").fill(RENALDO)
        page.get_by_label("Mon code personnel").fill(f"Mauvais-code-{attempt}")
        page.get_by_role("button", name="Me connecter").click()
        if attempt < 5:
            expect(page.get_by_role("alert")).to_contain_text(f"Il vous reste {5 - attempt} essai")
    expect(page.get_by_role("alert")).to_contain_text(
        "l'accès à ce compte est bloqué après 5 codes erronés"
    )
    expect(page.get_by_label("Mon numéro de sécurité sociale")).to_have_value(RENALDO)
    site.check("J'accède à mon compte – Guichet")

    page.get_by_label("Mon numéro de sécurité sociale").fill(RENALDO)
    page.get_by_label("Mon code personnel").fill(CODE)
    page.get_by_role("button", name="Me connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("bloqué")


def test_a_member_typing_another_members_id_gets_a_404(site, demo):
    from guichet.insured.models import InsuredPerson

    marina_id = InsuredPerson.objects.get(birth_name="LATOURNERIE").pk
    page = log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    response = page.goto(f"{site.url}/mes-informations/personne/{marina_id}/")
    assert response.status == 404
    site.check("Page introuvable – Guichet")
    expect(page.get_by_text("LATOURNERIE")).to_have_count(0)


def focused_label(page) -> str:
    """The visible label (or text) of the element that has the keyboard focus."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText).trim(); }"
    )


def test_a_member_logs_in_with_the_keyboard_only(site):
    page = site.open("/connexion/")
    page.keyboard.press("Tab")
    assert focused_label(page) == "Aller au contenu"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # FranceConnect comes first, as its rules ask of public services
    assert focused_label(page) == "S’identifier avec\nFranceConnect"
    page.keyboard.press("Tab")
    assert focused_label(page).startswith("Qu’est-ce que FranceConnect ?")
    page.keyboard.press("Tab")
    assert focused_label(page) == "Mon numéro de sécurité sociale"
    page.keyboard.type(RENALDO)
    page.keyboard.press("Tab")
    assert focused_label(page) == "Où trouver mon numéro de sécurité sociale ?"
    page.keyboard.press("Tab")
    assert focused_label(page) == "Mon code personnel"
    page.keyboard.type(CODE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Saisissez le code de sécurité")).to_be_visible()
    code = site.mailbox_code("renaldo.zovi@example.org")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    assert focused_label(page) == "Code de sécurité reçu par e-mail"
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bonjour Renaldo")).to_be_visible()


def test_pages_fit_a_320_pixel_wide_phone_without_sideways_scrolling(site):
    page = site.page
    page.set_viewport_size({"width": 320, "height": 640})
    pages = [
        "/connexion/",
        "/creer-mon-compte/",
        "/code-oublie/",
        "/aide/numero-de-securite-sociale/",
    ]
    for path in pages:
        site.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    log_in(site, RENALDO, CODE, "renaldo.zovi@example.org")
    for path in ["/", "/mes-informations/", "/mes-informations/telephones/", "/mes-paiements/",
                 "/mes-paiements/releves-mensuels/", "/mes-paiements/participations-forfaitaires-et-franchises/",
                 "/mes-paiements/a-transmettre/", "/mes-paiements/arrets-de-travail/"]:  # fmt: skip
        site.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        site.check(re.compile(".+ – Guichet"))
