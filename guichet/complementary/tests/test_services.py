"""The contracts feed, overlap detection, the member's choice and its processing."""

import datetime as dt

import pytest

from guichet.complementary import selectors, services
from guichet.complementary.enums import (
    CHOICE_TO_PROCESS,
    OVERLAP_FOR_FUND,
    Exclusion,
    RequestStatus,
)
from guichet.complementary.models import Contract, Overlap
from guichet.complementary.tests.factories import BALOISE, load, overlap_records, record
from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.insured.enums import Regime
from guichet.insured.models import InsuredPerson
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import Notification, OutboundEmail
from guichet.payments.enums import Transmission
from guichet.payments.models import Payment
from guichet.payments.tests.factories import history
from guichet.payments.tests.factories import load as load_payments
from guichet.workqueues.models import WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    return InsuredPersonFactory(with_dependents=2)


def family(holder):
    return [holder, *InsuredPerson.objects.filter(attachments__holder=holder)]


def test_feed_creates_contracts_and_is_idempotent(holder):
    report = load([record(holder)])
    assert (report.applied, report.created) == (True, 1)
    again = load([record(holder)])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = load([record(holder, end="2030-12-31")])
    assert changed.updated == 1
    assert Contract.objects.get().end_on == dt.date(2030, 12, 31)


def test_feed_refuses_the_whole_file_with_each_bad_line(holder):
    report = load([record(holder), {"external_id": "X", "nir": "1740101999999"},
                   record(holder, BALOISE, start="2020-01-01", end="2019-01-01")])  # fmt: skip
    assert not report.applied
    assert {(e.line, e.field) for e in report.errors} >= {(2, "insurer_number"), (3, "end_on")}
    assert not Contract.objects.exists()


def test_overlap_on_import_blocks_transmission_and_holds_payments(holder):
    load_payments(history(holder, start=dt.date(2026, 8, 1), end=dt.date(2026, 10, 31)))
    assert Payment.objects.filter(beneficiary=holder, transmission=Transmission.SENT).exists()
    load(overlap_records(holder))
    overlap = Overlap.objects.get(person=holder, resolved_at__isnull=True)
    assert len(overlap.contract_ids) == 2
    assert not Payment.objects.filter(beneficiary=holder, transmission=Transmission.SENT).exists()
    assert AuditEvent.objects.filter(action="complementary.overlap_detected").exists()
    situation = selectors.situation_of(holder=holder)
    assert situation.may_choose and situation.exclusion is None
    assert not WorkItem.objects.filter(kind=OVERLAP_FOR_FUND).exists()


def test_nightly_detection_finds_a_contract_that_became_active(holder):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    load([record(holder), record(holder, BALOISE, start=tomorrow.isoformat())])
    assert not Overlap.objects.exists()
    assert services.detect_overlaps(today=tomorrow) == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [("css", Exclusion.SOLIDARITY), ("five", Exclusion.TOO_MANY), ("partner", Exclusion.PARTNER)],
)
def test_excluded_overlaps_go_to_the_fund(setup, reason):
    holder = InsuredPersonFactory(with_dependents=4 if setup == "five" else 0)
    if setup == "partner":
        InsuredPerson.objects.filter(pk=holder.pk).update(regime=Regime.PARTNER)
        holder.refresh_from_db()
    persons = family(holder) if setup == "five" else [holder]
    load(
        [
            r
            for p in persons
            for r in overlap_records(p, kind="css" if setup == "css" else "ordinary")
        ]
    )
    situation = selectors.situation_of(holder=holder)
    assert situation.exclusion == reason and not situation.may_choose
    assert WorkItem.objects.filter(kind=OVERLAP_FOR_FUND, person_id=holder.pk).count() == 1
    with pytest.raises(services.ChoiceRefused, match="contactez votre caisse"):
        submit(holder)


def submit(holder, pick=1):
    situation = selectors.situation_of(holder=holder)
    kept = {o.person.pk: o.contracts[pick].pk for o in situation.overlaps}
    return services.submit_choice(
        holder=holder, kept=kept, fingerprint=situation.fingerprint, actor=SYSTEM
    )


def test_choice_is_queued_once_and_processing_ends_the_other_contract(holder):
    persons = family(holder)
    load([r for p in persons for r in overlap_records(p)])
    request = submit(holder)
    assert request.choices.count() == 3
    assert WorkItem.objects.filter(kind=CHOICE_TO_PROCESS, target_id=str(request.pk)).exists()
    with pytest.raises(services.ChoiceRefused, match="déjà envoyé"):
        submit(holder)
    services.process_request(request_id=request.pk, actor=SYSTEM)
    request.refresh_from_db()
    assert request.status == RequestStatus.PROCESSED
    assert not Overlap.objects.filter(resolved_at__isnull=True).exists()
    mutuelle = Contract.objects.filter(insurer__name="LES MUTUELLES DE L'AIN 2")
    assert all(c.end_on == dt.date.today() - dt.timedelta(days=1) for c in mutuelle)
    today = dt.date.today()
    assert selectors.complementary_of(person=holder, holder=holder, today=today).transmission_active
    notification = Notification.objects.get(person=holder)
    assert notification.text == services.ACTIVATED
    email = OutboundEmail.objects.get(person_id=holder.pk, template="deposit_notice")
    assert "Une information importante vous attend dans la rubrique Notifications" in email.body
    assert holder.nir not in email.body and "BALOISE" not in email.body
    assert WorkItem.objects.get(kind=CHOICE_TO_PROCESS).status == "done"
    # a new import of the same contracts finds no overlap any more
    services.detect_overlaps()
    assert not Overlap.objects.filter(resolved_at__isnull=True).exists()


def test_stale_choice_is_refused(holder):
    load(overlap_records(holder))
    situation = selectors.situation_of(holder=holder)
    load(
        [
            record(
                holder, ("13000999", "MGEN"), number="777", start="2021-01-01", external_id="third"
            )
        ]
    )
    with pytest.raises(services.ChoiceRefused, match="ont changé"):
        services.submit_choice(
            holder=holder,
            kept={holder.pk: situation.overlaps[0].contracts[0].pk},
            fingerprint=situation.fingerprint,
            actor=SYSTEM,
        )


def test_the_job_processes_requests_after_the_delay(holder, settings):
    settings.GUICHET_COMPLEMENTARY_PROCESSING_DAYS = 7
    load(overlap_records(holder))
    request = submit(holder)
    assert services.process_due_requests() == 0
    later = request.requested_at + dt.timedelta(days=7, minutes=1)
    assert services.process_due_requests(now=later) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.PROCESSED


def test_satisfaction_is_summarised_for_the_fund(holder):
    load(overlap_records(holder))
    request = submit(holder)
    services.rate_service(request=request, rating=4, comment=" Rapide ", actor=SYSTEM)
    summary = selectors.satisfaction_summary(fund_id=holder.fund_id)
    assert (summary.answers, summary.average) == (1, 4)
    assert dict(summary.by_rating)[4] == 1
    assert [r.comment for r in summary.comments] == ["Rapide"]
    assert selectors.satisfaction_summary(fund_id=holder.fund_id + 1000).answers == 0


def test_the_import_command_takes_the_contracts_feed(holder, tmp_path):
    import json

    from django.core.management import call_command

    path = tmp_path / "contrats.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in overlap_records(holder)) + "\n")
    call_command("import_feed", "contracts", str(path))
    assert Overlap.objects.filter(person=holder, resolved_at__isnull=True).exists()


def test_a_request_whose_overlap_changed_is_cancelled_and_the_member_asked_again(holder):
    load(overlap_records(holder))
    request = submit(holder)
    load([record(holder, ("13000999", "MGEN"), number="777", start="2021-01-01", external_id="3")])
    services.process_request(request_id=request.pk, actor=SYSTEM)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert Contract.objects.filter(end_on__isnull=True).count() == 3  # nothing ended blindly
    assert Notification.objects.get(person=holder).text == services.STALE
    assert selectors.situation_of(holder=holder).may_choose
