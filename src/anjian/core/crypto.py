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
import hmac
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


class SealedStr(str):
    """The plain text of a sealed column, remembering the ciphertext it was read from.

    Saving an unchanged value writes the same ciphertext back, so a row saved without a change
    keeps its bytes (the legal-review trigger compares the stored columns of a case's proposal,
    and a fresh nonce would look like a change). Any edit makes a plain `str`, sealed anew."""

    sealed: str
    context: str

    def __new__(cls, plain: str, sealed: str, context: str) -> SealedStr:
        made = super().__new__(cls, plain)
        made.sealed = sealed
        made.context = context
        return made

    def __reduce__(self) -> Any:
        return (str, (str(self),))


def lookup_hash(value: str, *, context: str) -> str:
    """A keyed hash (HMAC-SM3) of `value` for finding a sealed value by equality.

    The key is derived from the FIRST key of the data key file, so it stays the same when keys
    rotate (a new key is appended at the end). Without the key file the hash cannot be computed
    from a guess: an 18-digit ID number has too little entropy for a plain hash."""
    ring = keyring()
    first = next(iter(ring.keys.values()))
    derived = hmac.new(first, b"anjian-lookup-v1", "sm3").digest()
    return hmac.new(derived, context.encode() + b"\x00" + value.encode("utf-8"), "sm3").hexdigest()


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
        return SealedStr(open_text(value, context=self._context()), value, self._context())

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, SealedStr) and value.context == self._context():
            return value.sealed  # unchanged: the same bytes (another column's seals anew)
        value = super().get_prep_value(value)
        if value is None or value == "" or is_sealed(value):
            return value
        return seal(str(value), context=self._context())


def _column_rows(schema_editor: Any, table: str, column: str) -> list[tuple[Any, str]]:
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608 (names, not data)
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        return list(cursor.fetchall())


def _column_write(schema_editor: Any, table: str, column: str, pk: Any, value: str) -> None:
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def migration_seal(app_label: str, model_name: str, field: str) -> Any:
    """A RunPython pair that seals a column's existing plain values (forwards) and opens them
    again (backwards), in SQL, so that the field's own behaviour in either state does not
    matter. The context is the one EncryptedTextField uses."""
    context = f"{app_label}.{model_name.lower()}.{field}"

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        table, column = model._meta.db_table, model._meta.get_field(field).column
        for pk, value in _column_rows(schema_editor, table, column):
            if not is_sealed(value):
                _column_write(schema_editor, table, column, pk, seal(value, context=context))

    def backwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        table, column = model._meta.db_table, model._meta.get_field(field).column
        for pk, value in _column_rows(schema_editor, table, column):
            if is_sealed(value):
                _column_write(schema_editor, table, column, pk, open_text(value, context=context))

    from django.db import migrations

    return migrations.RunPython(forwards, backwards)
