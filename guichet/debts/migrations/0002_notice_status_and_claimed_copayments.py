"""Notices get a lifecycle and an asked amount; the copayments they claim leave the deferred
ledger (ADR 0073)."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def forwards(apps, schema_editor):
    notices = apps.get_model("debts", "PaymentNotice")
    lines = apps.get_model("debts", "PaymentNoticeLine")
    copayments = apps.get_model("payments", "Copayment")
    notices.objects.update(asked_amount=F("initial_amount"))
    notices.objects.filter(remaining_amount=0, pending_amount=0).update(status="settled")
    today = timezone.localdate()
    for line in lines.objects.select_related("notice", "copayment").filter(
        copayment__status="deferred"
    ):
        settled = line.notice.status == "settled"
        copayments.objects.filter(pk=line.copayment_id).update(
            status="paid_by_notice" if settled else "claimed",
            notice_reference=line.notice.reference,
            settled_on=today if settled else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("debts", "0001_initial"),
        ("insured", "0003_agency"),
        ("payments", "0005_copayment_claimed_by_notice"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="paymentnotice",
            name="notice_remaining_within_initial",
        ),
        migrations.AddField(
            model_name="paymentnotice",
            name="asked_amount",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=10, verbose_name="montant demandé"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paymentnotice",
            name="overpaid_amount",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=10,
                verbose_name="trop-perçu à rembourser",
            ),
        ),
        migrations.AddField(
            model_name="paymentnotice",
            name="status",
            field=models.CharField(
                choices=[("issued", "À payer"), ("settled", "Soldé"), ("cancelled", "Annulé")],
                default="issued",
                max_length=10,
                verbose_name="état",
            ),
        ),
        migrations.AddField(
            model_name="paymentnotice",
            name="status_changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="paymentnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("asked_amount__lte", models.F("initial_amount"))),
                name="notice_asked_within_initial",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("remaining_amount__lte", models.F("asked_amount"))),
                name="notice_remaining_within_asked",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("overpaid_amount__gte", 0)), name="notice_overpaid_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "settled"), _negated=True),
                    models.Q(("pending_amount", 0), ("remaining_amount", 0)),
                    _connector="OR",
                ),
                name="notice_settled_when_nothing_left",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentnotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "cancelled"), _negated=True),
                    ("pending_amount", 0),
                    _connector="OR",
                ),
                name="notice_cancelled_with_nothing_pending",
            ),
        ),
    ]
