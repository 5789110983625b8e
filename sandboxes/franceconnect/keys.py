"""The sandbox's signing keys: made at first start into the var directory, never committed.

The file holds a private JWK set; the JWKS endpoint publishes its public half. To rotate, add a
key to the file: the newest key of the configured algorithm signs, the others still verify.
"""

import functools
import json
import os
import secrets

from django.conf import settings
from joserfc.jwk import ECKey, KeySet, RSAKey


def _new_key(alg: str):
    parameters = {"kid": f"bac-a-sable-{secrets.token_hex(4)}", "use": "sig", "alg": alg}
    if alg == "ES256":
        return ECKey.generate_key("P-256", parameters=parameters, private=True)
    return RSAKey.generate_key(2048, parameters=parameters, private=True)


def _load_or_create() -> dict:
    path = settings.KEYS_FILE
    if not path.exists():
        data = {"keys": [_new_key(settings.SIGNING_ALG).as_dict(private=True)]}
        try:  # O_EXCL: of two workers starting together, one writes and the other reads
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as file:
                json.dump(data, file)
            return data
    data = json.loads(path.read_text())
    if not any(key.get("alg") == settings.SIGNING_ALG for key in data["keys"]):
        data["keys"].append(_new_key(settings.SIGNING_ALG).as_dict(private=True))
        path.write_text(json.dumps(data))
    return data


@functools.cache
def private_key_set() -> KeySet:
    return KeySet.import_key_set(_load_or_create())  # type: ignore[arg-type]


def signing_key_set() -> KeySet:
    """The newest key of the configured algorithm, alone: joserfc writes its `kid` in the header."""
    keys = [key for key in private_key_set().keys if key.alg == settings.SIGNING_ALG]
    return KeySet([keys[-1]])


def public_jwks() -> dict:
    return private_key_set().as_dict(private=False)
