from django.apps import AppConfig


class FranceConnectSandboxConfig(AppConfig):
    name = "sandboxes.franceconnect"
    label = "franceconnect_sandbox"
    verbose_name = "Bac à sable FranceConnect"
