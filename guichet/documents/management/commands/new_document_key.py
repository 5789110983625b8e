"""Print a new ECDSA P-256 signing key for the documents, ready for the environment (ADR 0060)."""

from django.core.management.base import BaseCommand, CommandError

from guichet.documents import signing
from guichet.documents.models import SigningKey


class Command(BaseCommand):
    help = (
        "Print a new P-256 private key and a free key id to rotate the documents' signing key. "
        "Nothing is stored: the key's public part is kept the first time it signs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key-id", help="The id to give it (4 capital letters or digits).")

    def handle(self, *args, key_id=None, **options):
        used = set(SigningKey.objects.values_list("key_id", flat=True))
        if key_id is None:
            key_id = next(f"K{n:03d}" for n in range(1, 1000) if f"K{n:03d}" not in used)
        if not signing.KEY_ID.match(key_id):
            raise CommandError(f"{key_id!r}: a key id has 4 capital letters or digits.")
        if key_id in used:
            raise CommandError(f"{key_id} already names a key: choose another id.")
        escaped = signing.new_private_pem().strip().replace("\n", "\\n")
        self.stdout.write(
            f'GUICHET_DOCUMENT_KEY_ID={key_id}\nGUICHET_DOCUMENT_SIGNING_KEY="{escaped}"'
        )
