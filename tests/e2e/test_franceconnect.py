"""FranceConnect journeys: Guichet and the sandbox, two services, a member's browser between them."""

import re

import pytest
from playwright.sync_api import expect

SANDBOX_TITLE = re.compile(r"– Bac à sable FranceConnect$")
# FranceConnect's official button and link, their label unchanged (typographic apostrophe included).
BUTTON = "S’identifier avec FranceConnect"
WHAT = re.compile(r"^Qu’est-ce que FranceConnect \?")


# The button's two faces, embedded in its stylesheet as data: URIs, once the page has them.
FONTS_LOADED = """async () => { await document.fonts.ready;
  return [...document.fonts].filter(f => f.family.includes("Marianne-connect")).map(f => f.status); }"""


def through_franceconnect(site, page, identity: str, *, choose: bool = True):
    """From Guichet's button to the sandbox's consent, as the member clicks through."""
    page.get_by_role("button", name=BUTTON).click()
    if choose:
        expect(page.get_by_role("heading", name="Choisissez une identité de test")).to_be_visible()
        site.check(SANDBOX_TITLE)
        page.get_by_label(re.compile(f"^{re.escape(identity)},")).check()
        page.get_by_role("button", name="Continuer", exact=True).click()
    expect(page.get_by_role("heading", name=f"Vous êtes identifié(e) : {identity}")).to_be_visible()
    site.check(SANDBOX_TITLE)
    page.get_by_role("button", name="Continuer sur Guichet").click()


def sandbox_session(page, sandbox_url: str) -> list[dict]:
    return [c for c in page.context.cookies(sandbox_url) if c["name"] == "fcbac_session"]


def test_renaldo_logs_in_with_franceconnect_and_logout_ends_both_sessions(site, franceconnect):
    page = site.open("/connexion/")
    site.check("J'accède à mon compte – Guichet")
    expect(page.get_by_role("link", name=WHAT)).to_have_attribute("target", "_blank")
    through_franceconnect(site, page, "Renaldo ZOVI")

    expect(page.get_by_role("heading", name="Bonjour Renaldo")).to_be_visible()
    expect(page.get_by_text("Dernière connexion le 12/03/2020 à 10:15")).to_be_visible()
    site.check("Accueil – Guichet")  # straight in: no personal code, no e-mailed code
    site.put_off_overlap()

    assert sandbox_session(page, franceconnect)  # the identity chosen: FranceConnect's session
    page.get_by_role("button", name="Déconnexion").click()
    site.check("Vous êtes déconnecté(e) – Guichet")
    expect(page.get_by_text("Vous êtes déconnecté(e) de votre compte.")).to_be_visible()

    # FranceConnect's session ended too: its cookie is gone, and a new login asks again which
    # identity to use.
    assert not sandbox_session(page, franceconnect)
    page.get_by_role("main").get_by_role("link", name="J'accède à mon compte").click()
    site.open("/")  # Guichet's session is over: its home page asks to log in
    expect(page.get_by_role("heading", name="J'accède à mon compte")).to_be_visible()
    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_role("heading", name="Choisissez une identité de test")).to_be_visible()


def test_sarah_creates_her_account_through_franceconnect(site, franceconnect):
    page = site.open("/creer-mon-compte/")
    site.check("Je crée mon compte – étape 1 sur 3 – Guichet")
    through_franceconnect(site, page, "Sarah Émilie LAMBERT")

    expect(
        page.get_by_role("heading", name="Je crée mon compte avec FranceConnect")
    ).to_be_visible()
    expect(page.get_by_text("Sarah LAMBERT, née le 14/02/1982")).to_be_visible()
    expect(page.get_by_label("Mon adresse e-mail")).to_have_value("sarah.lambert@example.org")
    site.check("Je crée mon compte avec FranceConnect – Guichet")
    page.get_by_label("Mon code personnel (facultatif)").fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Ajoutez au moins une lettre majuscule.")).to_be_visible()
    site.check("Je crée mon compte avec FranceConnect – Guichet")
    expect(
        page.get_by_text("Nous vous enverrons un code de sécurité à cette adresse")
    ).to_be_visible()
    page.get_by_label("Mon code personnel (facultatif)").fill("")
    page.get_by_role("button", name="Créer mon compte").click()

    # Logged in at once, FranceConnect proved who she is; the e-mail it gave is proven by a code.
    expect(page.get_by_text("Votre compte est créé.")).to_be_visible()
    expect(page.get_by_role("heading", name="Confirmer mon adresse e-mail")).to_be_visible()
    expect(page.get_by_text("n'est pas encore confirmée")).to_be_visible()
    site.check("Confirmer mon adresse e-mail – Guichet")
    page.get_by_label("Code de sécurité reçu par e-mail").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce code n'est pas le bon. Il vous reste 2 essais.")).to_be_visible()
    site.check("Confirmer mon adresse e-mail – Guichet")
    # She leaves the page; « Mes informations » says the address is not confirmed, and how to.
    site.open("/mes-informations/")
    expect(page.get_by_text("Adresse non confirmée")).to_be_visible()
    site.check("Mes informations – Guichet")
    page.get_by_role("button", name="Confirmer mon adresse e-mail").click()
    site.check("Confirmer mon adresse e-mail – Guichet")
    code = site.mailbox_code("sarah.lambert@example.org")
    page.get_by_label("Code de sécurité reçu par e-mail").fill(code)
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Bonjour Sarah")).to_be_visible()
    expect(
        page.get_by_text("Votre adresse e-mail sarah.lambert@example.org est confirmée.")
    ).to_be_visible()
    site.check("Accueil – Guichet")


@pytest.mark.parametrize(
    ("identity", "explanation"),
    [
        ("Jean NEAJE", "aucune personne de notre fichier des assurés"),
        ("Camille MARTIN", "plusieurs personnes de notre fichier des assurés"),
    ],
)
def test_an_identity_matching_nobody_or_two_people_gets_the_way_forward(
    site, franceconnect, identity, explanation
):
    page = site.open("/connexion/")
    through_franceconnect(site, page, identity)

    expect(page.get_by_role("heading", name="Nous ne vous avons pas retrouvé(e)")).to_be_visible()
    expect(page.get_by_text(explanation)).to_be_visible()
    expect(page.get_by_role("heading", name="Comment faire ?")).to_be_visible()
    site.check("Nous ne vous avons pas retrouvé(e) – Guichet")
    page.get_by_role("button", name="Me déconnecter de FranceConnect").click()
    site.check("Vous êtes déconnecté(e) – Guichet")
    assert not sandbox_session(page, franceconnect)


def test_cancelling_at_franceconnect_comes_back_with_an_explanation(site, franceconnect):
    page = site.open("/connexion/")
    page.get_by_role("button", name=BUTTON).click()
    page.get_by_role("button", name="Annuler et revenir sur Guichet").click()
    expect(
        page.get_by_role("heading", name="Vous avez annulé la connexion avec FranceConnect.")
    ).to_be_visible()
    site.check("Vous avez annulé la connexion avec FranceConnect. – Guichet")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_button_follows_franceconnects_rules_on_a_computer_and_a_phone(
    site, franceconnect, width
):
    page = site.page
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/connexion/", "/creer-mon-compte/"):  # on the login and the signup pages
        site.open(path)
        button = page.get_by_role("button", name=BUTTON)
        form = page.get_by_role("textbox").first
        box, link_box = button.bounding_box(), page.get_by_role("link", name=WHAT).bounding_box()
        # The official component's own size, neither stretched nor shrunk: its size "n'est pas
        # personnalisable", it fits its label in its own embedded font (ADR 0033).
        assert (box["width"], box["height"]) == (pytest.approx(208.4, abs=1), 55)
        assert button.evaluate(FONTS_LOADED) == ["loaded", "loaded"]  # the CSP lets them in
        assert box["x"] + box["width"] <= width  # whole on a phone's screen
        assert box["y"] < form.bounding_box()["y"]  # first, before the NIR form
        assert link_box["y"] - (box["y"] + box["height"]) == pytest.approx(12, abs=1)
        still = button.evaluate("b => getComputedStyle(b).backgroundColor")
        button.hover()
        expect(button).not_to_have_css("background-color", still)  # a hover state
        link = page.get_by_role("link", name=WHAT)
        expect(link).to_have_attribute("href", "https://franceconnect.gouv.fr/")
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("title", "Qu’est-ce que FranceConnect ? - nouvelle fenêtre")
        expect(page.get_by_text("ou", exact=True)).to_be_visible()  # apart from the NIR login


def test_the_franceconnect_pages_are_reached_from_the_footer_and_an_old_return_is_explained(
    site, franceconnect
):
    page = site.open("/connexion/")
    page.get_by_role("contentinfo").get_by_role("link", name="FranceConnect").click()
    site.check("S'identifier avec FranceConnect – Guichet")
    page.get_by_role("link", name="Comment Guichet utilise FranceConnect").click()
    site.check("Qu'est-ce que FranceConnect ? – Guichet")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()

    site.open("/franceconnect/retour/?state=ancien&code=ancien")  # a bookmark, a back button
    site.check("Cette connexion avec FranceConnect a expiré. – Guichet")
    through_franceconnect(site, page, "Renaldo ZOVI")  # the way forward: the button, again
    expect(page.get_by_role("heading", name="Bonjour Renaldo")).to_be_visible()
