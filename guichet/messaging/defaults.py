"""The reference data every fund starts with: the topics of "J'ai une question" and the reply
templates. The migrations load them, and so does the demo loader (a test database flushed
between browser journeys loses what migrations wrote)."""

TOPICS = [
    "Mes remboursements",
    "Ma carte Vitale",
    "Mon arrêt de travail, mes indemnités journalières",
    "Ma complémentaire santé solidaire",
    "Mes attestations",
    "Ma situation : adresse, coordonnées bancaires, famille",
    "Une créance, un avis de sommes à payer",
    "Une autre question",
]

SIGNATURE = "\n\nAvec toute notre attention,\nVotre conseiller de l'Assurance Maladie"
REPLY_TEMPLATES = [
    (
        "Demande traitée",
        "Bonjour,\n\nNous avons bien traité votre demande. [Précisez ici ce qui a été fait.]",
    ),
    (
        "Remboursement en cours",
        "Bonjour,\n\nVotre remboursement est en cours de traitement. Il apparaîtra dans « Mes paiements » de votre compte dès qu'il sera payé, en général sous quelques jours.",
    ),
    (
        "Pièce manquante",
        "Bonjour,\n\nPour traiter votre demande, il nous manque [la pièce]. Vous pouvez nous la transmettre en répondant à ce message, avec la pièce en pièce jointe (PDF, JPEG ou PNG).",
    ),
    (
        "Démarche en ligne",
        "Bonjour,\n\nVous pouvez faire cette démarche directement depuis votre compte, dans la rubrique « Mes démarches ». Elle sera traitée plus vite qu'un message.",
    ),
]


def seed(*, topic_model, template_model) -> None:
    """Create what is missing; rows a superviseur changed are left as they are."""
    for position, label in enumerate(TOPICS, start=1):
        topic_model.objects.get_or_create(label=label, defaults={"position": position * 10})
    for position, (title, body) in enumerate(REPLY_TEMPLATES, start=1):
        template_model.objects.get_or_create(
            title=title, defaults={"body": body + SIGNATURE, "position": position * 10}
        )
