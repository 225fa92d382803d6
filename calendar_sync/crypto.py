"""Tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key from the settings."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from calendar_sync.errors import ConnectionBroken


def fernet_key(secret: str) -> bytes:
    """`secret` itself when it is a Fernet key (what the gateway derives from SECRET_KEY),
    else a key derived from it (GOOGLE_TOKEN_KEY given as a passphrase)."""
    raw = secret.encode()
    if _is_fernet_key(raw):
        return raw
    return base64.urlsafe_b64encode(hashlib.sha256(b"calendar-tokens:" + raw).digest())


def _is_fernet_key(raw: bytes) -> bool:
    try:
        return len(base64.urlsafe_b64decode(raw)) == 32
    except (binascii.Error, ValueError):
        return False


class TokenCipher:
    def __init__(self, secret: str) -> None:
        self._fernet = Fernet(fernet_key(secret))

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, cipher: str, ttl: int | None = None) -> str:
        """The plain text; a wrong key, tampering or age beyond `ttl` seconds is refused."""
        try:
            return self._fernet.decrypt(cipher.encode(), ttl=ttl).decode()
        except InvalidToken as error:
            raise ConnectionBroken("stored token cannot be decrypted with this key") from error
