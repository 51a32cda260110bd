"""Encryption at rest for what must stay private (accounts, identities, notes).

AES-256-GCM from the ``cryptography`` package, with a random 96-bit nonce per value. Lookups that
must find a row by a private value (a reporter's platform id, say) use a keyed HMAC "blind index"
so the value itself is never stored in the clear. Both keys derive from ``FSB_ENCRYPTION_KEY``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_PREFIX = "v1:"


class EncryptionKeyError(ValueError):
    """The encryption key is missing, malformed or wrong for this database."""


class WrongKeyError(EncryptionKeyError):
    """A well-formed key that is not the database's current key (the one it was created with,
    or the last ``fsbot rotate-key`` gave it); nothing written."""


def generate_key() -> str:
    """A fresh key in the form ``FSB_ENCRYPTION_KEY`` expects (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Cipher:
    """Encrypts and decrypts short values; one instance per running bot."""

    def __init__(self, key: str) -> None:
        try:
            master = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError) as exc:
            raise EncryptionKeyError(
                "FSB_ENCRYPTION_KEY is not valid base64; run `fsbot init`"
            ) from exc
        if len(master) != 32:
            raise EncryptionKeyError("FSB_ENCRYPTION_KEY must be 32 bytes of URL-safe base64")
        self._aead = AESGCM(_derive(master, b"fsbot-aead"))
        self._index_key = _derive(master, b"fsbot-index")

    def encrypt(self, plaintext: str, context: str = "") -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return _PREFIX + base64.b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, context: str = "") -> str:
        if not token.startswith(_PREFIX):
            raise EncryptionKeyError("value was not written by this bot")
        raw = base64.b64decode(token[len(_PREFIX) :])
        try:
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as exc:
            raise EncryptionKeyError(
                "cannot decrypt: FSB_ENCRYPTION_KEY differs from the one used"
            ) from exc

    def encrypt_json(self, value: Any, context: str = "") -> str:
        return self.encrypt(json.dumps(value, separators=(",", ":")), context)

    def decrypt_json(self, token: str, context: str = "") -> Any:
        return json.loads(self.decrypt(token, context))

    def index_secret(self) -> str:
        """The key of :meth:`blind_index`, as text, for a database to keep across key rotations
        (see storage/sqlite/rotation.py); secret like the key itself."""
        return base64.urlsafe_b64encode(self._index_key).decode()

    def keep_index_secret(self, secret: str) -> None:
        """Look rows up with the blind-index key of an earlier encryption key (``secret`` from
        :meth:`index_secret`): a database whose key was rotated keeps its first blind indexes,
        which cannot be recomputed (only their hashes are stored).

        Raises:
            EncryptionKeyError: ``secret`` is not one :meth:`index_secret` made.
        """
        try:
            raw = base64.urlsafe_b64decode(secret.encode())
        except (binascii.Error, ValueError) as exc:
            raise EncryptionKeyError("the stored blind-index key is damaged") from exc
        if len(raw) != 32:
            raise EncryptionKeyError("the stored blind-index key is damaged")
        self._index_key = raw

    def blind_index(self, value: str) -> str:
        """A stable keyed hash to look rows up by a private value without storing it."""
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()[:32]
