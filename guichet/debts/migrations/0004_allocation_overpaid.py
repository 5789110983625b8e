"""What a notice no longer asked when the kiosk accepted a payment (ADR 0073)."""

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("debts", "0003_notice_lines_released"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="overpaid",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), max_digits=10, verbose_name="trop-perçu"
            ),
        ),
        migrations.AddConstraint(
            model_name="allocation",
            constraint=models.CheckConstraint(
                condition=models.Q(("overpaid__gte", 0), ("overpaid__lte", models.F("amount"))),
                name="allocation_overpaid_within_amount",
            ),
        ),
    ]
