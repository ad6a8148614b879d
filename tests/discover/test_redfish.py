"""The Redfish collector against real services on 127.0.0.1 (sushy-static, our faulty server)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanpath.discover.redfish import FetchError, collect_redfish, walk_redfish
from cleanpath.errors import DiscoveryError
from integrity.redfish_servers import SESSION, SMC, TOKEN, faulty_redfish, sushy_static
from servers import free_port


@pytest.fixture(scope="module")
def smc_evidence():
    with sushy_static(SMC) as url:
        return collect_redfish(url, user="audit", password="secret")


def test_walks_every_resource_kind(smc_evidence):
    kinds = {c.kind for c in smc_evidence.components}
    assert kinds == {
        "system",
        "processor",
        "memory",
        "storage_controller",
        "drive",
        "chassis",
        "pcie_device",
        "manager",
    }
    assert not smc_evidence.failures
    assert smc_evidence.kinds == ("redfish",)


def test_absent_dimm_is_not_a_component(smc_evidence):
    dimms = sorted(c.slot.rsplit("/", 1)[1] for c in smc_evidence.components if c.kind == "memory")
    assert dimms == ["P1-DIMMA1", "P1-DIMMB1", "P2-DIMMA1", "P2-DIMMB1"]


def test_members_are_trusted_over_a_wrong_count(smc_evidence):
    # the PCIeDevices collection says Members@odata.count 2 but lists 3
    pcie = [c.slot for c in smc_evidence.components if c.kind == "pcie_device"]
    assert len(pcie) == 3


def test_vendor_ids_in_hex_decimal_and_int_are_normalised(smc_evidence):
    by_slot = {c.slot.rsplit("/", 1)[1]: c for c in smc_evidence.components}
    # "0x15B3" (hex string), Links.PCIeFunctions shape on OnboardLAN
    assert (by_slot["Slot1"].vendor_id, by_slot["Slot1"].device_id) == ("15b3", "1017")
    assert (by_slot["OnboardLAN"].vendor_id, by_slot["OnboardLAN"].subsystem_vendor_id) == (
        "8086",
        "15d9",
    )
    # "4096" decimal string, 93 integer, "5593" decimal
    slot2 = by_slot["Slot2"]
    assert (slot2.vendor_id, slot2.device_id, slot2.subsystem_vendor_id) == ("1000", "005d", "15d9")


def test_network_adapter_merges_into_its_pcie_device(smc_evidence):
    slot1 = next(c for c in smc_evidence.components if c.slot.endswith("Slot1"))
    assert slot1.firmware_version == "16.28.2006"
    assert not any(c.kind == "network_adapter" for c in smc_evidence.components)


def test_firmware_inventory_with_supermicro_members(smc_evidence):
    fw = {f.id.rsplit("/", 1)[1]: f for f in smc_evidence.firmware if "#" not in f.id}
    assert {"BMC", "Backup_BMC", "Golden_BMC", "BIOS", "Golden_BIOS", "NIC1"} <= set(fw)
    assert fw["BIOS"].version == "3.4"
    assert fw["BIOS"].related == ("Systems/1",)
    assert fw["Golden_BMC"].updateable is False
    # BiosVersion of Systems/1 is the BIOS entry, not a second firmware item
    assert not any(f.id.startswith("Systems/1#") for f in smc_evidence.firmware)
    # drive firmware (Revision) has no inventory entry, so it is kept from the drive
    assert any(
        f.id.endswith("Disk.0#firmware") and f.version == "HXT7404Q" for f in smc_evidence.firmware
    )


def test_same_result_with_our_server_and_sushy_static(smc_evidence):
    with faulty_redfish(SMC, {}) as url:
        ev = collect_redfish(url)
    assert ev.components == smc_evidence.components
    assert ev.firmware == smc_evidence.firmware


def test_firmware_agrees_with_dmtf_redfish_library():
    redfish = pytest.importorskip("redfish")
    with sushy_static(SMC) as url:
        ours = {f.id: f.version for f in collect_redfish(url).firmware if "#" not in f.id}
        client = redfish.redfish_client(
            base_url=url,
            username="u",
            password="p",
            default_prefix="/redfish/v1",
            max_retry=1,
            timeout=5,
        )
        client.login(auth="basic")
        try:
            coll = client.get("/redfish/v1/UpdateService/FirmwareInventory").dict
            theirs = {}
            for m in coll["Members"]:
                doc = client.get(m["@odata.id"]).dict
                theirs["UpdateService/FirmwareInventory/" + doc["Id"]] = doc["Version"]
        finally:
            client.logout()
    assert ours == theirs
    assert len(ours) == 10


FAULTS = {
    "/redfish/v1/Systems/1/Memory/P1-DIMMB1": "500",
    "/redfish/v1/Chassis/1/PCIeDevices": "truncated",
    "/redfish/v1/UpdateService/FirmwareInventory/BIOS": "loop",
    "/redfish/v1/Managers/1": "offsite",
}


def test_bad_bmc_gives_partial_evidence_with_failures_listed():
    with faulty_redfish(SMC, FAULTS) as url:
        ev = collect_redfish(url, timeout=5)
    fails = {f.where: f.error for f in ev.failures}
    assert set(fails) == {
        "Systems/1/Memory/P1-DIMMB1",
        "Chassis/1/PCIeDevices",
        "UpdateService/FirmwareInventory/BIOS",
        "Managers/1",
    }
    assert fails["Systems/1/Memory/P1-DIMMB1"].startswith("HTTP 500")
    assert fails["Chassis/1/PCIeDevices"].startswith("invalid JSON")
    assert "redirect loop" in fails["UpdateService/FirmwareInventory/BIOS"]
    assert "another host" in fails["Managers/1"]
    slots = {c.slot for c in ev.components}
    assert "Systems/1/Memory/P1-DIMMA1" in slots
    assert "Systems/1/Memory/P1-DIMMB1" not in slots
    assert not any("PCIeDevices" in s for s in slots)
    assert any(f.id.endswith("/BMC") for f in ev.firmware)


def test_unreachable_host_is_one_root_failure():
    port = free_port()  # nothing listens there
    ev = collect_redfish(f"http://127.0.0.1:{port}", timeout=2)
    assert ev.components == ()
    assert ev.firmware == ()
    assert len(ev.failures) == 1
    assert ev.failures[0].where == ""
    assert "cannot reach" in ev.failures[0].error


def test_not_a_url_is_an_error():
    with pytest.raises(DiscoveryError, match="not an http"):
        collect_redfish("bmc.example:443")


def test_walk_tolerates_junk_shapes():
    docs = {
        "/redfish/v1": {"Systems": {"@odata.id": "/redfish/v1/Systems"}, "Chassis": "junk"},
        "/redfish/v1/Systems": {"Members": [{"@odata.id": "/redfish/v1/Systems/a"}, 7, {}]},
        "/redfish/v1/Systems/a": {
            "Memory": [1, 2],
            "Processors": {"@odata.id": 3},
            "Manufacturer": ["x"],
            "Model": "M",
        },
    }

    def get(path: str):
        if path not in docs:
            raise FetchError("HTTP 404: Not Found")
        return docs[path]

    ev = walk_redfish(get)
    assert [(c.kind, c.slot, c.manufacturer, c.model) for c in ev.components] == [
        ("system", "Systems/a", None, "M")
    ]
    assert ev.failures == ()


PATHS = [
    "/redfish/v1",
    "/redfish/v1/Systems",
    "/redfish/v1/Systems/1",
    "/redfish/v1/Chassis",
    "/redfish/v1/Chassis/1",
    "/redfish/v1/UpdateService",
]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(PATHS),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@odata.id",
                    "Members",
                    "Links",
                    "PCIeDevices",
                    "PCIeFunctions",
                    "Memory",
                    "Status",
                    "VendorId",
                    "Controllers",
                    "Drives",
                    "Model",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(PATHS), st.dictionaries(st.text(max_size=12), json_values)))
def test_walk_never_crashes_on_junk_documents(docs):
    docs.setdefault("/redfish/v1", {})
    docs["/redfish/v1"].update(
        {
            "Systems": {"@odata.id": "/redfish/v1/Systems"},
            "Chassis": {"@odata.id": "/redfish/v1/Chassis"},
            "UpdateService": {"@odata.id": "/redfish/v1/UpdateService"},
        }
    )

    def get(path: str):
        if path not in docs:
            raise FetchError("HTTP 404: Not Found")
        return docs[path]

    ev = walk_redfish(get)
    assert all(c.slot for c in ev.components)


def test_session_login_uses_the_token_and_logs_out():
    log: list[str] = []
    with faulty_redfish(SMC, {}, session_log=log) as url:
        ev = collect_redfish(url, user="audit", password="secret", auth="session")
    assert not ev.failures
    assert len(ev.components) == 15
    assert all(line.endswith(TOKEN) for line in log)
    assert log[-1] == f"DELETE {SESSION} {TOKEN}"


def test_failed_session_login_is_a_listed_failure():
    with faulty_redfish(SMC, {}, session_log=[]) as url:
        ev = collect_redfish(url, user="audit", password="wrong", auth="session")
    (failure,) = ev.failures
    assert failure.where == "SessionService/Sessions"
    assert "HTTP 401" in failure.error
    with faulty_redfish(SMC, {}, session_log=[]) as url:  # basic auth is refused there
        ev = collect_redfish(url, user="audit", password="secret")
    assert [f.where for f in ev.failures] == [""]
