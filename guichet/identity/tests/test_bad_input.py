"""No input, however strange, gets a 500: every form answers with its French errors."""

import pytest
from django.urls import reverse

from guichet.identity.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "😀" * 30,
    "1 74 11 71 270 102 58 99",
    "٣٤٥٦",
    "\u202e0102",
    "%00%ff",
    "31/02/2020",
    "00/00/0000",
    "99/99/9999",
    "01/01/0001",
]

PUBLIC_FORMS = {
    "identity:login": ["nir", "code"],
    "identity:forgot_code": ["nir", "birth_date"],
    "identity:signup": ["last_name", "nir", "birth_date", "postal_code"],
}
MEMBER_FORMS = {
    "identity:change_code": ["current_code", "new_code", "new_code_confirm"],
    "identity:change_email": ["email", "email_confirm"],
    "identity:close_account": ["code", "confirm"],
    "insured:phones": ["mobile_phone", "landline_phone"],
    "insured:contact_permissions": ["by_email", "by_sms"],
}


def _post_everything(client, forms):
    for name, fields in forms.items():
        for value in NASTY:
            response = client.post(reverse(name), dict.fromkeys(fields, value))
            assert response.status_code in (200, 302), (name, value, response.status_code)
            if response.status_code == 200 and value.strip("\x00 "):
                assert (
                    "field__error" in response.content.decode()
                    or "alert" in response.content.decode()
                ), (name, value)


def test_public_forms_never_fail_on_strange_input(client):
    _post_everything(client, PUBLIC_FORMS)


def test_member_forms_never_fail_on_strange_input(client):
    client.force_login(AccountFactory())
    _post_everything(client, MEMBER_FORMS)


def test_strange_urls_give_404_not_500(client):
    client.force_login(AccountFactory())
    for path in [
        "/mes-informations/personne/99999999999999999999999/",
        "/mes-informations/personne/-1/",
        "/nulle-part/",
    ]:
        assert client.get(path).status_code == 404
