"""The payments feed: one payment (décompte) a line, with its lines and their PF/franchises, and
the earlier deferred PF/franchises it recovers (schema: payments.schema.json, docs/feeds.md)."""

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from django.db import connection

from guichet.insured.models import Dependent, InsuredPerson
from guichet.payments.enums import CopaymentStatus, Payee, PaymentKind
from guichet.payments.feeds.base import MEMO, Record, RecordError, Report, date_at, is_date
from guichet.payments.feeds.writer import (
    NULL,
    DatabaseQueue,
    KeyQuery,
    Writes,
    dangling,
    dangling_between,
    reserve_ids,
    run_statements,
    statements,
    text,
    with_row_checks,
    without_row_checks,
)
from guichet.payments.ledger import lock_ledger
from guichet.payments.models import Copayment, Payment, PaymentLine, SickLeave

SETTLEMENT_STATUS = {  # plain strings: comparing or dumping an enum member costs more
    "deducted": CopaymentStatus.DEDUCTED.value,
    "deferred": CopaymentStatus.DEFERRED.value,
    "capped": CopaymentStatus.CAPPED.value,
}
RECOVERED = CopaymentStatus.RECOVERED.value
THIRD_PARTY, DAILY_ALLOWANCE = PaymentKind.THIRD_PARTY.value, PaymentKind.DAILY_ALLOWANCE.value
PROFESSIONAL, MEMBER = Payee.PROFESSIONAL.value, Payee.MEMBER.value
PENDING_CHUNKS = 2
RECOVERABLE = {CopaymentStatus.DEFERRED.value, CopaymentStatus.CLAIMED.value}
CLAIMED = CopaymentStatus.CLAIMED.value
# Called inside the import's transaction, once the file is written, with [(copayment external id,
# notice reference, amount)] for the copayments this file recovered although a payment notice
# claims them (the fund's own system deducted them): the debts app registers the function that
# lowers its notices (DebtsConfig.ready), so that payments never imports debts (ADR 0073).
CLAIMED_RECOVERY_HANDLERS: list[Callable[[list[tuple[str, str, Decimal]]], None]] = []
PAYMENT_COLUMNS = ["id", "external_id", "member_id", "beneficiary_id", "kind", "paid_on",
                   "reimbursed", "deducted", "amount", "payee", "payee_name", "transmission",
                   "complementary_name", "sick_leave_id", "source_hash"]  # fmt: skip
LINE_COLUMNS = ["id", "payment_id", "position", "care_date", "period_end", "category", "act_code",
                "act_label", "professional_name", "quantity", "amount_spent", "base", "rate",
                "reimbursed"]  # fmt: skip
COPAYMENT_COLUMNS = ["id", "external_id", "member_id", "person_id", "line_id", "care_date", "kind",
                     "nominal", "amount", "status", "settled_by_id", "settled_on"]  # fmt: skip


@lru_cache(maxsize=MEMO)
def cents(text: str) -> int:
    """Euros written "12.34" (the schema's money) as integer cents; anything else through
    Decimal (records made by the simulator skip the schema). A file repeats its amounts: each
    is parsed once (ADR 0025)."""
    if len(text) > 3 and text[-3] == "." and text[0].isdigit() and text.isascii():
        try:
            return int(text[:-3]) * 100 + int(text[-2:])
        except ValueError:
            pass
    return int(Decimal(text) * 100)


@lru_cache(maxsize=MEMO)
def hundredths(text: str) -> int:
    """A rate in percent ("70", "65.5") as integer hundredths of a percent."""
    whole, _, fraction = text.partition(".")
    if whole.isdigit() and len(fraction) <= 2 and (not fraction or fraction.isdigit()):
        return int(whole) * 100 + int((fraction + "00")[:2])
    return int(Decimal(text) * 100)


def euros(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


class _Known(NamedTuple):
    """A copayment met earlier in this file or in the database, for recoveries."""

    member: str  # NIR of the member
    amount: int  # cents
    deferred: bool  # still to recover: deferred, or claimed by a notice
    notice: str = ""  # the reference of the payment notice that claims it


@dataclass
class PaymentsFeed:
    name: str = "payments"
    seen: dict[str, int] = field(default_factory=dict)  # external id → line, payments of this file
    seen_copayments: dict[str, int] = field(default_factory=dict)
    known: dict[str, _Known] = field(default_factory=dict)  # copayments created by this file
    recovered: set[str] = field(default_factory=set)  # copayments recovered by this file
    # Deferred copayments of this file, written by `finish`: one recovered later in the file is
    # written once, recovered, rather than inserted then updated.
    pending: dict[str, list] = field(default_factory=dict)
    # The external ids of each chunk's deferred copayments still pending, oldest chunk first:
    # they go with the rows of the chunk PENDING_CHUNKS later (a recovery after that updates
    # them, as those of earlier files), so that the end of the file has little left to write.
    pending_chunks: deque[list[str]] = field(default_factory=deque)
    database: DatabaseQueue = field(default_factory=DatabaseQueue)
    claimed_recovered: list[tuple[str, str, Decimal]] = field(default_factory=list)
    locked: bool = False
    # Whether PostgreSQL's row-by-row foreign-key checks are off for this file's writes, which
    # then check their references set-wise (writer.without_row_checks, ADR 0027).
    unchecked: "Future[bool] | None" = None
    last_copayment_id: int = 0  # reserved (SQLite reserves above it: some are written later)

    def check(self, record: Record) -> None:
        """The record's own rules, without the database. Dates are compared as their texts
        (AAAA-MM-JJ, the schema's pattern, sorts as the dates do) once each is known to exist;
        a field's path is only written out for an error."""
        data = record.data
        paid_on = data.paid_on
        date_at(paid_on, "paid_on")
        kind = data.kind
        third_party = kind == THIRD_PARTY
        expected_payee = PROFESSIONAL if third_party else MEMBER
        if data.payee != expected_payee:
            raise RecordError("payee", f"un paiement « {kind} » est fait à « {expected_payee} »")
        allowance = kind == DAILY_ALLOWANCE
        reimbursed = deducted_here = 0  # cents: integers are several times faster than Decimal
        for index, line in enumerate(data.lines):
            care_date = line.care_date
            if not is_date(care_date):
                raise RecordError(f"lines[{index}].care_date", "date inexistante")
            if care_date > paid_on:
                raise RecordError(
                    f"lines[{index}].care_date", "les soins sont postérieurs au paiement"
                )
            period_end = line.period_end
            if period_end and (not is_date(period_end) or period_end < care_date):
                reason = (
                    "la fin de période précède son début"
                    if is_date(period_end)
                    else "date inexistante"
                )
                raise RecordError(f"lines[{index}].period_end", reason)
            if (line.category == DAILY_ALLOWANCE) != allowance:
                raise RecordError(
                    f"lines[{index}].category",
                    "les indemnités journalières vont dans un paiement « daily_allowance »",
                )
            rate = hundredths(line.rate)  # of a percent
            if rate > 10_000:
                raise RecordError(f"lines[{index}].rate", "un taux va de 0 à 100 %")
            line_reimbursed = cents(line.reimbursed)
            # reimbursed ≤ base × rate / 100 + 0,01 €, in cents and hundredths of a percent
            if line_reimbursed * 10_000 > cents(line.base) * rate + 10_000:
                raise RecordError(
                    f"lines[{index}].reimbursed", "plus que la base multipliée par le taux"
                )
            reimbursed += line_reimbursed
            if line.copayments:
                deducted_here += self._check_copayments(index, line.copayments, third_party)
        if cents(data.reimbursed) != reimbursed:
            raise RecordError("reimbursed", f"la somme des lignes fait {euros(reimbursed)}")
        if third_party and data.recoveries:
            raise RecordError("recoveries", "rien n'est récupéré sur un paiement à un tiers")
        if cents(data.amount) != cents(data.reimbursed) - cents(data.deducted):
            raise RecordError(
                "amount", "le montant payé doit valoir « reimbursed » moins « deducted »"
            )
        if cents(data.deducted) < deducted_here:
            raise RecordError(
                "deducted", f"les franchises déduites de ce paiement font {euros(deducted_here)}"
            )
        if data.sick_leave_id and not allowance:
            raise RecordError("sick_leave_id", "seules les indemnités journalières ont un arrêt")

    @staticmethod
    def _check_copayments(index: int, copayments: list, third_party: bool) -> int:
        """The rules of a line's PF/franchises; what they deduct from this payment, in cents."""
        deducted = 0
        for c_index, copayment in enumerate(copayments):
            amount = cents(copayment.amount)
            if amount > cents(copayment.nominal):
                raise RecordError(
                    f"lines[{index}].copayments[{c_index}].amount",
                    "plus que le montant avant plafonds",
                )
            settlement = copayment.settlement
            if (settlement == "capped") != (amount == 0):
                raise RecordError(
                    f"lines[{index}].copayments[{c_index}].settlement",
                    "« capped » si et seulement si le montant dû est nul",
                )
            if settlement == "deducted":
                if third_party:
                    raise RecordError(
                        f"lines[{index}].copayments[{c_index}].settlement",
                        "rien n'est déduit d'un paiement à un tiers : « deferred » est attendu",
                    )
                deducted += amount
        return deducted

    def look_up(self, records: list[Record], *, write: bool) -> "_Chunk":
        """Set aside this file's repeated payments, then queue the database reads of the rest
        (and, if `write`, the reservation of their ids): they run while the caller goes on."""
        chunk = _Chunk()
        for record in records:
            external_id = record.data.external_id
            line_before = self.seen.get(external_id)
            if line_before is not None:
                chunk.repeated.append((record.line, line_before))
                continue
            self.seen[external_id] = record.line
            chunk.valid.append(record)
        if chunk.valid:
            wanted = {
                ref
                for r in chunk.valid
                for ref in (r.data.recoveries or ())
                if ref not in self.known
            }
            if not self.locked:  # no notice claims a copayment while this file may recover it
                self.database.submit(lambda cursor: lock_ledger(cursor=cursor))
                self.unchecked = self.database.submit(without_row_checks)
                self.locked = True
            reads = statements(_queries(chunk.valid, wanted))
            counts = _counts(chunk.valid)
            reserve = write and connection.vendor == "postgresql"  # SQLite: in `settle`
            chunk.found = self.database.submit(
                lambda cursor: (
                    run_statements(cursor, reads),
                    _reserve(cursor, *counts) if reserve else None,
                )
            )
        return chunk

    def settle(self, chunk: "_Chunk", report: Report, *, write: bool) -> None:
        """Check a chunk against what the database said and this file's earlier lines; queue its
        rows if `write`."""
        for line, line_before in chunk.repeated:
            report.add(line, "external_id", f"déjà présent à la ligne {line_before}")
        if chunk.found is None:
            return
        found = _Found.of(*self.database.result(chunk.found))
        self.database.check()
        to_write = []
        for record in chunk.valid:
            data = record.data
            source_hash = found.existing.get(data.external_id)
            if source_hash is not None:
                if source_hash == record.digest:
                    report.unchanged += 1
                else:
                    report.add(
                        record.line,
                        "external_id",
                        "ce paiement est déjà importé avec d'autres valeurs : un paiement fait ne change plus",
                    )
                continue
            try:
                recovered = self._resolve(data, found)
            except RecordError as error:
                report.add(record.line, error.field, error.reason)
                continue
            to_write.append((record, recovered))
        report.created += len(to_write)
        if write and report.applied:
            ids = found.ids  # reserved with the reads for all the chunk's payments
            if ids is None:  # SQLite, whose ids follow the rows written so far
                counts = _counts([record for record, _ in to_write])
                above = self.last_copayment_id
                ids = self.database.result(
                    self.database.submit(lambda cursor: _reserve(cursor, *counts, above=above))
                )
            if ids[2]:  # deferred copayments are written chunks later, with these ids
                self.last_copayment_id = max(self.last_copayment_id, ids[2][-1])
            self.database.write(
                self._rows(to_write, found.persons, found.leaves, *(iter(each) for each in ids))
            )

    def finish(self) -> None:
        """Write what waited for the end of the file (the deferred copayments), then wait for
        every write."""
        rows = list(self.pending.values())
        self.database.write(
            Writes(
                inserts=[(Copayment._meta.db_table, COPAYMENT_COLUMNS, _copayments_text(rows))],
                checks=self._checks(Copayment, "id", [row[0] for row in rows]),
            )
        )
        self.pending.clear()
        self.pending_chunks.clear()
        self.database.drain()
        if self.is_unchecked():  # what other apps write next in this transaction is checked
            with connection.cursor() as cursor:
                with_row_checks(cursor)
        if self.claimed_recovered:
            for handler in CLAIMED_RECOVERY_HANDLERS:
                handler(self.claimed_recovered)

    def close(self) -> None:
        """After a failure: the database thread ends before the transaction is rolled back."""
        self.database.close()

    def is_unchecked(self) -> bool:
        return self.unchecked is not None and self.database.result(self.unchecked)

    def _checks(self, model, key: str, values: list) -> list[tuple[str, list]]:
        """The set-wise check of the references of the rows just written, when PostgreSQL does
        not check them row by row."""
        return [dangling(model, key, values)] if values and self.is_unchecked() else []

    def _checks_between(self, model, low: int | None, high: int | None) -> list[tuple[str, list]]:
        """The same for the rows whose ids go from `low` to `high` (ids reserved for this chunk:
        rows of other transactions in between, checked by their triggers, are checked again)."""
        if low is None or high is None or not self.is_unchecked():
            return []
        return [dangling_between(model, low, high)]

    def _resolve(self, data: Any, found: "_Found") -> list[str]:
        persons, families, taken = found.persons, found.families, found.taken
        member, beneficiary = data.member_nir, data.beneficiary_nir
        if member not in persons:
            raise RecordError("member_nir", "aucun assuré n'a ce NIR")
        if beneficiary not in persons:
            raise RecordError("beneficiary_nir", "aucun assuré n'a ce NIR")
        if beneficiary != member and (member, beneficiary) not in families:
            raise RecordError("beneficiary_nir", "cette personne n'est pas ayant droit de l'assuré")
        if data.sick_leave_id and data.sick_leave_id not in found.leaves:
            raise RecordError("sick_leave_id", "aucun arrêt de travail importé n'a cette référence")
        own: dict[str, tuple[int, int, bool]] = {}  # external id → line, cents, deferred
        deducted_here = 0
        for index, line in enumerate(data.lines):
            for c_index, copayment in enumerate(line.copayments or ()):
                ext = copayment.external_id
                if ext in taken or ext in self.seen_copayments or ext in own:
                    raise RecordError(
                        f"lines[{index}].copayments[{c_index}].external_id",
                        "cette participation ou franchise est déjà importée",
                    )
                amount, settlement = cents(copayment.amount), copayment.settlement
                own[ext] = index, amount, settlement == "deferred"
                if settlement == "deducted":
                    deducted_here += amount
        recoveries = data.recoveries or ()
        recovered_amount = 0
        claims = []
        for index, ref in enumerate(recoveries):
            known = self.known.get(ref) or found.recoverable.get(ref)
            path = f"recoveries[{index}]"
            if known is None:
                raise RecordError(path, "aucune participation ou franchise n'a cette référence")
            if known.member != member:
                raise RecordError(
                    path, "cette participation ou franchise est celle d'une autre famille"
                )
            if not known.deferred or ref in self.recovered:
                raise RecordError(path, "cette participation ou franchise n'est plus à récupérer")
            recovered_amount += known.amount
            if known.notice:
                claims.append((ref, known.notice, Decimal(known.amount) / 100))
        if cents(data.deducted) != deducted_here + recovered_amount:
            raise RecordError(
                "deducted",
                f"déduit ici {euros(deducted_here)} et récupéré {euros(recovered_amount)} : "
                "le total ne correspond pas",
            )
        for ext, (index, amount, deferred) in own.items():
            self.seen_copayments[ext] = index
            self.known[ext] = _Known(member, amount, deferred)
        self.recovered.update(recoveries)
        self.claimed_recovered += claims
        return list(recoveries)

    def _rows(self, to_write, persons, leaves, payment_ids, line_ids, copayment_ids) -> Writes:
        """The chunk's rows, written directly in COPY's text format (ADR 0027): the free texts
        escaped (`text`), every other value bound by the schema's patterns and enums, which no
        tab, newline or backslash gets through. NULL is \\N."""
        payments: list[str] = []
        lines: list[str] = []
        copayments: list[list] = []
        recoveries: list[tuple] = []
        deferred: list[str] = []  # this chunk's deferred copayments
        for (record, recovered), payment_id in zip(to_write, payment_ids, strict=False):
            data = record.data
            member_id = persons[data.member_nir]
            beneficiary_id = persons[data.beneficiary_nir]
            paid_on = data.paid_on
            leave = leaves[data.sick_leave_id] if data.sick_leave_id else NULL
            payments.append(
                f"{payment_id}\t{data.external_id}\t{member_id}\t{beneficiary_id}\t{data.kind}\t"
                f"{paid_on}\t{data.reimbursed}\t{data.deducted}\t{data.amount}\t{data.payee}\t"
                f"{text(data.payee_name or '')}\t{data.transmission or 'none'}\t"
                f"{text(data.complementary_name or '')}\t{leave}\t{record.digest}\n"
            )
            for position, line in enumerate(data.lines, start=1):
                line_id = next(line_ids)
                lines.append(
                    f"{line_id}\t{payment_id}\t{position}\t{line.care_date}\t"
                    f"{line.period_end or NULL}\t{line.category}\t{text(line.act_code)}\t"
                    f"{text(line.act_label)}\t{text(line.professional_name or '')}\t"
                    f"{line.quantity or 1}\t{line.amount_spent}\t{line.base}\t{line.rate}\t"
                    f"{line.reimbursed}\n"
                )
                for copayment in line.copayments or ():
                    settlement = copayment.settlement
                    deducted = settlement == "deducted"
                    row = [
                        next(copayment_ids), copayment.external_id, member_id, beneficiary_id, line_id,
                        line.care_date, copayment.kind, copayment.nominal,
                        copayment.amount, SETTLEMENT_STATUS[settlement],
                        payment_id if deducted else NULL, paid_on if deducted else NULL,
                    ]  # fmt: skip
                    if settlement == "deferred":
                        self.pending[copayment.external_id] = row
                        deferred.append(copayment.external_id)
                    else:
                        copayments.append(row)
            for ref in recovered:
                pending = self.pending.get(ref)
                if pending is None:  # a copayment of an earlier file or chunk, already written
                    recoveries.append((ref, RECOVERED, payment_id, paid_on))
                else:
                    pending[-3:] = RECOVERED, payment_id, paid_on
        self.pending_chunks.append(deferred)
        while len(self.pending_chunks) > PENDING_CHUNKS:
            for ext in self.pending_chunks.popleft():
                if ext in self.pending:  # not yet written: recovered in the file or not
                    copayments.append(self.pending.pop(ext))
        return Writes(
            inserts=[
                (Payment._meta.db_table, PAYMENT_COLUMNS, "".join(payments).encode()),
                (PaymentLine._meta.db_table, LINE_COLUMNS, "".join(lines).encode()),
                (Copayment._meta.db_table, COPAYMENT_COLUMNS, _copayments_text(copayments)),
            ],
            checks=[
                *self._checks_between(Payment, first_field(payments), first_field(payments, -1)),
                *self._checks_between(PaymentLine, first_field(lines), first_field(lines, -1)),
                *self._checks(Copayment, "id", [row[0] for row in copayments]),
                *self._checks(Copayment, "external_id", [row[0] for row in recoveries]),
            ],
            updates=[
                (
                    Copayment._meta.db_table,
                    "external_id",
                    ["status", "settled_by_id", "settled_on"],
                    recoveries,
                )
            ],
        )


def _copayments_text(rows: list[list]) -> bytes:
    return "".join(
        [
            f"{i}\t{ext}\t{member}\t{person}\t{line}\t{care}\t{kind}\t{nominal}\t{amount}\t"
            f"{status}\t{settled_by}\t{settled_on}\n"
            for i, ext, member, person, line, care, kind, nominal, amount, status, settled_by, settled_on in rows
        ]
    ).encode()


def first_field(rows: list[str], index: int = 0) -> int | None:
    """The id that starts a row of COPY's text (the first, or the `index`th row)."""
    return int(rows[index].partition("\t")[0]) if rows else None


@dataclass
class _Found:
    """What the database holds about a chunk's keys."""

    persons: dict[str, int]  # NIR → id
    families: set[tuple[str, str]]  # (member's NIR, dependent's NIR)
    existing: dict[str, str]  # external id → source hash, payments already imported
    taken: set[str]  # external ids of copayments already imported
    recoverable: dict[str, _Known]  # copayments of earlier files that this chunk recovers
    leaves: dict[str, int]  # external id → id, sick leaves
    # reserved for the new payments, their lines and their copayments
    ids: tuple[list[int], list[int], list[int]] | None

    @classmethod
    def of(
        cls, rows: list[list[tuple]], ids: tuple[list[int], list[int], list[int]] | None
    ) -> "_Found":
        """What the rows of `_queries` say, read in the caller's thread."""
        persons, families, existing, taken, recoverable, leaves = rows
        persons_by_nir = dict(persons)
        return cls(
            persons=persons_by_nir,
            families={(holder, person) for holder, person in families if person in persons_by_nir},
            existing=dict(existing),
            taken={ext for (ext,) in taken},
            recoverable={
                ext: _Known(
                    nir,
                    int(Decimal(str(amount)) * 100),
                    status in RECOVERABLE,
                    notice if status == CLAIMED else "",
                )
                for ext, nir, amount, status, notice in recoverable
            },
            leaves=dict(leaves),
            ids=ids,
        )


@dataclass
class _Chunk:
    valid: list[Record] = field(default_factory=list)
    repeated: list[tuple[int, int]] = field(default_factory=list)  # (line, its first line)
    found: "Future[tuple[list[list[tuple]], tuple[list[int], list[int], list[int]] | None]] | None" = None


def _queries(valid: list[Record], wanted: set[str]) -> list[KeyQuery]:
    """A chunk's reads, independent of each other (`_Found.of` reads their rows)."""
    quote = connection.ops.quote_name
    person, dependent = quote(InsuredPerson._meta.db_table), quote(Dependent._meta.db_table)
    copayment = quote(Copayment._meta.db_table)
    members = {r.data.member_nir for r in valid}
    return [
        (  # locked as a foreign key's check would (ADR 0027): no one deletes them meanwhile
            f"SELECT nir, id FROM {person}",
            "nir",
            InsuredPerson,
            "nir",
            members | {r.data.beneficiary_nir for r in valid},
            " FOR KEY SHARE",
        ),
        (
            f"SELECT h.nir, p.nir FROM {dependent} d JOIN {person} h ON h.id = d.holder_id "
            f"JOIN {person} p ON p.id = d.person_id",
            "h.nir",
            InsuredPerson,
            "nir",
            members,
        ),
        (
            f"SELECT external_id, source_hash FROM {quote(Payment._meta.db_table)}",
            "external_id",
            Payment,
            "external_id",
            [r.data.external_id for r in valid],
        ),
        (
            f"SELECT external_id FROM {copayment}",
            "external_id",
            Copayment,
            "external_id",
            [c.external_id for r in valid for line in r.data.lines for c in line.copayments or ()],
        ),
        (
            f"SELECT c.external_id, p.nir, c.amount, c.status, c.notice_reference FROM {copayment} c "
            f"JOIN {person} p ON p.id = c.member_id",
            "c.external_id",
            Copayment,
            "external_id",
            wanted,
        ),
        (
            f"SELECT external_id, id FROM {quote(SickLeave._meta.db_table)}",
            "external_id",
            SickLeave,
            "external_id",
            {r.data.sick_leave_id for r in valid if r.data.sick_leave_id},
            " FOR KEY SHARE",
        ),
    ]


def _counts(records: list[Record]) -> tuple[int, int, int]:
    """The payments, lines and copayments of records."""
    lines = copayments = 0
    for record in records:
        for line in record.data.lines:
            lines += 1
            copayments += len(line.copayments or ())
    return len(records), lines, copayments


def _reserve(
    cursor, payments: int, lines: int, copayments: int, *, above: int = 0
) -> tuple[list[int], list[int], list[int]]:
    """Ids for `payments` payments, `lines` lines and `copayments` copayments; the unused are
    lost. `above`: the highest copayment id reserved earlier (SQLite, see `reserve_ids`)."""
    return (
        reserve_ids(Payment._meta.db_table, payments, cursor=cursor),
        reserve_ids(PaymentLine._meta.db_table, lines, cursor=cursor),
        reserve_ids(Copayment._meta.db_table, copayments, cursor=cursor, above=above),
    )
