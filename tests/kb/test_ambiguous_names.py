"""Names several makers use (names.csv relation ``ambiguous``): parsed, checked, resolved."""

from __future__ import annotations

import pytest

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb import load_kb
from cleanpath.kb.naming import name_index, parse_names_csv

HEADER = "name,vendor,relation,since,confidence,source,note\n"


def test_ambiguous_rows_list_candidates_and_leave_the_index() -> None:
    rows = (
        "Acme,Acme Carrier,ambiguous,2014,high,split 2014,\n"
        "Acme,Acme Enterprise,ambiguous,2014,high,split 2014,\n"
        "Acme Mobile Oy,Acme Carrier,former-name,,high,registry,\n"
    )
    names = parse_names_csv(HEADER + rows, name_index({}, "vendors.yaml"))
    assert names.ambiguous == {"acme": ("acmecarrier", "acmeenterprise")}
    assert "acme" not in names.index
    assert names.index["acmemobile"] == "acmecarrier"
    assert "Acme" in names.spellings  # still searched in descriptions


@pytest.mark.parametrize(
    "rows",
    [
        "Acme,Acme Carrier,ambiguous,,high,s,\nAcme,Acme Carrier,ambiguous,,high,s,\n",
        "Acme,Acme Carrier,short-name,,high,s,\nAcme,Acme Enterprise,ambiguous,,high,s,\n",
    ],
    ids=["one-maker", "also-one-vendors-name"],
)
def test_bad_ambiguous_rows_name_the_file(rows: str) -> None:
    with pytest.raises(KnowledgeBaseError, match="ambiguous name 'acme'") as err:
        parse_names_csv(HEADER + rows, name_index({}, "vendors.yaml"), path="names.csv")
    assert err.value.path == "names.csv"


@pytest.mark.parametrize(
    ("name", "makers"),
    [
        ("Alcatel-Lucent", {"nokia", "alcatel-lucent-enterprise"}),
        ("ALCATEL-LUCENT", {"nokia", "alcatel-lucent-enterprise"}),
        ("Lucent Technologies, Inc.", {"nokia", "avaya"}),
        ("Tandberg", {"tandbergdata", "cisco"}),
    ],
)
def test_shipped_ambiguous_names(name: str, makers: set[str]) -> None:
    kb = load_kb()
    assert set(kb.makers_named(name)) == makers
    assert kb.vendor_by_name(name) is None  # no single vendor for it


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Alcatel-Lucent Enterprise", "alcatel-lucent-enterprise"),
        ("Nokia (Formerly 'Alcatel-Lucent')", "nokia"),
        ("Tandberg Data", "tandbergdata"),
    ],
)
def test_unambiguous_neighbours_still_resolve(name: str, key: str) -> None:
    kb = load_kb()
    vendor = kb.vendor_by_name(name)
    assert kb.makers_named(name) == ()
    assert vendor is not None
    assert vendor.key == key


def test_pens_csv_lists_the_makers_of_a_split_number() -> None:
    from cleanpath.kb.pens import parse_pens

    text = (
        "pen,organization,vendor_key,meaning,source,source_date\n"
        "637,Nokia,nokia | alcatel-lucent-enterprise,own,IANA,2024-08-23\n"
        "2011,Huawei,huawei,own,IANA,2024-08-23\n"
    )
    table = parse_pens(text)
    assert (table[637].vendor_key, table[637].among) == (
        None,
        ("nokia", "alcatel-lucent-enterprise"),
    )
    assert (table[2011].vendor_key, table[2011].among) == ("huawei", ())
