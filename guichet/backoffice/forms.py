"""Forms of the back office: every agent error is a French message next to its field."""

from types import SimpleNamespace

from django import forms
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    NumericPasswordValidator,
    UserAttributeSimilarityValidator,
    validate_password,
)
from django.core.exceptions import ValidationError

from guichet.core import nir as nir_rules
from guichet.core.digits import is_digits
from guichet.core.forms import FrenchDateField, GuichetForm
from guichet.identity.enums import AgentRole
from guichet.insured.models import POSTAL_CODE_MESSAGE

PASSWORD_MIN = 12


class OptionalNirField(forms.CharField):
    """A member's NIR typed by an agent (13 or 15 characters, spaces allowed), cleaned to its 13
    characters; empty when left blank."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value.strip():
            return ""
        try:
            return nir_rules.parse(value)
        except nir_rules.InvalidNir as error:
            raise ValidationError(str(error).replace("votre numéro", "le numéro")) from None


class AgentLoginForm(GuichetForm):
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@cpam.fr."
        },
    )
    password = forms.CharField(
        label="Mot de passe",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OneTimeCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                }
            ),
            **kwargs,
        )


class SecondFactorForm(GuichetForm):
    code = OneTimeCodeField(
        label="Code de l'application d'authentification",
        help_text="Les 6 chiffres affichés par l'application, ou l'un de vos codes de secours (abcd-efgh).",
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not ((is_digits(code) and len(code) == 6) or len(code.replace("-", "")) == 8):
            raise ValidationError(
                "Saisissez les 6 chiffres affichés par l'application, ou un code de secours de 8 caractères."
            )
        return code


class EnrolForm(GuichetForm):
    code = OneTimeCodeField(
        label="Code affiché par l'application",
        help_text="6 chiffres, qui changent toutes les 30 secondes.",
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (is_digits(code) and len(code) == 6):
            raise ValidationError("Le code affiché par l'application comporte 6 chiffres.")
        return code


class ChoosePasswordForm(GuichetForm):
    password = forms.CharField(
        label="Mon nouveau mot de passe",
        help_text=f"Au moins {PASSWORD_MIN} caractères, dont des lettres et au moins un chiffre ou un caractère spécial.",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self):
        password = self.cleaned_data["password"]
        problems = []
        if len(password) < PASSWORD_MIN:
            problems.append(
                f"Votre mot de passe doit comporter au moins {PASSWORD_MIN} caractères."
            )
        if not any(c.isalpha() for c in password):
            problems.append("Ajoutez au moins une lettre.")
        if all(c.isalpha() for c in password):
            problems.append("Ajoutez au moins un chiffre ou un caractère spécial.")
        local = self.email.split("@")[0].lower()
        if local and len(local) >= 4 and local in password.lower():
            problems.append("Votre mot de passe ne doit pas contenir votre identifiant.")
        if not problems:
            try:
                CommonPasswordValidator().validate(password)
            except ValidationError:
                problems.append(
                    "Ce mot de passe est trop courant : choisissez-en un plus difficile à deviner."
                )
        if problems:
            raise ValidationError(problems)
        return password

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_confirm") is not None
            and data["password"] != data["password_confirm"]
        ):
            self.add_error(
                "password_confirm", "Les deux mots de passe saisis ne sont pas identiques."
            )
        return data


class SearchForm(GuichetForm):
    """By NIR (13 or 15 characters, spaces allowed), by name and birth date, or by e-mail."""

    nir = OptionalNirField(
        label="Numéro de sécurité sociale",
        help_text="13 caractères, ou 15 avec la clé ; les espaces sont acceptés.",
    )
    last_name = forms.CharField(
        label="Nom (de naissance ou d'usage)",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = FrenchDateField(label="Date de naissance", required=False)
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        name, birth = data.get("last_name", "").strip(), data.get("birth_date")
        if name and not birth:
            self.add_error("birth_date", "Avec un nom, indiquez la date de naissance.")
        elif birth and not name:
            self.add_error("last_name", "Avec une date de naissance, indiquez le nom.")
        elif not (data.get("nir") or data.get("email") or name):
            raise ValidationError(
                "Indiquez un numéro de sécurité sociale, un nom et une date de naissance, ou une adresse e-mail."
            )
        return data

    @property
    def criteria(self) -> list[str]:
        """Which criteria were used (for the journal, which never holds a NIR)."""
        return [
            name
            for name in ("nir", "last_name", "birth_date", "email")
            if self.cleaned_data.get(name)
        ]


class ReasonForm(GuichetForm):
    reason = forms.CharField(
        label="Motif",
        help_text="Il est écrit au journal. Par exemple : « appel de l'assuré, identité vérifiée ».",
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Indiquez le motif de cette action.",
            "min_length": "Décrivez le motif en quelques mots (au moins 5 caractères).",
        },
    )

    def clean_reason(self):
        return " ".join(self.cleaned_data["reason"].split())


class CloseAccountForm(ReasonForm):
    confirm = forms.BooleanField(
        label="Je confirme la fermeture de ce compte en ligne.",
        error_messages={"required": "Cochez la case pour confirmer la fermeture du compte."},
    )


class AssignForm(GuichetForm):
    agent = forms.TypedChoiceField(label="Attribuer à", coerce=int)

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", "Choisissez un agent")] + [
            (a.account_id, f"{a.full_name} ({a.get_role_display()})") for a in agents
        ]
        self.fields["agent"].error_messages["invalid_choice"] = "Choisissez un agent de la liste."


class JournalFilterForm(GuichetForm):
    nir = OptionalNirField(label="Numéro de sécurité sociale de l'assuré")
    agent = forms.TypedChoiceField(label="Agent", coerce=int, required=False, empty_value=None)
    action = forms.ChoiceField(label="Action", required=False)
    date_from = FrenchDateField(label="Du", required=False)
    date_to = FrenchDateField(label="Au", required=False)

    def __init__(self, *args, agents=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", "Tous les agents")] + [
            (a.account_id, f"{a.full_name} ({a.get_role_display()})") for a in agents
        ]
        self.fields["action"].choices = [("", "Toutes les actions"), *actions]
        self.fields["agent"].error_messages["invalid_choice"] = "Choisissez un agent de la liste."
        self.fields["action"].error_messages["invalid_choice"] = (
            "Choisissez une action de la liste."
        )
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin doit être après la date de début.")
        return data


class AgentCreateForm(GuichetForm):
    mark_required = True
    first_name = forms.CharField(
        label="Prénom", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=80, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label="Adresse e-mail professionnelle",
        max_length=254,
        help_text="Son identifiant de connexion ; le mot de passe provisoire y est envoyé.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@cpam.fr."
        },
    )
    role = forms.ChoiceField(label="Rôle", choices=[("", "Choisissez un rôle"), *AgentRole.choices])


class FundForm(GuichetForm):
    mark_required = True
    name = forms.CharField(label="Nom", max_length=120)
    address_line1 = forms.CharField(label="Adresse", max_length=120, required=False)
    address_line2 = forms.CharField(label="Complément d'adresse", max_length=120, required=False)
    postal_code = forms.CharField(label="Code postal", max_length=5, required=False)
    city = forms.CharField(label="Commune", max_length=80, required=False)
    phone = forms.CharField(
        label="Téléphone",
        max_length=20,
        required=False,
        help_text="Le numéro que les assurés appellent, par exemple 3646.",
    )

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if code and not (is_digits(code) and len(code) == 5):
            raise ValidationError(POSTAL_CODE_MESSAGE)
        return code

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        digits = phone.replace(" ", "").replace(".", "")
        if phone and not (is_digits(digits) and 4 <= len(digits) <= 10):
            raise ValidationError(
                "Saisissez un numéro de 4 à 10 chiffres, par exemple 3646 ou 04 74 00 00 00."
            )
        return phone

    def clean_city(self):
        return self.cleaned_data["city"].strip().upper()


class AgencyForm(GuichetForm):
    """An agency of the superviseur's fund (reference data): everything but the fund."""

    mark_required = True
    name = forms.CharField(
        label="Nom", max_length=120, help_text="Par exemple Agence de AMBERIEU-EN-BUGEY."
    )
    address = forms.CharField(label="Adresse", max_length=120)
    postal_code = forms.CharField(label="Code postal", max_length=5)
    city = forms.CharField(label="Commune", max_length=80)
    phone = forms.CharField(label="Téléphone", max_length=20, help_text="Par exemple 3646.")
    opening_hours = forms.CharField(
        label="Horaires d'ouverture",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Par exemple : du lundi au vendredi, de 8h30 à 12h30 et de 13h30 à 16h30.",
    )
    accessible = forms.BooleanField(
        label="Accessible aux personnes à mobilité réduite", required=False
    )
    open = forms.BooleanField(
        label="Ouverte",
        required=False,
        initial=True,
        help_text="Une agence fermée n'est plus montrée aux assurés ; elle n'est jamais supprimée.",
    )

    clean_postal_code = FundForm.clean_postal_code
    clean_phone = FundForm.clean_phone
    clean_city = FundForm.clean_city


class ParameterValueField(forms.DecimalField):
    """A value typed the French way (2,50) or with a point."""

    default_error_messages = {"invalid": "Saisissez un nombre, par exemple 2,50."}
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        return super().to_python(value.replace(",", ".").replace(" ", "") if value else value)


class ParameterForm(GuichetForm):
    """Correct a dated row of a parameter table."""

    mark_required = True
    valid_to = FrenchDateField(
        label="Jusqu'au",
        required=False,
        help_text="Dernier jour d'application, au format JJ/MM/AAAA. Vide : toujours en vigueur.",
    )
    value = ParameterValueField(
        label="Valeur",
        max_digits=12,
        decimal_places=4,
        help_text="Un montant en euros, un taux en pourcentage ou un nombre, par exemple 2,50.",
    )
    label = forms.CharField(
        label="Libellé",
        max_length=200,
        required=False,
        help_text="Vide : le libellé habituel de ce paramètre.",
    )
    source = forms.CharField(
        label="Source",
        max_length=300,
        required=False,
        help_text="Le texte qui fixe cette valeur, par exemple un décret et sa date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].widget.attrs.pop("autocomplete", None)


class ParameterAddForm(ParameterForm):
    """A new dated value of a rule."""

    name = forms.ChoiceField(
        label="Paramètre",
        error_messages={
            "required": "Choisissez un paramètre de la liste.",
            "invalid_choice": "Choisissez un paramètre de la liste.",
        },
    )
    valid_from = FrenchDateField(
        label="En vigueur à partir du",
        help_text="Premier jour d'application, au format JJ/MM/AAAA.",
    )
    field_order = ["name", "valid_from", "valid_to", "value", "label", "source"]

    def __init__(self, *args, names: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [("", "Choisissez un paramètre"), *names]
        self.fields["valid_from"].widget.attrs.pop("autocomplete", None)


def _current_password_field() -> forms.CharField:
    return forms.CharField(
        label="Mon mot de passe actuel",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class _PersonalAttributes(SimpleNamespace):
    """What Django's UserAttributeSimilarityValidator compares a password with, named in French."""

    LABELS = {"email": "adresse e-mail", "first_name": "prénom", "last_name": "nom"}
    _meta = SimpleNamespace(
        get_field=lambda name: SimpleNamespace(verbose_name=_PersonalAttributes.LABELS[name])
    )


class ChangePasswordForm(ChoosePasswordForm):
    """The signed-in agent's new password: the current one first, then the rules of a first one
    and Django's validators (too close to their names or e-mail, only digits)."""

    current = _current_password_field()
    field_order = ["current", "password", "password_confirm"]

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, email=account.identifier, **kwargs)
        self.account = account

    def clean_password(self):
        password = super().clean_password()
        profile = self.account.agent_profile
        similar = _PersonalAttributes(
            email=profile.email, first_name=profile.first_name, last_name=profile.last_name
        )
        validate_password(
            password,
            user=similar,
            password_validators=[
                UserAttributeSimilarityValidator(_PersonalAttributes.LABELS),
                NumericPasswordValidator(),
            ],
        )
        return password

    def clean(self):
        data = super().clean()
        if data.get("current") and data.get("password") and data["current"] == data["password"]:
            self.add_error("password", "Choisissez un mot de passe différent de l'actuel.")
        return data


class ConfirmWithPasswordForm(GuichetForm):
    current = _current_password_field()
