"""No input crashes the import: any bytes, any JSON, any mutation of a good record gives a report."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.payments.feeds import FEEDS
from guichet.payments.feeds.base import Report, decode, read_lines

GOOD = {
    "external_id": "P-1", "member_nir": "2950978361042", "beneficiary_nir": "2950978361042",
    "kind": "third_party", "paid_on": "2026-11-14", "payee": "professional", "payee_name": "PHARMACIE",
    "reimbursed": "12.62", "deducted": "0.00", "amount": "12.62",
    "lines": [{"care_date": "2026-11-10", "category": "pharmacy", "act_code": "PH7", "act_label": "Médicaments",
               "quantity": 2, "amount_spent": "19.42", "base": "19.42", "rate": "65", "reimbursed": "12.62",
               "copayments": [{"external_id": "C-1", "kind": "deductible_medicine", "nominal": "2.00",
                               "amount": "2.00", "settlement": "deferred"}]}],
}  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mutate(changes) -> dict:
    """GOOD with each (path, key, value) set; a path that a previous change broke is skipped."""
    record = copy.deepcopy(GOOD)
    for path, key, value in changes:
        target = record
        try:
            for part in filter(None, path.split(".")):
                target = target[int(part)] if part.isdigit() else target[part]
            target[key or "amount"] = value
        except (TypeError, KeyError, IndexError):
            continue
    return record


def check_without_database(feed: str, raw: bytes) -> Report:
    """Parse, validate and apply the record's own rules: what runs before any query."""
    report = Report(feed=feed)
    for number, line in read_lines([raw]):
        record = decode(feed, number, line, report)
        if record is not None:
            try:
                FEEDS[feed]().check(record)
            except Exception as error:  # only RecordError is allowed out of check()
                from guichet.payments.feeds.base import RecordError

                assert isinstance(error, RecordError), error
    return report


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(sorted(FEEDS)))
def test_any_bytes_are_reported_not_crashed_on(raw, feed):
    check_without_database(feed, raw)


@FUZZ
@given(JSON, st.sampled_from(sorted(FEEDS)))
def test_any_json_value_is_reported_not_crashed_on(value, feed):
    report = check_without_database(feed, json.dumps(value).encode())
    assert report.error_count >= 1 or isinstance(value, dict)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["", "lines.0", "lines.0.copayments.0"]), st.text(max_size=15), JSON),
                min_size=1, max_size=4))  # fmt: skip
def test_any_field_of_a_good_payment_set_to_anything_is_reported_not_crashed_on(changes):
    record = mutate(changes)
    check_without_database("payments", json.dumps(record).encode())


def test_the_good_record_is_accepted_by_the_record_rules():
    assert check_without_database("payments", json.dumps(GOOD).encode()).error_count == 0


@pytest.fixture
def member():
    from guichet.insured.tests.factories import InsuredPersonFactory

    return InsuredPersonFactory(nir="2950978361042", nir_key="65")


@pytest.mark.django_db
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.tuples(st.sampled_from(["", "lines.0", "lines.0.copayments.0"]),
                          st.sampled_from(sorted(GOOD) + sorted(GOOD["lines"][0]) + ["nominal", "settlement"]),
                          JSON | st.sampled_from(["100.99", "0.00", "99999999.99", "2026-02-30", "2026-12-31",
                                                  "care", "member", "deducted", "capped", "C-1", "P-1"])),
                min_size=1, max_size=3))  # fmt: skip
def test_any_change_to_a_good_payment_is_imported_or_reported_never_crashed_on(member, changes):
    from guichet.core.actors import SYSTEM
    from guichet.payments import services

    record = mutate(changes)
    report = services.import_feed(
        feed="payments", stream=[json.dumps(record).encode()], source="fuzz", actor=SYSTEM
    )
    assert report.applied or report.errors
