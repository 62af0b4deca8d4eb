"""Leaves are RFC 8785 text: the fast path gives exactly what the maintained `rfc8785`
package gives, for any JSON value a record can hold."""

import json

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ledger import leaves

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | text
    | st.floats(allow_nan=False, allow_infinity=False)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_canonical_text_is_what_rfc8785_writes(value: object) -> None:
    try:
        expected = rfc8785.dumps(value).decode()  # type: ignore[arg-type]
    except rfc8785.CanonicalizationError:
        return  # out of I-JSON's range: rfc8785 refuses, and so does the slow path
    assert leaves.canonical(value) == expected


def test_a_leaf_is_sorted_compact_json_with_its_kind_and_index() -> None:
    record = {"quote": "won’t", "probability": 0.97, "tags": ["b", "a"], "n": 1.0}
    text = leaves.leaf_text("prediction", 12, record)
    assert text == (
        '{"format":"hindsight-leaf-v1","kind":"prediction","record":'
        '{"n":1,"probability":0.97,"quote":"won’t","tags":["b","a"]},"seq":12}'
    )
    assert json.loads(text)["seq"] == 12
