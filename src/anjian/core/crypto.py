"""Encryption at rest for what the law protects: SM4 in GCM mode, keys kept outside the database.

等保 level 3 and the Personal Information Protection Law ask that personal data and secrets be
unreadable in a database dump. The cipher is SM4 (GB/T 32907) in GCM mode, through the
`cryptography` package, which links OpenSSL's SM4. A stored value reads

    sm4gcm:<key id>:<base64 of nonce(12) ‖ ciphertext ‖ tag(16)>

so a reader can tell a ciphertext from plain text, and keys can rotate: new values are sealed with
the newest key, old ones still open with the key whose id they carry.

Keys live in a file outside the database (`ANJIAN_DATA_KEY_FILE`, one `id:hex` line per key, the
last line is the current key). In development and tests a key file is generated under var/ on
first use, as the secret key is; production refuses to start sealing without a configured file.

The associated data (`context`) binds a ciphertext to where it belongs, e.g. "draws.draw.secret":
a value copied into another column does not open there.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "sm4gcm:"
_NONCE = 12
_TAG = 16


class DecryptionError(Exception):
    """A stored value does not open: wrong key, wrong context, or tampered bytes."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]
    current: str


def _key_file() -> Path:
    configured = os.environ.get("ANJIAN_DATA_KEY_FILE", "")
    if configured:
        return Path(configured)
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(
            "ANJIAN_DATA_KEY_FILE must name the data key file when ANJIAN_ENV=production"
        )
    return Path(settings.VAR_DIR) / "data_keys"


def _parse(text: str, path: Path) -> KeyRing:
    keys: dict[str, bytes] = {}
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key_id, _, hexkey = line.partition(":")
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{path}:{number}: the key is not hexadecimal") from None
        if not key_id or ":" in key_id or len(key) != 16:
            raise ImproperlyConfigured(f"{path}:{number}: expected 'id:<32 hex digits>'")
        keys[key_id] = key
        current = key_id
    if not keys:
        raise ImproperlyConfigured(f"{path}: holds no key")
    return KeyRing(keys=keys, current=current)


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    path = _key_file()
    if not path.exists() and not os.environ.get("ANJIAN_DATA_KEY_FILE"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"k1:{secrets.token_hex(16)}\n")
        path.chmod(0o600)
    return _parse(path.read_text(), path)


def is_sealed(value: str | None) -> bool:
    return bool(value) and str(value).startswith(PREFIX)


def seal_bytes(plain: bytes, *, context: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(_NONCE)
    encryptor = Cipher(algorithms.SM4(ring.keys[ring.current]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(plain) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}{ring.current}:{blob}"


def open_bytes(sealed: str, *, context: str) -> bytes:
    if not is_sealed(sealed):
        raise DecryptionError("not a sealed value")
    key_id, _, blob = sealed[len(PREFIX) :].partition(":")
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"unknown key id {key_id!r}")
    try:
        raw = base64.b64decode(blob, validate=True)
    except ValueError:
        raise DecryptionError("malformed sealed value") from None
    if len(raw) < _NONCE + _TAG:
        raise DecryptionError("malformed sealed value")
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("the value does not open with its key and context") from None


def seal(plain: str, *, context: str) -> str:
    return seal_bytes(plain.encode("utf-8"), context=context)


def open_text(sealed: str, *, context: str) -> str:
    return open_bytes(sealed, context=context).decode("utf-8")


class EncryptedTextField(models.TextField):
    """A text column stored sealed; Python code sees plain text.

    The context is the column's own `app_label.model.field`, so a ciphertext moved to another
    column fails to open. Values written before the column was encrypted (plain text) are read
    as they are and sealed on their next save. The column cannot be searched or sorted in SQL:
    use it only for what nobody looks up by value.
    """

    def _context(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{meta.model_name}.{self.name}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not is_sealed(value):
            return value
        return open_text(value, context=self._context())

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_sealed(value):
            return value
        return seal(str(value), context=self._context())
