"""The one name normalisation (kb/names.py): examples, properties, and its use for labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb import DEFAULT_PATH, load_kb
from cleanpath.kb.names import clean_name, name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ubiquiti Networks, Inc.", "Ubiquiti"),
        ("Palo Alto Networks", "PALO ALTO NETWORKS"),
        ("Cyber Power System Inc.", "CyberPower"),
        ("Check Point Software Technologies Ltd", "Check Point"),
        ("Schleifenbauer Products BV", "Schleifenbauer"),
        ("2N spol. s r.o.", "2N"),
        ("SIAE Microelettronica S.p.A.", "SIAE Microelettronica"),
        ("Société Générale S.A.", "societe generale"),
        ("A10 Networks (previously 'Raksha Networks Inc.')", "A10"),
        ("Samlex America Inc", "Samlex"),
        ("Shenzhen Smartbyte Technology Co., Ltd.", "Smartbyte"),
        ("Ericsson AB - 4G5G", "Ericsson"),
    ],
)
def test_spellings_of_one_company_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hewlett Packard Enterprise", "Hewlett-Packard"),
        ("Juniper", "Junos"),
        ("US Robotics", "Robotics"),
    ],
)
def test_different_companies_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_names_made_of_legal_forms_only_have_no_key() -> None:
    assert name_key("Co., Ltd.") == name_key("") == name_key("S.A.") == ""
    assert name_key("Networks Inc.") == "networks"  # a generic word alone is still a name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_name_key_is_idempotent_and_never_crashes(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert key == key.casefold()
    assert all(c.isalnum() for c in key)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_clean_name_never_crashes_and_is_trimmed(text: str) -> None:
    cleaned = clean_name(text)
    assert cleaned == cleaned.strip()


def test_labels_resolve_like_manufacturer_strings() -> None:
    """evaluate.score resolves a label with kb.vendor_by_name, as entity_mib does a device's
    entPhysicalMfgName: the label 'Ubiquiti' and the registrant spelling are one vendor."""
    kb = load_kb()
    label = kb.vendor_by_name("Ubiquiti")
    registrant = kb.vendor_by_name(kb.pen(41112).organization)  # type: ignore[union-attr]
    assert label is not None
    assert registrant is not None
    assert label.key == registrant.key == kb.pen(41112).vendor_key  # type: ignore[union-attr]


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    dst = tmp_path / "kb"
    shutil.copytree(DEFAULT_PATH, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def _append(kb_dir: Path, line: str) -> int:
    path = kb_dir / "names.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Foo,Bar,cousin-of,,high,somewhere,", "bad name, vendor or relation"),
        ("Foo,Bar,short-name,,high,,", "a name needs a source"),
        ("Huawei,ZTE,short-name,,high,somewhere,", "already names 'huawei'"),
    ],
)
def test_bad_names_rows_name_file_and_line(kb_dir: Path, line: str, message: str) -> None:
    number = _append(kb_dir, line)
    with pytest.raises(KnowledgeBaseError, match=message) as err:
        load_kb(kb_dir)
    assert (Path(str(err.value.path)).name, err.value.line) == ("names.csv", number)


def test_names_rows_make_vendors_with_their_source(kb_dir: Path) -> None:
    _append(kb_dir, "Zqxw Widgets,Zqxw Holdings,short-name,,medium,test fixture row,")
    kb = load_kb(kb_dir)
    vendor = kb.vendor_by_name("ZQXW WIDGETS GMBH")
    assert vendor is not None
    assert (vendor.key, vendor.name) == ("zqxw", "Zqxw Holdings")
    assert vendor.sources[0].title == "test fixture row"
