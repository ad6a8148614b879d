"""Live discovery against our lab recordings served by snmpsim on 127.0.0.1.

The lab (tests/data/snmplab, written by build_lab.py) defines seven agents of different makers
whose LLDP tables describe each other, an unpolled Dahua recorder heard over LLDP, and two
faulty agents (error statuses, malformed values). Timeouts come from a community with no
recording and from a port with nothing listening.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleanpath.discover.result import devices_csv, read_discovery_json, write_result
from cleanpath.discover.run import DiscoveryResult, discover
from cleanpath.discover.simulator import SnmpSimulator, free_udp_port
from cleanpath.discover.targets import Target
from cleanpath.domain import DeviceRecord
from cleanpath.ingest.inventory import parse_inventory_csv

LAB = Path(__file__).resolve().parents[1] / "data" / "snmplab"
SPEC = json.loads((LAB / "lab.json").read_text())
#: lab name -> discovered node (an unpolled neighbour without a system name is lldp:<chassis>)
NODE = {**{n: n for n in SPEC["devices"]}, **{n: u["node"] for n, u in SPEC["unpolled"].items()}}


@pytest.fixture(scope="module")
def sim() -> Iterator[SnmpSimulator]:
    files = sorted(LAB.glob("*.snmprec")) + sorted((LAB / "faults").glob("*.snmprec"))
    with SnmpSimulator(files) as s:
        yield s


@pytest.fixture(scope="module")
def lab(sim: SnmpSimulator) -> DiscoveryResult:
    targets = [Target("127.0.0.1", sim.port, name) for name in SPEC["devices"]]
    return discover(targets, timeout=2.0, retries=1)


def _by_node(result: DiscoveryResult) -> dict[str, DeviceRecord]:
    return {d.node: d for d in result.inventory.devices}


def test_every_lab_agent_answers_with_its_recorded_identity(
    lab: DiscoveryResult, sim: SnmpSimulator
) -> None:
    assert [a.ok for a in lab.agents] == [True] * len(SPEC["devices"])
    devices = _by_node(lab)
    for name, spec in SPEC["devices"].items():
        d = devices[name]
        assert d.hostname == name
        assert d.sys_object_id == spec["sys_object_id"]
        assert d.mac == spec["mac"]
        assert d.model == spec["model"]
        assert d.extra["agent"] == f"127.0.0.1:{sim.port}/{name}"
        assert d.source == d.extra["agent"]
        assert d.extra["provenance"]["sys_descr"] == "1.3.6.1.2.1.1.1.0"
        assert len(d.extra["if_macs"]) >= 1


def test_entity_mib_fields_come_from_the_chassis(lab: DiscoveryResult) -> None:
    core = _by_node(lab)["core1"]
    assert core.extra["ent_physical_mfg_name"] == "Huawei"
    assert core.extra["ent_physical_serial"] == "210235A1QGH17B000101"
    assert core.extra["ent_physical_firmware"] == "V200R002C50SPC800"
    assert core.extra["provenance"]["ent_physical_serial"] == "1.3.6.1.2.1.47.1.1.1.1.11.1"
    assert core.manufacturer is None  # what the box claims stays a signal in extra


def test_lldp_links_match_the_lab(lab: DiscoveryResult) -> None:
    got = {
        frozenset({(x.src, x.attrs["src_port"]), (x.dst, x.attrs["dst_port"])})
        for x in lab.inventory.links
    }
    want = {frozenset({(NODE[a], pa), (NODE[b], pb)}) for a, pa, b, pb in SPEC["links"]}
    assert got == want
    assert len(lab.inventory.links) == len(SPEC["links"])  # heard from both ends, kept once


def test_unpolled_neighbour_carries_its_own_description(lab: DiscoveryResult) -> None:
    devices = _by_node(lab)
    nvr = devices["nvr-dahua"]
    assert nvr.extra["observed_only"] is True
    assert nvr.extra["lldp_rem_sys_desc"] == (SPEC["unpolled"]["nvr-dahua"]["descr"],)
    assert nvr.extra["lldp_rem_chassis_id"] == (SPEC["unpolled"]["nvr-dahua"]["mac"],)
    assert nvr.extra["lldp_seen_by"] == ("edge-juniper",)
    assert nvr.manufacturer is None
    assert nvr.sys_descr is None
    # the switch that heard the recorder carries nothing of the recorder's description
    assert "DHI-NVR" not in json.dumps(devices["edge-juniper"].to_dict(), default=str)


def test_nameless_neighbours_become_one_node_per_chassis_id(lab: DiscoveryResult) -> None:
    devices = _by_node(lab)
    nameless = {n: u for n, u in SPEC["unpolled"].items() if "sys_name" in u}
    assert len(nameless) == 3
    for u in nameless.values():
        d = devices[u["node"]]  # lldp:<chassis MAC>: not dropped for want of a name
        assert d.hostname is None
        assert d.extra["observed_only"] is True
        assert d.extra["lldp_rem_chassis_id"] == (u["mac"],)
        assert d.extra["lldp_rem_sys_desc"] == (u["descr"],)  # kept as evidence about it
        assert "lldp_rem_sys_name" not in d.extra
    # two cameras with the same description stay two nodes (distinct chassis ids)
    cams = [devices[nameless[n]["node"]] for n in ("cam-dahua-1", "cam-dahua-2")]
    assert cams[0].node != cams[1].node
    assert [c.extra["lldp_seen_by"] for c in cams] == [("acc-hp",), ("agg-zte",)]
    # a recorder heard by two switches (one chassis id) is one node with two links
    nvr = devices[nameless["nvr-hik"]["node"]]
    assert nvr.extra["lldp_seen_by"] == ("core1", "dist-cisco")
    ends = sorted(
        (x.src, x.attrs["src_port"], x.attrs["dst_port"])
        for x in lab.inventory.links
        if x.dst == nvr.node
    )
    assert ends == [("core1", "10GE1/0/3", "LAN1"), ("dist-cisco", "Gi0/3", "LAN2")]
    # the description is not copied onto the switches that heard it
    for seen in ("acc-hp", "agg-zte", "core1", "dist-cisco"):
        text = json.dumps(devices[seen].to_dict(), default=str)
        assert "IPC-HDW2431T" not in text
        assert "DS-7608NI" not in text


def test_neighbour_evidence_lands_on_the_matched_device(lab: DiscoveryResult) -> None:
    cam = _by_node(lab)["cam-hik"]  # matched by chassis MAC (it advertises no name)
    assert cam.extra["lldp_rem_sys_desc"] == ("DS-2CD2143G2-I",)
    assert cam.extra["lldp_seen_by"] == ("edge-juniper",)


def test_generic_sys_object_id_triggers_a_bounded_vendor_subtree_walk(
    lab: DiscoveryResult,
) -> None:
    devices = _by_node(lab)
    assert devices["cam-hik"].extra["vendor_subtree_walk"] is True
    assert devices["cam-hik"].extra["vendor_subtree_hits"] == {39165: 2}
    assert devices["srv-linux"].extra["vendor_subtree_walk"] is True
    assert "vendor_subtree_hits" not in devices["srv-linux"].extra
    assert "vendor_subtree_walk" not in devices["core1"].extra


def test_identification_of_the_lab_never_names_a_wrong_maker(lab: DiscoveryResult) -> None:
    from cleanpath.identify import identify
    from cleanpath.kb import load_kb

    idents = {i.device.node: i for i in identify(lab.inventory.devices, load_kb())}
    makers = {n: s["maker"] for n, s in SPEC["devices"].items()}
    makers.update({s["node"]: s["maker"] for s in SPEC["unpolled"].values()})
    right = wrong = 0
    for node, maker in makers.items():
        got = idents[node].manufacturer_name
        right += got is not None and maker is not None and got.lower() == maker.lower()
        wrong += got is not None and (maker is None or got.lower() != maker.lower())
    assert wrong == 0
    # every maker the lab defines, including the camera behind net-snmp's sysObjectID and
    # the recorder known only from a neighbour's LLDP table; the Linux server stays unknown
    assert right == sum(m is not None for m in makers.values())
    assert idents["srv-linux"].manufacturer is None
    assert idents["acc-hp"].brand == "hp"
    assert idents["acc-hp"].manufacturer == "h3c"


def test_timeouts_and_errors_do_not_stop_the_run(sim: SnmpSimulator) -> None:
    silent_port = free_udp_port()
    targets = [
        Target("127.0.0.1", sim.port, "core1"),
        Target("127.0.0.1", sim.port, "no-such-recording"),
        Target("127.0.0.1", silent_port, "core1"),
        Target("127.0.0.1", sim.port, "generr"),
        Target("127.0.0.1", sim.port, "malformed"),
    ]
    seen: list[str] = []
    r = discover(targets, timeout=0.4, retries=0, progress=lambda o: seen.append(o.agent))
    outcome = {a.agent: a for a in r.agents}
    assert sorted(seen) == sorted(outcome)
    for t in targets[1:3]:
        assert not outcome[t.agent].ok
        assert "No SNMP response" in (outcome[t.agent].error or "")
    assert sorted(s.source or "" for s in r.inventory.skipped) == sorted(
        t.agent for t in targets[1:3]
    )
    assert outcome[targets[0].agent].ok
    assert "core1" in _by_node(r)


def test_error_statuses_keep_what_the_agent_did_answer(sim: SnmpSimulator) -> None:
    r = discover([Target("127.0.0.1", sim.port, "generr")], timeout=1.0, retries=0)
    (agent,) = r.agents
    assert agent.ok
    assert any("1.3.6.1.2.1.1.5.0: agent returned genErr" in w for w in agent.warnings)
    assert any("authorizationError" in w for w in agent.warnings)
    (d,) = r.inventory.devices
    assert d.hostname is None
    assert d.node == agent.agent
    assert d.sys_object_id == "1.3.6.1.4.1.2011.2.23.96"
    assert d.mac == "00:e0:fc:00:00:01"


def test_malformed_values_become_warnings(sim: SnmpSimulator) -> None:
    r = discover([Target("127.0.0.1", sim.port, "malformed")], timeout=1.0, retries=0)
    (d,) = [x for x in r.inventory.devices if x.extra.get("agent")]
    warnings = " ".join(d.extra["warnings"])
    assert "sysObjectID is not an OBJECT IDENTIFIER: 'not-an-oid'" in warnings
    assert "1.3.6.1.2.1.17.1.1.0: not a MAC address" in warnings
    assert "chassis id of subtype macAddress is not a MAC" in warnings
    assert d.sys_object_id is None
    assert d.mac == "00:bc:99:f0:00:09"
    assert d.sys_descr is not None
    assert len(d.sys_descr) == 4096
    assert d.hostname == "br\xffken"  # not UTF-8: read as Latin-1, not dropped


def test_result_json_round_trips_to_topology_and_inventory(
    lab: DiscoveryResult, tmp_path: Path
) -> None:
    path = write_result(lab, tmp_path / "result.json")
    topo, inv = read_discovery_json(path)
    assert {n.id for n in topo.nodes} == {d.node for d in lab.inventory.devices}
    assert [(x.src, x.dst) for x in topo.links] == [(x.src, x.dst) for x in lab.inventory.links]
    back = {d.node: d for d in inv.devices}
    assert back["cam-hik"].extra["vendor_subtree_hits"] == {39165: 2}
    assert back["core1"].extra["if_macs"] == _by_node(lab)["core1"].extra["if_macs"]


def test_devices_csv_reads_back_as_an_inventory(lab: DiscoveryResult) -> None:
    inv = parse_inventory_csv(devices_csv(lab))
    assert not inv.skipped
    rows = {d.node: d for d in inv.devices}
    assert set(rows) == {d.node for d in lab.inventory.devices}
    assert rows["core1"].sys_object_id == SPEC["devices"]["core1"]["sys_object_id"]
    assert rows["core1"].extra["agent"].endswith("/core1")
    assert rows["core1"].extra["ent_physical_serial"] == "210235A1QGH17B000101"


def test_cli_discover_writes_both_outputs(sim: SnmpSimulator, tmp_path: Path) -> None:
    import cleanpath.cli.discover  # noqa: F401  (registers the command)
    from cleanpath.cli import app

    targets = tmp_path / "targets.txt"
    targets.write_text(
        "# lab agents\n" + "".join(f"127.0.0.1:{sim.port},{n}\n" for n in SPEC["devices"])
    )
    runner = CliRunner()
    for name in ("result.json", "devices.csv"):
        res = runner.invoke(
            app, ["discover", str(targets), "--timeout", "2", "--out", str(tmp_path / name)]
        )
        assert res.exit_code == 0, res.output
        assert "7 agents answered, 0 failed, 4 LLDP neighbours not polled, 11 links" in res.output
    topo, _ = read_discovery_json(tmp_path / "result.json")
    assert len(topo.nodes) == 11
    assert parse_inventory_csv((tmp_path / "devices.csv").read_text()).devices


def test_cli_rejects_mixed_credentials(tmp_path: Path) -> None:
    import cleanpath.cli.discover  # noqa: F401
    from cleanpath.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["discover", "127.0.0.1", "--community", "x", "--v3-user", "u"])
    assert exc.value.code == 1


def test_snmpv3_auth_priv_and_a_wrong_key() -> None:
    from cleanpath.discover.snmp import Credentials

    args = ["--v3-user=ops", "--v3-auth-key=authkey123", "--v3-auth-proto=SHA",
            "--v3-priv-key=privkey123", "--v3-priv-proto=AES"]  # fmt: skip
    with SnmpSimulator([LAB / "core1.snmprec"], extra_args=args) as v3:
        target = Target("127.0.0.1", v3.port, "core1")  # with v3 the name is the context
        good = Credentials(v3_user="ops", auth_key="authkey123", priv_key="privkey123")
        r = discover([target], credentials=good, timeout=2.0, retries=1)
        assert r.agents[0].agent == f"127.0.0.1:{v3.port}/ops"
        assert _by_node(r)["core1"].sys_object_id == SPEC["devices"]["core1"]["sys_object_id"]
        bad = Credentials(v3_user="ops", auth_key="wrongkey99", priv_key="privkey123")
        r = discover([target], credentials=bad, timeout=1.0, retries=0)
        assert not r.agents[0].ok
        assert r.agents[0].error == "Wrong SNMP PDU digest"
