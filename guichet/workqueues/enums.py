from django.db import models


class ItemStatus(models.TextChoices):
    OPEN = "open", "À traiter"
    ASSIGNED = "assigned", "Attribué"
    DONE = "done", "Traité"
