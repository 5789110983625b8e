from django import forms

from guichet.core.forms import GuichetForm
from guichet.insured import phones


class PhonesForm(GuichetForm):
    mobile_phone = forms.CharField(
        label="Téléphone portable",
        required=False,
        max_length=25,
        help_text="Par exemple 06 12 34 56 78. Laissez vide pour le retirer.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    landline_phone = forms.CharField(
        label="Téléphone fixe",
        required=False,
        max_length=25,
        help_text="Par exemple 01 23 45 67 89. Laissez vide pour le retirer.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )

    def _clean_phone(self, name: str, *, mobile: bool) -> str:
        raw = self.cleaned_data[name].strip()
        if not raw:
            return ""
        try:
            return phones.parse(raw, mobile=mobile)
        except phones.InvalidPhone as error:
            raise forms.ValidationError(str(error)) from None

    def clean_mobile_phone(self) -> str:
        return self._clean_phone("mobile_phone", mobile=True)

    def clean_landline_phone(self) -> str:
        return self._clean_phone("landline_phone", mobile=False)


class ContactPermissionsForm(GuichetForm):
    by_email = forms.BooleanField(
        label="J'accepte de recevoir des informations par e-mail", required=False
    )
    by_sms = forms.BooleanField(
        label="J'accepte de recevoir des informations par SMS", required=False
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_by_sms(self) -> bool:
        if self.cleaned_data["by_sms"] and not self.person.mobile_phone:
            raise forms.ValidationError(
                "Ajoutez d'abord un numéro de téléphone portable pour recevoir des SMS."
            )
        return self.cleaned_data["by_sms"]
