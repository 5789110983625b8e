"""The fund's signing keys (public parts only) and the documents issued with a signed code."""

from django.db import models

from guichet.documents.enums import DocumentKind
from guichet.insured.models import InsuredPerson


class SigningKey(models.Model):
    """The public key behind a key id: kept after rotation, so older documents stay verifiable."""

    key_id = models.CharField("identifiant de clé", max_length=4, unique=True)
    public_key_pem = models.TextField("clé publique (PEM)")
    first_used_at = models.DateTimeField("utilisée depuis le", auto_now_add=True)

    class Meta:
        ordering = ["first_used_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key_id__regex=r"^[A-Z0-9]{4}$"), name="signing_key_id_shape"
            )
        ]

    def __str__(self) -> str:
        return f"Clé {self.key_id}"


class IssuedDocumentQuerySet(models.QuerySet):
    def visible_to(self, person: InsuredPerson) -> "IssuedDocumentQuerySet":
        return self.filter(member=person)


class IssuedDocument(models.Model):
    """One document handed to a member: its short code and the signed code printed on it."""

    short_code = models.CharField("code de vérification", max_length=12, unique=True)
    kind = models.CharField("document", max_length=2, choices=DocumentKind.choices)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="issued_documents"
    )
    payload = models.TextField("code signé")
    key_id = models.CharField("clé de signature", max_length=4)
    issued_at = models.DateTimeField("délivré le", auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.short_code}"
