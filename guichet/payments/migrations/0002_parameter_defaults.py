"""The dated values shipped with Guichet (guichet/payments/parameters.py DEFAULTS): a fund
changes them by adding rows, never by editing code."""

from django.db import migrations


def seed(apps, schema_editor):
    from guichet.payments.parameters import DEFAULTS

    Parameter = apps.get_model("payments", "Parameter")
    for name, valid_from, valid_to, value, label, source in DEFAULTS:
        Parameter.objects.update_or_create(
            name=name,
            valid_from=valid_from,
            defaults={"valid_to": valid_to, "value": value, "label": label, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
