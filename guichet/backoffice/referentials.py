"""Reference data a fund maintains, editable by a superviseur: a registry of tables.

Each table names how to list the fund's rows, the form that validates a change, and the owning
app's service that applies it. Every change is journaled with its before/after values, so the
journal is the table's history (ADR 0023). Funds and the payments' dated parameter
tables (ADR 0042: rows are added, each a period) are here; agencies and complementary insurers
register theirs when their apps land.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class ReferenceTable:
    slug: str  # French URL segment: "caisses"
    title: str  # "Caisses"
    description: str
    rows: Callable[[Any], QuerySet]  # the rows a fund's superviseur sees, given their fund
    columns: list[tuple[str, str]]  # (heading, attribute) for the list
    form: type  # a GuichetForm; its fields are the editable attributes
    update: Callable[..., Model]  # the owner's service: update(row=…, actor=…, **cleaned_data)
    field_labels: dict[str, str]  # for the history: field name → French label
    # A table whose rows are added (dated values): the form made from the POST data (or None),
    # the owner's service add(actor=…, **cleaned_data), and the button's words.
    add_form: Callable[[Any], Any] | None = None
    add: Callable[..., Model] | None = None
    add_title: str = ""


TABLES: dict[str, ReferenceTable] = {}


def register(table: ReferenceTable) -> ReferenceTable:
    TABLES[table.slug] = table
    return table


def register_builtin_tables() -> None:
    from guichet.backoffice.forms import FundForm
    from guichet.insured import services as insured_services
    from guichet.insured.models import Fund

    def fund_rows(fund):
        # A superviseur maintains their own fund's record; the other funds maintain theirs.
        return Fund.objects.filter(pk=fund.pk)

    register(
        ReferenceTable(
            slug="caisses",
            title="Caisse",
            description="Le nom, l'adresse et le téléphone de votre caisse, tels que les assurés les voient.",
            rows=fund_rows,
            columns=[("Code d'organisme", "code_display"), ("Nom", "name"), ("Téléphone", "phone")],
            form=FundForm,
            update=lambda *, row, actor, **data: insured_services.update_fund(
                fund=row, actor=actor, **data
            ),
            field_labels={
                name: str(Fund._meta.get_field(name).verbose_name)
                for name in insured_services.FUND_EDITABLE_FIELDS
            },
        )
    )

    register(parameters_table())


def parameters_table() -> ReferenceTable:
    from guichet.backoffice.forms import ParameterAddForm, ParameterForm
    from guichet.payments import services as payment_services
    from guichet.payments.models import Parameter

    labels = {name: str(Parameter._meta.get_field(name).verbose_name) for name in
              ("name", "valid_from", *payment_services.PARAMETER_EDITABLE_FIELDS)}  # fmt: skip
    return ReferenceTable(
        slug="parametres-paiements",
        title="Paramètres des remboursements",
        description="Les montants, plafonds, tarifs et taux datés que le calcul des "
        "remboursements applique (participations forfaitaires, franchises, tarifs, taux, IJ).",
        # National figures: every fund's superviseur reads the same rows.
        rows=lambda fund: Parameter.objects.order_by("name", "valid_from"),
        columns=[
            ("Paramètre", "label"),
            ("Code", "name"),
            ("Du", "valid_from_display"),
            ("Au", "valid_to_display"),
            ("Valeur", "value_display"),
        ],
        form=ParameterForm,
        update=lambda *, row, actor, **data: payment_services.update_parameter(
            row=row, actor=actor, **data
        ),
        field_labels=labels,
        add_form=lambda data: ParameterAddForm(data, names=payment_services.parameter_names()),
        add=payment_services.add_parameter,
        add_title="Ajouter une valeur datée",
    )
