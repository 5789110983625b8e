"""Writes of the documents app: registering the signing key, issuing a signed document."""

from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.documents import signing
from guichet.documents.models import IssuedDocument, SigningKey
from guichet.insured.models import InsuredPerson


def register_current_key() -> tuple[str, ec.EllipticCurvePrivateKey]:
    """The current key, its public part kept under its id; a reused id is a loud error."""
    key_id, private_key = signing.current_key()
    pem = signing.public_pem(private_key)
    stored, _ = SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key_pem": pem})
    if stored.public_key_pem != pem:
        raise ImproperlyConfigured(
            f"GUICHET_DOCUMENT_KEY_ID={key_id} already names another key: give the new key a new "
            "id, so that the documents signed by the old one stay verifiable."
        )
    return key_id, private_key


@transaction.atomic
def issue_document(
    *,
    member: InsuredPerson,
    kind: str,
    fields: Sequence[tuple[str, str]],
    actor: Actor,
    **details,
) -> IssuedDocument:
    """Sign the document's key fields under a new short code, keep it, and journal the issue."""
    key_id, private_key = register_current_key()
    for _attempt in range(5):
        short_code = signing.new_short_code()
        payload = signing.sign(
            kind=kind,
            fields=[("DN", short_code), *fields],
            issued_on=timezone.localdate(),
            key_id=key_id,
            private_key=private_key,
        )
        try:
            with transaction.atomic():
                document = IssuedDocument.objects.create(
                    short_code=short_code, kind=kind, member=member, payload=payload, key_id=key_id
                )
            break
        except IntegrityError:  # 2^60 codes: a clash is all but impossible, but never fatal
            continue
    else:
        raise RuntimeError("no free short code after 5 tries")
    record_audit(
        actor=actor,
        action="document.issued",
        person_id=member.pk,
        target=document,
        kind=kind,
        short_code=short_code,
        key_id=key_id,
        **details,
    )
    return document
