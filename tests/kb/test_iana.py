"""The full IANA enterprise-number registry (kb/data/iana_pens.tsv.gz) and its loader."""

from __future__ import annotations

import gzip
import shutil
import time
from pathlib import Path

import pytest

from cleanpath.errors import InputError, KnowledgeBaseError
from cleanpath.kb import DEFAULT_PATH, PenMeaning, load_kb
from cleanpath.kb.iana import parse_iana, parse_nmap_enterprise_numbers, read_iana, registry_tsv
from cleanpath.kb.loader import IANA_FILE, _registry_at
from cleanpath.kb.names import name_key


def test_shipped_table_is_the_whole_registry_with_current_keys() -> None:
    reg = read_iana(DEFAULT_PATH / IANA_FILE)
    assert len(reg) > 59_000
    assert reg.organization(9) == "ciscoSystems"
    assert reg.organization(2011) is not None
    stale = [p for p, org in reg.organizations.items() if reg.key(p) not in ("", name_key(org))]
    assert stale == []  # rebuild with `python -m cleanpath.kb.build` after changing names.py


def test_numbers_outside_pens_csv_come_from_the_registry() -> None:
    kb = load_kb()
    assert 59323 not in kb.pens
    entry = kb.pen(59323)  # grommunio GmbH, registered after pen_selected.csv's numbers
    assert entry is not None
    assert (entry.meaning, entry.vendor_key, entry.exclusive) == (PenMeaning.OWN, "grommunio", True)
    vendor = kb.vendor("grommunio")
    assert vendor.name == "grommunio"
    assert "IANA" in vendor.sources[0].title
    assert "59323" in vendor.sources[0].title
    assert kb.pen(10**9) is None


def test_registrants_resolve_to_curated_vendors_first() -> None:
    kb = load_kb()
    reg = kb.registry()
    assert kb.pen(2011).vendor_key == "huawei"  # type: ignore[union-attr]
    huawei_pens = [p for p in reg.pens_of("huawei")]
    assert 2011 in huawei_pens
    assert kb.vendor_by_name(reg.organization(2011) or "").key == "huawei"  # type: ignore[union-attr]


def test_without_registry_only_curated_numbers_are_known() -> None:
    kb = load_kb(registry=False)
    assert kb.pen(59323) is None
    assert kb.pen(2011).vendor_key == "huawei"  # type: ignore[union-attr]


def test_registry_loads_lazily_and_fast(tmp_path: Path) -> None:
    data = tmp_path / "kb"
    shutil.copytree(DEFAULT_PATH, data, ignore=shutil.ignore_patterns("__pycache__"))
    kb = load_kb(data)
    loaded = _registry_at.cache_info().currsize  # loading the KB did not read the registry...
    t0 = time.process_time()
    assert kb.pen(59323) is not None  # ...the first number outside pens.csv reads it
    assert _registry_at.cache_info().currsize == loaded + 1
    assert time.process_time() - t0 < 2.0  # measured ~0.15 s CPU


def test_nmap_lines_and_bad_lines() -> None:
    rows = parse_nmap_enterprise_numbers("# header\n9\tciscoSystems\n\n11\tHewlett-Packard\n")
    assert rows == [(9, "ciscoSystems"), (11, "Hewlett-Packard")]
    with pytest.raises(InputError, match=":2:") as err:
        parse_nmap_enterprise_numbers("9\tciscoSystems\nnot-a-number\tX\n", path="e.txt")
    assert err.value.path == "e.txt"


def test_table_round_trip_and_placeholders() -> None:
    text = registry_tsv(
        [(3, "Unassigned"), (9, "ciscoSystems"), (41112, "Ubiquiti Networks, Inc.")]
    )
    reg = parse_iana(text)
    assert reg.key(3) == ""  # not a registrant
    assert reg.pens_of("ubiquiti") == (41112,)
    with pytest.raises(KnowledgeBaseError, match="header"):
        parse_iana("pen\torg\n1\tx\n")
    with pytest.raises(KnowledgeBaseError) as err:
        parse_iana("pen\torganization\tkey\nx\ty\tz\n")
    assert err.value.line == 2


def test_unreadable_table_is_a_knowledge_base_error(tmp_path: Path) -> None:
    bad = tmp_path / "iana.tsv.gz"
    bad.write_bytes(gzip.compress(b"\xff\xfe"))
    with pytest.raises(KnowledgeBaseError, match="cannot read IANA registry"):
        read_iana(bad)


@pytest.mark.parametrize(
    ("pen", "key"),
    [(2011, "huawei"), (3902, "zte"), (25506, "h3c"), (39165, "hikvision"), (37496, "dahua"),
     (40297, "hytera"), (46055, "hytera"), (58597, "hytera"), (34774, "huawei"),
     (58132, "xfusion")],
)  # fmt: skip
def test_every_registered_number_of_a_listed_maker_names_it(pen: int, key: str) -> None:
    """The registry numbers of the makers the policies list resolve to them (a miss here is a
    covered device missed)."""
    entry = load_kb().pen(pen)
    assert entry is not None
    assert entry.vendor_key == key
