"""RFC 6962 §2.1 (RFC 9162 §2.1.1) hashes, roots and proofs, as pure functions.

A tree of n leaves is split at k, the largest power of two smaller than n. Hashes of
complete subtrees come from `node(level, position)`, so a caller backed by stored hashes
answers every root and proof in O(log n) look-ups.
"""

import hashlib
from collections.abc import Callable, Sequence

Node = Callable[[int, int], bytes]  # (level, position) → hash of a complete subtree


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 ‖ leaf)."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree(node: Node, start: int, end: int) -> bytes:
    """MTH of leaves [start, end), where start is a multiple of a power of two ≥ end - start
    or the range is the right edge of a larger split: O(log(end - start)) look-ups."""
    size = end - start
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return node(level, start >> level)
    k = split(size)
    return node_hash(subtree(node, start, start + k), subtree(node, start + k, end))


def root(node: Node, size: int) -> bytes:
    """MTH of the first `size` leaves."""
    return EMPTY_ROOT if size == 0 else subtree(node, 0, size)


def inclusion_path(node: Node, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf-side first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not below tree size {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append(subtree(node, start + k, end))
            end = start + k
        else:
            path.append(subtree(node, start, start + k))
            start += k
    return path[::-1]


def consistency_path(node: Node, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 6962 §2.1.2."""
    if not 0 < first <= second:
        raise ValueError(f"first {first} must be above 0 and at most second {second}")
    appended: list[bytes] = []
    start, end, whole = 0, second, True
    while first != end:
        k = split(end - start)
        if first - start <= k:
            appended.append(subtree(node, start + k, end))
            end = start + k
        else:
            appended.append(subtree(node, start, start + k))
            start, whole = start + k, False
    inner = [] if whole else [subtree(node, start, end)]
    return inner + appended[::-1]


def in_memory(leaf_hashes: Sequence[bytes]) -> Node:
    """A `node` function over a list of leaf hashes (tests, the verifier, the backfill)."""
    levels = [list(leaf_hashes)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def node(level: int, position: int) -> bytes:
        return levels[level][position]

    return node


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], expected: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does the audit path lead from this leaf hash to the root?"""
    if not 0 <= index < size or len(leaf) != 32 or len(expected) != 32:
        return False
    fn, sn, current = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            current = node_hash(sibling, current)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            current = node_hash(current, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and current == expected


def verify_consistency(
    first: int, second: int, path: Sequence[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of `first` leaves a prefix of the tree of `second`?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    proof = [first_root, *path] if first & (first - 1) == 0 else list(path)
    if not proof:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
