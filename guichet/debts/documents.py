"""The payment notice (avis de sommes à payer) as a PDF, delivered in the member's messaging."""

from django.conf import settings

from guichet.core.money import format_euros
from guichet.core.pdf import Column, member_document, serialized
from guichet.debts import references
from guichet.debts.models import PaymentNotice

LINE_COLUMNS = [Column("Soins du", 0.18), Column("Nature", 0.62), Column("Montant", 0.2, "right")]


@serialized
def notice_pdf(notice: PaymentNotice) -> bytes:
    document = member_document(
        title="Avis de sommes à payer",
        organisation=settings.GUICHET_ORGANISATION_NAME,
        member=notice.member,
        issued_on=notice.issued_on,
    )
    document.key_values(
        [
            ("Référence de l'avis", references.display(notice.reference)),
            ("Date d'émission", f"{notice.issued_on:%d/%m/%Y}"),
            ("Caisse gestionnaire", notice.fund.name),
            ("Montant initial dû", format_euros(notice.initial_amount)),
            ("Montant restant dû", format_euros(notice.remaining_amount)),
        ]
    )
    document.paragraph(
        "Des participations forfaitaires et franchises n'ont pas pu être déduites de vos "
        "remboursements, parce que les professionnels de santé ont été payés directement (tiers "
        "payant), et aucun paiement ultérieur à vous ou à vos ayants droit n'a permis de les récupérer."
    )
    lines = list(notice.lines.select_related("copayment"))
    if lines:
        document.heading("Participations forfaitaires et franchises réclamées")
        document.table(
            LINE_COLUMNS,
            [
                [f"{line.copayment.care_date:%d/%m/%Y}", line.copayment.get_kind_display(),
                 format_euros(line.amount)]
                for line in lines
            ],
        )  # fmt: skip
    document.heading("Comment payer")
    document.paragraph(
        "Par carte bancaire depuis votre compte en ligne : « Mes paiements », puis « Payer une "
        "créance », avec la référence ci-dessus (16 chiffres et 1 lettre)."
    )
    return document.finish()
