"""The import feeds: whole files or nothing, idempotent on external ids, a line-by-line report."""

import datetime as dt
import gc
import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments import feeds, services
from guichet.payments.enums import CopaymentStatus, ImportStatus, WorkAccidentStatus
from guichet.payments.feeds.base import ahead, decode
from guichet.payments.models import (
    Copayment,
    ImportBatch,
    Payment,
    PaymentLine,
    SickLeave,
    WorkAccident,
)
from guichet.payments.tests.factories import gp_and_pharmacy, history, jsonl, lines_of

pytestmark = pytest.mark.django_db


def run(content: bytes, feed: str = "payments"):
    return services.import_feed(feed=feed, stream=lines_of(content), source="test", actor=SYSTEM)


@pytest.fixture
def holder():
    return InsuredPersonFactory(with_dependents=2)


def counts():
    return (Payment.objects.count(), PaymentLine.objects.count(), Copayment.objects.count())


def test_a_valid_file_is_applied_with_its_lines_and_copayments(holder):
    records = history(holder, start=dt.date(2025, 9, 1), end=dt.date(2026, 10, 31))

    report = run(jsonl(records))

    assert report.applied and report.created == len(records) == report.lines
    assert Payment.objects.filter(member=holder).count() == len(records)
    assert PaymentLine.objects.count() == sum(len(r["lines"]) for r in records)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.status, batch.created_count) == (ImportStatus.APPLIED, len(records))
    assert AuditEvent.objects.filter(
        action="payments.feed_applied", target_id=str(batch.pk)
    ).exists()


def test_importing_the_same_file_twice_changes_nothing(holder):
    content = jsonl(history(holder, start=dt.date(2025, 9, 1), end=dt.date(2026, 10, 31)))
    first = run(content)
    before = counts(), list(Copayment.objects.order_by("pk").values_list("status", "settled_by_id"))

    second = run(content)

    assert second.applied and second.created == 0 and second.unchanged == first.created
    assert (
        counts(),
        list(Copayment.objects.order_by("pk").values_list("status", "settled_by_id")),
    ) == before


def test_a_deferred_franchise_is_recovered_by_the_later_payment_that_names_it(holder):
    pharmacy, gp = gp_and_pharmacy(holder)

    run(jsonl([pharmacy, gp]))

    franchise = Copayment.objects.get(
        external_id=pharmacy["lines"][0]["copayments"][0]["external_id"]
    )
    assert franchise.status == CopaymentStatus.RECOVERED
    assert franchise.settled_by.external_id == gp["external_id"]
    assert franchise.settled_on == dt.date.fromisoformat(gp["paid_on"])


def test_a_recovery_may_come_in_a_later_file(holder):
    pharmacy, gp = gp_and_pharmacy(holder)
    run(jsonl([pharmacy]))
    assert Copayment.objects.get().status == CopaymentStatus.DEFERRED

    assert run(jsonl([gp])).applied
    assert (
        Copayment.objects.get(line__payment__external_id=pharmacy["external_id"]).status
        == "recovered"
    )


def test_a_recovery_in_a_later_chunk_of_the_same_file_is_written_recovered(holder, monkeypatch):
    monkeypatch.setattr(feeds, "CHUNK", 1)  # each line its own chunk: the recovery comes later
    pharmacy, gp = gp_and_pharmacy(holder)

    assert run(jsonl([pharmacy, gp])).applied

    franchise = Copayment.objects.get(
        external_id=pharmacy["lines"][0]["copayments"][0]["external_id"]
    )
    assert (franchise.status, franchise.settled_by.external_id) == (
        CopaymentStatus.RECOVERED,
        gp["external_id"],
    )


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_every_copayment_ends_as_the_file_says_whatever_the_chunks(holder, monkeypatch, chunk):
    """Deferred copayments are written a few chunks after their own (PENDING_CHUNKS), so that
    the end of the file has little left to write; one recovered later still ends recovered."""
    monkeypatch.setattr(feeds, "CHUNK", chunk)
    # The holder is random (factory_boy): the first of a few simulated histories that recovers
    # a franchise several payments after it (the case under test).
    for seed in range(1, 40):
        records = history(holder, start=dt.date(2024, 9, 1), end=dt.date(2026, 10, 31), seed=seed)
        expected, where = {}, {}
        for index, record in enumerate(records):
            for line in record["lines"]:
                for copayment in line.get("copayments", ()):
                    expected[copayment["external_id"]] = (copayment["settlement"], None)
                    where[copayment["external_id"]] = index
            for ref in record.get("recoveries", ()):
                expected[ref] = ("recovered", record["external_id"])
        late = [
            ref
            for index, record in enumerate(records)
            for ref in record.get("recoveries", ())
            if index - where[ref] > 3
        ]
        if late:
            break
    assert late, "the histories hold recoveries several payments after their franchise"

    assert run(jsonl(records)).applied

    stored = {
        ext: (status, settled_by)
        for ext, status, settled_by in Copayment.objects.values_list(
            "external_id", "status", "settled_by__external_id"
        )
    }
    deducted = {ext for ext, (status, _) in expected.items() if status == "deducted"}
    assert {ext: s for ext, s in stored.items() if ext not in deducted} == {
        ext: s for ext, s in expected.items() if ext not in deducted
    }


def test_errors_of_every_chunk_are_reported_in_line_order(holder, monkeypatch):
    monkeypatch.setattr(feeds, "CHUNK", 2)
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))[:5]
    records[1]["amount"] = "nope"
    records[4]["member_nir"] = "1999999999999"

    report = run(jsonl(records))

    assert not report.applied and report.lines == 5
    assert [(e.line, e.field) for e in report.errors] == [(2, "amount"), (5, "member_nir")]
    assert counts() == (0, 0, 0)


def test_an_integer_too_large_for_the_validator_is_reported_not_raised(holder):
    record = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))[0]
    record["lines"][0]["quantity"] = 10**30

    report = run(jsonl([record]))

    assert not report.applied and report.errors[0].field == "lines[0].quantity"


def test_a_failure_while_reading_ahead_reaches_the_caller():
    def broken():
        yield 1
        raise OSError("disque illisible")

    with pytest.raises(OSError, match="disque illisible"), ahead(broken()) as items:
        assert next(items) == 1
        next(items)


def test_one_bad_line_refuses_the_whole_file_and_reports_where_and_why(holder):
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 10, 31))
    records[3]["lines"][0]["base"] = 12.5  # a float: money must be a string
    records[5]["amount"] = "9999.99"
    content = jsonl(records) + b"{not json\n" + b"\xff\xfe\n" + b"[1, 2]\n"

    report = run(content)

    assert not report.applied
    assert counts() == (0, 0, 0)
    errors = {(e.line, e.field): e.reason for e in report.errors}
    assert "chaîne" in errors[(4, "lines[0].base")]
    assert "reimbursed" in errors[(6, "amount")]
    assert errors[(len(records) + 1, "(ligne)")].startswith("JSON invalide")
    assert errors[(len(records) + 2, "(ligne)")] == "la ligne n'est pas en UTF-8"
    assert errors[(len(records) + 3, "(ligne)")] == "un objet est attendu"
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == ImportStatus.REJECTED and batch.error_count == 5
    assert {
        "line": 4,
        "field": "lines[0].base",
        "reason": errors[(4, "lines[0].base")],
    } in batch.errors


def test_the_database_rules_are_reported_line_by_line(holder):
    stranger = InsuredPersonFactory()
    pharmacy, gp = gp_and_pharmacy(holder)
    unknown = json.loads(json.dumps(pharmacy)) | {
        "external_id": "X-1",
        "member_nir": "1991299999999",
    }
    foreign = json.loads(json.dumps(pharmacy)) | {
        "external_id": "X-2",
        "beneficiary_nir": stranger.nir,
    }
    for line in foreign["lines"]:
        line.pop("copayments", None)
    orphan = json.loads(json.dumps(gp)) | {"external_id": "X-3", "recoveries": ["NO-SUCH-ONE"]}
    for line in orphan["lines"]:
        line.pop("copayments", None)

    report = run(jsonl([unknown, foreign, orphan, pharmacy, pharmacy]))

    errors = {(e.line, e.field): e.reason for e in report.errors}
    assert errors[(1, "member_nir")] == "aucun assuré n'a ce NIR"
    assert errors[(2, "beneficiary_nir")] == "cette personne n'est pas ayant droit de l'assuré"
    assert errors[(3, "recoveries[0]")] == "aucune participation ou franchise n'a cette référence"
    assert errors[(5, "external_id")] == "déjà présent à la ligne 4"
    assert counts() == (0, 0, 0)


def test_a_payment_sent_again_with_other_values_is_refused(holder):
    pharmacy, _ = gp_and_pharmacy(holder)
    run(jsonl([pharmacy]))
    pharmacy["payee_name"] = "UNE AUTRE PHARMACIE"

    report = run(jsonl([pharmacy]))

    assert [(e.line, e.field) for e in report.errors] == [(1, "external_id")]


def test_a_write_the_database_refuses_is_reported_and_the_file_rolled_back(holder, monkeypatch):
    from guichet.payments.feeds import payments

    content = jsonl(history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)))
    assert run(content).applied
    before = counts()
    found = payments._Found.of

    def forgetful(rows, ids):  # as if the payments of the first import were not there
        seen = found(rows, ids)
        seen.existing.clear()
        seen.taken.clear()
        return seen

    monkeypatch.setattr(payments._Found, "of", forgetful)
    monkeypatch.setattr(feeds, "CHUNK", 2)  # the refusal comes while later chunks are queued

    report = run(content)

    assert not report.applied
    assert [(e.line, e.field) for e in report.errors] == [(0, "(fichier)")]
    reason = report.errors[0].reason
    assert reason.startswith("la base de données a refusé le fichier") and "external_id" in reason
    assert counts() == before


def test_a_franchise_cannot_be_recovered_twice(holder):
    pharmacy, gp = gp_and_pharmacy(holder)
    again = json.loads(json.dumps(gp)) | {"external_id": "AGAIN"}
    for line in again["lines"]:
        line["copayments"] = [c | {"external_id": "AGAIN-C"} for c in line.get("copayments", [])]

    report = run(jsonl([pharmacy, gp, again]))

    assert [(e.line, e.field) for e in report.errors] == [(3, "recoveries[0]")]


def test_an_empty_file_is_refused():
    report = run(b"\n\n")
    assert (
        not report.applied
        and report.errors[0].reason == "le fichier ne contient aucun enregistrement"
    )


def test_sick_leaves_are_created_then_updated_when_prolonged(holder):
    leave = {"external_id": "AT-1", "member_nir": holder.nir, "nir": holder.nir, "kind": "illness",
             "start_on": "2026-10-01", "end_on": "2026-10-10", "status": "paying", "received_on": "2026-10-02"}  # fmt: skip
    assert run(jsonl([leave]), "sick_leaves").created == 1
    assert run(jsonl([leave]), "sick_leaves").unchanged == 1

    report = run(jsonl([leave | {"end_on": "2026-10-24"}]), "sick_leaves")

    assert report.updated == 1
    assert SickLeave.objects.get().end_on == dt.date(2026, 10, 24)


def test_a_work_accident_moves_through_its_allowed_statuses_only(holder):
    accident = {"external_id": "ATMP-1", "member_nir": holder.nir, "nir": holder.nir,
                "accident_on": "2026-06-01", "declared_on": "2026-06-02", "status": "declared",
                "status_on": "2026-06-02"}  # fmt: skip
    run(jsonl([accident]), "work_accidents")
    assert (
        run(
            jsonl([accident | {"status": "investigating", "status_on": "2026-06-20"}]),
            "work_accidents",
        ).updated
        == 1
    )
    record = WorkAccident.objects.get()
    assert record.status == WorkAccidentStatus.INVESTIGATING
    assert [step["status"] for step in record.history] == ["declared", "investigating"]
    assert AuditEvent.objects.filter(
        action="work_accident.investigating", person_id=holder.pk
    ).exists()

    report = run(
        jsonl([accident | {"status": "closed", "status_on": "2026-07-01"}]), "work_accidents"
    )

    assert not report.applied
    assert report.errors[0].field == "status" and "passage impossible" in report.errors[0].reason


def test_the_command_imports_a_file_and_fails_loudly_on_a_bad_one(holder, tmp_path):
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_bytes(jsonl(gp_and_pharmacy(holder)))
    bad.write_bytes(b'{"external_id": "x"}\n')
    out = io.StringIO()

    call_command("import_feed", "payments", str(good), stdout=out)

    assert "2 created" in out.getvalue()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_feed", "payments", str(bad), stdout=io.StringIO())


def test_amounts_and_rates_are_checked_in_exact_integers():
    from guichet.payments.feeds.payments import cents, euros, hundredths

    assert [cents("12.34"), cents("0.05"), cents("100000.00"), cents("7.5")] == [
        1234,
        5,
        10_000_000,
        750,
    ]
    assert [hundredths("70"), hundredths("65.5"), hundredths("33.33"), hundredths("100")] == [
        7000,
        6550,
        3333,
        10_000,
    ]
    assert euros(1205) == "12.05"


def test_a_line_paying_a_cent_more_than_base_times_rate_plus_a_cent_is_refused(holder):
    record = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))[0]
    line = record["lines"][0]
    line["base"], line["rate"] = "30.00", "70"
    allowed = "21.01"  # 30 × 70 % + 0,01 €
    for reimbursed, accepted in ((allowed, True), ("21.02", False)):
        line["reimbursed"] = reimbursed
        errors = [e for e in run(jsonl([record])).errors if e.field == "lines[0].reimbursed"]
        assert (not errors) == accepted, reimbursed


def test_looking_up_many_keys_finds_each_whatever_it_contains(holder):
    """select_in joins the keys into one text on PostgreSQL unless one is empty or holds the
    separator: every key is found either way, on both databases."""
    from guichet.insured.models import InsuredPerson
    from guichet.payments.feeds.writer import SEPARATOR, _joined, select_in

    assert _joined(["A1", 7]) == f"A1{SEPARATOR}7"
    assert _joined(["A1", f"B{SEPARATOR}2"]) is None
    assert _joined(["A1", ""]) is None
    found = select_in(InsuredPerson, "nir", ["id"], [holder.nir, f"x{SEPARATOR}y", ""])
    assert found == [(holder.id,)]
    assert select_in(InsuredPerson, "id", ["nir"], [holder.id, 0]) == [(holder.nir,)]


def test_an_impossible_date_is_reported_every_time_next_to_valid_ones(holder):
    """Dates are parsed once and remembered: a refused one is not, and is reported each time."""
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))[:3]
    records[0]["paid_on"] = records[2]["paid_on"] = "2026-02-30"

    report = run(jsonl(records))

    assert [(e.line, e.field, e.reason) for e in report.errors] == [
        (1, "paid_on", "date inexistante"),
        (3, "paid_on", "date inexistante"),
    ]


def test_the_garbage_collector_is_back_as_it_was_after_an_import(holder):
    content = jsonl(history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)))
    assert gc.isenabled()
    run(content)
    assert gc.isenabled()
    gc.disable()
    try:
        run(b"not json\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_gil_switch_interval_is_quicker_during_an_import_then_back(holder, monkeypatch):
    from guichet.payments.feeds import base

    seen = []
    monkeypatch.setattr(
        feeds, "decode", lambda *args: seen.append(sys.getswitchinterval()) or decode(*args)
    )
    before = sys.getswitchinterval()
    content = jsonl(history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)))

    assert run(content).applied

    assert seen and set(seen) == {min(before, base.SWITCH_INTERVAL)}
    assert sys.getswitchinterval() == before


def test_texts_with_backslashes_tabs_and_newlines_are_stored_exactly(holder):
    pharmacy, _ = gp_and_pharmacy(holder)
    pharmacy["payee_name"] = "PHARMACIE \\N\tDU\nCENTRE\r\\"
    pharmacy["lines"][0]["act_label"] = "\\."

    assert run(jsonl([pharmacy])).applied

    payment = Payment.objects.get(external_id=pharmacy["external_id"])
    assert payment.payee_name == "PHARMACIE \\N\tDU\nCENTRE\r\\"
    assert payment.lines.get().act_label == "\\."


def test_a_record_made_by_guichet_must_match_the_schemas_patterns_too(holder):
    """apply_records skips the JSON Schema but not its patterns: the rows are written as COPY's
    text, where only the free texts are escaped."""
    record = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))[0]

    report = feeds.apply_records(feed="payments", records=[{**record, "external_id": "P\t1"}])

    assert not report.applied
    assert [(e.line, e.field) for e in report.errors] == [(1, "(ligne)")]
    assert counts() == (0, 0, 0)
    assert feeds.apply_records(feed="payments", records=[record]).applied


def test_a_nul_character_in_a_text_is_reported_on_its_line_in_every_feed(holder):
    """PostgreSQL cannot store U+0000: said next to the field, on both databases, never a
    refusal of the whole file by the database."""
    records = history(holder, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    records[1]["lines"][0]["act_label"] = "Consul\u0000tation"
    leave = {"external_id": "AT-1", "member_nir": holder.nir, "nir": holder.nir, "kind": "illness",
             "start_on": "2026-10-01", "end_on": "2026-10-10", "status": "paying",
             "received_on": "2026-10-02", "employer_name": "\u0000"}  # fmt: skip

    payments, leaves = run(jsonl(records)), run(jsonl([leave]), "sick_leaves")

    assert [(e.line, e.field) for e in payments.errors] == [(2, "lines[0].act_label")]
    assert "caractère nul" in payments.errors[0].reason
    assert [(e.line, e.field) for e in leaves.errors] == [(1, "employer_name")]
    assert counts() == (0, 0, 0) and not SickLeave.objects.exists()


def test_the_files_digest_is_the_sha256_of_its_bytes_whatever_its_size(holder, monkeypatch):
    """The stream is hashed a block at a time (the GIL let go): the digest stays the file's."""
    import hashlib

    from guichet.payments.feeds import _Hashing

    content = jsonl(history(holder, start=dt.date(2025, 1, 1), end=dt.date(2026, 10, 31)))
    monkeypatch.setattr(_Hashing, "BLOCK", 1000)  # several blocks and a remainder

    _, digest, _ = feeds.run(feed="payments", stream=lines_of(content))

    assert digest == hashlib.sha256(content).hexdigest()
