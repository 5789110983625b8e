"""The complementary-contracts feed (docs/feeds.md): few rows, which change (an end date), so
each line creates or updates its contract; the persons touched are checked for overlaps once the
whole file is in."""

from dataclasses import dataclass, field

from guichet.complementary.models import Contract, Insurer
from guichet.insured.models import InsuredPerson
from guichet.payments.feeds.base import Record, RecordError, Report, date_of

FIELDS = ("insurer_id", "member_number", "kind", "start_on", "end_on")


@dataclass
class ContractsFeed:
    name: str = "contracts"
    seen: dict[str, int] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)  # persons whose contracts changed

    def check(self, record: Record) -> None:
        data = record.data
        start = date_of(data, "start_on")
        if data.get("end_on") and date_of(data, "end_on") < start:
            raise RecordError("end_on", "la fin du contrat précède son début")

    def apply(self, records: list[Record], report: Report, *, write: bool) -> None:
        persons = dict(
            InsuredPerson.objects.filter(nir__in={r.data["nir"] for r in records}).values_list(
                "nir", "id"
            )
        )
        existing = {
            c.external_id: c
            for c in Contract.objects.filter(
                external_id__in=[r.data["external_id"] for r in records]
            )
        }
        for record in records:
            data = record.data
            before = self.seen.get(data["external_id"])
            if before is not None:
                report.add(record.line, "external_id", f"déjà présent à la ligne {before}")
                continue
            self.seen[data["external_id"]] = record.line
            person_id = persons.get(data["nir"])
            if person_id is None:
                report.add(record.line, "nir", "aucun assuré n'a ce NIR")
                continue
            contract = existing.get(data["external_id"])
            if contract is not None and contract.person_id != person_id:
                report.add(record.line, "nir", "ce contrat appartient à une autre personne")
                continue
            if contract is not None and contract.source_hash == record.digest:
                report.unchanged += 1
                continue
            if not write:
                continue
            insurer, _ = Insurer.objects.get_or_create(
                number=data["insurer_number"], defaults={"name": data["insurer_name"]}
            )
            if insurer.name != data["insurer_name"]:
                Insurer.objects.filter(pk=insurer.pk).update(name=data["insurer_name"])
            values = {
                "insurer_id": insurer.pk,
                "member_number": data["member_number"],
                "kind": data["kind"],
                "start_on": date_of(data, "start_on"),
                "end_on": date_of(data, "end_on") if data.get("end_on") else None,
                "source_hash": record.digest,
            }
            if contract is None:
                Contract.objects.create(
                    external_id=data["external_id"], person_id=person_id, **values
                )
                report.created += 1
            else:
                Contract.objects.filter(pk=contract.pk).update(**values)
                report.updated += 1
            self.touched.add(person_id)

    def finish(self) -> None:
        """Look for overlaps of the persons whose contracts changed, in the file's transaction."""
        from guichet.complementary.services import detect_overlaps

        detect_overlaps(person_ids=self.touched)

    def close(self) -> None:
        """Nothing runs in the background."""
