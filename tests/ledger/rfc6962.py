"""An independent reference, written straight from RFC 6962 §2.1 for the tests: recursive
MTH, PATH and PROOF, and verifiers that rebuild the roots by the same recursion. It shares
no code with app.ledger."""

import hashlib
from collections.abc import Sequence


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf inputs (not hashes)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf(leaves[0])
    k = _k(len(leaves))
    return node(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n])."""
    if len(leaves) <= 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n])."""
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = _k(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def root_from_path(index: int, size: int, leaf_hash: bytes, hashes: list[bytes]) -> bytes | None:
    """The root PATH(index, D[size]) leads to, or None if the path has the wrong length."""
    rest = list(hashes)

    def climb(i: int, n: int) -> bytes | None:
        if n == 1:
            return leaf_hash
        if not rest:
            return None
        sibling = rest.pop()
        k = _k(n)
        if i < k:
            below = climb(i, k)
            return None if below is None else node(below, sibling)
        below = climb(i - k, n - k)
        return None if below is None else node(sibling, below)

    top = climb(index, size)
    return top if top is not None and not rest else None


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, hashes: list[bytes], root: bytes
) -> bool:
    if any(len(h) != 32 for h in [leaf_hash, root, *hashes]):
        return False  # SHA-256 hashes only
    return 0 <= index < size and root_from_path(index, size, leaf_hash, hashes) == root


def verify_consistency(
    first: int, second: int, hashes: list[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """Rebuild both roots from PROOF(first, D[second]) by the RFC's recursion."""
    if not 0 < first <= second or any(len(h) != 32 for h in [first_root, second_root, *hashes]):
        return False
    rest = list(hashes)

    def sub(m: int, n: int, whole: bool) -> tuple[bytes, bytes] | None:
        if m == n:
            if whole:
                return first_root, first_root
            return (rest[-1], rest.pop()) if rest else None
        if not rest:
            return None
        right_or_left = rest.pop()
        k = _k(n)
        if m <= k:
            inner = sub(m, k, whole)
            return None if inner is None else (inner[0], node(inner[1], right_or_left))
        inner = sub(m - k, n - k, False)
        if inner is None:
            return None
        return node(right_or_left, inner[0]), node(right_or_left, inner[1])

    roots = sub(first, second, True)
    return roots is not None and not rest and roots == (first_root, second_root)
