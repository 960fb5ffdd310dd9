"""Secrets kept at rest: a calendar's app password, a calendar's secret ICS address. Sealed
with Fernet (AES-128-CBC with an HMAC, from the `cryptography` package) under a key derived
from the deployment's secret, so a copy of the database alone reveals none of them.

Once sealed, a secret is only opened to be used (a call to the calendar server), never to be
shown again."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_FILE = "sealing.key"  # in the data directory, where no secret key is configured


class Unsealable(Exception):
    """A sealed value this deployment's key cannot open (the secret key changed)."""


class Sealer:
    """Seals and opens short secrets with one key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def from_secret(cls, secret: str) -> Sealer:
        """A sealer whose key is derived from the deployment's secret key (HKDF-SHA256, with
        its own label, so the key that signs cookies never encrypts anything)."""
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"agora: sealed secrets at rest").derive(secret.encode())
        return cls(base64.urlsafe_b64encode(derived))

    @classmethod
    def from_key_file(cls, folder: str | Path) -> Sealer:
        """For development and tests without a secret key: a key kept in a file of the data
        directory (made once, readable by its owner alone), so a restart still opens what
        was sealed."""
        path = Path(folder) / KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # made a moment ago by another process of this machine
                pass
            else:
                with os.fdopen(fd, "wb") as out:
                    out.write(Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken as exc:
            raise Unsealable("sealed under another key") from exc
