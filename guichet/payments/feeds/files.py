"""The sick-leaves and work-accidents feeds: few rows, which change (a prolongation, a decision),
so each line creates or updates its record through the ORM."""

from dataclasses import dataclass, field

from guichet.core.actors import SYSTEM
from guichet.core.services import record_audit
from guichet.insured.models import Dependent, InsuredPerson
from guichet.payments.enums import WorkAccidentStatus
from guichet.payments.feeds.base import Record, RecordError, Report, date_of
from guichet.payments.models import SickLeave, WorkAccident


@dataclass
class _FamilyFeed:
    seen: dict[str, int] = field(default_factory=dict)

    def _dedupe(self, records: list[Record], report: Report) -> list[Record]:
        kept = []
        for record in records:
            before = self.seen.get(record.data["external_id"])
            if before is not None:
                report.add(record.line, "external_id", f"déjà présent à la ligne {before}")
                continue
            self.seen[record.data["external_id"]] = record.line
            kept.append(record)
        return kept

    def look_up(self, records: list[Record], *, write: bool) -> list[Record]:
        """Nothing is read ahead: `settle` reads and writes each chunk through the ORM."""
        return records

    def finish(self) -> None:
        """Each line is written as it is applied: nothing waits for the end of the file."""

    def close(self) -> None:
        """Nothing runs in the background."""

    @staticmethod
    def _persons(records: list[Record]) -> tuple[dict[str, int], set[tuple[str, str]]]:
        nirs = {nir for r in records for nir in (r.data["member_nir"], r.data["nir"])}
        persons = dict(InsuredPerson.objects.filter(nir__in=nirs).values_list("nir", "id"))
        families = set(
            Dependent.objects.filter(
                holder__nir__in={r.data["member_nir"] for r in records},
                person__nir__in={r.data["nir"] for r in records},
            ).values_list("holder__nir", "person__nir")
        )
        return persons, families

    @staticmethod
    def _check_family(data: dict, persons, families) -> tuple[int, int]:
        if data["member_nir"] not in persons:
            raise RecordError("member_nir", "aucun assuré n'a ce NIR")
        if data["nir"] not in persons:
            raise RecordError("nir", "aucun assuré n'a ce NIR")
        if data["nir"] != data["member_nir"] and (data["member_nir"], data["nir"]) not in families:
            raise RecordError("nir", "cette personne n'est pas ayant droit de l'assuré")
        return persons[data["member_nir"]], persons[data["nir"]]


@dataclass
class SickLeavesFeed(_FamilyFeed):
    name: str = "sick_leaves"

    def check(self, record: Record) -> None:
        data = record.data
        if date_of(data, "end_on") < date_of(data, "start_on"):
            raise RecordError("end_on", "la fin de l'arrêt précède son début")
        date_of(data, "received_on")

    def settle(self, records: list[Record], report: Report, *, write: bool) -> None:
        records = self._dedupe(records, report)
        persons, families = self._persons(records)
        existing = {
            leave.external_id: leave
            for leave in SickLeave.objects.filter(
                external_id__in=[r.data["external_id"] for r in records]
            )
        }
        accidents = dict(
            WorkAccident.objects.filter(
                external_id__in={
                    r.data["work_accident_id"] for r in records if "work_accident_id" in r.data
                }
            ).values_list("external_id", "id")
        )
        for record in records:
            data = record.data
            try:
                member_id, person_id = self._check_family(data, persons, families)
                if "work_accident_id" in data and data["work_accident_id"] not in accidents:
                    raise RecordError(
                        "work_accident_id", "aucun accident du travail importé n'a cette référence"
                    )
            except RecordError as error:
                report.add(record.line, error.field, error.reason)
                continue
            leave = existing.get(data["external_id"])
            if leave is not None and leave.source_hash == record.digest:
                report.unchanged += 1
                continue
            if leave is not None and (leave.member_id, leave.person_id) != (member_id, person_id):
                report.add(record.line, "nir", "cet arrêt est déjà importé pour une autre personne")
                continue
            values = {
                "member_id": member_id, "person_id": person_id, "kind": data["kind"],
                "start_on": data["start_on"], "end_on": data["end_on"],
                "employer_name": data.get("employer_name", ""), "status": data["status"],
                "received_on": data["received_on"],
                "work_accident_id": accidents.get(data.get("work_accident_id", "")),
                "source_hash": record.digest,
            }  # fmt: skip
            if leave is None:
                report.created += 1
                if write and report.applied:
                    SickLeave.objects.create(external_id=data["external_id"], **values)
            else:
                report.updated += 1
                if write and report.applied:
                    for name, value in values.items():
                        setattr(leave, name, value)
                    leave.save()


@dataclass
class WorkAccidentsFeed(_FamilyFeed):
    name: str = "work_accidents"

    def check(self, record: Record) -> None:
        data = record.data
        accident_on = date_of(data, "accident_on")
        if date_of(data, "declared_on") < accident_on:
            raise RecordError("declared_on", "la déclaration précède l'accident")
        if date_of(data, "status_on") < accident_on:
            raise RecordError("status_on", "la date de l'état précède l'accident")

    def settle(self, records: list[Record], report: Report, *, write: bool) -> None:
        records = self._dedupe(records, report)
        persons, families = self._persons(records)
        existing = {
            accident.external_id: accident
            for accident in WorkAccident.objects.filter(
                external_id__in=[r.data["external_id"] for r in records]
            )
        }
        for record in records:
            data = record.data
            try:
                member_id, person_id = self._check_family(data, persons, families)
            except RecordError as error:
                report.add(record.line, error.field, error.reason)
                continue
            accident = existing.get(data["external_id"])
            step = {"status": data["status"], "on": data["status_on"]}
            fields = {
                "accident_on": data["accident_on"], "declared_on": data["declared_on"],
                "employer_name": data.get("employer_name", ""),
                "description": data.get("description", ""),
            }  # fmt: skip
            if accident is None:
                report.created += 1
                if write and report.applied:
                    accident = WorkAccident.objects.create(
                        external_id=data["external_id"], member_id=member_id, person_id=person_id,
                        status=data["status"], status_on=data["status_on"], history=[step],
                        source_hash=record.digest, **fields,
                    )  # fmt: skip
                    record_audit(
                        actor=SYSTEM, action=f"work_accident.{data['status']}",
                        person_id=member_id, target=accident, previous="",
                    )  # fmt: skip
                continue
            if accident.source_hash == record.digest:
                report.unchanged += 1
                continue
            if (accident.member_id, accident.person_id) != (member_id, person_id):
                report.add(
                    record.line, "nir", "ce dossier est déjà importé pour une autre personne"
                )
                continue
            moves = data["status"] != accident.status
            if moves and not accident.can_transition(data["status"]):
                report.add(
                    record.line,
                    "status",
                    f"passage impossible de « {WorkAccidentStatus(accident.status).label} » "
                    f"à « {WorkAccidentStatus(data['status']).label} »",
                )
                continue
            report.updated += 1
            if write and report.applied:
                for name, value in fields.items():
                    setattr(accident, name, value)
                accident.status_on = data["status_on"]
                accident.history = [*accident.history, step] if moves else accident.history
                accident.source_hash = record.digest
                accident.save()
                if moves:
                    accident.transition(
                        to=data["status"], actor=SYSTEM, reason="flux work_accidents"
                    )
