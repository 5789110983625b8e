"""The attestation de droits: the seed's page, the PDF read back, its 2D code decoded and
verified independently, closed rights explained, each issue journaled."""

import base64
import datetime as dt

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_words as text
from guichet.documents import selectors, signing
from guichet.documents.models import IssuedDocument, SigningKey
from guichet.documents.signing import GS, Verdict
from guichet.documents.tests.helpers import decode_2d_codes, new_pem_key, read
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.models import Dependent
from guichet.payments.tests.test_views import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]  # seed 002's day
URL = "/mes-demarches/attestation-de-droits/"


@pytest.fixture
def account():
    return AccountFactory(
        insured_person__with_dependents=2,
        insured_person__first_names="Renaldo",
        insured_person__birth_name="ZOVI",
        insured_person__birth_date=dt.date(1974, 11, 22),
        insured_person__referring_doctor_name="PRUDHON PHILIPPE",
        insured_person__referring_doctor_specialty="Médecine générale",
        insured_person__referring_doctor_declared_on=dt.date(2008, 4, 24),
    )


@pytest.fixture
def member(account):
    return account.insured_person


@pytest.fixture
def children(member):
    return [
        d.person for d in Dependent.objects.filter(holder=member).order_by("person__birth_date")
    ]


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client


def public_keys(key_id):
    return selectors.public_key(key_id)


def test_the_page_has_the_seeds_wording_the_member_and_the_choice_of_beneficiary(
    signed_in, member, children
):
    response = signed_in.get(URL)

    page = text(response)
    assert response.status_code == 200
    assert "<title>Attestation de droits" in response.content.decode()
    assert (
        "L'attestation justifie de vos droits et de votre déclaration d'un médecin traitant."
        in page
    )
    assert "Vos coordonnées" in page and "Modifier mon adresse" in page
    assert f"{member.full_name.upper()} né(e) le {member.birth_date:%d/%m/%Y}" in page
    assert "Adresse : 8 CHEMIN DES VIGNES 01500 AMBERIEU-EN-BUGEY" in page
    assert "Sélection du bénéficiaire" in page and "* Champs obligatoires" in page
    assert "Par défaut l'attestation délivrée couvrira l'ensemble de vos bénéficiaires" in page
    assert "Sélectionnez vous une attestation pour" in page
    assert '<option value="famille" selected>Toute la famille</option>' in response.content.decode()
    for person in [member, *children]:
        assert (
            f'<option value="{person.pk}">{person.full_name}</option>' in response.content.decode()
        )
    assert "DEMANDER MON ATTESTATION" in page
    assert reverse("upcoming:change_address") in response.content.decode()


def test_the_family_attestation_names_everyone_covered_with_rights_doctor_and_date(
    signed_in, member, children, settings
):
    response = signed_in.post(URL, {"beneficiaire": "famille"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="attestation-de-droits-2026-11-22.pdf"'
    )
    pdf = read(response.content)
    assert b"/FontFile2" in response.content and b"/Lang (fr-FR)" in response.content
    assert "Attestation de droits à l'assurance maladie" in pdf and "Édité le 22/11/2026" in pdf
    assert member.fund.name in pdf and f"Code organisme : {member.fund.code_display}" in pdf
    for person in [member, *children]:
        assert person.full_name in pdf
        assert f"{person.birth_date:%d/%m/%Y}" in pdf and person.nir_display in pdf
        assert f"{person.rights_opened_on:%d/%m/%Y}" in pdf
    assert "Assuré(e)" in pdf and "Ayant droit (enfant)" in pdf
    assert "PRUDHON PHILIPPE (Médecine générale), déclaré le 24/04/2008" in pdf
    assert "Médecin traitant et exonérations" in pdf and "aucun médecin traitant déclaré" in pdf
    document = IssuedDocument.objects.get()
    assert signing.format_short_code(document.short_code) in pdf
    assert f"{settings.GUICHET_BASE_URL}/verifier-une-attestation/" in pdf


def test_the_2d_code_printed_decodes_to_a_code_signed_by_the_funds_key(signed_in, member, children):
    response = signed_in.post(URL, {"beneficiaire": "famille"})

    [scanned] = decode_2d_codes(response.content)
    document = IssuedDocument.objects.get()
    assert scanned == document.payload
    stored = SigningKey.objects.get(key_id=document.key_id)
    key = signing.load_public_pem(stored.public_key_pem)
    verification = signing.verify(scanned, public_keys=lambda kid: key if kid == "DEMO" else None)
    assert verification.verdict == Verdict.AUTHENTIC
    code = verification.code
    assert code.kind == "G1" and code.issued_on == TODAY
    assert code.value("DN") == document.short_code and code.value("OR") == member.fund.code
    names = [value for di, value in code.fields if di == "NM"]
    assert names == [signing.plain(p.full_name) for p in [member, *children]]
    assert f"NE{member.birth_date:%d%m%Y}" in scanned.split(GS)
    verify_with_cryptography_alone(scanned, stored.public_key_pem)


def verify_with_cryptography_alone(scanned: str, public_key_pem: str) -> None:
    """The check a verifier without our code makes (ADR 0060's layout): everything before <US>
    signed by ECDSA P-256 / SHA-256, the signature raw r‖s in unpadded base 32 after it."""
    signed, _, signature = scanned.rpartition("\x1f")
    raw = base64.b32decode(signature + "=" * (-len(signature) % 8))
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    key.verify(encode_dss_signature(r, s), signed.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    tampered = signed.replace(signed[-1], "X" if signed[-1] != "X" else "Y")
    with pytest.raises(InvalidSignature):
        key.verify(encode_dss_signature(r, s), tampered.encode("ascii"), ec.ECDSA(hashes.SHA256()))


def test_a_modified_field_of_the_scanned_code_breaks_its_signature(signed_in, member, children):
    response = signed_in.post(URL, {"beneficiaire": "famille"})
    [scanned] = decode_2d_codes(response.content)
    altered = scanned.replace(f"NE{children[0].birth_date:%d%m%Y}", "NE01012001")
    assert altered != scanned

    assert selectors.verify_payload(text=scanned).authentic
    assert selectors.verify_payload(text=altered).verdict == Verdict.TAMPERED


def test_an_attestation_for_one_person_names_only_them(signed_in, member, children):
    serena = children[1]

    response = signed_in.post(URL, {"beneficiaire": str(serena.pk)})

    pdf = read(response.content)
    assert serena.full_name in pdf and serena.nir_display in pdf
    assert children[0].full_name not in pdf and member.nir_display in pdf  # the letterhead's
    [scanned] = decode_2d_codes(response.content)
    names = [v for di, v in signing.parse(scanned)[1].fields if di == "NM"]
    assert names == [signing.plain(serena.full_name)]


def test_each_issue_is_journaled_with_who_it_covers(signed_in, member, children):
    signed_in.post(URL, {"beneficiaire": str(children[0].pk)})

    event = AuditEvent.objects.get(action="document.issued")
    document = IssuedDocument.objects.get()
    assert event.actor_kind == "member" and event.person_id == member.pk
    assert event.details["kind"] == "G1" and event.details["persons"] == [children[0].pk]
    assert event.details["short_code"] == document.short_code


def test_someone_elses_person_is_refused_next_to_the_field(signed_in):
    stranger = AccountFactory().insured_person

    response = signed_in.post(URL, {"beneficiaire": str(stranger.pk)})

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not IssuedDocument.objects.exists()


def test_a_member_whose_rights_are_closed_gets_an_explanation_not_a_document(client):
    account = AccountFactory(insured_person__rights_closed_on=dt.date(2025, 12, 31))
    client.force_login(account)

    shown = client.get(URL)
    posted = client.post(URL, {"beneficiaire": "famille"})

    for response in (shown, posted):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        page = text(response)
        assert "Vos droits à l'Assurance Maladie ne sont pas ouverts depuis le 31/12/2025." in page
        assert "Nous ne pouvons donc pas vous délivrer d'attestation de droits" in page
        assert "DEMANDER MON ATTESTATION" not in page
    assert not IssuedDocument.objects.exists()


def test_a_child_whose_rights_are_closed_is_left_out_and_cannot_be_chosen(
    signed_in, member, children
):
    closed = children[0]
    closed.rights_closed_on = dt.date(2026, 9, 30)
    closed.save()

    page = text(signed_in.get(URL))
    refused = signed_in.post(URL, {"beneficiaire": str(closed.pk)})
    family = signed_in.post(URL, {"beneficiaire": "famille"})

    assert f"{closed.full_name} ne figure pas sur l'attestation de la famille" in page
    assert refused.status_code == 400
    assert f"Les droits de {closed.full_name} ne sont pas ouverts (depuis le 30/09/2026)" in text(
        refused
    )
    pdf = read(family.content)
    assert children[1].full_name in pdf and closed.full_name not in pdf


def test_css_is_shown_as_an_exemption_and_carried_in_the_code(client):
    account = AccountFactory(insured_person__with_css=True)
    client.force_login(account)

    response = client.post(URL, {"beneficiaire": "famille"})

    assert "Complémentaire santé solidaire sans participation jusqu'au" in read(response.content)
    [scanned] = decode_2d_codes(response.content)
    assert signing.parse(scanned)[1].value("CS")


def test_the_attestation_is_for_members_only(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_a_new_key_id_signs_new_attestations_while_old_ones_stay_valid(signed_in, settings, member):
    signed_in.post(URL, {"beneficiaire": "famille"})
    settings.GUICHET_DOCUMENT_KEY_ID = "K002"
    settings.GUICHET_DOCUMENT_SIGNING_KEY = new_pem_key()
    signed_in.post(URL, {"beneficiaire": "famille"})

    old, new = IssuedDocument.objects.order_by("pk")
    assert (old.key_id, new.key_id) == ("DEMO", "K002")
    assert selectors.verify_short_code(short_code=old.short_code).authentic
    assert selectors.verify_short_code(short_code=new.short_code).authentic
