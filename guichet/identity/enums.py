from django.db import models


class AccountKind(models.TextChoices):
    MEMBER = "member", "Assuré(e)"
    AGENT = "agent", "Agent"


class AccountStatus(models.TextChoices):
    PROVISIONAL = "provisional", "En attente du code personnel"
    ACTIVE = "active", "Actif"
    CLOSED = "closed", "Fermé"


class ChallengePurpose(models.TextChoices):
    LOGIN = "login", "Connexion depuis un nouvel appareil"
    EMAIL_CHANGE = "email_change", "Changement d'adresse e-mail"


class FranceConnectPurpose(models.TextChoices):
    LOGIN = "login", "Connexion avec FranceConnect"
    LOGOUT = "logout", "Déconnexion de FranceConnect"


class AgentRole(models.TextChoices):
    """What an agent of the fund does; backoffice.perms says what each may see and do."""

    ADVISER = "adviser", "Conseiller"
    CASE_WORKER = "case_worker", "Gestionnaire"
    ACCOUNTANT = "accountant", "Comptable"
    SUPERVISOR = "supervisor", "Superviseur"
