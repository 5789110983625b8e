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
