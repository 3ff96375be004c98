"""anjian-verify: check the platform's audit log from published files alone.

This module is the offline verifier of docs/algorithms/audit-log.md. It imports only the Python
standard library, the `cryptography` package (Ed25519 signatures; SM3 when the local OpenSSL
lacks it) and, for a log signed with SM2, the pure-Python `gmalg` package. It never imports
Django or anjian, so a member of the public can run it with nothing but a published checkpoint,
the log's public key and an export:

    anjian-verify --checkpoint cp.txt --vkey 'anjian.local/audit-log+1a2b3c4d+AY…' \
        --export export.jsonl --seq 1234 --old-checkpoint old.txt

The platform's own code uses the same functions for what is pure (hashing, proof checking,
parsing notes), so the server and the verifier cannot drift apart silently; proof *generation*
lives on the server (anjian.auditlog.tree) and is tested against these checks.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXPORT_FORMAT = "anjian-log-export/1"
PROOF_FORMAT = "anjian-log-proof/1"
RECORD_FIELDS = (
    "action",
    "actor",
    "actor_id",
    "digest",
    "object_id",
    "object_type",
    "occurred_at",
    "prev_hash",
    "region",
    "seq",
    "source",
    "v",
)
GENESIS = "0" * 64

# Signature type bytes of c2sp.org/signed-note: 0x01 Ed25519 note signatures, 0x04 timestamped
# Ed25519 witness cosignatures (c2sp.org/tlog-cosignature).
SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
# SM2 (GB/T 32918) note signatures: signed-note reserves 0xff for types it assigns no byte to, to
# be followed by a longer identifier; here 0xff ‖ "sm2". The signature is r ‖ s (32 bytes each)
# over the note text, with the default user id of GB/T 35276 and SM3, via the `gmalg` package.
SIG_SM2 = 0xFF
SM2_TYPE = b"\xffsm2"
SM2_UID = b"1234567812345678"


def type_bytes(sig_type: int) -> bytes:
    return SM2_TYPE if sig_type == SIG_SM2 else bytes([sig_type])


class VerifyError(Exception):
    """A check failed; the message names what and why."""


# --- hashing (RFC 6962 / RFC 9162 section 2.1) ----------------------------------------------


def hasher(name: str) -> Callable[[bytes], bytes]:
    """SHA-256 or SM3 (GB/T 32905), as a function of bytes to a 32-byte digest."""
    name = name.lower()
    if name == "sha256":
        return lambda data: hashlib.sha256(data).digest()
    if name == "sm3":
        if "sm3" in hashlib.algorithms_available:
            return lambda data: hashlib.new("sm3", data).digest()
        from cryptography.hazmat.primitives import hashes  # only when OpenSSL's hashlib lacks SM3

        def _sm3(data: bytes) -> bytes:
            h = hashes.Hash(hashes.SM3())
            h.update(data)
            return h.finalize()

        return _sm3
    raise VerifyError(f"unknown hash algorithm {name!r} (expected sha256 or sm3)")


def leaf_hash(h: Callable[[bytes], bytes], entry: bytes) -> bytes:
    return h(b"\x00" + entry)


def node_hash(h: Callable[[bytes], bytes], left: bytes, right: bytes) -> bytes:
    return h(b"\x01" + left + right)


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962: the largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaves(h: Callable[[bytes], bytes], leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) from the leaf hashes, in O(n) with a stack of complete subtrees."""
    if not leaves:
        return h(b"")
    stack: list[tuple[int, bytes]] = []  # (size, hash) of complete subtrees, left to right
    for leaf in leaves:
        size, cur = 1, leaf
        while stack and stack[-1][0] == size:
            _, left = stack.pop()
            cur = node_hash(h, left, cur)
            size *= 2
        stack.append((size, cur))
    _, acc = stack.pop()
    while stack:
        _, left = stack.pop()
        acc = node_hash(h, left, acc)
    return acc


def verify_inclusion(
    h: Callable[[bytes], bytes],
    index: int,
    size: int,
    leaf: bytes,
    proof: Sequence[bytes],
    root: bytes,
) -> bool:
    """RFC 9162 section 2.1.3.2."""
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(h, p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(h, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    h: Callable[[bytes], bytes],
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """RFC 9162 section 2.1.4.2 (with the trivial cases: equal sizes, empty first tree)."""
    if first < 0 or first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is the first node of the path
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(h, c, fr)
            sr = node_hash(h, c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(h, sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- events -----------------------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """docs/audit-chain.md: sorted keys, no white space, UTF-8, no floats."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def record_bytes(record: dict[str, Any]) -> bytes:
    """The leaf entry: the canonical JSON of the event's hashed record (exactly its 12 fields)."""
    if sorted(record) != list(RECORD_FIELDS):
        missing = sorted(set(RECORD_FIELDS) - set(record))
        extra = sorted(set(record) - set(RECORD_FIELDS))
        raise VerifyError(f"record fields differ from the format: missing {missing}, extra {extra}")
    if any(isinstance(v, float) for v in record.values()):
        raise VerifyError("a record holds a floating-point number, which the format forbids")
    return canonical_json(record)


def event_hash_hex(record: dict[str, Any]) -> str:
    """The audit chain's own hash of the event (always SHA-256)."""
    return hashlib.sha256(record_bytes(record)).hexdigest()


# --- signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) ------------------------------


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + type_bytes(sig_type) + public_key).digest()[:4]


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    sig_type: int
    public_key: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        if self.sig_type == SIG_SM2:
            import gmalg  # only for SM2 keys

            if len(signature) != 64 or len(self.public_key) != 65:
                return False
            try:
                return bool(
                    gmalg.SM2(pk=self.public_key, uid=SM2_UID).verify(
                        message, signature[:32], signature[32:]
                    )
                )
            except Exception:
                return False
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if self.sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1) or len(self.public_key) != 32:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


def parse_vkey(text: str) -> VerifierKey:
    """`<name>+<8 hex key id>+<base64(type byte ‖ public key)>`."""
    parts = text.strip().split("+", 2)  # names hold no "+"; base64 may
    if len(parts) != 3 or not parts[0]:
        raise VerifyError("a verifier key reads <name>+<key id>+<base64 key>")
    name, hex_id, b64 = parts
    try:
        kid = bytes.fromhex(hex_id)
        raw = base64.b64decode(b64, validate=True)
    except (ValueError, binascii.Error):
        raise VerifyError("the verifier key's id or key is malformed") from None
    if len(kid) != 4 or len(raw) < 2:
        raise VerifyError("the verifier key's id or key has the wrong length")
    if raw.startswith(SM2_TYPE):
        key = VerifierKey(name=name, key_id=kid, sig_type=SIG_SM2, public_key=raw[len(SM2_TYPE) :])
    else:
        key = VerifierKey(name=name, key_id=kid, sig_type=raw[0], public_key=raw[1:])
    if key_id(name, key.sig_type, key.public_key) != kid:
        raise VerifyError("the verifier key's id does not match its name and key")
    return key


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes  # after the key id
    line: str


@dataclass(frozen=True)
class Note:
    text: str  # the signed text, including its final newline
    signatures: list[Signature]


def parse_note(data: str) -> Note:
    if "\n\n" not in data:
        raise VerifyError("a signed note needs its text, a blank line and signature lines")
    text, _, sigs = data.partition("\n\n")
    text += "\n"
    if any(ord(c) < 0x20 and c != "\n" for c in data):
        raise VerifyError("a signed note may hold no control characters")
    signatures = []
    for line in sigs.splitlines():
        if not line:
            continue
        if not line.startswith("\u2014 "):
            raise VerifyError(f"not a signature line: {line!r}")
        name, _, b64 = line[2:].rpartition(" ")
        try:
            raw = base64.b64decode(b64, validate=True)
        except binascii.Error:
            raise VerifyError(f"signature of {name} is not base64") from None
        if len(raw) < 5 or not name:
            raise VerifyError(f"signature of {name} is too short")
        signatures.append(Signature(name=name, key_id=raw[:4], signature=raw[4:], line=line))
    if not signatures:
        raise VerifyError("the note carries no signature")
    return Note(text=text, signatures=signatures)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: list[str]
    note: Note


def parse_checkpoint_text(text: str) -> tuple[str, int, bytes, list[str]]:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise VerifyError("a checkpoint's text has an origin, a size and a root hash line")
    origin, size_text, root_text, *ext = lines[:-1]
    if not origin:
        raise VerifyError("the checkpoint's origin line is empty")
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise VerifyError("the checkpoint's size is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise VerifyError("the checkpoint's root hash is not base64") from None
    if len(root) != 32:
        raise VerifyError("the checkpoint's root hash is not 32 bytes")
    return origin, int(size_text), root, ext


def open_checkpoint(data: str, vkey: VerifierKey) -> Checkpoint:
    """Parse a checkpoint and verify the log's signature on it."""
    note = parse_note(data)
    ours = [s for s in note.signatures if s.name == vkey.name and s.key_id == vkey.key_id]
    if not ours:
        raise VerifyError(f"the checkpoint carries no signature by {vkey.name}")
    for sig in ours:
        if not vkey.verify(note.text.encode(), sig.signature):
            raise VerifyError(f"the signature by {vkey.name} does not verify")
    origin, size, root, ext = parse_checkpoint_text(note.text)
    if origin != vkey.name:
        raise VerifyError(f"the checkpoint's origin {origin!r} is not the key's name")
    return Checkpoint(origin=origin, size=size, root=root, extensions=ext, note=note)


def cosigned_message(note_text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{note_text}".encode()


def check_cosignature(checkpoint: Checkpoint, vkey: VerifierKey) -> int:
    """Verify a witness's cosignature on the checkpoint; return its timestamp."""
    for sig in checkpoint.note.signatures:
        if sig.name != vkey.name or sig.key_id != vkey.key_id:
            continue
        if len(sig.signature) != 8 + 64:
            raise VerifyError(f"the cosignature of {vkey.name} has the wrong length")
        (timestamp,) = struct.unpack(">Q", sig.signature[:8])
        message = cosigned_message(checkpoint.note.text, timestamp)
        if not vkey.verify(message, sig.signature[8:]):
            raise VerifyError(f"the cosignature of {vkey.name} does not verify")
        return int(timestamp)
    raise VerifyError(f"the checkpoint carries no cosignature by {vkey.name}")


# --- exports and proof files ----------------------------------------------------------------


@dataclass
class Export:
    header: dict[str, Any]
    leaves: list[bytes] = field(default_factory=list)
    records: dict[int, dict[str, Any]] = field(default_factory=dict)  # seq -> record
    event_hashes: dict[int, str] = field(default_factory=dict)


def read_export(lines: Iterable[str]) -> Export:
    it = iter(lines)
    try:
        header = json.loads(next(it))
    except (StopIteration, json.JSONDecodeError):
        raise VerifyError("the export has no header line") from None
    if header.get("format") != EXPORT_FORMAT:
        raise VerifyError(f"the export's format is not {EXPORT_FORMAT}")
    h = hasher(str(header.get("hash", "")))
    export = Export(header=header)
    for number, raw in enumerate(it, start=2):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            raise VerifyError(f"export line {number} is not JSON") from None
        seq = line.get("seq")
        if seq != len(export.leaves) + 1:
            raise VerifyError(f"export line {number}: expected event #{len(export.leaves) + 1}")
        if "record" in line:
            record = line["record"]
            if record.get("seq") != seq:
                raise VerifyError(f"export line {number}: the record is of another event")
            export.leaves.append(leaf_hash(h, record_bytes(record)))
            export.records[seq] = record
            export.event_hashes[seq] = event_hash_hex(record)
        elif "leaf_hash" in line:
            try:
                leaf = bytes.fromhex(line["leaf_hash"])
            except ValueError:
                raise VerifyError(f"export line {number}: leaf_hash is not hex") from None
            if len(leaf) != 32:
                raise VerifyError(f"export line {number}: leaf_hash is not 32 bytes")
            export.leaves.append(leaf)
        else:
            raise VerifyError(f"export line {number} has neither a record nor a leaf hash")
    return export


def chain_breaks(export: Export) -> list[int]:
    """Events whose prev_hash does not name the hash of the exported event before them."""
    broken = []
    for seq, record in export.records.items():
        expected = GENESIS if seq == 1 else export.event_hashes.get(seq - 1)
        if expected is not None and record.get("prev_hash") != expected:
            broken.append(seq)
    return broken


def _hexes(values: Sequence[str]) -> list[bytes]:
    try:
        out = [bytes.fromhex(v) for v in values]
    except (ValueError, TypeError):
        raise VerifyError("a proof hash is not hex") from None
    if any(len(v) != 32 for v in out):
        raise VerifyError("a proof hash is not 32 bytes")
    return out


def check_inclusion_file(
    h: Callable[[bytes], bytes], proof: dict[str, Any], checkpoint: Checkpoint
) -> dict[str, Any]:
    """Check an inclusion proof file against a checkpoint; return the event's record."""
    inc = proof.get("inclusion") or {}
    record = proof.get("record")
    if not isinstance(record, dict):
        raise VerifyError("the proof file carries no event record")
    if inc.get("tree_size") != checkpoint.size:
        raise VerifyError(
            f"the proof is for a tree of {inc.get('tree_size')} events, the checkpoint has "
            f"{checkpoint.size}"
        )
    index = record.get("seq", 0) - 1
    if inc.get("leaf_index") != index:
        raise VerifyError("the proof's leaf index is not the event's sequence number − 1")
    leaf = leaf_hash(h, record_bytes(record))
    if not verify_inclusion(
        h, index, checkpoint.size, leaf, _hexes(inc.get("hashes", [])), checkpoint.root
    ):
        raise VerifyError(f"event #{record.get('seq')} is NOT in the checkpoint's tree")
    changes = proof.get("changes")
    if changes is not None:
        digest = hashlib.sha256(canonical_json(changes)).hexdigest()
        if digest != record.get("digest"):
            raise VerifyError("the proof's changes do not match the event's digest")
    return record


def check_consistency_file(
    h: Callable[[bytes], bytes], proof: dict[str, Any], old: Checkpoint, new: Checkpoint
) -> None:
    con = proof.get("consistency") or {}
    if con.get("first") != old.size or con.get("second") != new.size:
        raise VerifyError("the consistency proof is for other tree sizes")
    if not verify_consistency(
        h, old.size, new.size, old.root, new.root, _hexes(con.get("hashes", []))
    ):
        raise VerifyError(
            f"the log of {new.size} events does NOT extend the older checkpoint of {old.size}"
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the command --------------------------------------------------------------------------------


def _describe(record: dict[str, Any]) -> str:
    obj = f" {record['object_type']}:{record['object_id']}" if record.get("object_type") else ""
    return f"#{record['seq']} {record['occurred_at']} {record['action']}{obj}"


def run(args: argparse.Namespace, out: Any) -> int:
    failures = 0

    def ok(message: str) -> None:
        out.write(f"OK    {message}\n")

    def fail(message: str) -> None:
        nonlocal failures
        failures += 1
        out.write(f"FAIL  {message}\n")

    try:
        vkey = parse_vkey(Path(args.vkey).read_text() if Path(args.vkey).is_file() else args.vkey)
        checkpoint = open_checkpoint(Path(args.checkpoint).read_text(encoding="utf-8"), vkey)
    except (VerifyError, OSError) as exc:
        fail(f"checkpoint: {exc}")
        return 1
    ok(f"checkpoint signed by {vkey.name}: {checkpoint.size} events, root {checkpoint.root.hex()}")
    h = hasher(args.hash)
    for text in args.witness_vkey:
        try:
            wkey = parse_vkey(Path(text).read_text() if Path(text).is_file() else text)
            when = check_cosignature(checkpoint, wkey)
            ok(f"cosigned by witness {wkey.name} at {when}")
        except (VerifyError, OSError) as exc:
            fail(f"witness: {exc}")

    export: Export | None = None
    if args.export:
        try:
            with Path(args.export).open(encoding="utf-8") as fh:
                export = read_export(fh)
        except (VerifyError, OSError) as exc:
            fail(f"export: {exc}")
        if export is not None:
            if str(export.header.get("hash", "")).lower() != args.hash.lower():
                fail(f"export: its hash is {export.header.get('hash')}, not {args.hash}")
            if len(export.leaves) < checkpoint.size:
                fail(f"export: holds {len(export.leaves)} events, the checkpoint {checkpoint.size}")
            else:
                root = root_from_leaves(h, export.leaves[: checkpoint.size])
                if root == checkpoint.root:
                    ok(
                        f"export: the root recomputed from its first {checkpoint.size} events "
                        "matches the checkpoint"
                    )
                else:
                    fail(
                        f"export: the root recomputed from its first {checkpoint.size} events "
                        f"is {root.hex()}, not the checkpoint's"
                    )
            broken = chain_breaks(export)
            if broken:
                fail(f"export: the hash chain breaks at event #{broken[0]}")
            else:
                ok(f"export: the hash chain links all {len(export.records)} exported records")

    for seq in args.seq:
        if export is None:
            fail(f"event #{seq}: give --export (or an inclusion --proof)")
        elif seq > checkpoint.size or seq < 1:
            fail(f"event #{seq}: not within the checkpoint's {checkpoint.size} events")
        elif seq not in export.records:
            fail(f"event #{seq}: the export carries only its leaf hash, not its record")
        else:
            ok(f"event {_describe(export.records[seq])} is in the checkpoint's tree")

    old: Checkpoint | None = None
    if args.old_checkpoint:
        try:
            old = open_checkpoint(Path(args.old_checkpoint).read_text(encoding="utf-8"), vkey)
            ok(f"older checkpoint signed by {vkey.name}: {old.size} events")
        except (VerifyError, OSError) as exc:
            fail(f"older checkpoint: {exc}")

    consistency_checked = False
    for path in args.proof:
        try:
            proof = json.loads(Path(path).read_text(encoding="utf-8"))
            if proof.get("format") != PROOF_FORMAT:
                raise VerifyError(f"not a {PROOF_FORMAT} file")
            if "inclusion" in proof:
                record = check_inclusion_file(h, proof, checkpoint)
                ok(f"event {_describe(record)} is in the checkpoint's tree (inclusion proof)")
                for file_path in args.file:
                    digest = sha256_file(Path(file_path))
                    values = (proof.get("changes") or {}).values()
                    if digest in {v for v in values if isinstance(v, str)}:
                        ok(f"file {file_path} (SHA-256 {digest}) is the one the event records")
                    else:
                        fail(f"file {file_path}: its SHA-256 {digest} is not in the event")
            if "consistency" in proof:
                if old is None:
                    raise VerifyError("a consistency proof needs --old-checkpoint")
                check_consistency_file(h, proof, old, checkpoint)
                consistency_checked = True
                ok(f"the log of {checkpoint.size} events extends the one of {old.size}")
        except (VerifyError, OSError, json.JSONDecodeError, AttributeError) as exc:
            fail(f"proof {path}: {exc}")

    if old is not None and not consistency_checked:
        if export is not None and len(export.leaves) >= old.size:
            if root_from_leaves(h, export.leaves[: old.size]) == old.root:
                ok(
                    f"the export's first {old.size} events give the older checkpoint's root: "
                    "the log only grew"
                )
            else:
                fail(f"the export's first {old.size} events do NOT give the older root: fork")
        else:
            fail("older checkpoint: give a consistency --proof or an --export covering it")

    out.write("verified\n" if not failures else f"{failures} check(s) FAILED\n")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="anjian-verify",
        description="Check an anjian audit-log checkpoint, export and proofs offline "
        "(docs/algorithms/audit-log.md).",
    )
    parser.add_argument("--checkpoint", required=True, help="signed checkpoint file")
    parser.add_argument("--vkey", required=True, help="the log's verifier key (or a file)")
    parser.add_argument("--hash", default="sha256", choices=["sha256", "sm3"])
    parser.add_argument("--witness-vkey", action="append", default=[])
    parser.add_argument("--export", help="JSON-lines export written by `anjian log export`")
    parser.add_argument("--seq", type=int, action="append", default=[], help="event to find")
    parser.add_argument("--proof", action="append", default=[], help="proof file(s)")
    parser.add_argument("--old-checkpoint", help="an older checkpoint the log must extend")
    parser.add_argument("--file", action="append", default=[], help="a file the event records")
    args = parser.parse_args(argv)
    return run(args, sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
