"""Copayments claimed or paid by a payment notice (ADR 0073)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insured", "0003_agency"),
        ("payments", "0004_alter_importbatch_feed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="copayment",
            name="copayment_status_matches_settlement",
        ),
        migrations.AddField(
            model_name="copayment",
            name="notice_reference",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=17,
                verbose_name="avis de sommes à payer",
            ),
        ),
        migrations.AlterField(
            model_name="copayment",
            name="status",
            field=models.CharField(
                choices=[
                    ("deducted", "Déduite du remboursement"),
                    ("deferred", "À récupérer sur un prochain paiement"),
                    ("claimed", "Réclamée par un avis de sommes à payer"),
                    ("paid_by_notice", "Réglée par un avis de sommes à payer"),
                    ("recovered", "Récupérée sur un paiement ultérieur"),
                    ("capped", "Non due : plafond atteint"),
                ],
                max_length=16,
                verbose_name="état",
            ),
        ),
        migrations.AddConstraint(
            model_name="copayment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("settled_by__isnull", True), ("status", "deferred")),
                    models.Q(("amount", 0), ("settled_by__isnull", True), ("status", "capped")),
                    models.Q(
                        ("settled_on__isnull", False), ("status__in", ["deducted", "recovered"])
                    ),
                    models.Q(
                        ("settled_by__isnull", True),
                        ("settled_on__isnull", True),
                        ("status", "claimed"),
                    ),
                    models.Q(
                        ("settled_by__isnull", True),
                        ("settled_on__isnull", False),
                        ("status", "paid_by_notice"),
                    ),
                    _connector="OR",
                ),
                name="copayment_status_matches_settlement",
            ),
        ),
        migrations.AddConstraint(
            model_name="copayment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("notice_reference__gt", ""), ("status__in", ["claimed", "paid_by_notice"])
                    ),
                    models.Q(
                        ("notice_reference", ""), ("status__in", ["deferred", "deducted", "capped"])
                    ),
                    ("status", "recovered"),
                    _connector="OR",
                ),
                name="copayment_notice_matches_status",
            ),
        ),
    ]
