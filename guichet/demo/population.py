"""The demo population, built from the seeds' people (docs/demo.md lists them).

Every member with an account uses the personal code DEMO_CODE. Later issues add their data
(payments, debts, contracts...) to these same persons.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.debts import services as debt_services
from guichet.identity import services as identity_services
from guichet.identity.enums import AgentRole
from guichet.identity.models import Account
from guichet.insured import services as insured_services
from guichet.insured.enums import CssKind, PatientShareExemptionKind, Regime, Relationship, Sex
from guichet.insured.models import Fund, InsuredPerson
from guichet.messaging import services as messaging_services
from guichet.workqueues import services as work_services

DEMO_CODE = "Guichet-2026"
AGENT_PASSWORD = "Guichet-Agent-2026"
PARIS = ZoneInfo("Europe/Paris")

FUNDS = [
    {"code": "010111411", "name": "CPAM de l'Ain", "address_line1": "1 place de la Grenouillère",
     "postal_code": "01000", "city": "BOURG-EN-BRESSE", "phone": "3646"},
    {"code": "017811000", "name": "CPAM des Yvelines", "address_line1": "92 avenue de Paris",
     "postal_code": "78000", "city": "VERSAILLES", "phone": "3646"},
    {"code": "019511000", "name": "CPAM du Val-d'Oise", "address_line1": "2 rue des Chauffours",
     "postal_code": "95000", "city": "CERGY", "phone": "3646"},
    {"code": "013111000", "name": "CPAM de la Haute-Garonne", "address_line1": "3 boulevard du Professeur Léopold Escande",
     "postal_code": "31000", "city": "TOULOUSE", "phone": "3646"},
]  # fmt: skip

HOURS = "Du lundi au vendredi, de 8h30 à 12h30 et de 13h30 à 16h30."
AGENCIES = [
    ("010111411", "Agence de AMBERIEU-EN-BUGEY", "46 Rue Aristide Briand", "01500",
     "AMBERIEU-EN-BUGEY", True),
    ("010111411", "Agence de BOURG-EN-BRESSE", "1 place de la Grenouillère", "01000",
     "BOURG-EN-BRESSE", True),
    ("010111411", "Agence de OYONNAX", "12 rue Anatole France", "01100", "OYONNAX", False),
    ("017811000", "Agence de VERSAILLES", "92 avenue de Paris", "78000", "VERSAILLES", True),
    ("017811000", "Agence de MANTES-LA-JOLIE", "5 rue de la Sangle", "78200", "MANTES-LA-JOLIE",
     True),
    ("019511000", "Agence de CERGY", "2 rue des Chauffours", "95000", "CERGY", True),
    ("013111000", "Agence de TOULOUSE", "3 boulevard du Professeur Léopold Escande", "31000",
     "TOULOUSE", True),
]  # fmt: skip


@dataclass
class Persona:
    """One demo person; `account` says whether they have an online account already."""

    fund: str
    nir15: str
    sex: str
    birth_date: dt.date
    birth_name: str
    first_names: str
    account: bool = True
    last_login: dt.datetime | None = None
    dependents: list["Persona"] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    note: str = ""

    @property
    def login(self) -> str:
        n = self.nir15
        return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]}"


def _css_period_end(today: dt.date | None = None) -> dt.date:
    """The end of a Complémentaire santé solidaire granted each 1 June for a year: the next
    31 May, so that the demo's CSS is current whenever the demo is loaded."""
    today = today or dt.date.today()
    end = dt.date(today.year, 5, 31)
    return end if end >= today else dt.date(today.year + 1, 5, 31)


def _bank(iban: str, bic: str, holder: str) -> dict:
    return {"iban": iban, "bic": bic, "bank_account_holder": holder}


PERSONAS = [
    Persona(
        "010111411", "183027505612341", Sex.MALE, dt.date(1983, 2, 25), "BELAGE", "Pierre",
        last_login=dt.datetime(2026, 10, 2, 9, 41, tzinfo=PARIS),
        fields={
            "address_line2": "12 RUE DES TILLEULS", "postal_code": "01500", "city": "AMBERIEU-EN-BUGEY",
            "email": "pierre.belage@example.org", "mobile_phone": "+33612345678",
            "rights_opened_on": dt.date(2001, 9, 1),
            "referring_doctor_name": "MARTIN SOPHIE", "referring_doctor_specialty": "Médecine générale",
            "referring_doctor_declared_on": dt.date(2015, 6, 3),
            **_bank("FR5410278073140002040580146", "CMCIFR2A", "M. PIERRE BELAGE"),
        },
        note="il aura des créances à payer (seed 000)",
    ),
    Persona(
        "010111411", "174117127010258", Sex.MALE, dt.date(1974, 11, 22), "ZOVI", "Renaldo",
        last_login=dt.datetime(2020, 3, 12, 10, 15, tzinfo=PARIS),
        fields={
            "address_line2": "8 CHEMIN DES VIGNES", "postal_code": "01500", "city": "AMBERIEU-EN-BUGEY",
            "email": "renaldo.zovi@example.org", "rights_opened_on": dt.date(1994, 9, 1),
            "referring_doctor_name": "PRUDHON PHILIPPE", "referring_doctor_specialty": "Médecine générale",
            "referring_doctor_declared_on": dt.date(2008, 4, 24),
            **_bank("FR2930004008100001234567890", "BNPAFRPP", "M. RENALDO ZOVI"),
        },
        dependents=[
            Persona("010111411", "202050105302187", Sex.FEMALE, dt.date(2002, 5, 18), "ZOVI", "Noémie", account=False,
                    fields={"rights_opened_on": dt.date(2002, 5, 18)}),
            Persona("010111411", "205100105303407", Sex.FEMALE, dt.date(2005, 10, 10), "ZOVI", "Serena", account=False,
                    fields={"rights_opened_on": dt.date(2005, 10, 10)}),
            Persona("010111411", "108080105304561", Sex.MALE, dt.date(2008, 8, 29), "ZOVI", "Batiste", account=False,
                    fields={"rights_opened_on": dt.date(2008, 8, 29),
                            "referring_doctor_name": "PRUDHON PHILIPPE",
                            "referring_doctor_specialty": "Médecine générale",
                            "referring_doctor_declared_on": dt.date(2024, 9, 2)}),
        ],
        note="3 ayants droit ; il aura le chevauchement de complémentaires (seed 003)",
    ),
    Persona(
        "010111411", "268040105416657", Sex.FEMALE, dt.date(1968, 4, 3), "BERNARD", "Martine",
        last_login=dt.datetime(2026, 10, 2, 9, 40, tzinfo=PARIS),
        fields={
            "address_line2": "22 RUE NEUVE", "postal_code": "01000", "city": "BOURG-EN-BRESSE",
            "email": "martine.bernard@example.org", "rights_opened_on": dt.date(1988, 9, 1),
            # her CSS contract (demo/complementary.py) since 01/06/2025, renewed each year
            "css": CssKind.FREE, "css_until": _css_period_end(),
            **_bank("FR7630004000031234567890143", "BNPAFRPP", "MME MARTINE BERNARD"),
        },
        note="chevauchement avec une Complémentaire santé solidaire : choix en ligne exclu "
        "(seed 003) ; en ALD depuis le 12/03/2021",
    ),
    Persona(
        "010111411", "177090105426139", Sex.MALE, dt.date(1977, 9, 21), "HADDAD", "Karim",
        last_login=dt.datetime(2026, 10, 20, 19, 5, tzinfo=PARIS),
        fields={
            "address_line2": "6 RUE DES TILLEULS", "postal_code": "01000", "city": "BOURG-EN-BRESSE",
            "email": "karim.haddad@example.org", "rights_opened_on": dt.date(1997, 9, 1),
            **_bank("FR1610096331252716956003130", "CMCIFRPP", "M. KARIM HADDAD"),
        },
        dependents=[
            Persona("010111411", nir, sex, born, "HADDAD", first, account=False,
                    fields={"rights_opened_on": born})
            for nir, sex, born, first in [
                ("206030105435478", Sex.FEMALE, dt.date(2006, 3, 2), "Inès"),
                ("109070105435544", Sex.MALE, dt.date(2009, 7, 14), "Yanis"),
                ("112110105435657", Sex.MALE, dt.date(2012, 11, 5), "Adam"),
                ("215020105435706", Sex.FEMALE, dt.date(2015, 2, 17), "Lina"),
            ]
        ],
        note="chevauchement pour 5 personnes : choix en ligne exclu (seed 003)",
    ),
    Persona(
        "017811000", "295097836104265", Sex.FEMALE, dt.date(1995, 9, 28), "LATOURNERIE", "Marina",
        last_login=dt.datetime(2024, 11, 5, 16, 17, tzinfo=PARIS),
        fields={
            "address_line1": "APP M501", "address_line2": "130 RTE DE HOUDAN", "postal_code": "78711",
            "city": "MANTES LA VILLE", "email": "marina.latournerie@example.org",
            "rights_opened_on": dt.date(2013, 9, 1),
            **_bank("FR1420041010050500013M02606", "PSSTFRPP", "MME MARINA LATOURNERIE"),
        },
        note="ses paiements de novembre (seed 002)",
    ),
    Persona(
        "010111411", "288100105308758", Sex.FEMALE, dt.date(1988, 10, 14), "PETIT", "Jessica",
        last_login=dt.datetime(2019, 5, 24, 15, 38, tzinfo=PARIS),
        fields={
            "address_line2": "5 RUE DE LA GARE", "postal_code": "01500", "city": "AMBERIEU-EN-BUGEY",
            "email": "jessica.petit@example.org", "mobile_phone": "+33606060606",
            "rights_opened_on": dt.date(2007, 9, 1),
            **_bank("FR9017806000140412345678935", "AGRIFRPP878", "MME JESSICA PETIT"),
        },
        note="ses rendez-vous et ses paiements à transmettre (seed 004)",
    ),
    Persona(
        "010111411", "179030105309937", Sex.MALE, dt.date(1979, 3, 12), "RICHARD", "Paul",
        last_login=dt.datetime(2026, 9, 14, 18, 2, tzinfo=PARIS),
        fields={
            "address_line2": "17 AVENUE ROGER SALENGRO", "postal_code": "01500",
            "city": "AMBERIEU-EN-BUGEY", "email": "paul.richard@example.org",
            "rights_opened_on": dt.date(1998, 9, 1),
            **_bank("FR3430004008100009876543210", "BNPAFRPP", "M. PAUL RICHARD"),
        },
        note="bloqué après 5 codes erronés : sa demande de déblocage attend dans la file des agents",
    ),
    Persona(
        "013111000", "290103155501273", Sex.FEMALE, dt.date(1990, 10, 31), "DUPONT", "Eva",
        fields={
            "address_line2": "27 ALLEE JEAN JAURES", "postal_code": "31000", "city": "TOULOUSE",
            "email": "eva.dupont@example.org", "rights_opened_on": dt.date(2009, 9, 1),
            "contact_by_sms": True, "mobile_phone": "+33711223344",
            **_bank("FR9313106005002000123456789", "AGRIFRPP831", "MME EVA DUPONT"),
        },
    ),
    Persona(
        "019511000", "282029504619915", Sex.FEMALE, dt.date(1982, 2, 14), "LAMBERT", "Sarah", account=False,
        fields={
            "address_line2": "14 RUE DES CHAUFFOURS", "postal_code": "95000", "city": "CERGY",
            "rights_opened_on": dt.date(2000, 9, 1),
            **_bank("FR7630006000011234567890189", "AGRIFRPPXXX", "MME SARAH LAMBERT"),
        },
        note="sans compte : pour essayer la création de compte (seed 004)",
    ),
    Persona(
        "010111411", "190059935001190", Sex.MALE, dt.date(1990, 5, 12), "KARIMI", "Youssef", account=False,
        fields={
            "address_line2": "3 RUE DU MARCHE", "postal_code": "01000", "city": "BOURG-EN-BRESSE",
            "regime": Regime.AME, "rights_opened_on": dt.date(2025, 3, 1),
        },
        note="sans compte, bénéficiaire de l'AME : la création de compte lui est refusée",
    ),
    Persona(
        "010111411", "185026912307880", Sex.MALE, dt.date(1985, 2, 8), "MOREAU", "Lucas", account=False,
        fields={
            "address_line2": "40 AVENUE DE LYON", "postal_code": "01000", "city": "BOURG-EN-BRESSE",
            "rights_opened_on": dt.date(2004, 9, 1), "rights_closed_on": dt.date(2025, 12, 31),
            **_bank("FR5110096000302345678901225", "CMCIFRPP", "M. LUCAS MOREAU"),
        },
        note="sans compte, droits fermés : la création de compte lui est refusée",
    ),
    # Two perfect homonyms (same names, sex, birth date and commune): FranceConnect's identité
    # pivot cannot tell them apart, so Guichet must not choose (issue 8).
    Persona(
        "010111411", "291066912304527", Sex.FEMALE, dt.date(1991, 6, 7), "MARTIN", "Camille", account=False,
        fields={
            "address_line2": "2 PLACE BELLECOUR", "postal_code": "01000", "city": "BOURG-EN-BRESSE",
            "rights_opened_on": dt.date(2010, 9, 1),
        },
        note="homonyme parfaite d'une autre assurée : FranceConnect ne peut pas la retrouver",
    ),
    Persona(
        "010111411", "291066912304626", Sex.FEMALE, dt.date(1991, 6, 7), "MARTIN", "Camille", account=False,
        fields={
            "address_line2": "15 RUE DE LA REPUBLIQUE", "postal_code": "01500", "city": "AMBERIEU-EN-BUGEY",
            "rights_opened_on": dt.date(2012, 9, 1),
        },
        note="homonyme parfaite d'une autre assurée : FranceConnect ne peut pas la retrouver",
    ),
]  # fmt: skip


@dataclass
class DemoAgent:
    """One agent per role at the CPAM de l'Ain, and a conseiller at the CPAM de la Haute-Garonne
    who answers Eva DUPONT; their TOTP secrets are fixed so that the demo works with an
    authenticator app (docs/demo.md)."""

    role: str
    first_name: str
    last_name: str
    email: str
    totp_secret: str
    fund: str = "010111411"


AGENTS = [
    DemoAgent(AgentRole.ADVISER, "Claire", "MARTIN", "claire.martin@cpam-ain.example",
              "DEMOCONSEILLERAINGUICHETAGENT234"),
    DemoAgent(AgentRole.CASE_WORKER, "Julien", "ROUX", "julien.roux@cpam-ain.example",
              "DEMOGESTIONNAIREAINGUICHETAGENT2"),
    DemoAgent(AgentRole.ACCOUNTANT, "Amina", "BENALI", "amina.benali@cpam-ain.example",
              "DEMOCOMPTABLEAINGUICHETAGENT2345"),
    DemoAgent(AgentRole.SUPERVISOR, "Sophie", "GARNIER", "sophie.garnier@cpam-ain.example",
              "DEMOSUPERVISEURAINGUICHETAGENT23"),
    DemoAgent(AgentRole.ADVISER, "Thomas", "LEROY", "thomas.leroy@cpam-haute-garonne.example",
              "DEMOCONSEILLERHAUTEGARONNEAGENT2", fund="013111000"),
]  # fmt: skip

# Paul RICHARD is locked out and asked his fund to unlock him: an item in the agents' queue.
LOCKED_NIR = "179030105309937"


def ensure_agents() -> int:
    """Create the demo agents that are missing (they survive `load_demo --reset`)."""
    funds = {fund.code: fund for fund in Fund.objects.filter(code__in={a.fund for a in AGENTS})}
    created = 0
    for agent in AGENTS:
        if Account.objects.filter(identifier=agent.email).exists() or agent.fund not in funds:
            continue
        identity_services.create_agent(
            fund=funds[agent.fund],
            role=agent.role,
            first_name=agent.first_name,
            last_name=agent.last_name,
            email=agent.email,
            password=AGENT_PASSWORD,
            totp_secret=agent.totp_secret,
            actor=SYSTEM,
        )
        created += 1
    return created


def _lock_out(nir15: str) -> None:
    """A member who typed 5 wrong codes, then asked to be unlocked."""
    account = Account.objects.select_related("insured_person").get(identifier=nir15[:13])
    Account.objects.filter(pk=account.pk).update(
        locked_until=timezone.now() + dt.timedelta(hours=24), lock_count=1
    )
    identity_services.request_unlock(
        nir13=nir15[:13], birth_date=account.person.birth_date, actor=SYSTEM
    )


def all_personas() -> list[Persona]:
    return [p for persona in PERSONAS for p in (persona, *persona.dependents)]


def is_loaded() -> bool:
    return InsuredPerson.objects.filter(nir=PERSONAS[0].nir15[:13]).exists()


@transaction.atomic
def load() -> int:
    """Create the demo funds, persons, dependants, cards and accounts; returns how many persons."""
    funds = {data["code"]: insured_services.register_fund(**data) for data in FUNDS}
    created = 0
    for persona in PERSONAS:
        holder = _register(persona, funds)
        created += 1
        for dependent in persona.dependents:
            person = _register(dependent, funds, address_of=persona)
            insured_services.attach_dependent(
                holder=holder,
                person=person,
                relationship=Relationship.CHILD,
                attached_on=dependent.birth_date,
                actor=SYSTEM,
            )
            created += 1
        if persona.account:
            identity_services.open_active_account(
                person=holder, code=DEMO_CODE, actor=SYSTEM, last_login=persona.last_login
            )
    from guichet.demo import complementary, history  # issues 7 and 4
    from guichet.payments.services import ensure_shipped_parameters

    ensure_shipped_parameters()  # the parameter tables the liquidation and the back office read
    # Before the payments: the history says itself since when each transmission is blocked.
    complementary.load()
    history.load()
    from guichet.demo import debts  # Pierre BELAGE's payment notices (issue 5)

    debts.load()
    ensure_agents()
    ensure_agencies(funds)
    _lock_out(LOCKED_NIR)
    _messages()
    _patient_share_exemptions()
    return created


def ensure_agencies(funds: dict[str, Fund]) -> None:
    """A few agencies per demo fund, each added once (a superviseur may have edited them)."""
    for code, name, address, postal_code, city, accessible in AGENCIES:
        if not funds[code].agencies.filter(name=name).exists():
            insured_services.add_agency(fund=funds[code], actor=SYSTEM, name=name,
                                        address=address, postal_code=postal_code, city=city,
                                        phone="3646", opening_hours=HOURS,
                                        accessible=accessible, open=True)  # fmt: skip


EVA_NIR = "290103155501273"


def _messages() -> None:
    """Eva DUPONT's inbox (seed 002): a welcome message and an acknowledgment, unread, and a
    notification; no e-mail, the demo mailbox stays for codes."""
    messaging_services.ensure_reference_data()
    eva = InsuredPerson.objects.get(nir=EVA_NIR[:13])
    messaging_services.deliver_message(
        person=eva,
        subject="Bienvenue dans votre compte",
        body="Bonjour,\n\nVotre compte est ouvert. Vous y suivez vos remboursements, vous faites "
        "vos démarches et vous nous écrivez depuis « Ma messagerie » (« J'ai une question »).\n\n"
        "Avec toute notre attention,\nVotre caisse d'Assurance Maladie.",
        notify_by_email=False,
    )
    messaging_services.deliver_message(
        person=eva,
        subject="Accusé de réception de votre déclaration de changement d'adresse postale",
        body="Madame,\n\nNous accusons réception de votre déclaration de changement d'adresse "
        "postale.\n\nPour tout renseignement complémentaire concernant votre démarche, vous "
        "pouvez nous contacter dans la rubrique « Ma messagerie / Écrire un message ».\n\n"
        "Avec toute notre attention,\nVotre caisse d'Assurance Maladie.",
        kind="acknowledgment",
        notify_by_email=False,
    )
    messaging_services.notify(
        person=eva,
        text="Vous pouvez recevoir chaque semaine un e-mail qui vous dit quels jours des "
        "paiements vous concernant ont été faits.",
        url=reverse("messaging:payment_information"),
        kind="payments",
    )


MARTINE_NIR = "268040105416657"
MARTINE_ALD_SINCE = dt.date(2021, 3, 12)


def _patient_share_exemptions() -> None:
    """Martine BERNARD, 58, is in ALD (an affection de longue durée exonérante) since 2021, with
    no end date: her attestation de droits says so, and never which condition."""
    insured_services.record_patient_share_exemption(
        person=InsuredPerson.objects.get(nir=MARTINE_NIR[:13]),
        kind=PatientShareExemptionKind.LONG_TERM_ILLNESS,
        start_on=MARTINE_ALD_SINCE,
        actor=SYSTEM,
    )


ADDRESS_FIELDS = ("address_line1", "address_line2", "address_line3", "postal_code", "city")


def _register(
    persona: Persona, funds: dict[str, Fund], address_of: Persona | None = None
) -> InsuredPerson:
    """One person; a dependant lives at the holder's address."""
    fields = dict(persona.fields)
    if address_of is not None:
        fields |= {
            name: address_of.fields[name] for name in ADDRESS_FIELDS if name in address_of.fields
        }
    person = insured_services.register_person(
        fund=funds[persona.fund],
        nir15=persona.nir15,
        sex=persona.sex,
        birth_date=persona.birth_date,
        birth_name=persona.birth_name,
        first_names=persona.first_names,
        actor=SYSTEM,
        **fields,
    )
    if persona.birth_date <= timezone.localdate().replace(year=timezone.localdate().year - 16):
        serial = f"{persona.nir15[:10]}{persona.birth_date:%y}"
        insured_services.issue_vitale_card(
            person=person, serial_number=serial, issued_on=dt.date(2020, 1, 15)
        )
    return person


@transaction.atomic
def remove() -> int:
    """Take the demo persons out of the registry (their audit trail stays: it is append-only)."""
    nirs = [persona.nir15[:13] for persona in all_personas()]
    person_ids = list(InsuredPerson.objects.filter(nir__in=nirs).values_list("pk", flat=True))
    work_services.delete_items_of_demo(person_ids=person_ids)
    debt_services.delete_debts_of_demo(person_ids=person_ids)
    identity_services.delete_accounts_of_demo(nirs=nirs)
    return insured_services.remove_persons(nirs=nirs)
