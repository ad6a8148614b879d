"""The shipped knowledge base: loading, names, PENs, provenance, and bad data."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from cleanpath.errors import KnowledgeBaseError
from cleanpath.kb import (
    DEFAULT_PATH,
    FuzzyDate,
    PenMeaning,
    RelationKind,
    load_kb,
    normalize_name,
    pen_of_oid,
)


def test_default_kb_is_cached_and_versioned() -> None:
    kb = load_kb()
    assert load_kb() is kb
    assert re.fullmatch(r"[0-9a-f]{12}", kb.version)
    assert {p.name for p in kb.policies()} == {"us-fcc", "us-889", "uk-huawei", "de-5g", "au-5g"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("HUAWEI TECHNOLOGIES CO.,LTD", "huawei"),
        ("Huawei Technologies Co.,Ltd", "huawei"),
        ("Huawei Technologies Co., Ltd.", "huawei"),
        ("ZTE Corporation", "zte"),
        ("zte corporation", "zte"),
        ("Hangzhou Hikvision Digital Technology Co.,Ltd.", "hikvision"),
        ("Zhejiang Dahua Technology Co., Ltd.", "dahua"),
        ("New H3C Technologies Co., Ltd", "h3c"),
        ("Hewlett Packard Enterprise", "hpe"),
        ("Hewlett-Packard", "hp"),
        ("Shanghai Baud Data Communication Co.,Ltd.", "bdcom"),
        ("Honor Device Co., Ltd.", "honor"),
        ("Cisco Systems, Inc", "cisco"),
    ],
)
def test_vendor_by_name_matches_registry_spellings(name: str, key: str) -> None:
    vendor = load_kb().vendor_by_name(name)
    assert vendor is not None
    assert vendor.key == key


@pytest.mark.parametrize("name", ["Shanghai Dahua Scale Factory", "Acme Widgets", "", "Co., Ltd."])
def test_vendor_by_name_does_not_guess(name: str) -> None:
    assert load_kb().vendor_by_name(name) is None


def test_unknown_vendor_key_and_policy_raise() -> None:
    kb = load_kb()
    with pytest.raises(KnowledgeBaseError, match="unknown vendor key"):
        kb.vendor("no-such-vendor")
    with pytest.raises(KnowledgeBaseError, match="known: au-5g, de-5g, uk-huawei, us-889, us-fcc"):
        kb.policy("eu-toolbox")


def test_pen_meanings_mark_numbers_that_are_not_the_devices_own() -> None:
    kb = load_kb()
    assert kb.pen(2011).vendor_key == "huawei"
    assert kb.pen(2011).meaning is PenMeaning.OWN
    assert kb.pen(8072).meaning is PenMeaning.STACK
    assert kb.pen(26381).meaning is PenMeaning.STACK
    assert (kb.pen(50001).meaning, kb.pen(50001).seen_on) == (PenMeaning.MISUSED, "hikvision")
    assert (kb.pen(1004849).meaning, kb.pen(1004849).seen_on) == (PenMeaning.MISUSED, "dahua")
    assert kb.pen(39165).vendor_key == "hikvision"
    assert kb.pen(39165).exclusive is False
    assert kb.pen(123456789) is None


def test_pen_registrant_names_agree_with_vendor_keys() -> None:
    """Where the IANA organization name is a known vendor name, it is the row's vendor (or
    the row says why not in its note)."""
    kb = load_kb()
    for entry in kb.pens.values():
        named = kb.vendor_by_name(entry.organization)
        if named is not None and entry.meaning is PenMeaning.OWN and entry.pen != 0:
            division = named.key.startswith(entry.vendor_key or "-")  # "Nokia Distributed Access"
            assert entry.vendor_key == named.key or entry.note or division, entry


def test_every_fact_has_a_source_and_date() -> None:
    kb = load_kb()
    for vendor in kb.vendors.values():
        assert vendor.sources, vendor.key
        assert vendor.as_of <= date.today()
        for rel in vendor.relations:
            assert rel.source.url or rel.source.document, (vendor.key, rel)
    for pen in kb.pens.values():
        assert pen.source
        assert pen.source_date
    for pattern in kb.patterns:
        assert pattern.source.url or pattern.source.document
    for policy in kb.policies():
        for entry in policy.entries:
            assert entry.source.url or entry.source.document
            assert entry.entity in kb.vendors


def test_ownership_changes_are_dated() -> None:
    kb = load_kb()
    honor = kb.vendor("honor").relations[0]
    assert (honor.kind, honor.other) == (RelationKind.SUBSIDIARY_OF, "huawei")
    assert honor.active_on(date(2020, 11, 16)) is True
    assert honor.active_on(date(2020, 11, 17)) is False
    kinds = {(r.kind, r.other) for r in kb.vendor("hpe").relations}
    assert (RelationKind.OEM_FROM, "h3c") in kinds
    assert {r.other for r in kb.vendor("fs-com").relations} == {"ruijie", "bdcom", "centec"}


def test_fuzzy_dates_keep_their_precision() -> None:
    year = FuzzyDate.parse("2003")
    assert (year.earliest, year.latest) == (date(2003, 1, 1), date(2003, 12, 31))
    with pytest.raises(ValueError, match="not a date"):
        FuzzyDate.parse("Nov 2020")


def test_pen_of_oid_and_name_folding() -> None:
    assert pen_of_oid(".1.3.6.1.4.1.25506.11.1.120") == 25506
    assert pen_of_oid("1.3.6.1.4.1") is None
    assert pen_of_oid("1.3.6.1.2.1.1.2") is None
    assert normalize_name("ZTE Corporation") == normalize_name("zte corp.")


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "kb"
    shutil.copytree(DEFAULT_PATH, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copied_kb_loads_with_same_version(kb_copy: Path) -> None:
    assert load_kb(kb_copy).version == load_kb().version


def test_bad_relation_target_names_file_and_entry(kb_copy: Path) -> None:
    _edit(
        kb_copy / "vendors.yaml", "other: huawei\n        until:", "other: huawai\n        until:"
    )
    with pytest.raises(KnowledgeBaseError) as err:
        load_kb(kb_copy)
    assert "vendors.yaml" in str(err.value)
    assert "honor" in str(err.value)
    assert "huawai" in str(err.value)


def test_bad_date_names_file_and_entry(kb_copy: Path) -> None:
    _edit(kb_copy / "vendors.yaml", 'until: "2020-11-17"', 'until: "17 Nov 2020"')
    with pytest.raises(KnowledgeBaseError, match=r"vendors\.yaml: vendors\.honor\.relations\.0"):
        load_kb(kb_copy)


def test_policy_entry_without_known_entity_is_rejected(kb_copy: Path) -> None:
    _edit(kb_copy / "policies" / "us-fcc.yaml", "entity: dahua", "entity: dahwa")
    with pytest.raises(KnowledgeBaseError, match=r"us-fcc\.yaml: entries\.4\(dahua\)\.entity"):
        load_kb(kb_copy)


def test_bad_pen_row_names_line(kb_copy: Path) -> None:
    _edit(kb_copy / "pens.csv", "2011,", "20x1,")
    with pytest.raises(KnowledgeBaseError, match=r"pens\.csv:\d+"):
        load_kb(kb_copy)


def test_data_change_changes_version(kb_copy: Path) -> None:
    _edit(kb_copy / "patterns.yaml", "weight: 0.7", "weight: 0.71")
    assert load_kb(kb_copy).version != load_kb().version


def test_missing_files_name_the_path(tmp_path: Path, kb_copy: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="directory not found"):
        load_kb(tmp_path / "nowhere")
    (kb_copy / "vendors.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"vendors\.yaml: cannot read"):
        load_kb(kb_copy)
    with pytest.raises(KnowledgeBaseError, match="cannot read MAC registry"):
        load_kb(manuf=tmp_path / "no-manuf")


def test_bad_yaml_names_line(kb_copy: Path) -> None:
    _edit(kb_copy / "patterns.yaml", "  - id: zte-zxr10", "  - id: [zte-zxr10")
    with pytest.raises(KnowledgeBaseError, match=r"patterns\.yaml:\d+: bad YAML"):
        load_kb(kb_copy)
