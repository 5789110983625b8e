"""Sections of the product announced in the navigation whose own issue has not landed yet.

Each gets an honest page ("arrive bientôt", and what to do meanwhile) instead of a dead link;
an app that lands replaces its route here by its own urls.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    path: str
    title: str
    meanwhile: str


SECTIONS = {
    section.slug: section
    for section in [
        Section("prevention", "mon-espace-prevention/", "Mon espace prévention",
                "Vous y trouverez les examens et dépistages recommandés pour vous et votre famille."),
        Section("european_card", "mes-demarches/carte-europeenne/", "Carte européenne d'assurance maladie (CEAM)",
                "Vous pourrez commander votre carte européenne d'assurance maladie avant un séjour en Europe."),
        Section("change_address", "mes-demarches/changer-d-adresse/", "Modifier mon adresse",
                "Vous pourrez déclarer votre nouvelle adresse postale en ligne."),
        Section("processing_delays", "mes-demarches/delais-de-traitement/", "Délais de traitement de ma CPAM",
                "Vous y trouverez les délais de traitement de votre caisse, mesurés chaque semaine."),
        Section("appointments", "mes-rendez-vous/", "Mes rendez-vous",
                "Vous y retrouverez vos rendez-vous avec votre caisse."),
        Section("book_appointment", "prendre-un-rendez-vous/", "Prendre un rendez-vous",
                "Vous pourrez choisir un motif, une agence et un créneau libre."),
    ]
}  # fmt: skip
