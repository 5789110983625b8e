"""FranceConnect's official button: the DSFR's standalone stylesheet, vendored unchanged (ADR 0033)."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from guichet.core.tests.pages import page_html

STYLESHEET = "identity/franceconnect/connect.standalone.css"
VENDORED = Path(__file__).resolve().parents[1] / "static" / STYLESHEET
# @gouvfr/dsfr 1.15.3, standalone/component/connect/connect.standalone.css, as published on npm
# (tarball integrity sha512-R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ==).
DSFR_VERSION = "1.15.3"
SHA256 = "30a2df8392c219e9d344febfc398ead3aba2dd7bcfa7ccf6f39fe1838cd1c256"


def test_the_stylesheet_is_the_published_one_byte_for_byte_with_its_licence():
    content = VENDORED.read_bytes()
    assert hashlib.sha256(content).hexdigest() == SHA256
    assert content.startswith(
        f"/*!\n * DSFR v{DSFR_VERSION} | SPDX-License-Identifier: Etalab-2.0 | "
        "License-Filename: LICENSE.md | restricted use (see terms and conditions)".encode()
    )
    assert (VENDORED.parent / "LICENSE.md").read_text().count("LICENCE OUVERTE 2.0") == 1
    assert finders.find(STYLESHEET) == str(VENDORED)  # collectstatic and runserver serve it


@pytest.mark.django_db
def test_the_pages_with_the_button_load_its_stylesheet_and_allow_its_embedded_font(client):
    for name in ("identity:login", "identity:signup"):
        response = client.get(reverse(name))
        assert page_html(response).count(f'href="/static/{STYLESHEET}"') == 1
        font_src = next(
            d for d in response["Content-Security-Policy"].split("; ") if d.startswith("font-src")
        )
        assert font_src == "font-src 'self' data:"  # the button's font is a data: URI
    assert STYLESHEET not in page_html(client.get(reverse("identity:nir_help")))
