"""The liquidation rules: dated amounts, caps, exemptions, tiers payant and recovery across the
family — on the simulator, with the parameter values shipped with Guichet."""

import datetime as dt
import itertools
import random
from decimal import Decimal

import pytest

from guichet.payments.enums import CareCategory, PaymentKind
from guichet.payments.parameters import DEFAULTS, MissingParameter, ParameterTable
from guichet.payments.simulator import BY_ACT, FamilyFacts, PersonFacts, Simulator, base_for

ADULT = PersonFacts(nir="1830275056123", birth_date=dt.date(1983, 2, 25), first_name="Pierre")
CHILD = PersonFacts(nir="1080801053045", birth_date=dt.date(2015, 8, 29), first_name="Batiste")
D = Decimal


@pytest.fixture
def simulator():
    return Simulator(ParameterTable.defaults(), random.Random(1))


def gp(simulator, person, day, *, third_party=False):
    care = simulator.care(person, CareCategory.GP, day, third_party=third_party)
    care.paid_on = day + dt.timedelta(days=5)
    return care


def copayments(records):
    return [c for r in records for line in r["lines"] for c in line.get("copayments", [])]


def test_flat_fee_is_1_euro_until_14_may_2024_then_2_euros():
    table = ParameterTable.defaults()
    assert table.at("flat_fee.amount", dt.date(2024, 5, 14)) == D("1.00")
    assert table.at("flat_fee.amount", dt.date(2024, 5, 15)) == D("2.00")


def test_franchises_doubled_on_31_march_2024():
    table = ParameterTable.defaults()
    assert table.at("deductible_medicine.amount", dt.date(2024, 3, 30)) == D("0.50")
    assert table.at("deductible_medicine.amount", dt.date(2024, 3, 31)) == D("1.00")
    assert table.at("deductible_transport.amount", dt.date(2024, 3, 31)) == D("4.00")
    assert table.at("deductible_transport.daily_cap", dt.date(2024, 3, 31)) == D("8.00")


def test_a_day_outside_every_period_is_an_error_not_a_guess():
    with pytest.raises(MissingParameter):
        ParameterTable.defaults().at("flat_fee.amount", dt.date(1999, 1, 1))
    with pytest.raises(MissingParameter):
        ParameterTable.defaults().at("no.such.rule", dt.date(2025, 1, 1))


@pytest.mark.django_db
def test_a_funds_rows_for_a_rule_replace_the_shipped_ones():
    from guichet.payments.models import Parameter

    assert ParameterTable.load().at("tariff.gp", dt.date(2027, 1, 2)) == D("30.00")
    Parameter.objects.filter(name="tariff.gp").delete()
    Parameter.objects.create(name="tariff.gp", valid_from=dt.date(2020, 1, 1), value=D("35.00"))

    table = ParameterTable.load()

    assert table.at("tariff.gp", dt.date(2027, 1, 2)) == D("35.00")
    assert table.at("flat_fee.amount", dt.date(2027, 1, 2)) == D("2.00")


def test_the_shipped_periods_of_a_rule_never_overlap():
    periods = {}
    for name, start, end, *_ in DEFAULTS:
        periods.setdefault(name, []).append((start, end))
    for name, spans in periods.items():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end is not None and end < start, name


def test_a_gp_visit_is_reimbursed_70_percent_of_the_tariff_of_its_day(simulator):
    before = gp(simulator, ADULT, dt.date(2024, 12, 20))
    after = gp(simulator, ADULT, dt.date(2024, 12, 23))
    assert (before.base, before.reimbursed) == (D("26.50"), D("18.55"))
    assert (after.base, after.reimbursed) == (D("30.00"), D("21.00"))


def test_flat_fee_is_deducted_from_a_reimbursement_to_the_member(simulator):
    [record] = simulator.liquidate(
        FamilyFacts(member=ADULT), [gp(simulator, ADULT, dt.date(2025, 3, 3))]
    )
    assert record["kind"] == PaymentKind.CARE
    assert (record["reimbursed"], record["deducted"], record["amount"]) == (
        "21.00",
        "2.00",
        "19.00",
    )
    assert copayments([record])[0]["settlement"] == "deducted"


def test_flat_fees_stop_at_4_euros_a_day(simulator):
    day = dt.date(2025, 3, 3)
    records = simulator.liquidate(
        FamilyFacts(member=ADULT), [gp(simulator, ADULT, day) for _ in range(3)]
    )
    assert [c["amount"] for c in copayments(records)] == ["2.00", "2.00", "0.00"]
    assert copayments(records)[2]["settlement"] == "capped"


def test_flat_fees_stop_at_50_euros_a_year_then_start_again_in_january(simulator):
    days = [dt.date(2025, 1, 6) + dt.timedelta(days=7 * week) for week in range(30)]
    days.append(dt.date(2026, 1, 5))
    records = simulator.liquidate(
        FamilyFacts(member=ADULT), [gp(simulator, ADULT, day) for day in days]
    )
    by_day = {c["external_id"]: c for c in copayments(records)}
    amounts_2025 = [D(c["amount"]) for key, c in sorted(by_day.items()) if "-C25" in key]
    amounts_2026 = [D(c["amount"]) for key, c in by_day.items() if "-C26" in key]
    assert sum(amounts_2025) == D("50.00")
    assert amounts_2025.count(D("0.00")) == 5
    assert amounts_2026 == [D("2.00")]


def test_medicine_franchises_have_no_daily_cap_but_paramedical_ones_do(simulator):
    day = dt.date(2025, 6, 2)
    boxes = simulator.care(ADULT, CareCategory.PHARMACY, day, third_party=False)
    boxes.copayment_units = 6
    nurse = [
        simulator.care(ADULT, CareCategory.PARAMEDICAL, day, third_party=True) for _ in range(3)
    ]
    for care in nurse:
        care.copayment_units = 2
    records = simulator.liquidate(FamilyFacts(member=ADULT), [boxes, *nurse])
    kinds = {}
    for c in copayments(records):
        kinds.setdefault(c["kind"], []).append(D(c["amount"]))
    assert kinds["deductible_medicine"] == [D("6.00")]
    assert sum(kinds["deductible_paramedical"]) == D("4.00")  # 3 × 2 acts, capped at 4 € that day


def test_children_under_18_pay_no_flat_fee_nor_franchise(simulator):
    family = FamilyFacts(member=ADULT, dependants=[CHILD])
    records = simulator.liquidate(family, [gp(simulator, CHILD, dt.date(2025, 3, 3))])
    assert copayments(records) == []
    assert records[0]["amount"] == "21.00"


def test_a_child_pays_from_the_day_of_their_18th_birthday(simulator):
    teen = PersonFacts(nir="1080801053045", birth_date=dt.date(2007, 8, 29))
    family = FamilyFacts(member=ADULT, dependants=[teen])
    cares = [gp(simulator, teen, dt.date(2025, 8, 28)), gp(simulator, teen, dt.date(2025, 8, 29))]
    assert [c["amount"] for c in copayments(simulator.liquidate(family, cares))] == ["2.00"]


def test_css_and_ame_beneficiaries_and_pregnant_women_are_exempt(simulator):
    css = PersonFacts(nir="2900131555012", birth_date=dt.date(1990, 1, 31), always_exempt=True)
    pregnant = PersonFacts(
        nir="2900131555013", birth_date=dt.date(1990, 1, 31),
        exemptions=[(dt.date(2025, 5, 1), dt.date(2025, 8, 12))],
    )  # fmt: skip
    for person, day, expected in [(css, dt.date(2025, 6, 2), 0), (pregnant, dt.date(2025, 6, 2), 0),
                                  (pregnant, dt.date(2025, 9, 1), 1)]:  # fmt: skip
        records = simulator.liquidate(FamilyFacts(member=person), [gp(simulator, person, day)])
        assert len(copayments(records)) == expected


def test_under_tiers_payant_the_franchise_is_deferred_then_recovered_from_a_dependants_care(
    simulator,
):
    adult_19 = PersonFacts(nir="2050501053030", birth_date=dt.date(2005, 5, 1))
    family = FamilyFacts(member=ADULT, dependants=[adult_19])
    pharmacy = simulator.care(ADULT, CareCategory.PHARMACY, dt.date(2025, 3, 3), third_party=True)
    pharmacy.paid_on = dt.date(2025, 3, 5)
    later = gp(simulator, adult_19, dt.date(2025, 3, 10))
    first, second = simulator.liquidate(family, [pharmacy, later])
    franchise = first["lines"][0]["copayments"][0]
    assert first["kind"] == PaymentKind.THIRD_PARTY and first["deducted"] == "0.00"
    assert franchise["settlement"] == "deferred"
    assert second["beneficiary_nir"] == adult_19.nir
    assert second["recoveries"] == [franchise["external_id"]]
    assert D(second["deducted"]) == D("2.00") + D(franchise["amount"])
    assert D(second["amount"]) == D(second["reimbursed"]) - D(second["deducted"])


def test_a_recovery_never_makes_a_payment_negative(simulator):
    transport = simulator.care(ADULT, CareCategory.TRANSPORT, dt.date(2025, 3, 3), third_party=True)
    transport.paid_on = dt.date(2025, 3, 4)
    small = simulator.care(ADULT, CareCategory.PHARMACY, dt.date(2025, 3, 10), third_party=False)
    small.base = small.amount_spent = D("2.00")
    small.copayment_kind = None
    records = simulator.liquidate(FamilyFacts(member=ADULT), [transport, small])
    assert records[1].get("recoveries") is None  # 1,30 € cannot absorb a 4 € franchise
    assert all(D(r["amount"]) >= 0 for r in records)


def test_base_for_finds_the_base_of_an_exact_reimbursement():
    for amount, rate in [("12.62", 65), ("31.64", 60), ("47.96", 70), ("3.00", 60), ("18.50", 70)]:
        base = base_for(D(amount), D(rate))
        assert (base * rate / 100).quantize(D("0.01")) == D(amount)


def test_random_history_is_reproducible_and_plausible():
    family = FamilyFacts(member=ADULT, dependants=[CHILD])
    runs = [
        Simulator(ParameterTable.defaults(), random.Random(5)).random_cares(
            family, dt.date(2025, 1, 1), dt.date(2025, 12, 31)
        )
        for _ in range(2)
    ]
    assert [(c.care_date, c.base) for c in runs[0]] == [(c.care_date, c.base) for c in runs[1]]
    assert 15 <= len(runs[0]) <= 60


@pytest.mark.django_db
def test_nursing_is_billed_by_the_nurse_and_physiotherapy_by_the_physiotherapist():
    simulator = Simulator(ParameterTable.load(), random.Random(7))
    person = PersonFacts(nir="1800101001001", birth_date=dt.date(1980, 1, 1), first_name="A")
    seen = set()
    for offset in range(60):
        care = simulator.care(
            person, CareCategory.PARAMEDICAL, dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        )
        assert care.professional_name == BY_ACT[care.act_code]
        seen.add(care.act_code)
    assert seen == {"AMI", "AMK"}


def test_the_simulator_recovers_first_what_an_earlier_history_left_deferred(simulator):
    family = FamilyFacts(member=ADULT, carried_over=[("EARLIER-C1", D("4.00"))])
    [record] = simulator.liquidate(family, [gp(simulator, ADULT, dt.date(2025, 3, 10))])
    assert record["recoveries"] == ["EARLIER-C1"]
    assert D(record["deducted"]) == D("2.00") + D("4.00")
    assert family.carried_over == [("EARLIER-C1", D("4.00"))]  # the family's facts are not eaten
