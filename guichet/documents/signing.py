"""The signed verification code of every document (ADR 0060).

A 2D-Doc-like text: a header (marker and version, authority, key id, issue and signature dates,
document type, perimeter, country), then the document's key fields `<DI><value>` separated by
<GS>, then <US> and the ECDSA P-256 / SHA-256 signature of everything before it, as raw r‖s in
base 32 without padding. The key id names the key that signed: rotating keys keeps the public
keys of the old ones, so documents already issued stay verifiable. A short code, printed in
clear beside the 2D code, names the issued document for those who type rather than scan.
"""

import base64
import datetime as dt
import functools
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GS, US = "\x1d", "\x1f"
MARKER = "DC04"
# Not an ANTS authority (those are FRnn): verifiers that trust the ANTS list reject our codes
# instead of trusting them; ours is checked on the fund's own page or with its public keys.
AUTHORITY = "GUIC"
PERIMETER = "GU"
COUNTRY = "FR"
HEADER_LENGTH = 26
EPOCH = dt.date(2000, 1, 1)
KEY_ID = re.compile(r"^[A-Z0-9]{4}$")
DI = re.compile(r"^[A-Z0-9]{2}$")
CURVE_BYTES = 32  # P-256: r and s are 32 bytes each
DEMO_KEY_ID = "DEMO"
DEMO_SEED = b"guichet-demo-document-signing-key (public: never trust it outside the demo)"
SHORT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O nor U
SHORT_LENGTH = 12
PublicKeys = Callable[[str], ec.EllipticCurvePublicKey | None]


class Verdict(StrEnum):
    AUTHENTIC = "authentic"
    TAMPERED = "tampered"  # the signature does not match the fields: something was changed
    UNKNOWN_KEY = "unknown_key"  # no key of the fund has this id
    MALFORMED = "malformed"  # not one of our codes at all


class MalformedCode(ValueError):
    """The text does not have the layout of a signed code."""


@dataclass(frozen=True)
class SignedCode:
    kind: str
    key_id: str
    issued_on: dt.date
    fields: tuple[tuple[str, str], ...]

    def value(self, di: str) -> str:
        return next((value for name, value in self.fields if name == di), "")


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    code: SignedCode | None = None

    @property
    def authentic(self) -> bool:
        return self.verdict == Verdict.AUTHENTIC


# --- text -----------------------------------------------------------------------------------------
def plain(text: str) -> str:
    """'Noémie ZOVI' → 'NOEMIE ZOVI': the 2D-Doc character set (uppercase ASCII, no accents)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    return " ".join(re.sub(r"[^A-Z0-9 '\-./,]", " ", ascii_text).split())


def date_field(day: dt.date | None) -> str:
    return f"{day:%d%m%Y}" if day else ""


def parse_date_field(value: str) -> dt.date | None:
    return dt.datetime.strptime(value, "%d%m%Y").date() if value else None


def _days(day: dt.date) -> str:
    return f"{(day - EPOCH).days:04X}"


# --- keys -----------------------------------------------------------------------------------------
def _demo_private_key() -> ec.EllipticCurvePrivateKey:
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256's n
    scalar = int.from_bytes(hashlib.sha256(DEMO_SEED).digest()) % (order - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


@functools.cache
def _load_private_key(pem: str) -> ec.EllipticCurvePrivateKey:
    if not pem:
        return _demo_private_key()
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"GUICHET_DOCUMENT_SIGNING_KEY is not a readable PEM private key ({error})."
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("GUICHET_DOCUMENT_SIGNING_KEY must be an ECDSA P-256 key.")
    return key


def check_configuration() -> None:
    """Stop loudly on a key id or a key that could not sign."""
    key_id = settings.GUICHET_DOCUMENT_KEY_ID
    if not KEY_ID.match(key_id):
        raise ImproperlyConfigured(
            f"GUICHET_DOCUMENT_KEY_ID={key_id!r}: expected 4 capital letters or digits."
        )
    if not settings.GUICHET_DOCUMENT_SIGNING_KEY and not (settings.DEMO or settings.DEBUG):
        raise ImproperlyConfigured("GUICHET_DOCUMENT_SIGNING_KEY must be set in production.")
    _load_private_key(settings.GUICHET_DOCUMENT_SIGNING_KEY)


def current_key() -> tuple[str, ec.EllipticCurvePrivateKey]:
    """The id and private key that sign the documents issued now."""
    check_configuration()
    return settings.GUICHET_DOCUMENT_KEY_ID, _load_private_key(
        settings.GUICHET_DOCUMENT_SIGNING_KEY
    )


def new_private_pem() -> str:
    """A fresh P-256 private key, PEM, as GUICHET_DOCUMENT_SIGNING_KEY holds it."""
    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_public_pem(pem: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("not an ECDSA public key")
    return key


# --- codes ----------------------------------------------------------------------------------------
def sign(
    *,
    kind: str,
    fields: Sequence[tuple[str, str]],
    issued_on: dt.date,
    key_id: str,
    private_key: ec.EllipticCurvePrivateKey,
) -> str:
    """The full code: header, fields, <US>, signature."""
    for di, value in fields:
        if not DI.match(di) or GS in value or US in value:
            raise ValueError(f"field {di!r} cannot be encoded")
    head = (
        f"{MARKER}{AUTHORITY}{key_id}{_days(issued_on)}{_days(issued_on)}{kind}{PERIMETER}{COUNTRY}"
    )
    signed = head + GS.join(f"{di}{value}" for di, value in fields)
    der = private_key.sign(signed.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(CURVE_BYTES) + s.to_bytes(CURVE_BYTES)
    return signed + US + base64.b32encode(raw).decode().rstrip("=")


def normalise_scanned(text: str) -> str:
    """What a scanner typed: the separators as bytes, or as zxing's '<GS>'/'<US>' readings."""
    return text.strip().replace("<GS>", GS).replace("<US>", US)


def parse(payload: str) -> tuple[str, SignedCode, bytes]:
    """The signed part, what it says, and the raw signature; MalformedCode if it is not ours."""
    signed, separator, signature = payload.partition(US)
    if (
        not separator
        or len(signed) < HEADER_LENGTH + 2
        or not signed.startswith(MARKER + AUTHORITY)
        or not signed.isascii()
    ):
        raise MalformedCode("not a Guichet signed code")
    head, body = signed[:HEADER_LENGTH], signed[HEADER_LENGTH:]
    key_id, kind = head[8:12], head[20:22]
    try:
        issued_on = EPOCH + dt.timedelta(days=int(head[12:16], 16))
        raw = base64.b32decode(signature + "=" * (-len(signature) % 8))
    except ValueError:
        raise MalformedCode("bad date or signature encoding") from None
    fields = tuple((item[:2], item[2:]) for item in body.split(GS))
    if len(raw) != 2 * CURVE_BYTES or any(not DI.match(di) for di, _ in fields):
        raise MalformedCode("bad field or signature length")
    return signed, SignedCode(kind, key_id, issued_on, fields), raw


def verify(payload: str, *, public_keys: PublicKeys) -> Verification:
    """Whether the code was signed by one of the fund's keys and left unchanged since."""
    try:
        signed, code, raw = parse(normalise_scanned(payload))
    except MalformedCode:
        return Verification(Verdict.MALFORMED)
    public_key = public_keys(code.key_id)
    if public_key is None:
        return Verification(Verdict.UNKNOWN_KEY, code)
    r = int.from_bytes(raw[:CURVE_BYTES])
    s = int.from_bytes(raw[CURVE_BYTES:])
    try:
        public_key.verify(
            encode_dss_signature(r, s), signed.encode("ascii"), ec.ECDSA(hashes.SHA256())
        )
    except InvalidSignature:
        return Verification(Verdict.TAMPERED, code)
    return Verification(Verdict.AUTHENTIC, code)


# --- short codes ----------------------------------------------------------------------------------
def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def format_short_code(code: str) -> str:
    """'7KQ2-M9XD-4RTB': three groups of four, easy to read out and type."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise_short_code(typed: str) -> str | None:
    """The 12 characters of a typed short code (any case, dashes or spaces; O read as 0, I and L
    as 1), or None when it cannot be one."""
    text = re.sub(r"[\s\-.]", "", typed).upper().translate(str.maketrans("OIL", "011"))
    if len(text) != SHORT_LENGTH or any(c not in SHORT_ALPHABET for c in text):
        return None
    return text
