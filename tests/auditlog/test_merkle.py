"""The Merkle tree against the published Certificate Transparency vectors (RFC 6962), and the
stored, incremental tree against a recomputation from scratch."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.auditlog.models import LogNode, LogState
from anjian.auditlog.tree import StoredTree, consistency_path, inclusion_path, tree_append
from anjian_verify import (
    hasher,
    leaf_hash,
    root_from_leaves,
    verify_consistency,
    verify_inclusion,
)

SHA = hasher("sha256")

# The eight leaves of the CT reference implementation's merkle_tree_test (RFC 6962 test data),
# and the published root of each tree size 0..8.
CT_ENTRIES = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# Published inclusion proofs (leaf index, tree size, path) of the same tree.
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# Published consistency proofs (first size, second size, path).
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        2,
        8,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
]

CT_LEAVES = [leaf_hash(SHA, bytes.fromhex(e)) for e in CT_ENTRIES]


def _memory_node(leaves: list[bytes]) -> Any:
    """A node getter over a list of leaves: the perfect subtree (level, index), computed."""

    def node(level: int, index: int) -> bytes:
        width = 1 << level
        return root_from_leaves(SHA, leaves[index * width : (index + 1) * width])

    return node


def test_roots_are_the_published_ct_roots_for_every_size() -> None:
    for size, expected in enumerate(CT_ROOTS):
        assert root_from_leaves(SHA, CT_LEAVES[:size]).hex() == expected


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_inclusion_proofs_are_the_published_ones_and_verify(
    index: int, size: int, path: list[str]
) -> None:
    node = _memory_node(CT_LEAVES)
    assert [p.hex() for p in inclusion_path(SHA, node, index, 0, size)] == path
    root = bytes.fromhex(CT_ROOTS[size])
    proof = [bytes.fromhex(p) for p in path]
    assert verify_inclusion(SHA, index, size, CT_LEAVES[index], proof, root)
    # the wrong leaf, the wrong position, a changed path: refused
    assert not verify_inclusion(SHA, index, size, CT_LEAVES[(index + 1) % 8], proof, root)
    assert not verify_inclusion(SHA, (index + 1) % size, size, CT_LEAVES[index], proof, root)
    if proof:
        bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
        assert not verify_inclusion(SHA, index, size, CT_LEAVES[index], bad, root)
        assert not verify_inclusion(SHA, index, size, CT_LEAVES[index], proof[:-1], root)


@pytest.mark.parametrize(("first", "second", "path"), CT_CONSISTENCY)
def test_consistency_proofs_are_the_published_ones_and_verify(
    first: int, second: int, path: list[str]
) -> None:
    node = _memory_node(CT_LEAVES)
    got = [] if first == second else consistency_path(SHA, node, first, 0, second, True)
    assert [p.hex() for p in got] == path
    old, new = bytes.fromhex(CT_ROOTS[first]), bytes.fromhex(CT_ROOTS[second])
    proof = [bytes.fromhex(p) for p in path]
    assert verify_consistency(SHA, first, second, old, new, proof)
    if proof:
        other_old = bytes.fromhex(CT_ROOTS[first - 1])
        assert not verify_consistency(SHA, first, second, other_old, new, proof)
        assert not verify_consistency(SHA, first, second, old, new, proof[:-1])


def test_sm3_gives_another_tree_of_the_same_shape() -> None:
    sm3 = hasher("sm3")
    # SM3 of the empty string (GB/T 32905 / OpenSSL)
    assert sm3(b"").hex() == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
    leaves = [leaf_hash(sm3, bytes.fromhex(e)) for e in CT_ENTRIES]
    root = root_from_leaves(sm3, leaves)
    assert root.hex() != CT_ROOTS[8]
    node = _memory_node(leaves)

    def sm3_node(level: int, index: int) -> bytes:
        width = 1 << level
        return root_from_leaves(sm3, leaves[index * width : (index + 1) * width])

    del node
    for i in range(8):
        assert verify_inclusion(sm3, i, 8, leaves[i], inclusion_path(sm3, sm3_node, i, 0, 8), root)


def _reset() -> None:
    LogNode.objects.all().delete()
    LogState.objects.all().delete()


@pytest.mark.db_owner  # tampers with or deletes trail rows: the owner only
@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batches=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=4))
def test_the_stored_incremental_tree_equals_a_recomputation_from_scratch(
    batches: list[int],
) -> None:
    """Appending in any batches, then asking any size's root and proofs, gives what the full
    recomputation gives, and every proof verifies."""
    _reset()
    leaves: list[bytes] = []
    tree = StoredTree("sha256")
    for batch in batches:
        new = [SHA(b"leaf %d" % (len(leaves) + i)) for i in range(batch)]
        assert tree_append("sha256", new) == len(leaves) + batch
        leaves += new
        for size in {0, 1, len(leaves) // 2, len(leaves)}:
            if size > len(leaves):
                continue
            assert tree.root(size) == root_from_leaves(SHA, leaves[:size])
    n = len(leaves)
    root = root_from_leaves(SHA, leaves)
    for index in range(n):
        assert verify_inclusion(SHA, index, n, leaves[index], tree.inclusion(index, n), root)
    for first in range(n + 1):
        old = root_from_leaves(SHA, leaves[:first])
        assert verify_consistency(SHA, first, n, old, root, tree.consistency(first, n))
    # every node is written once: fewer than 2n rows
    assert LogNode.objects.count() == sum(n >> level for level in range(max(n, 1).bit_length()))
