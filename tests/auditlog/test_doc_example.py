"""The worked example of docs/algorithms/audit-log.md, checked with the offline verifier: every
value printed there is recomputed here, so the page cannot drift from the code."""

from __future__ import annotations

import base64

from anjian_verify import (
    event_hash_hex,
    hasher,
    leaf_hash,
    node_hash,
    open_checkpoint,
    parse_vkey,
    record_bytes,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

H = hasher("sha256")
ZERO = "0" * 64


def _record(seq: int, prev: str, when: str, action: str, object_id: str, digest: str) -> dict:
    return {
        "action": action,
        "actor": "pl_inspector",
        "actor_id": 7,
        "digest": digest,
        "object_id": object_id,
        "object_type": "documents.officialdocument",
        "occurred_at": when,
        "prev_hash": prev,
        "region": "140603",
        "seq": seq,
        "source": "web",
        "v": 1,
    }


R1 = _record(
    1,
    ZERO,
    "2026-11-24T03:04:05.000006Z",
    "documents.document.issued",
    "12",
    "2bfd14f43d17fc7cea24e0917a8879b4b2f880b8baeec1b9d90fbaad655e71bd",
)
R2 = _record(
    2,
    "ab31bf39b974bc035d7c7b42fa72c519bc4cc4db2291db6f8c2009a34552be56",
    "2026-11-24T03:05:00.000000Z",
    "documents.document.issued",
    "13",
    "363379742f80b51bdb9206579af7754911543079b9399cb3fc315fb199f476e8",
)
R3 = _record(
    3,
    "c4ac125576da02056d5ec6156ef97db8fb85ec5921be8926779936b38dda3bcc",
    "2026-11-24T03:06:00.000000Z",
    "documents.document.revoked",
    "12",
    "215ddd5567ca2590efd4ea109b4e56cbe591e2676fbf54a9262692c539166da6",
)
LEAVES = [
    "76f957bad41d57d9aeb7b36cea31989d69ddd2cc794c6d26478654b9b79bd0f1",
    "5fac28c60eb7204fbb166dac77bc4025541f1ad9c5a690e021d56ffcbc866776",
    "0ab4d2167e115e4ec6f4ec4eeb58204b242949e19f3dabe0c9b717a4609baf34",
]
NODE01 = "6821f65bca77d3dbf3c05d2171a5487514fd12e7a404366545e3a77d5f40b543"
ROOT3 = "5737286bf70bd82d05f9f2a9eb97f5ef48fbd01cc45b7644ef271b760e1c0ffd"
VKEY = "example.anjian/audit-log/sha256+8d7d016e+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"
NOTE1 = (
    "example.anjian/audit-log/sha256\n1\ndvlXutQdV9mut7Ns6jGYnWnd0sx5TG0mR4ZUubeb0PE=\n\n"
    "\u2014 example.anjian/audit-log/sha256 jX0Bbj2qrq3m70E6ariFmNuRsfJrmggKlM75vf4x794eHzq7D2m9"
    "UgBZtRBi5jO+hEZhViMPteuE6hQbcJA5AwQWzAY=\n"
)
NOTE3 = (
    "example.anjian/audit-log/sha256\n3\nVzcoa/cL2C0F+fKp65f170j70BzEW3ZE7ycbdg4cD/0=\n\n"
    "\u2014 example.anjian/audit-log/sha256 jX0BbrQinKag8SOJ2QKmrnUjnzrQzzTTt/wu/ZD2dSdhMs7+mPin"
    "XsWlkMNBWeaHGkJrY4jiMl9QNxuE2QAtyfnK6Qg=\n"
)


def test_the_documented_example_verifies_value_by_value() -> None:
    assert event_hash_hex(R1) == R2["prev_hash"] and event_hash_hex(R2) == R3["prev_hash"]
    leaves = [leaf_hash(H, record_bytes(r)) for r in (R1, R2, R3)]
    assert [x.hex() for x in leaves] == LEAVES
    assert node_hash(H, leaves[0], leaves[1]).hex() == NODE01
    assert root_from_leaves(H, leaves).hex() == ROOT3
    vkey = parse_vkey(VKEY)
    new, old = open_checkpoint(NOTE3, vkey), open_checkpoint(NOTE1, vkey)
    assert new.root.hex() == ROOT3 and base64.b64encode(new.root).decode() in NOTE3
    assert verify_inclusion(H, 1, 3, leaves[1], [leaves[0], leaves[2]], new.root)
    assert verify_consistency(H, 1, 3, old.root, new.root, [leaves[1], leaves[2]])
