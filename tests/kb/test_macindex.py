"""Vectorised MAC lookup agrees with the per-address longest-prefix lookup."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.kb import load_kb
from cleanpath.kb.macindex import BAD_MAC, mac_index, parse_macs
from cleanpath.kb.oui import parse_mac


def test_agrees_with_lookup_on_every_block_size() -> None:
    table = load_kb().oui_table()
    index = mac_index(table)
    rng = np.random.default_rng(3)
    firsts = [
        int("".join(c for c in e.prefix.split("/")[0] if c.isalnum()).ljust(12, "0"), 16)
        for e in index.entries
    ]
    picks = rng.integers(0, len(firsts), 1500)
    values = np.array([firsts[i] for i in picks], dtype=np.uint64) + rng.integers(
        0, 4096, 1500
    ).astype(np.uint64)
    values = np.concatenate([values, rng.integers(0, 2**48, 500, dtype=np.uint64)])
    hits = index.lookup_many(values)
    for value, hit in zip(values.tolist(), hits.tolist(), strict=True):
        assert table.lookup(int(value)) == (index.entries[hit] if hit >= 0 else None)
    assert {index.entries[h].bits for h in hits.tolist() if h >= 0} == {24, 28, 36}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(max_size=20)
        | st.from_regex(r"[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}", fullmatch=True),
        max_size=20,
    )
)
def test_parse_macs_matches_parse_mac(texts: list[str]) -> None:
    values = parse_macs(texts).tolist() if texts else []
    for text, value in zip(texts, values, strict=True):
        try:
            expected = parse_mac(text)
        except ValueError:
            expected = None
        if value != int(BAD_MAC):  # accepted: exactly what parse_mac reads
            assert value == expected
        elif expected is not None:  # refused: only layouts other than aa:bb:cc:dd:ee:ff
            assert len(text) != 17 or text.count(":") + text.count("-") != 5


def test_out_of_range_values_find_nothing() -> None:
    index = mac_index(load_kb().oui_table())
    assert index.lookup_many(np.array([BAD_MAC, 2**48], dtype=np.uint64)).tolist() == [-1, -1]
