import datetime as dt

from django import forms

from guichet.core.forms import GuichetForm
from guichet.documents import signing
from guichet.documents.selectors import Covered
from guichet.payments.forms import PeriodForm

FAMILY = "famille"


class EntitlementForm(GuichetForm):
    """ "Sélection du bénéficiaire": the whole family by default, or one person."""

    beneficiaire = forms.ChoiceField(label="Sélectionnez vous une attestation pour")

    def __init__(self, *args, covered: list[Covered], **kwargs):
        super().__init__(*args, **kwargs)
        self.covered = {str(entry.person.pk): entry for entry in covered}
        self.fields["beneficiaire"].choices = [(FAMILY, "Toute la famille")] + [
            (key, entry.person.full_name) for key, entry in self.covered.items()
        ]
        self.fields["beneficiaire"].initial = FAMILY

    def clean_beneficiaire(self) -> str:
        value = self.cleaned_data["beneficiaire"]
        entry = self.covered.get(value)
        if entry is not None and not entry.open:
            person = entry.person
            since = (
                f"depuis le {person.rights_closed_on:%d/%m/%Y}"
                if person.rights_closed_on
                else f"avant le {person.rights_opened_on:%d/%m/%Y}"
            )
            raise forms.ValidationError(
                f"Les droits de {person.full_name} ne sont pas ouverts ({since}) : aucune "
                "attestation ne peut être délivrée pour cette personne. Choisissez une autre "
                "personne ou toute la famille."
            )
        return value

    def beneficiary_id(self) -> int | None:
        value = self.cleaned_data["beneficiaire"]
        return None if value == FAMILY else int(value)


class AllowancePeriodForm(PeriodForm):
    """The period of an attestation d'IJ: dates in order (PeriodForm), within the history kept."""

    def __init__(self, *args, first_day: dt.date, today: dt.date, **kwargs):
        super().__init__(*args, today=today, **kwargs)
        self.first_day = first_day

    def _within(self, name: str, label: str) -> dt.date:
        day = self.cleaned_data[name]
        if day > self.today:
            raise forms.ValidationError(f"La date de {label} ne peut pas être dans le futur.")
        if day < self.first_day:
            raise forms.ValidationError(
                f"L'historique conservé commence le {self.first_day:%d/%m/%Y} : choisissez une "
                f"date de {label} à partir de ce jour."
            )
        return day

    def clean_du(self) -> dt.date:
        return self._within("du", "début")

    def clean_au(self) -> dt.date:
        return self._within("au", "fin")


class TaxYearForm(GuichetForm):
    annee = forms.TypedChoiceField(label="Année", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].choices = [(year, str(year)) for year in years]
        self.fields["annee"].error_messages["invalid_choice"] = (
            f"Choisissez une année entre {years[-1]} et {years[0]}."
        )


class VerificationForm(GuichetForm):
    """A typed short code, or what a scanner read from the 2D code: one of the two."""

    code = forms.CharField(
        label="Code de vérification",
        required=False,
        max_length=40,
        help_text="Les 12 caractères imprimés sous le code 2D, par exemple 7KQ2-M9XD-4RTB.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contenu = forms.CharField(
        label="Ou le contenu du code 2D scanné",
        required=False,
        max_length=2000,
        help_text="Le texte que votre lecteur de codes a lu, commençant par DC04.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        typed = self.cleaned_data["code"].strip()
        if not typed:
            return ""
        code = signing.normalise_short_code(typed)
        if code is None:
            raise forms.ValidationError(
                "Un code de vérification a 12 lettres ou chiffres, par exemple 7KQ2-M9XD-4RTB."
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("contenu", "").strip():
            self.add_error(
                "code", "Saisissez le code de vérification, ou collez le contenu du code 2D."
            )
        return cleaned
