"""Signing keys for checkpoints and cosignatures, behind one provider interface.

A key lives in a file outside the database (as `anjian.core.crypto` keeps the SM4 keys): the
log's key in `ANJIAN_LOG_KEY_FILE`, this platform's witness key in `ANJIAN_WITNESS_KEY_FILE`.
In development and tests a missing file is generated under var/ on first use; production refuses
to sign without a configured file.

A key file holds one line in the form of Go's `note` signer keys:

    PRIVATE+KEY+<name>+<8 hex key id>+<base64(signature type ‖ 32-byte Ed25519 seed)>

and its public half, the *verifier key* (vkey) that is published for verifiers and witnesses, is

    <name>+<8 hex key id>+<base64(signature type ‖ 32-byte public key)>

The signature type is 0x01 for the log's note signatures and 0x04 for a witness's timestamped
cosignatures (c2sp.org/signed-note, c2sp.org/tlog-cosignature). An SM2 log key (GB/T 32918,
`ANJIAN_LOG_SIGNATURE=sm2`) has the type 0xff ‖ "sm2" and a 32-byte secret; witnesses' cosignatures
stay Ed25519, the only classical type tlog-cosignature defines.
"""

from __future__ import annotations

import base64
import contextlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from anjian_verify import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    SIG_SM2,
    SM2_UID,
    VerifierKey,
    key_id,
    parse_vkey,
    type_bytes,
)


class NoteSigner(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def sig_type(self) -> int: ...

    def public_key(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True)
class Ed25519Signer:
    name: str
    sig_type: int
    private: Ed25519PrivateKey

    def public_key(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


@dataclass(frozen=True)
class SM2Signer:
    """SM2 (GB/T 32918) with SM3, through the pure-Python `gmalg` package."""

    name: str
    secret: bytes  # 32 bytes

    @property
    def sig_type(self) -> int:
        return SIG_SM2

    def public_key(self) -> bytes:
        import gmalg

        return bytes(gmalg.SM2().generate_pk(self.secret))

    def sign(self, message: bytes) -> bytes:
        import gmalg

        r, s = gmalg.SM2(sk=self.secret, pk=self.public_key(), uid=SM2_UID).sign(message)
        # fixed width: an r or s below 2^248 would otherwise come back shorter than 32 bytes
        return bytes(r).rjust(32, b"\0") + bytes(s).rjust(32, b"\0")


def key_id_of(signer: NoteSigner) -> bytes:
    return key_id(signer.name, signer.sig_type, signer.public_key())


def vkey_of(signer: NoteSigner) -> str:
    raw = base64.b64encode(type_bytes(signer.sig_type) + signer.public_key()).decode()
    return f"{signer.name}+{key_id_of(signer).hex()}+{raw}"


def verifier_of(signer: NoteSigner) -> VerifierKey:
    return parse_vkey(vkey_of(signer))


def skey_text(name: str, sig_type: int, seed: bytes) -> str:
    signer: NoteSigner
    if sig_type == SIG_SM2:
        import gmalg

        seed, _pk = gmalg.SM2().generate_keypair()  # a valid SM2 secret (below the order)
        signer = SM2Signer(name=name, secret=bytes(seed))
    else:
        private = Ed25519PrivateKey.from_private_bytes(seed)
        signer = Ed25519Signer(name=name, sig_type=sig_type, private=private)
    raw = base64.b64encode(type_bytes(sig_type) + seed).decode()
    return f"PRIVATE+KEY+{name}+{key_id_of(signer).hex()}+{raw}\n"


def parse_skey(text: str, path: Path) -> NoteSigner:
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise ImproperlyConfigured(f"{path}: expected PRIVATE+KEY+<name>+<id>+<key>")
    name, hex_id, b64 = parts[2:]
    try:
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raise ImproperlyConfigured(f"{path}: the key is not base64") from None
    signer: NoteSigner
    if raw.startswith(type_bytes(SIG_SM2)) and len(raw) == 4 + 32:
        signer = SM2Signer(name=name, secret=raw[4:])
    elif len(raw) == 33 and raw[0] in (SIG_ED25519, SIG_COSIGNATURE_V1):
        signer = Ed25519Signer(
            name=name, sig_type=raw[0], private=Ed25519PrivateKey.from_private_bytes(raw[1:])
        )
    else:
        raise ImproperlyConfigured(f"{path}: not an Ed25519 or SM2 note key, or a cosigning key")
    if key_id_of(signer).hex() != hex_id:
        raise ImproperlyConfigured(f"{path}: the key id does not match the key")
    return signer


def _load(configured: str, default_name: str, *, name: str, sig_type: int, env: str) -> NoteSigner:
    if configured:
        path = Path(configured)
    elif getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(f"{env} must name a signing key file when ANJIAN_ENV=production")
    else:
        path = Path(settings.VAR_DIR) / default_name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(skey_text(name, sig_type, os.urandom(32)))
            path.chmod(0o600)
    return parse_skey(path.read_text(), path)


@lru_cache(maxsize=4)
def _cached(configured: str, default_name: str, name: str, sig_type: int, env: str) -> NoteSigner:
    return _load(configured, default_name, name=name, sig_type=sig_type, env=env)


def log_signer() -> NoteSigner:
    """The log's key; its name is the log's origin. A generated key is Ed25519, or SM2 with
    ANJIAN_LOG_SIGNATURE=sm2; a configured file says its own algorithm."""
    sm2 = settings.ANJIAN_LOG_SIGNATURE == "sm2"
    return _cached(
        settings.ANJIAN_LOG_KEY_FILE,
        f"log_key_{settings.ANJIAN_LOG_HASH}{'_sm2' if sm2 else ''}",
        settings.ANJIAN_LOG_ORIGIN,
        SIG_SM2 if sm2 else SIG_ED25519,
        "ANJIAN_LOG_KEY_FILE",
    )


def witness_signer() -> NoteSigner:
    """This platform's key when it witnesses a log (the bureau above's cosigning key)."""
    return _cached(
        settings.ANJIAN_WITNESS_KEY_FILE,
        "witness_key",
        settings.ANJIAN_WITNESS_NAME,
        SIG_COSIGNATURE_V1,
        "ANJIAN_WITNESS_KEY_FILE",
    )


def trusted_witnesses() -> list[VerifierKey]:
    """The witnesses whose cosignatures the log accepts: the configured ones, and this
    platform's own witness key (the bureau above on the same platform)."""
    keys = [parse_vkey(text) for text in settings.ANJIAN_LOG_WITNESS_VKEYS]
    # production without a witness key of its own: only the configured witnesses
    with contextlib.suppress(ImproperlyConfigured):
        keys.append(verifier_of(witness_signer()))
    return keys


def log_vkey_or_empty() -> str:
    """The log's verifier key for a page, or "" where production has no key configured yet."""
    try:
        return vkey_of(log_signer())
    except ImproperlyConfigured:
        return ""
