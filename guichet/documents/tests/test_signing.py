"""The signed code: what it carries, its signature, a changed field, an unknown or rotated key."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from guichet.documents import signing
from guichet.documents.signing import GS, US, Verdict

ISSUED = dt.date(2026, 11, 22)
FIELDS = [("DN", "7KQ2M9XD4RTB"), ("OR", "010111411"), ("NM", "RENALDO ZOVI"), ("NE", "22111974")]


def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def signed_with(private_key, key_id="K001", fields=FIELDS) -> str:
    return signing.sign(
        kind="G1", fields=fields, issued_on=ISSUED, key_id=key_id, private_key=private_key
    )


def keys(**by_id):
    return lambda key_id: by_id[key_id].public_key() if key_id in by_id else None


def test_a_code_has_the_2d_doc_layout_and_carries_its_fields():
    payload = signed_with(key())

    signed, code, raw = signing.parse(payload)
    assert payload.startswith("DC04GUICK001")
    assert signed[12:16] == signed[16:20] == f"{(ISSUED - dt.date(2000, 1, 1)).days:04X}"
    assert signed[20:26] == "G1GUFR"
    assert code.kind == "G1" and code.key_id == "K001" and code.issued_on == ISSUED
    assert code.fields == tuple(FIELDS) and code.value("NM") == "RENALDO ZOVI"
    assert len(raw) == 64 and len(payload.partition(US)[2]) == 103  # r‖s in base 32, unpadded


def test_a_code_signed_by_a_known_key_is_authentic():
    private_key = key()

    verification = signing.verify(signed_with(private_key), public_keys=keys(K001=private_key))

    assert verification.verdict == Verdict.AUTHENTIC and verification.authentic
    assert verification.code.value("OR") == "010111411"


@pytest.mark.parametrize(
    ("original", "altered"),
    [
        ("NMRENALDO ZOVI", "NMRENALDA ZOVI"),  # a name
        ("NE22111974", "NE22111975"),  # a birth date
        ("G1GUFR", "G2GUFR"),  # the document type, in the header
    ],
)
def test_changing_any_signed_character_breaks_the_signature(original, altered):
    private_key = key()
    payload = signed_with(private_key)
    assert original in payload

    verification = signing.verify(
        payload.replace(original, altered), public_keys=keys(K001=private_key)
    )

    assert verification.verdict == Verdict.TAMPERED and not verification.authentic


def test_a_signature_from_another_key_with_the_same_id_is_tampered():
    payload = signed_with(key())

    assert signing.verify(payload, public_keys=keys(K001=key())).verdict == Verdict.TAMPERED


def test_a_code_from_an_unknown_key_says_so():
    payload = signed_with(key(), key_id="K999")

    verification = signing.verify(payload, public_keys=keys(K001=key()))

    assert verification.verdict == Verdict.UNKNOWN_KEY
    assert verification.code.key_id == "K999"


def test_after_a_rotation_codes_of_the_old_and_the_new_key_are_both_authentic():
    old, new = key(), key()
    before, after = signed_with(old, "K001"), signed_with(new, "K002")
    kept = keys(K001=old, K002=new)

    assert signing.verify(before, public_keys=kept).authentic
    assert signing.verify(after, public_keys=kept).authentic


@pytest.mark.parametrize(
    "text", ["", "bonjour", "DC04GUICK001", "DC04FR00K001" + "0" * 20 + US + "AAAA"]
)
def test_text_that_is_not_our_code_is_malformed(text):
    assert signing.verify(text, public_keys=keys()).verdict == Verdict.MALFORMED


def test_a_scanner_reading_the_separators_as_text_is_understood():
    private_key = key()
    payload = signed_with(private_key)
    as_read = payload.replace(GS, "<GS>").replace(US, "<US>")

    assert signing.verify(as_read, public_keys=keys(K001=private_key)).authentic


def test_a_field_holding_a_separator_is_refused():
    with pytest.raises(ValueError, match="cannot be encoded"):
        signed_with(key(), fields=[("NM", f"A{GS}B")])


def test_names_are_written_in_the_2d_doc_character_set():
    assert signing.plain("Noémie  Zoë d'Aubigné-Laçon") == "NOEMIE ZOE D'AUBIGNE-LACON"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7kq2-m9xd-4rtb", "7KQ2M9XD4RTB"),
        (" 7KQ2 M9XD 4RTB ", "7KQ2M9XD4RTB"),
        ("7KQ2-M9XD-4RTO", "7KQ2M9XD4RT0"),  # O typed for zero
        ("7KQ2-M9XD-4RT", None),
        ("7KQ2-M9XD-4RTU", None),
    ],
)
def test_a_typed_short_code_is_read_leniently_but_must_have_its_12_characters(typed, expected):
    assert signing.normalise_short_code(typed) == expected


def test_short_codes_are_random_and_shown_in_groups_of_four():
    codes = {signing.new_short_code() for _ in range(50)}

    assert len(codes) == 50
    assert signing.format_short_code("7KQ2M9XD4RTB") == "7KQ2-M9XD-4RTB"


def test_the_demo_key_is_the_same_on_every_process_and_signs_verifiably(settings):
    settings.GUICHET_DOCUMENT_SIGNING_KEY, settings.GUICHET_DOCUMENT_KEY_ID = "", "DEMO"

    key_id, private_key = signing.current_key()

    assert key_id == "DEMO"
    assert signing.public_pem(private_key) == signing.public_pem(signing._demo_private_key())
    assert signing.verify(
        signed_with(private_key, "DEMO"), public_keys=keys(DEMO=private_key)
    ).authentic


@pytest.mark.parametrize(
    ("pem", "key_id", "message"),
    [
        ("", "demo", "expected 4 capital letters or digits"),
        ("not a key", "K001", "not a readable PEM private key"),
    ],
)
def test_a_bad_key_or_key_id_fails_loudly(settings, pem, key_id, message):
    settings.GUICHET_DOCUMENT_SIGNING_KEY, settings.GUICHET_DOCUMENT_KEY_ID = pem, key_id

    with pytest.raises(ImproperlyConfigured, match=message):
        signing.current_key()


def test_production_without_a_signing_key_fails_loudly(settings):
    settings.DEMO = settings.DEBUG = False
    settings.GUICHET_DOCUMENT_SIGNING_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="must be set in production"):
        signing.current_key()


def test_a_key_on_another_curve_is_refused(settings):
    from cryptography.hazmat.primitives import serialization

    other = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    settings.GUICHET_DOCUMENT_SIGNING_KEY = other.decode()

    with pytest.raises(ImproperlyConfigured, match="P-256"):
        signing.current_key()


@given(st.text(max_size=400) | st.builds(lambda tail: "DC04GUICK001" + tail, st.text(max_size=200)))
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_text_gets_a_verdict_never_an_error(text):
    verification = signing.verify(text, public_keys=keys(K001=_FIXED_KEY))

    assert verification.verdict in set(Verdict)
    assert not verification.authentic


_FIXED_KEY = ec.generate_private_key(ec.SECP256R1())
