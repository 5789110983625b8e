from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Presentation only: the member's home page, assembled from the domain apps' selectors."""

    name = "guichet.home"
    label = "home"
    verbose_name = "Accueil"
