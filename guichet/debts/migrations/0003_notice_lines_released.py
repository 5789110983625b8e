"""A notice line is released when its notice is cancelled or its copayment recovered (ADR 0073)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("debts", "0002_notice_status_and_claimed_copayments"),
        ("payments", "0005_copayment_claimed_by_notice"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentnoticeline",
            name="released",
            field=models.BooleanField(default=False, verbose_name="libérée"),
        ),
        migrations.AlterField(
            model_name="paymentnoticeline",
            name="copayment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notice_lines",
                to="payments.copayment",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentnoticeline",
            constraint=models.UniqueConstraint(
                condition=models.Q(("released", False)),
                fields=("copayment",),
                name="copayment_claimed_by_one_notice",
            ),
        ),
    ]
