"""Reads of the documents app: the fund's public keys, an issued document by its short code."""

from cryptography.hazmat.primitives.asymmetric import ec

from guichet.documents import signing
from guichet.documents.models import IssuedDocument, SigningKey


def public_key(key_id: str) -> ec.EllipticCurvePublicKey | None:
    """The public key that id names, current or retired; None for an id the fund never used."""
    pem = SigningKey.objects.filter(key_id=key_id).values_list("public_key_pem", flat=True).first()
    return signing.load_public_pem(pem) if pem else None


def issued_document(*, short_code: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(short_code=short_code).first()


def verify_short_code(*, short_code: str) -> signing.Verification | None:
    """The issued document's signed code checked again; None when no document has that code."""
    document = issued_document(short_code=short_code)
    if document is None:
        return None
    return signing.verify(document.payload, public_keys=public_key)


def verify_payload(*, text: str) -> signing.Verification:
    """A scanned code checked against the fund's public keys, without trusting anything else."""
    return signing.verify(text, public_keys=public_key)
