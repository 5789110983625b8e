from django.apps import AppConfig


class KioskSandboxConfig(AppConfig):
    name = "sandboxes.kiosk"
    label = "kiosk_sandbox"
    verbose_name = "Kiosque de paiement (bac à sable)"
