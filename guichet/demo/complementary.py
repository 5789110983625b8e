"""The demo's complementary contracts (seed 003, issue 7), imported through the contracts feed so
that the overlaps are detected as in production: Renaldo ZOVI's family chooses online; Martine
BERNARD's overlap involves a Complémentaire santé solidaire and Karim HADDAD's concerns 5 persons,
so both go to the back office's queue."""

import json

from guichet.core.actors import SYSTEM
from guichet.payments import services as payment_services

RENALDO_FAMILY = ["174117127010258", "202050105302187", "205100105303407", "108080105304561"]
MARTINE = "268040105416657"
HADDAD_FAMILY = ["177090105426139", "206030105435478", "109070105435544", "112110105435657",
                 "215020105435706"]  # fmt: skip

AIN = ("01000123", "LES MUTUELLES DE L'AIN 2")
BALOISE = ("75000456", "LA BALOISE ASSURANCES")
MGEN = ("77567227", "MGEN")
CPAM_CSS = ("01011141", "CPAM DE L'AIN (COMPLÉMENTAIRE SANTÉ SOLIDAIRE)")


def _contract(nir15: str, insurer: tuple[str, str], number: str, start: str, kind="ordinary"):
    return {
        "external_id": f"DEMO-{nir15[:13]}-{insurer[0]}",
        "nir": nir15[:13],
        "insurer_number": insurer[0],
        "insurer_name": insurer[1],
        "member_number": number,
        "kind": kind,
        "start_on": start,
    }


def records() -> list[dict]:
    made = []
    for nir in RENALDO_FAMILY:  # seed 003: the same two contracts for each of them
        made.append(_contract(nir, AIN, "4789563P", "2018-07-01"))
        made.append(_contract(nir, BALOISE, "1458566E", "2020-01-01"))
    made.append(_contract(MARTINE, MGEN, "55120877", "2015-03-01"))
    made.append(_contract(MARTINE, CPAM_CSS, "CSS0142", "2025-06-01", kind="css"))
    for index, nir in enumerate(HADDAD_FAMILY):
        made.append(_contract(nir, MGEN, f"6631240{index}", "2016-09-01"))
        made.append(_contract(nir, BALOISE, f"2290051{index}", "2024-01-01"))
    return made


def load() -> None:
    lines = [json.dumps(record).encode() + b"\n" for record in records()]
    report = payment_services.import_feed(
        feed="contracts", stream=lines, source="demo", actor=SYSTEM
    )
    assert report.applied, report.as_dict()
