import datetime as dt

from django import forms
from django.utils import timezone

from guichet.core.forms import FrenchDateField, GuichetForm
from guichet.payments.enums import PaymentKind

SEARCH_MONTHS_BACK = 6  # "Affichage des paiements sur les 6 derniers mois" (seed 004)
DEFAULT_MONTHS = 2  # "PÉRIODE Du 19/09/2020 Au 19/11/2020" (seed 002)
FILTERS = {
    "soins": ("Remboursements de soins", [PaymentKind.CARE, PaymentKind.THIRD_PARTY]),
    "ij": ("Indemnités journalières", [PaymentKind.DAILY_ALLOWANCE]),
}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


class PeriodDateField(FrenchDateField):
    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "JJ/MM/AAAA")
        super().__init__(**kwargs)
        self.error_messages["invalid"] = (
            "Saisissez une date au format JJ/MM/AAAA, par exemple 19/09/2026."
        )


class PeriodForm(GuichetForm):
    """A period of at most 6 months back, not in the future, the end after the start."""

    du = PeriodDateField(label="Du")
    au = PeriodDateField(label="Au")

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.limit = months_before(self.today, SEARCH_MONTHS_BACK)

    def clean_du(self) -> dt.date:
        start = self.cleaned_data["du"]
        if start > self.today:
            raise forms.ValidationError("La date de début ne peut pas être dans le futur.")
        if start < self.limit:
            raise forms.ValidationError(
                f"Vous ne pouvez pas rechercher un paiement de plus de 6 mois, c'est-à-dire avant le "
                f"{self.limit:%d/%m/%Y}. Vos relevés mensuels des 27 derniers mois sont dans "
                f"« Mes relevés mensuels »."
            )
        return start

    def clean_au(self) -> dt.date:
        end = self.cleaned_data["au"]
        if end > self.today:
            raise forms.ValidationError("La date de fin ne peut pas être dans le futur.")
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error(
                "au", "La date de fin doit être le même jour que la date de début ou après."
            )
        return cleaned


class PaymentSearchForm(PeriodForm):
    beneficiaire = forms.ChoiceField(label="Bénéficiaire", required=False)
    filtre = forms.MultipleChoiceField(
        label="Filtre",
        choices=[(key, label) for key, (label, _) in FILTERS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un type de paiement."},
    )

    def __init__(self, *args, family=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiaire"].choices = [("", "Toute la famille")] + [
            (str(person.pk), person.full_name) for person in family
        ]

    def kinds(self) -> list[str]:
        return [kind for key in self.cleaned_data["filtre"] for kind in FILTERS[key][1]]

    def beneficiary_id(self) -> int | None:
        value = self.cleaned_data.get("beneficiaire")
        return int(value) if value else None
