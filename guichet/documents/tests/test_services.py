"""Issuing a signed document: the key kept for later, the short code, the journal."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from guichet.core.actors import Actor, ActorKind
from guichet.core.models import AuditEvent
from guichet.documents import selectors, services, signing
from guichet.documents.models import IssuedDocument, SigningKey
from guichet.documents.tests.helpers import new_pem_key
from guichet.insured.tests.factories import InsuredPersonFactory

pytestmark = pytest.mark.django_db
FIELDS = [("OR", "010111411"), ("NM", "RENALDO ZOVI")]


def use_key(settings, key_id: str, pem: str) -> None:
    settings.GUICHET_DOCUMENT_KEY_ID, settings.GUICHET_DOCUMENT_SIGNING_KEY = key_id, pem


def issue(member):
    actor = Actor(ActorKind.MEMBER, str(member.pk), "127.0.0.1")
    return services.issue_document(member=member, kind="G1", fields=FIELDS, actor=actor)


def test_issuing_keeps_the_document_under_a_short_code_and_journals_it(settings):
    use_key(settings, "K001", new_pem_key())
    member = InsuredPersonFactory()

    document = issue(member)

    assert IssuedDocument.objects.get() == document and document.key_id == "K001"
    assert signing.parse(document.payload)[1].value("DN") == document.short_code
    event = AuditEvent.objects.get(action="document.issued")
    assert event.person_id == member.pk and event.target_id == str(document.pk)
    assert event.details == {"kind": "G1", "short_code": document.short_code, "key_id": "K001"}
    assert selectors.verify_short_code(short_code=document.short_code).authentic


def test_a_rotated_key_keeps_the_documents_of_the_old_key_valid(settings):
    member = InsuredPersonFactory()
    use_key(settings, "K001", new_pem_key())
    before = issue(member)
    use_key(settings, "K002", new_pem_key())
    after = issue(member)

    assert list(SigningKey.objects.values_list("key_id", flat=True)) == ["K001", "K002"]
    assert selectors.verify_payload(text=before.payload).authentic
    assert selectors.verify_payload(text=after.payload).authentic


def test_reusing_a_key_id_for_another_key_fails_loudly(settings):
    member = InsuredPersonFactory()
    use_key(settings, "K001", new_pem_key())
    issue(member)
    use_key(settings, "K001", new_pem_key())

    with pytest.raises(ImproperlyConfigured, match="already names another key"):
        issue(member)


def test_a_code_signed_by_a_key_the_fund_never_had_is_unknown(settings):
    use_key(settings, "K001", new_pem_key())
    document = issue(InsuredPersonFactory())
    SigningKey.objects.all().delete()

    assert selectors.verify_payload(text=document.payload).verdict == signing.Verdict.UNKNOWN_KEY


def test_an_unknown_short_code_finds_nothing():
    assert selectors.verify_short_code(short_code="7KQ2M9XD4RTB") is None


def test_a_new_key_from_the_command_signs_under_a_free_id(settings):
    import io

    from django.core.management import call_command

    use_key(settings, "K001", new_pem_key())
    issue(InsuredPersonFactory())
    out = io.StringIO()

    call_command("new_document_key", stdout=out)

    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["GUICHET_DOCUMENT_KEY_ID"] == "K002"
    pem = lines["GUICHET_DOCUMENT_SIGNING_KEY"].strip('"').replace("\\n", "\n")
    use_key(settings, "K002", pem)
    assert selectors.verify_payload(text=issue(InsuredPersonFactory()).payload).authentic


def test_the_command_refuses_an_id_already_used(settings):
    from django.core.management import CommandError, call_command

    use_key(settings, "K001", new_pem_key())
    issue(InsuredPersonFactory())

    with pytest.raises(CommandError, match="K001 already names a key"):
        call_command("new_document_key", "--key-id", "K001")
