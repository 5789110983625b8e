"""The member's forms: the notice's reference in its boxes, then the lines and the amount."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from guichet.core.forms import GuichetForm
from guichet.core.money import format_euros, to_euros
from guichet.debts import references, services
from guichet.debts.models import PaymentNotice

BOX = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}


def whole_euros(amount: Decimal) -> str:
    """'16€' as the seed writes the bounds, '16,50€' when there are cents."""
    return (
        f"{amount:.0f}€"
        if amount == amount.to_integral()
        else format_euros(amount).replace("\u00a0€", "€")
    )


class ReferenceForm(GuichetForm):
    """16 digits in four boxes of four, then the letter; the whole reference may be pasted in
    the first box. A wrong letter is caught here, before any lookup."""

    digits_1 = forms.CharField(
        label="Chiffres 1 à 4",
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={**BOX, "inputmode": "numeric", "size": 5}),
    )
    digits_2 = forms.CharField(
        label="Chiffres 5 à 8",
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={**BOX, "inputmode": "numeric", "size": 5}),
    )
    digits_3 = forms.CharField(
        label="Chiffres 9 à 12",
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={**BOX, "inputmode": "numeric", "size": 5}),
    )
    digits_4 = forms.CharField(
        label="Chiffres 13 à 16",
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={**BOX, "inputmode": "numeric", "size": 5}),
    )
    letter = forms.CharField(label="Lettre", max_length=1, required=False,
                             widget=forms.TextInput(attrs={**BOX, "size": 2}))  # fmt: skip

    def clean(self):
        data = super().clean()
        typed = "".join(data.get(f"digits_{i}", "") for i in range(1, 5)) + data.get("letter", "")
        typed = re.sub(r"[\s.\-]", "", typed).upper()
        if not typed:
            raise forms.ValidationError(
                "Saisissez la référence de votre avis : 16 chiffres et 1 lettre."
            )
        if not re.fullmatch(r"\d{16}[A-Z]", typed):
            raise forms.ValidationError(
                "La référence compte 16 chiffres puis 1 lettre : vérifiez chaque case."
            )
        try:
            data["reference"] = references.normalize(typed)
        except references.InvalidReference:
            raise forms.ValidationError(
                "Cette référence n'existe pas : la lettre ne correspond pas aux chiffres. "
                "Vérifiez-la sur l'en-tête de votre avis."
            ) from None
        return data


class PaymentForm(GuichetForm):
    mark_required = True

    notices = forms.TypedMultipleChoiceField(
        label="Références de courrier",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une référence à payer."},
    )
    amount = forms.CharField(
        label="Montant du paiement",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8, "autocomplete": "off"}),
    )

    def __init__(self, *args, notices: list[PaymentNotice], **kwargs):
        super().__init__(*args, **kwargs)
        self.open_notices = {n.pk: n for n in notices}
        self.fields["notices"].choices = [(n.pk, n.reference) for n in notices]
        low, high = settings.GUICHET_DEBT_PAYMENT_MIN, settings.GUICHET_DEBT_PAYMENT_MAX
        self.fields["amount"].help_text = (
            f"Vous pouvez payer entre {whole_euros(low)} et {whole_euros(high)} par paiement "
            f"(ou tout le solde à payer, s'il est inférieur à {whole_euros(low)})"
        )

    def clean_amount(self) -> Decimal:
        raw = re.sub(r"[\s\u00a0€]", "", self.cleaned_data["amount"]).replace(",", ".")
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(
                "Saisissez un montant en euros, par exemple 20 ou 20,50."
            ) from None
        if (
            not amount.is_finite()
            or amount <= 0
            or amount.adjusted() > 6  # a million euros and more: no debt is that large
            or amount != amount.quantize(Decimal("0.01"))
        ):
            raise forms.ValidationError("Saisissez un montant en euros, par exemple 20 ou 20,50.")
        return to_euros(amount)

    def clean(self):
        data = super().clean()
        chosen = [
            self.open_notices[pk] for pk in data.get("notices", []) if pk in self.open_notices
        ]
        self.due = sum((n.payable_amount for n in chosen), Decimal("0.00"))
        if chosen and "amount" in data:
            try:
                services.check_amount(amount=data["amount"], due=self.due)
            except services.DebtError as error:
                self.add_error("amount", str(error))
        return data
