"""The sandbox's test identities: one per demo person of Guichet, and a few for the hard cases.

Each is an identité pivot as FranceConnect's identity providers return it. The birthplace is
the INSEE COG code of the commune, which is also characters 6 to 10 of the person's NIR; for a
birth abroad it is empty and the birth country says where (99350: Morocco).
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

FRANCE = "99100"


@dataclass(frozen=True)
class Identity:
    key: str
    given_name: str
    family_name: str
    birthdate: dt.date
    gender: str
    birthplace: str
    email: str
    note: str
    birthcountry: str = FRANCE
    preferred_username: str = ""

    def sub(self, client_id: str) -> str:
        """Pairwise, as FranceConnect's: the same person has another `sub` at another service."""
        return hashlib.sha256(f"{client_id}:{self.key}".encode()).hexdigest() + "v1"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def claims(self) -> dict[str, str]:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birthdate.isoformat(),
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
            "email": self.email,
            "preferred_username": self.preferred_username,
        }


IDENTITIES = [
    Identity("renaldo", "Renaldo", "ZOVI", dt.date(1974, 11, 22), "male", "71270",
             "renaldo.zovi@example.org", "a un compte : connexion directe"),
    Identity("pierre", "Pierre Henri", "BELAGE", dt.date(1983, 2, 25), "male", "75056",
             "pierre.belage@example.org", "a un compte (deux prénoms chez FranceConnect)"),
    Identity("martine", "Martine", "BERNARD", dt.date(1968, 4, 3), "female", "01054",
             "martine.bernard@example.org", "a un compte"),
    Identity("karim", "Karim", "HADDAD", dt.date(1977, 9, 21), "male", "01054",
             "karim.haddad@example.org", "a un compte"),
    Identity("marina", "Marina", "LATOURNERIE", dt.date(1995, 9, 28), "female", "78361",
             "marina.latournerie@example.org", "a un compte"),
    Identity("jessica", "Jessica", "PETIT", dt.date(1988, 10, 14), "female", "01053",
             "jessica.petit@example.org", "a un compte"),
    Identity("paul", "Paul", "RICHARD", dt.date(1979, 3, 12), "male", "01053",
             "paul.richard@example.org",
             "a un compte bloqué par 5 codes erronés : FranceConnect le connecte quand même"),
    Identity("eva", "Éva", "DUPONT", dt.date(1990, 10, 31), "female", "31555",
             "eva.dupont@example.org", "a un compte (prénom accentué chez FranceConnect)"),
    Identity("sarah", "Sarah Émilie", "LAMBERT", dt.date(1982, 2, 14), "female", "95046",
             "sarah.lambert@example.org", "pas encore de compte : création avec FranceConnect"),
    Identity("youssef", "Youssef", "KARIMI", dt.date(1990, 5, 12), "male", "",
             "youssef.karimi@example.org", "né à l'étranger, bénéficiaire de l'AME : création refusée",
             birthcountry="99350"),
    Identity("lucas", "Lucas", "MOREAU", dt.date(1985, 2, 8), "male", "69123",
             "lucas.moreau@example.org", "droits fermés : création refusée"),
    Identity("noemie", "Noémie", "ZOVI", dt.date(2002, 5, 18), "female", "01053",
             "noemie.zovi@example.org", "ayant droit de Renaldo ZOVI : création refusée"),
    Identity("camille", "Camille", "MARTIN", dt.date(1991, 6, 7), "female", "69123",
             "camille.martin@example.org", "deux assurées ont exactement cette identité"),
    Identity("jean", "Jean", "NEAJE", dt.date(1970, 1, 1), "male", "75056",
             "jean.neaje@example.org", "inconnu de la caisse"),
]  # fmt: skip

BY_KEY = {identity.key: identity for identity in IDENTITIES}

# Scope → claims, as FranceConnect v2 documents them (reference/protocols.md §1.3).
PIVOT = ["given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry"]
SCOPE_CLAIMS = {
    **{name: [name] for name in [*PIVOT, "email", "preferred_username"]},
    "identite_pivot": PIVOT,
    "profile": ["family_name", "given_name", "preferred_username", "gender", "birthdate"],
    "birth": ["birthplace", "birthcountry"],
}
CLAIM_LABELS = {
    "given_name": "Prénoms",
    "family_name": "Nom de naissance",
    "preferred_username": "Nom d'usage",
    "birthdate": "Date de naissance",
    "gender": "Sexe",
    "birthplace": "Lieu de naissance (code INSEE)",
    "birthcountry": "Pays de naissance (code INSEE)",
    "email": "Adresse e-mail",
}


def claim_names(scope: str) -> list[str]:
    names: list[str] = []
    for word in scope.split():
        names.extend(name for name in SCOPE_CLAIMS.get(word, []) if name not in names)
    return names
