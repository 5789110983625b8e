import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from guichet.core.templatetags import guichet as filters

UTC = dt.UTC
NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_filters_are_builtins_of_every_template():
    text = render(
        "{{ amount|euros }} le {{ day|date_fr }} ({{ day|day_month_short }})",
        amount=Decimal("1120"),
        day=dt.date(2024, 11, 14),
    )

    assert text == f"1{NBSP}120,00{NBSP}€ le 14/11/2024 (14 NOV.)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("1120"), f"1{NBSP}120,00{NBSP}€"), (Decimal("-3.5"), f"-3,50{NBSP}€"), (None, "")],
)
def test_euros(value, expected):
    assert filters.euros(value) == expected


def test_euros_of_a_missing_variable_renders_nothing_instead_of_failing():
    assert render("[{{ missing|euros }}]") == "[]"


def test_date_fr_of_a_date():
    assert filters.date_fr(dt.date(2024, 11, 5)) == "05/11/2024"


def test_date_and_time_fr_are_in_paris_time_in_winter():
    moment = dt.datetime(2024, 11, 5, 15, 17, tzinfo=UTC)  # CET, UTC+1

    assert (filters.date_fr(moment), filters.time_fr(moment)) == ("05/11/2024", "16:17")


def test_date_and_time_fr_are_in_paris_time_in_summer_across_midnight():
    moment = dt.datetime(2024, 7, 1, 22, 30, tzinfo=UTC)  # CEST, UTC+2

    assert (filters.date_fr(moment), filters.time_fr(moment)) == ("02/07/2024", "00:30")


@pytest.mark.parametrize("name", ["date_fr", "time_fr", "day_month_short", "date_long"])
def test_date_filters_render_nothing_for_none(name):
    assert getattr(filters, name)(None) == ""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 11, 14), "14 NOV."),
        (dt.date(2024, 2, 3), "03 FÉVR."),
        (dt.date(2024, 8, 15), "15 AOÛT"),
        (dt.date(2024, 12, 1), "01 DÉC."),
        (dt.date(2024, 5, 31), "31 MAI"),
    ],
)
def test_day_month_short(day, expected):
    assert filters.day_month_short(day) == expected


def test_day_month_short_of_a_moment_is_the_paris_day():
    late_evening_utc = dt.datetime(2024, 11, 13, 23, 30, tzinfo=UTC)  # 14 Nov, 00:30 in Paris

    assert filters.day_month_short(late_evening_utc) == "14 NOV."


def test_date_long_writes_the_month_in_words_in_paris_time():
    assert filters.date_long(dt.date(1974, 11, 22)) == "22 novembre 1974"
    assert filters.date_long(dt.datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == "1 janvier 2025"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("renaldo.zovi@example.org", "r•••@example.org"),
        ("a@b.fr", "a•••@b.fr"),
        ("", ""),
        (None, ""),
        ("pas-une-adresse", "pas-une-adresse"),
        ("@example.org", "•••@example.org"),
    ],
)
def test_mask_email_keeps_the_first_letter_and_the_domain(value, expected):
    assert filters.mask_email(value) == expected


def test_nir_display_groups_like_the_vitale_card():
    assert filters.nir_display("1741171270102", "58") == "1 74 11 71 270 102 58"
    assert filters.nir_display("") == ""
