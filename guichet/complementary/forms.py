from django import forms

from guichet.complementary.selectors import Situation
from guichet.core.forms import GuichetForm

RATINGS = [
    ("5", "Très satisfait"),
    ("4", "Satisfait"),
    ("3", "Moyennement satisfait"),
    ("2", "Peu satisfait"),
    ("1", "Pas du tout satisfait"),
]


def person_field(person_id: int) -> str:
    return f"personne_{person_id}"


class ChoiceForm(GuichetForm):
    """One insurer to keep for each person concerned, all at once (seed 003, step 2)."""

    empreinte = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, situation: Situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.situation = situation
        for item in situation.overlaps:
            self.fields[person_field(item.person.pk)] = forms.TypedChoiceField(
                label=f"{item.person.full_name}",
                choices=[(str(c.pk), c.insurer.name) for c in item.contracts],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choisissez l'organisme complémentaire de {item.person.full_name}.",
                    "invalid_choice": "Choisissez l'un des organismes affichés.",
                },
            )

    def clean(self):
        cleaned = super().clean()
        if any(person_field(o.person.pk) in self.errors for o in self.situation.overlaps):
            raise forms.ValidationError(
                "Choisissez un organisme pour chaque bénéficiaire : le choix se fait en une fois "
                "pour toutes les personnes concernées."
            )
        return cleaned

    @property
    def kept(self) -> dict[int, int]:
        return {
            o.person.pk: self.cleaned_data[person_field(o.person.pk)]
            for o in self.situation.overlaps
        }

    def rows(self):
        """(person overlap, its bound field) for the template's insurer cards."""
        return [(o, self[person_field(o.person.pk)]) for o in self.situation.overlaps]


class RatingForm(GuichetForm):
    note = forms.TypedChoiceField(
        label="Votre note",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note pour nous donner votre avis."},
    )
    commentaire = forms.CharField(
        label="Votre commentaire (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Votre commentaire ne peut pas dépasser 1 000 caractères."},
    )


class InsurerForm(GuichetForm):
    """A superviseur edits an insurer (back office, reference data)."""

    mark_required = True
    name = forms.CharField(label="Nom", max_length=120)
