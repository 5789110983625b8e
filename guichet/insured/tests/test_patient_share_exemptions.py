"""Exonérations du ticket modérateur in the registry: dated records, the database's guard, the
services that write them, the selector that reads them for a list of persons, the migration."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.insured import selectors, services
from guichet.insured.enums import PatientShareExemptionKind as Kind
from guichet.insured.models import PatientShareExemption
from guichet.insured.services import RegistryError
from guichet.insured.tests.factories import InsuredPersonFactory, PatientShareExemptionFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 22)


def on(day: dt.date, *persons) -> dict[int, list[str]]:
    found = selectors.patient_share_exemptions_on(person_ids=[p.pk for p in persons], day=day)
    return {pk: [e.kind for e in exemptions] for pk, exemptions in found.items()}


# --- The selector ----------------------------------------------------------------------------------


def test_an_exemption_covers_the_days_from_its_start_to_its_end_included():
    person = InsuredPersonFactory()
    PatientShareExemptionFactory(
        person=person, kind=Kind.INVALIDITY, start_on=dt.date(2025, 1, 1), end_on=DAY
    )

    assert on(dt.date(2024, 12, 31), person) == {}
    assert on(dt.date(2025, 1, 1), person) == {person.pk: [Kind.INVALIDITY]}
    assert on(DAY, person) == {person.pk: [Kind.INVALIDITY]}
    assert on(DAY + dt.timedelta(days=1), person) == {}


def test_an_exemption_without_end_covers_every_day_from_its_start():
    person = InsuredPersonFactory()
    PatientShareExemptionFactory(person=person, start_on=dt.date(2021, 3, 12), end_on=None)

    assert on(dt.date(2021, 3, 11), person) == {}
    assert on(dt.date(2021, 3, 12), person) == {person.pk: [Kind.LONG_TERM_ILLNESS]}
    assert on(dt.date(2099, 1, 1), person) == {person.pk: [Kind.LONG_TERM_ILLNESS]}


def test_each_person_gets_their_own_exemptions_oldest_first_in_one_query(
    django_assert_num_queries,
):
    ald, both, none, other = (InsuredPersonFactory() for _ in range(4))
    PatientShareExemptionFactory(person=ald)
    PatientShareExemptionFactory(person=both, kind=Kind.MATERNITY, start_on=dt.date(2026, 6, 1))
    PatientShareExemptionFactory(person=both, kind=Kind.INVALIDITY, start_on=dt.date(2019, 2, 1))
    PatientShareExemptionFactory(person=both, ended=True)  # over before DAY
    PatientShareExemptionFactory(person=other)  # not asked for

    with django_assert_num_queries(1):
        found = on(DAY, ald, both, none)

    assert found == {ald.pk: [Kind.LONG_TERM_ILLNESS], both.pk: [Kind.INVALIDITY, Kind.MATERNITY]}


def test_the_files_list_keeps_past_exemptions_latest_first():
    person = InsuredPersonFactory()
    old = PatientShareExemptionFactory(person=person, ended=True)
    new = PatientShareExemptionFactory(person=person, start_on=dt.date(2025, 5, 2))

    assert selectors.patient_share_exemptions_of(person=person) == [new, old]


def test_the_period_reads_in_french_and_names_the_kind_only():
    ongoing = PatientShareExemptionFactory.build(start_on=dt.date(2021, 3, 12))
    ended = PatientShareExemptionFactory.build(
        kind=Kind.WORK_INJURY_PENSION, start_on=dt.date(2020, 1, 6), end_on=dt.date(2030, 1, 5)
    )

    assert ongoing.period_display == "affection de longue durée (ALD) depuis le 12/03/2021"
    assert ended.period_display == (
        "rente d'accident du travail ou de maladie professionnelle (incapacité d'au moins "
        "66,66 %) depuis le 06/01/2020 jusqu'au 05/01/2030"
    )


def test_the_status_says_whether_the_exemption_runs_today():
    today = timezone.localdate()
    assert PatientShareExemptionFactory.build(start_on=today).status_display == "En cours"
    later = PatientShareExemptionFactory.build(start_on=today + dt.timedelta(days=1))
    assert later.status_display == "À venir"
    over = PatientShareExemptionFactory.build(
        start_on=dt.date(2020, 1, 1), end_on=dt.date(2021, 1, 1)
    )
    assert over.status_display == "Terminée"


def test_no_field_of_the_record_can_hold_a_diagnosis():
    names = {field.name for field in PatientShareExemption._meta.get_fields()}

    assert names == {"id", "person", "kind", "start_on", "end_on", "created_at"}


# --- The database's guard and the services ---------------------------------------------------------


def test_the_database_refuses_an_end_before_the_start():
    person = InsuredPersonFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PatientShareExemption.objects.create(
            person=person,
            kind=Kind.LONG_TERM_ILLNESS,
            start_on=dt.date(2024, 5, 2),
            end_on=dt.date(2024, 5, 1),
        )
    PatientShareExemption.objects.create(  # a single day is a period
        person=person,
        kind=Kind.LONG_TERM_ILLNESS,
        start_on=dt.date(2024, 5, 2),
        end_on=dt.date(2024, 5, 2),
    )


def test_recording_an_exemption_writes_it_and_journals_its_kind_and_dates():
    person = InsuredPersonFactory()

    exemption = services.record_patient_share_exemption(
        person=person, kind=Kind.LONG_TERM_ILLNESS, start_on=dt.date(2021, 3, 12), actor=SYSTEM
    )

    assert (exemption.kind, exemption.start_on, exemption.end_on) == (
        Kind.LONG_TERM_ILLNESS,
        dt.date(2021, 3, 12),
        None,
    )
    event = AuditEvent.objects.get(action="insured.patient_share_exemption_recorded")
    assert event.person_id == person.pk and event.target_id == str(exemption.pk)
    assert event.details == {"kind": "ald", "start_on": "2021-03-12", "end_on": None}


def test_recording_refuses_an_end_before_the_start_and_a_duplicate():
    person = InsuredPersonFactory()
    with pytest.raises(RegistryError, match="La fin de l'exonération précède son début"):
        services.record_patient_share_exemption(
            person=person,
            kind=Kind.INVALIDITY,
            start_on=dt.date(2024, 5, 2),
            end_on=dt.date(2024, 5, 1),
            actor=SYSTEM,
        )
    PatientShareExemptionFactory(person=person)
    with pytest.raises(RegistryError, match="déjà enregistrée"):
        services.record_patient_share_exemption(
            person=person, kind=Kind.LONG_TERM_ILLNESS, start_on=dt.date(2021, 3, 12), actor=SYSTEM
        )

    assert PatientShareExemption.objects.count() == 1
    assert not AuditEvent.objects.filter(action="insured.patient_share_exemption_recorded").exists()


def test_ending_an_exemption_dates_its_end_and_journals_the_change():
    exemption = PatientShareExemptionFactory()

    services.end_patient_share_exemption(
        exemption=exemption, end_on=dt.date(2026, 3, 11), actor=SYSTEM
    )

    exemption.refresh_from_db()
    assert exemption.end_on == dt.date(2026, 3, 11)
    event = AuditEvent.objects.get(action="insured.patient_share_exemption_ended")
    assert event.details == {"end_on": [None, "2026-03-11"]}
    with pytest.raises(RegistryError):
        services.end_patient_share_exemption(
            exemption=exemption, end_on=dt.date(2021, 3, 11), actor=SYSTEM
        )


# --- The migration ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_creates_the_table_with_its_guard_and_reverts():
    before, after = ("insured", "0003_agency"), ("insured", "0004_patient_share_exemption")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    with connection.cursor() as cursor:
        assert "insured_patientshareexemption" not in connection.introspection.table_names(cursor)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    with connection.cursor() as cursor:
        assert "insured_patientshareexemption" in connection.introspection.table_names(cursor)
        constraints = connection.introspection.get_constraints(
            cursor, "insured_patientshareexemption"
        )
    assert "exemption_tm_once_per_start" in constraints
    person = InsuredPersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientShareExemption.objects.create(
            person=person, kind="ald", start_on=dt.date(2024, 5, 2), end_on=dt.date(2024, 5, 1)
        )
