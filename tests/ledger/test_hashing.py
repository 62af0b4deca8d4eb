"""RFC 6962 hashes, roots and proofs against published vectors and an independent reference.

Vectors: the RFC 6962 reference leaves ("", 0x00, 0x10, 0x2021, …) with their leaf, node and
root hashes as published in github.com/transparency-dev/merkle testonly/constants.go, and
that repository's testdata/ inclusion and consistency probes (transparency_dev_probes.json,
copied with the commit it came from): happy paths and their corrupted variants.
"""

import base64
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.ledger import hashing
from tests.ledger import rfc6962

LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
LEAF_HASHES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
LEVEL_ONE = [
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
]
ROOTS = [
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
PROBES = json.loads((Path(__file__).parent / "transparency_dev_probes.json").read_text())


def _b(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _tree() -> hashing.Node:
    return hashing.in_memory([hashing.leaf_hash(x) for x in LEAVES])


def test_leaf_and_node_hashes_match_the_published_vectors() -> None:
    assert [hashing.leaf_hash(x).hex() for x in LEAVES] == LEAF_HASHES
    pairs = zip(LEAF_HASHES[::2], LEAF_HASHES[1::2], strict=True)
    assert [hashing.node_hash(bytes.fromhex(a), bytes.fromhex(b)).hex() for a, b in pairs] == (
        LEVEL_ONE
    )


def test_roots_of_every_prefix_match_the_published_vectors() -> None:
    node = _tree()
    assert [hashing.root(node, n).hex() for n in range(9)] == ROOTS


def test_inclusion_proofs_equal_the_published_ones_and_probes_are_judged_right() -> None:
    node = _tree()
    happy = [p for p in PROBES["inclusion"] if not p["wantErr"] and p["treeSize"] <= 8]
    assert happy, "the probes include happy paths"
    for p in happy:
        made = hashing.inclusion_path(node, p["leafIdx"], p["treeSize"])
        assert [base64.b64encode(h).decode() for h in made] == (p["proof"] or []), p["file"]
    for p in PROBES["inclusion"]:
        args = (_b(p["leafHash"]), p["leafIdx"], p["treeSize"], [_b(h) for h in p["proof"] or []])
        assert hashing.verify_inclusion(*args, _b(p["root"])) is not p["wantErr"], p["file"]


def test_consistency_proofs_equal_the_published_ones_and_probes_are_judged_right() -> None:
    node = _tree()
    happy = [p for p in PROBES["consistency"] if not p["wantErr"]]
    assert len(happy) >= 4
    for p in happy:
        made = hashing.consistency_path(node, p["size1"], p["size2"])
        assert [base64.b64encode(h).decode() for h in made] == (p["proof"] or []), p["file"]
    for p in PROBES["consistency"]:
        hashes = [_b(h) for h in p["proof"] or []]
        ok = hashing.verify_consistency(
            p["size1"], p["size2"], hashes, _b(p["root1"]), _b(p["root2"])
        )
        assert ok is not p["wantErr"], p["file"]


def test_the_independent_reference_agrees_with_the_published_vectors() -> None:
    assert [rfc6962.mth(LEAVES[:n]).hex() for n in range(9)] == ROOTS
    for p in PROBES["inclusion"]:
        hashes = [_b(h) for h in p["proof"] or []]
        args = (p["leafIdx"], p["treeSize"], _b(p["leafHash"]), hashes, _b(p["root"]))
        assert rfc6962.verify_inclusion(*args) is not p["wantErr"], p["file"]
        if not p["wantErr"] and p["treeSize"] <= 8:
            assert rfc6962.path(p["leafIdx"], LEAVES[: p["treeSize"]]) == hashes
    for p in PROBES["consistency"]:
        hashes = [_b(h) for h in p["proof"] or []]
        args = (p["size1"], p["size2"], hashes, _b(p["root1"]), _b(p["root2"]))
        assert rfc6962.verify_consistency(*args) is not p["wantErr"], p["file"]


leaf_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@settings(max_examples=60, deadline=None)
@given(leaf_lists, st.data())
def test_inclusion_proofs_verify_with_the_independent_reference(
    leaves: list[bytes], data: st.DataObject
) -> None:
    size = data.draw(st.integers(1, len(leaves)))
    index = data.draw(st.integers(0, size - 1))
    node = hashing.in_memory([hashing.leaf_hash(x) for x in leaves])
    made = hashing.inclusion_path(node, index, size)
    root = rfc6962.mth(leaves[:size])
    assert made == rfc6962.path(index, leaves[:size])
    assert rfc6962.verify_inclusion(index, size, rfc6962.leaf(leaves[index]), made, root)
    assert hashing.verify_inclusion(rfc6962.leaf(leaves[index]), index, size, made, root)
    if size > 1:  # another leaf's hash does not verify at this index
        other = rfc6962.leaf(leaves[index] + b"x")
        assert not rfc6962.verify_inclusion(index, size, other, made, root)


@settings(max_examples=60, deadline=None)
@given(leaf_lists, st.data())
def test_consistency_proofs_verify_with_the_independent_reference(
    leaves: list[bytes], data: st.DataObject
) -> None:
    second = data.draw(st.integers(1, len(leaves)))
    first = data.draw(st.integers(1, second))
    node = hashing.in_memory([hashing.leaf_hash(x) for x in leaves])
    made = hashing.consistency_path(node, first, second)
    old, new = rfc6962.mth(leaves[:first]), rfc6962.mth(leaves[:second])
    assert made == rfc6962.proof(first, leaves[:second])
    assert rfc6962.verify_consistency(first, second, made, old, new)
    assert hashing.verify_consistency(first, second, made, old, new)
    if first < second:  # a rewritten history is not consistent
        forged = rfc6962.mth([b"forged", *leaves[1:first]])
        assert not rfc6962.verify_consistency(first, second, made, forged, new)
        assert not hashing.verify_consistency(first, second, made, forged, new)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5000))
def test_a_root_reads_one_stored_node_per_set_bit_of_the_size(size: int) -> None:
    reads: list[tuple[int, int]] = []
    hashes = [hashing.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    memory = hashing.in_memory(hashes)

    def counting(level: int, position: int) -> bytes:
        reads.append((level, position))
        return memory(level, position)

    hashing.root(counting, size)
    assert len(reads) == bin(size).count("1")
    reads.clear()
    hashing.inclusion_path(counting, size // 2, size)
    assert len(reads) <= 2 * size.bit_length()
