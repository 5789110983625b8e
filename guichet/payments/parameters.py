"""The dated parameter tables: every amount, cap, tariff and rate the rules use, by date.

The values live in the `payments_parameter` table (seeded by migration 0002 from DEFAULTS below,
changed by a fund through new rows, never by editing code). `ParameterTable.load()` reads them
all in one query; `table.at(name, day)` gives the value in force that day.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

D = dt.date
RULES = "reference/rules.md §1.4"
TARIFFS = "NGAP/CCAM and ameli.fr tariff pages (approximate; not in reference/rules.md)"

# (name, valid_from, valid_to, value, label, source)
DEFAULTS: list[tuple[str, dt.date, dt.date | None, str, str, str]] = [
    # Participation forfaitaire (PF), §1.4.1
    ("flat_fee.amount", D(2005, 1, 1), D(2024, 5, 14), "1.00", "Participation forfaitaire par acte", RULES + ".1"),
    ("flat_fee.amount", D(2024, 5, 15), None, "2.00", "Participation forfaitaire par acte", RULES + ".1"),
    ("flat_fee.daily_cap", D(2005, 1, 1), None, "4.00", "Plafond journalier des participations forfaitaires", RULES + ".1"),
    ("flat_fee.annual_cap", D(2005, 1, 1), None, "50.00", "Plafond annuel des participations forfaitaires", RULES + ".1"),
    # Franchises médicales, §1.4.2
    ("deductible_medicine.amount", D(2008, 1, 1), D(2024, 3, 30), "0.50", "Franchise par boîte de médicament", RULES + ".2"),
    ("deductible_medicine.amount", D(2024, 3, 31), None, "1.00", "Franchise par boîte de médicament", RULES + ".2"),
    ("deductible_paramedical.amount", D(2008, 1, 1), D(2024, 3, 30), "0.50", "Franchise par acte paramédical", RULES + ".2"),
    ("deductible_paramedical.amount", D(2024, 3, 31), None, "1.00", "Franchise par acte paramédical", RULES + ".2"),
    ("deductible_paramedical.daily_cap", D(2008, 1, 1), D(2024, 3, 30), "2.00", "Plafond journalier des franchises paramédicales", RULES + ".2"),
    ("deductible_paramedical.daily_cap", D(2024, 3, 31), None, "4.00", "Plafond journalier des franchises paramédicales", RULES + ".2"),
    ("deductible_transport.amount", D(2008, 1, 1), D(2024, 3, 30), "2.00", "Franchise par transport sanitaire", RULES + ".2"),
    ("deductible_transport.amount", D(2024, 3, 31), None, "4.00", "Franchise par transport sanitaire", RULES + ".2"),
    ("deductible_transport.daily_cap", D(2008, 1, 1), D(2024, 3, 30), "4.00", "Plafond journalier des franchises de transport", RULES + ".2"),
    ("deductible_transport.daily_cap", D(2024, 3, 31), None, "8.00", "Plafond journalier des franchises de transport", RULES + ".2"),
    ("deductible.annual_cap", D(2008, 1, 1), None, "50.00", "Plafond annuel des franchises", RULES + ".2"),
    # Exemptions, §1.4.1 and §1.4.2 (CSS, AME and pregnancy are data of the person)
    ("exemption.minor_age", D(2005, 1, 1), None, "18", "Âge en dessous duquel on est exonéré", RULES + ".1"),
    # Tariffs (convention prices) and reimbursement rates of the régime général
    ("tariff.gp", D(2017, 5, 1), D(2023, 12, 21), "25.00", "Consultation de médecin généraliste (G)", TARIFFS),
    ("tariff.gp", D(2023, 12, 22), D(2024, 12, 21), "26.50", "Consultation de médecin généraliste (G)", TARIFFS),
    ("tariff.gp", D(2024, 12, 22), None, "30.00", "Consultation de médecin généraliste (G)", TARIFFS),
    ("tariff.specialist", D(2017, 7, 1), D(2024, 12, 21), "30.00", "Consultation de spécialiste (APC hors parcours exclu)", TARIFFS),
    ("tariff.specialist", D(2024, 12, 22), None, "31.50", "Consultation de spécialiste", TARIFFS),
    ("tariff.nurse_act", D(2019, 1, 1), None, "3.15", "Acte infirmier (AMI 1)", TARIFFS),
    ("tariff.nurse_visit", D(2019, 1, 1), None, "2.50", "Indemnité forfaitaire de déplacement infirmier", TARIFFS),
    ("tariff.physio_session", D(2019, 1, 1), D(2024, 6, 30), "16.13", "Séance de kinésithérapie (AMK 7.5)", TARIFFS),
    ("tariff.physio_session", D(2024, 7, 1), None, "17.55", "Séance de kinésithérapie (AMK 7.5)", TARIFFS),
    ("tariff.blood_test", D(2019, 1, 1), None, "24.00", "Bilan sanguin courant", TARIFFS),
    ("tariff.x_ray", D(2019, 1, 1), None, "39.90", "Radiographie standard", TARIFFS),
    ("tariff.ambulance", D(2019, 1, 1), None, "68.00", "Transport sanitaire (ambulance, forfait et distance)", TARIFFS),
    ("tariff.dental_care", D(2019, 1, 1), None, "33.74", "Soin dentaire conservateur", TARIFFS),
    ("tariff.hospital_day", D(2019, 1, 1), None, "20.00", "Forfait journalier hospitalier", TARIFFS),
    ("rate.gp", D(2005, 1, 1), None, "70", "Taux : consultations", TARIFFS),
    ("rate.specialist", D(2005, 1, 1), None, "70", "Taux : consultations", TARIFFS),
    ("rate.pharmacy_major", D(2005, 1, 1), None, "65", "Taux : médicaments à service médical rendu majeur", TARIFFS),
    ("rate.pharmacy_moderate", D(2005, 1, 1), None, "30", "Taux : médicaments à service médical rendu modéré", TARIFFS),
    ("rate.paramedical", D(2005, 1, 1), None, "60", "Taux : auxiliaires médicaux", TARIFFS),
    ("rate.laboratory", D(2005, 1, 1), None, "60", "Taux : analyses de biologie", TARIFFS),
    ("rate.radiology", D(2005, 1, 1), None, "70", "Taux : radiologie", TARIFFS),
    ("rate.transport", D(2005, 1, 1), None, "55", "Taux : transports sanitaires", TARIFFS),
    ("rate.dental", D(2005, 1, 1), None, "70", "Taux : soins dentaires", TARIFFS),
    ("rate.hospital", D(2005, 1, 1), None, "80", "Taux : hospitalisation", TARIFFS),
    ("rate.full", D(2005, 1, 1), None, "100", "Taux : prise en charge à 100 % (maternité, ALD, AT)", TARIFFS),
    # Daily allowances (IJ maladie): half the daily base wage, up to a ceiling
    ("daily_allowance.rate", D(2005, 1, 1), None, "50", "IJ : part du salaire journalier de base", TARIFFS),
    ("daily_allowance.max", D(2024, 1, 1), D(2025, 3, 31), "52.28", "IJ maladie : montant journalier maximal", TARIFFS),
    ("daily_allowance.max", D(2025, 4, 1), None, "41.95", "IJ maladie : montant journalier maximal", TARIFFS),
    ("daily_allowance.waiting_days", D(2005, 1, 1), None, "3", "IJ maladie : jours de carence", TARIFFS),
    # Income tax on daily allowances: IJ of a work accident or an occupational disease are taxable
    # for half their amount since 2010 (code général des impôts, art. 80 quinquies); IJ of illness
    # and maternity for their whole amount.
    ("daily_allowance.taxable_share.work_accident", D(2010, 1, 1), None, "50", "IJ AT/MP : part imposable (%)", "CGI art. 80 quinquies"),
    ("daily_allowance.taxable_share.other", D(2010, 1, 1), None, "100", "IJ maladie et maternité : part imposable (%)", "CGI art. 80 quinquies"),
]  # fmt: skip


def format_number(value: Decimal) -> str:
    """A parameter's value as a French reader writes it: 2, 0,5, 52,28."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


class MissingParameter(LookupError):
    """No row of the table covers that name on that day: a gap a fund must fill."""


@dataclass(frozen=True)
class _Period:
    valid_from: dt.date
    valid_to: dt.date | None
    value: Decimal


class ParameterTable:
    """All dated values, held in memory for the rules (a few dozen rows)."""

    def __init__(self, rows):
        periods: dict[str, list[_Period]] = defaultdict(list)
        for name, valid_from, valid_to, value in rows:
            periods[name].append(_Period(valid_from, valid_to, Decimal(value)))
        self._periods = {name: sorted(p, key=lambda x: x.valid_from) for name, p in periods.items()}
        self._starts = {name: [p.valid_from for p in ps] for name, ps in self._periods.items()}

    @classmethod
    def load(cls) -> "ParameterTable":
        """The table's rows (1 query); a rule with no row at all takes the shipped DEFAULTS, so
        that a fund's rows for a rule replace Guichet's for that rule, whole."""
        from guichet.payments.models import Parameter

        rows: list[tuple] = list(
            Parameter.objects.values_list("name", "valid_from", "valid_to", "value")
        )
        named = {row[0] for row in rows}
        rows += [
            (n, start, end, value) for n, start, end, value, _, _ in DEFAULTS if n not in named
        ]
        return cls(rows)

    @classmethod
    def defaults(cls) -> "ParameterTable":
        """The values shipped with Guichet, without a database (tests of pure rules)."""
        return cls((name, start, end, value) for name, start, end, value, _, _ in DEFAULTS)

    def at(self, name: str, day: dt.date) -> Decimal:
        periods = self._periods.get(name)
        if not periods:
            raise MissingParameter(f"Unknown parameter {name!r}")
        index = bisect.bisect_right(self._starts[name], day) - 1
        if index >= 0:
            period = periods[index]
            if period.valid_to is None or day <= period.valid_to:
                return period.value
        raise MissingParameter(f"No value of {name!r} on {day:%Y-%m-%d}")

    def names(self) -> list[str]:
        return sorted(self._periods)
