"""The attestation de droits lists each person's exonérations du ticket modérateur in plain
French, for that person only, never the condition behind an ALD; the signed code and the public
verification page do not carry them (ADR 0029)."""

import datetime as dt

import pytest

from guichet.core.tests.pages import page_words as text
from guichet.documents import selectors, signing
from guichet.documents.models import IssuedDocument
from guichet.documents.tests.helpers import decode_2d_codes, read
from guichet.insured.enums import PatientShareExemptionKind as Kind
from guichet.insured.models import Dependent
from guichet.insured.tests.factories import InsuredPersonFactory, PatientShareExemptionFactory
from guichet.payments.tests.test_views import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]  # seed 002's day
URL = "/mes-demarches/attestation-de-droits/"
ALD_LINE = "Exonération du ticket modérateur : affection de longue durée (ALD) depuis le 12/03/2021"


@pytest.fixture
def children(member):
    return [
        d.person for d in Dependent.objects.filter(holder=member).order_by("person__birth_date")
    ]


def exemptions_cells(pdf: str, people) -> dict[str, str]:
    """What the table "Médecin traitant et exonérations" says of each person, doctor excluded:
    the text from the end of their doctor cell to the next person's name."""
    table = pdf.split("Médecin traitant et exonérations", 1)[1]
    table = table.split("Bénéficiaire Médecin traitant Exonérations", 1)[1]
    table = table.split("Cette attestation justifie", 1)[0]
    cells, names = {}, [p.full_name for p in people]
    for index, name in enumerate(names):
        row = table.split(name, 1)[1]
        if index + 1 < len(names):
            row = row.split(names[index + 1], 1)[0]
        cells[name] = row.replace("aucun médecin traitant déclaré", "", 1).strip()
    return cells


def test_the_family_attestation_shows_the_ald_for_its_person_only(signed_in, member, children):
    PatientShareExemptionFactory(person=children[1], start_on=dt.date(2021, 3, 12))

    pdf = read(signed_in.post(URL, {"beneficiaire": "famille"}).content)

    assert exemptions_cells(pdf, [member, *children]) == {
        member.full_name: "aucune",
        children[0].full_name: "aucune",
        children[1].full_name: ALD_LINE,
    }
    assert pdf.count("ticket modérateur") == 1


def test_an_exemption_with_an_end_says_until_when_and_each_has_its_own_line(
    signed_in, member, children
):
    PatientShareExemptionFactory(
        person=member,
        kind=Kind.WORK_INJURY_PENSION,
        start_on=dt.date(2019, 6, 3),
        end_on=dt.date(2029, 6, 2),
    )
    PatientShareExemptionFactory(person=member, start_on=dt.date(2023, 1, 9))
    member.css, member.css_until = "free", dt.date(2027, 3, 31)
    member.save()

    pdf = read(signed_in.post(URL, {"beneficiaire": "famille"}).content)

    assert exemptions_cells(pdf, [member, *children])[member.full_name] == (
        "Complémentaire santé solidaire sans participation jusqu'au 31/03/2027 "
        "Exonération du ticket modérateur : rente d'accident du travail ou de maladie "
        "professionnelle (incapacité d'au moins 66,66 %) depuis le 03/06/2019 jusqu'au "
        "02/06/2029 "
        "Exonération du ticket modérateur : affection de longue durée (ALD) depuis le 09/01/2023"
    )


def test_an_exemption_over_or_not_begun_on_the_day_of_issue_is_not_shown(
    signed_in, member, children
):
    PatientShareExemptionFactory(person=member, ended=True)
    PatientShareExemptionFactory(person=children[0], start_on=TODAY + dt.timedelta(days=1))
    PatientShareExemptionFactory(person=children[1], start_on=TODAY, end_on=TODAY)

    pdf = read(signed_in.post(URL, {"beneficiaire": "famille"}).content)

    cells = exemptions_cells(pdf, [member, *children])
    assert cells[member.full_name] == "aucune" and cells[children[0].full_name] == "aucune"
    assert cells[children[1].full_name] == (
        "Exonération du ticket modérateur : affection de longue durée (ALD) depuis le "
        "22/11/2026 jusqu'au 22/11/2026"
    )


def test_a_one_person_attestation_shows_their_exemption_not_the_familys(signed_in, children):
    PatientShareExemptionFactory(person=children[0], kind=Kind.INVALIDITY)

    mine = read(signed_in.post(URL, {"beneficiaire": str(children[0].pk)}).content)
    sisters = read(signed_in.post(URL, {"beneficiaire": str(children[1].pk)}).content)

    assert "Exonération du ticket modérateur : pension d'invalidité depuis le 12/03/2021" in mine
    assert "ticket modérateur" not in sisters and "invalidité" not in sisters


def test_neither_the_signed_code_nor_the_verification_page_tells_of_an_ald(
    client, signed_in, member
):
    PatientShareExemptionFactory(person=member)
    response = signed_in.post(URL, {"beneficiaire": str(member.pk)})
    [scanned] = decode_2d_codes(response.content)
    document = IssuedDocument.objects.get()
    signed_in.logout()

    fields = signing.parse(scanned)[1].fields
    page = text(client.post("/verifier-une-attestation/", {"code": document.short_code}))

    assert [di for di, _ in fields] == ["DN", "OR", "ON", "NM", "NE", "DD"]
    assert "Attestation authentique." in page and signing.plain(member.full_name) in page
    certified = page.split("Ce que certifie ce document", 1)[1].split("Comparez", 1)[0]
    assert f"né(e) le {member.birth_date:%d/%m/%Y}" in certified
    for word in ("ALD", "longue durée", "modérateur", "xonération", "12/03/2021"):
        assert word not in certified
    assert (
        "Les exonérations du ticket modérateur imprimées sur une attestation de droits ne " in page
    )


def test_coverage_of_reads_the_exemptions_of_the_whole_family_in_the_same_queries(
    django_assert_num_queries,
):
    for count in (0, 4):
        holder = InsuredPersonFactory(with_dependents=count)
        for link in holder.dependents.all():
            PatientShareExemptionFactory(person=link.person)

        with django_assert_num_queries(4):  # links both ways, both exemptions
            covered = selectors.coverage_of(holder=holder, day=TODAY)

        assert [len(entry.exemptions) for entry in covered] == [0] + [1] * count
