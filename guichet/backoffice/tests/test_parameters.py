"""The payments' dated parameter tables in the back office's reference data: a superviseur adds a
dated value, checked, journaled, and the liquidation applies it from its first day."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments.enums import CareCategory
from guichet.payments.models import Parameter
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import Simulator
from guichet.payments.tests.factories import facts, family_of

pytestmark = pytest.mark.django_db
TABLE = "parametres-paiements"
ADD = reverse("backoffice:referential_add", args=[TABLE])


def new_flat_fee(**overrides) -> dict:
    return {"name": "flat_fee.amount", "valid_from": "01/01/2027", "valid_to": "",
            "value": "3,00", "label": "", "source": "Décret de test", **overrides}  # fmt: skip


def test_a_new_value_ends_the_one_in_force_and_the_liquidation_applies_it(client, supervisor):
    client.force_login(supervisor)
    listing = text(client.get(reverse("backoffice:referential", args=[TABLE])))
    assert "Participation forfaitaire par acte" in listing and "Ajouter une valeur datée" in listing

    response = client.post(ADD, new_flat_fee())

    assert response.status_code == 302
    rows = list(Parameter.objects.filter(name="flat_fee.amount").order_by("valid_from"))
    assert [(r.valid_to, r.value) for r in rows[-2:]] == [
        (dt.date(2026, 12, 31), Decimal("2.00")),
        (None, Decimal("3.00")),
    ]
    assert rows[-1].label == "Participation forfaitaire par acte"
    events = AuditEvent.objects.filter(action__startswith="reference.parameter.")
    assert {e.action for e in events} == {
        "reference.parameter.added",
        "reference.parameter.changed",
    }
    assert all(e.actor_id == str(supervisor.pk) for e in events)
    history = text(client.get(reverse("backoffice:referential_history", args=[TABLE, rows[-2].pk])))
    assert "31/12/2026" in history

    holder = InsuredPersonFactory(birth_date=dt.date(1980, 1, 1))
    simulator = Simulator(ParameterTable.load(), random.Random(1))
    before, after = (
        simulator.care(facts(holder), CareCategory.GP, day, third_party=False)
        for day in (dt.date(2026, 12, 15), dt.date(2027, 1, 15))
    )
    for care, nominal in ((before, "2.00"), (after, "3.00")):
        care.paid_on = care.care_date + dt.timedelta(days=3)
        (record,) = simulator.liquidate(family_of(holder), [care])
        assert record["lines"][0]["copayments"][0]["nominal"] == nominal


@pytest.mark.parametrize(
    ("fields", "field_error"),
    [
        ({"valid_from": "15/05/2024", "valid_to": "31/12/2024"}, "chevauche celle du 15/05/2024 sans date de fin"),
        ({"valid_from": "01/01/2027", "valid_to": "31/12/2026"}, "La fin de la période doit être après son début."),
        ({"value": "-1"}, "Une valeur ne peut pas être négative."),
        ({"value": "deux euros"}, "Saisissez un nombre, par exemple 2,50."),
        ({"valid_from": "32/01/2027"}, "Saisissez une date au format JJ/MM/AAAA"),
        ({"name": "nope"}, "Choisissez un paramètre de la liste."),
        ({"name": ""}, "Choisissez un paramètre de la liste."),
    ],
)  # fmt: skip
def test_a_bad_value_is_refused_with_a_french_message_and_what_was_typed_kept(
    client, supervisor, fields, field_error
):
    client.force_login(supervisor)
    before = Parameter.objects.count()

    response = client.post(ADD, new_flat_fee(**fields))

    assert response.status_code == 200
    page = text(response)
    assert field_error in page and "Décret de test" in page
    assert Parameter.objects.count() == before
    assert not AuditEvent.objects.filter(action__startswith="reference.parameter.").exists()


def test_a_row_is_corrected_with_the_same_checks(client, supervisor):
    client.force_login(supervisor)
    row = Parameter.objects.get(name="flat_fee.amount", valid_to=None)
    url = reverse("backoffice:referential_edit", args=[TABLE, row.pk])
    assert "2,00" in text(client.get(url)) or "2.00" in text(client.get(url))

    refused = client.post(url, {"value": "-2", "valid_to": "", "label": row.label, "source": ""})
    assert "Une valeur ne peut pas être négative." in text(refused)

    done = client.post(url, {"value": "2,5", "valid_to": "", "label": row.label, "source": "x"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.value == Decimal("2.5")
    event = AuditEvent.objects.get(action="reference.parameter.changed")
    assert event.details["changes"]["value"] == ["2", "2,5"]


def test_only_tables_with_dated_rows_take_new_rows(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("backoffice:referential_add", args=["caisses"])).status_code == 404


def test_the_shipped_rows_come_back_for_the_rules_that_have_none():
    from guichet.payments.services import ensure_shipped_parameters

    Parameter.objects.filter(name="flat_fee.amount").delete()
    Parameter.objects.filter(name="tariff.gp").update(value=Decimal("35.00"))

    assert ensure_shipped_parameters() == 2  # the PF's two periods
    assert ensure_shipped_parameters() == 0
    assert Parameter.objects.get(name="flat_fee.amount", valid_to=None).value == Decimal("2.00")
    assert set(Parameter.objects.filter(name="tariff.gp").values_list("value", flat=True)) == {
        Decimal("35.00")
    }
