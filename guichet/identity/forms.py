"""Forms of the identity screens: every user error is a French message next to its field."""

import unicodedata

from django import forms

from guichet.core import nir as nir_rules
from guichet.core.digits import is_digits
from guichet.core.forms import FrenchDateField, GuichetForm
from guichet.identity import codes

NIR_HELP = "Les 13 premiers caractères, sans la clé : ils figurent sur votre carte Vitale."


class NirField(forms.CharField):
    """The 13 characters of a NIR, spaces tolerated; cleans to the bare 13 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "username", "inputmode": "text", "spellcheck": "false"}
        )

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return nir_rules.parse(value)
        except nir_rules.InvalidNir as error:
            raise forms.ValidationError(str(error), code="invalid_nir") from None


class CodeField(forms.CharField):
    def __init__(self, *, autocomplete: str = "current-password", **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("strip", False)
        super().__init__(widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs)


class LoginForm(GuichetForm):
    nir = NirField(label="Mon numéro de sécurité sociale", help_text=NIR_HELP)
    code = CodeField(
        label="Mon code personnel",
        help_text="Ou le code provisoire à 4 chiffres reçu par e-mail.",
    )


class EmailCodeForm(GuichetForm):
    code = forms.CharField(
        label="Code de sécurité reçu par e-mail",
        help_text="6 chiffres.",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (is_digits(code) and len(code) == 6):
            raise forms.ValidationError("Le code de sécurité comporte 6 chiffres.")
        return code


class NewCodeForm(GuichetForm):
    """Choosing a personal code: the rules are shown, each broken rule is named."""

    new_code = CodeField(label="Mon nouveau code personnel", autocomplete="new-password")
    new_code_confirm = CodeField(
        label="Confirmation du nouveau code personnel", autocomplete="new-password"
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["new_code"].help_text = (
            "Votre code doit contenir : " + " ; ".join(codes.PERSONAL_CODE_RULES) + "."
        )

    def clean_new_code(self):
        code = self.cleaned_data["new_code"]
        birth = self.person.birth_date.strftime("%d%m%Y") if self.person else ""
        problems = codes.personal_code_problems(
            code, birth_date_digits=birth, nir=self.person.nir if self.person else ""
        )
        if problems:
            raise forms.ValidationError(problems)
        return code

    def clean(self):
        data = super().clean()
        if (
            data.get("new_code")
            and data.get("new_code_confirm") is not None
            and data["new_code"] != data["new_code_confirm"]
        ):
            self.add_error("new_code_confirm", "Les deux codes saisis ne sont pas identiques.")
        return data


class ChangeCodeForm(NewCodeForm):
    current_code = CodeField(label="Mon code personnel actuel")
    field_order = ["current_code", "new_code", "new_code_confirm"]


class ForgotCodeForm(GuichetForm):
    nir = NirField(label="Mon numéro de sécurité sociale", help_text=NIR_HELP)
    birth_date = FrenchDateField(label="Ma date de naissance")


def _comparable_name(value: str) -> str:
    """'Zovi', 'ZOVI ', 'Zôvi' all compare equal; hyphens, quotes and spaces do not count."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().upper()
    return "".join(c for c in text if c.isalpha())


class SignupIdentityForm(GuichetForm):
    mark_required = True
    last_name = forms.CharField(
        label="Mon nom",
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    nir = NirField(label="Mon n° de sécurité sociale", help_text=NIR_HELP)
    birth_date = FrenchDateField(label="Ma date de naissance")
    postal_code = forms.CharField(
        label="Mon code postal",
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if not (is_digits(code) and len(code) == 5):
            raise forms.ValidationError("Le code postal comporte 5 chiffres, par exemple 01500.")
        return code

    def matches(self, person) -> bool:
        """Does what was typed describe this person of the registry?"""
        data = self.cleaned_data
        names = {_comparable_name(person.birth_name), _comparable_name(person.usage_name)} - {""}
        return (
            _comparable_name(data["last_name"]) in names
            and person.birth_date == data["birth_date"]
            and person.postal_code == data["postal_code"]
        )


class SignupIbanForm(GuichetForm):
    mark_required = True
    iban_suffix = forms.CharField(
        label="Les 7 derniers caractères de mon IBAN",
        help_text="Ils terminent l'IBAN de votre relevé d'identité bancaire (RIB), "
        "celui du compte sur lequel l'Assurance Maladie vous rembourse. Exemple : 7890189.",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_iban_suffix(self):
        value = "".join(self.cleaned_data["iban_suffix"].split()).upper()
        if len(value) != 7 or not value.isalnum():
            raise forms.ValidationError(
                "Saisissez exactement les 7 derniers caractères de votre IBAN (lettres ou chiffres)."
            )
        return value


class EmailForm(GuichetForm):
    mark_required = True
    email = forms.EmailField(
        label="Mon adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        },
    )
    email_confirm = forms.EmailField(
        label="Confirmation de l'adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        },
    )

    def clean(self):
        data = super().clean()
        email, confirm = data.get("email"), data.get("email_confirm")
        if email and confirm and email.strip().lower() != confirm.strip().lower():
            self.add_error(
                "email_confirm", "Les deux adresses e-mail saisies ne sont pas identiques."
            )
        return data


class NewEmailForm(EmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Ma nouvelle adresse e-mail"
        self.fields["email_confirm"].label = "Confirmation de la nouvelle adresse e-mail"


class CloseAccountForm(GuichetForm):
    code = CodeField(label="Mon code personnel")
    confirm = forms.BooleanField(
        label="Je comprends que mon compte sera fermé et que je ne pourrai plus m'y connecter.",
        error_messages={"required": "Cochez la case pour confirmer la fermeture de votre compte."},
    )


class FranceConnectSignupForm(EmailForm):
    """What FranceConnect did not give: the e-mail to use (proposed from FranceConnect's) and,
    if the member wishes, a personal code for logging in with the NIR too."""

    new_code = CodeField(
        label="Mon code personnel (facultatif)", autocomplete="new-password", required=False
    )
    new_code_confirm = CodeField(
        label="Confirmation du code personnel", autocomplete="new-password", required=False
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["new_code"].help_text = (
            "Pour vous connecter aussi avec votre numéro de sécurité sociale, sans FranceConnect. "
            "Votre code doit contenir : " + " ; ".join(codes.PERSONAL_CODE_RULES) + "."
        )
        self.fields["new_code_confirm"].help_text = "Seulement si vous choisissez un code."

    def clean_new_code(self):
        code = self.cleaned_data["new_code"]
        if not code:
            return ""
        problems = codes.personal_code_problems(
            code,
            birth_date_digits=self.person.birth_date.strftime("%d%m%Y") if self.person else "",
            nir=self.person.nir if self.person else "",
        )
        if problems:
            raise forms.ValidationError(problems)
        return code

    def clean(self):
        data = super().clean()
        code, confirm = data.get("new_code"), data.get("new_code_confirm") or ""
        if code and code != confirm:
            self.add_error("new_code_confirm", "Les deux codes saisis ne sont pas identiques.")
        elif not code and confirm and "new_code" not in self.errors:
            self.add_error(
                "new_code", "Saisissez le code choisi ici aussi, ou effacez sa confirmation."
            )
        return data
