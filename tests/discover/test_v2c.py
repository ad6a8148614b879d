"""The SNMPv2c layer against small agents written here (real UDP on 127.0.0.1): replies are
matched by request-id and source address, junk is dropped, retries resend, and an agent that
answers garbage is recorded with its error without stopping the run."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder

from cleanpath.discover.run import discover_async
from cleanpath.discover.targets import Target
from cleanpath.discover.v2c import (
    NO_RESPONSE,
    V2cClient,
    decode_response,
    encode_request,
    encode_response,
    v2c,
)

Answer = Callable[[int, str, list[str], int], list[bytes]]  # request -> datagrams to send


class _Agent(asyncio.DatagramProtocol):
    """Answers each request with what ``answer(request_id, community, oids, n)`` returns
    (``n`` counts the requests seen so far, so an agent can ignore the first try)."""

    def __init__(self, answer: Answer) -> None:
        self.answer, self.seen = answer, 0
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        msg, _ = decoder.decode(data, asn1Spec=v2c.Message())
        pdu = v2c.apiMessage.get_pdu(msg)
        oids = [str(o) for o, _ in v2c.apiPDU.get_varbinds(pdu)]
        request_id = int(v2c.apiPDU.get_request_id(pdu))
        self.seen += 1
        community = str(v2c.apiMessage.get_community(msg))
        for reply in self.answer(request_id, community, oids, self.seen):
            self.transport.sendto(reply, addr)


async def _agent(answer: Answer) -> tuple[Any, _Agent, int]:
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(
        lambda: _Agent(answer), local_addr=("127.0.0.1", 0)
    )
    return transport, proto, transport.get_extra_info("sockname")[1]


def _name(request_id: int, community: str) -> bytes:
    return encode_response(request_id, community, [("1.3.6.1.2.1.1.5.0", v2c.OctetString(b"sw1"))])


async def _ask(answer: Answer, *, retries: int = 0, timeout: float = 0.3) -> tuple[Any, ...]:
    transport, agent, port = await _agent(answer)
    try:
        async with V2cClient() as client:
            addr = await client.resolve("127.0.0.1", port)
            reply = await client.request(
                addr, "lab", ["1.3.6.1.2.1.1.5.0"], timeout=timeout, retries=retries
            )
            dropped = sum(end.dropped for _, end in client._ends.values())
        return (*reply, dropped, agent.seen)
    finally:
        transport.close()


def test_a_reply_is_decoded_to_pysnmp_values() -> None:
    error, status, _, vbs, dropped, _ = asyncio.run(_ask(lambda i, c, o, n: [_name(i, c)]))
    assert (error, status, dropped) == (None, 0, 0)
    assert [(str(o), bytes(v)) for o, v in vbs] == [("1.3.6.1.2.1.1.5.0", b"sw1")]


def test_junk_and_replies_to_other_requests_are_dropped() -> None:
    def answer(i: int, c: str, o: list[str], n: int) -> list[bytes]:
        return [b"\x00garbage", _name(i + 1, c), _name(i, c)]

    error, _, _, vbs, dropped, _ = asyncio.run(_ask(answer))
    assert error is None
    assert bytes(vbs[0][1]) == b"sw1"
    assert dropped == 2


def test_a_reply_to_another_request_id_only_is_a_timeout() -> None:
    error, _, _, vbs, dropped, _ = asyncio.run(_ask(lambda i, c, o, n: [_name(i + 7, c)]))
    assert (error, vbs, dropped) == (NO_RESPONSE, [], 1)


def test_retries_resend_the_request() -> None:
    def second_try_only(i: int, c: str, o: list[str], n: int) -> list[bytes]:
        return [] if n == 1 else [_name(i, c)]

    assert asyncio.run(_ask(second_try_only, retries=0))[0] == NO_RESPONSE
    error, _, _, _, _, seen = asyncio.run(_ask(second_try_only, retries=1))
    assert (error, seen) == (None, 2)


def test_a_reply_from_another_address_is_not_taken() -> None:
    async def run() -> tuple[Any, ...]:
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        other.bind(("127.0.0.1", 0))

        def answer(i: int, c: str, o: list[str], n: int) -> list[bytes]:
            other.sendto(_name(i, c), client_addr[0])  # right id, wrong sender
            return []

        client_addr: list[Any] = []
        transport, _, port = await _agent(answer)
        try:
            async with V2cClient() as client:
                addr = await client.resolve("127.0.0.1", port)
                end_transport, end = await client._endpoint(socket.AF_INET)
                client_addr.append(("127.0.0.1", end_transport.get_extra_info("sockname")[1]))
                reply = await client.request(
                    addr, "lab", ["1.3.6.1.2.1.1.5.0"], timeout=0.3, retries=0
                )
                await asyncio.sleep(0)
                return (*reply, end.dropped)
        finally:
            transport.close()
            other.close()

    error, _, _, _, dropped = asyncio.run(run())
    assert error == NO_RESPONSE
    assert dropped == 1


def test_a_malformed_body_is_an_error_of_that_request() -> None:
    def bad_value(i: int, c: str, o: list[str], n: int) -> list[bytes]:
        good = _name(i, c)
        return [good.replace(b"\x04\x03sw1", b"\x47\x03sw1")]  # no SNMP type has tag 0x47

    error, _, _, vbs, _, _ = asyncio.run(_ask(bad_value))
    assert error is not None
    assert error.startswith("malformed reply")
    assert vbs == []


def test_an_agent_answering_garbage_is_recorded_and_the_run_goes_on() -> None:
    def answer(i: int, c: str, o: list[str], n: int) -> list[bytes]:
        if c == "broken":
            return [_name(i, c)[:-3]]  # cut short: BER lengths no longer add up
        return [
            encode_response(
                i,
                c,
                [("1.3.6.1.2.1.1.1.0", v2c.OctetString(b"lab box"))]
                + [(f"{x}.0", v2c.EndOfMibView()) for x in o[1:]],
            )
        ]

    async def run() -> Any:
        transport, _, port = await _agent(answer)
        try:
            targets = [Target("127.0.0.1", port, "broken"), Target("127.0.0.1", port, "fine")]
            return await discover_async(targets, settings=None)
        finally:
            transport.close()

    result = asyncio.run(run())
    by_agent = {a.agent.rsplit("/", 1)[1]: a for a in result.agents}
    assert not by_agent["broken"].ok
    assert "malformed reply" in (by_agent["broken"].error or "")
    assert by_agent["fine"].ok
    assert [s.source for s in result.inventory.skipped] == [by_agent["broken"].agent]


@pytest.mark.parametrize("bulk", [None, (2, 7)])
def test_requests_are_what_pysnmp_reads(bulk: tuple[int, int] | None) -> None:
    data = encode_request(
        41, "c", ["1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.2", "1.3.6.1.2.1.2"], bulk=bulk
    )
    msg, rest = decoder.decode(data, asn1Spec=v2c.Message())
    pdu = v2c.apiMessage.get_pdu(msg)
    assert rest == b""
    assert int(v2c.apiPDU.get_request_id(pdu)) == 41
    if bulk is not None:
        assert int(v2c.apiBulkPDU.get_non_repeaters(pdu)) == 2
        assert int(v2c.apiBulkPDU.get_max_repetitions(pdu)) == 7


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=120)
    | st.builds(lambda n, b: _name(n, "c")[:b], st.integers(0, 2**31 - 1), st.integers(0, 60))
)
def test_junk_datagrams_never_raise(data: bytes) -> None:
    """Whatever arrives: decoding raises only the codec's errors, the endpoint drops it."""
    from pyasn1.error import PyAsn1Error

    from cleanpath.discover.v2c import _Endpoint

    with contextlib.suppress(PyAsn1Error, ValueError):
        decode_response(data)
    end = _Endpoint()
    end.datagram_received(data, ("127.0.0.1", 161))
    assert end.dropped == 1


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_ipv6_agents_and_host_names() -> None:
    async def run() -> tuple[Any, Any]:
        loop = asyncio.get_running_loop()
        v6, _ = await loop.create_datagram_endpoint(
            lambda: _Agent(lambda i, c, o, n: [_name(i, c)]), local_addr=("::1", 0)
        )
        v4, _, port4 = await _agent(lambda i, c, o, n: [_name(i, c)])
        try:
            async with V2cClient() as client:
                addr6 = await client.resolve("::1", v6.get_extra_info("sockname")[1])
                addr4 = await client.resolve("localhost", port4)  # names resolve to IPv4
                oids = ["1.3.6.1.2.1.1.5.0"]
                r6 = await client.request(addr6, "lab", oids, timeout=0.5, retries=0)
                r4 = await client.request(addr4, "lab", oids, timeout=0.5, retries=0)
                return (addr6[0], r6[0]), (addr4, r4[0])
        finally:
            v6.close()
            v4.close()

    (family6, error6), (addr4, error4) = asyncio.run(run())
    assert (family6, error6) == (socket.AF_INET6, None)
    assert addr4[0] == socket.AF_INET
    assert addr4[1][0] == "127.0.0.1"
    assert error4 is None


OIDS = st.lists(
    st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=12).map(
        lambda arcs: "1.3." + ".".join(map(str, arcs))
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(
    request_id=st.integers(1, 2**31 - 1),
    community=st.text(alphabet=st.characters(max_codepoint=126, min_codepoint=32), max_size=40),
    oids=OIDS,
    bulk=st.none() | st.tuples(st.integers(0, 30), st.integers(0, 64)),
)
def test_requests_are_byte_for_byte_what_pysnmp_encodes(
    request_id: int, community: str, oids: list[str], bulk: tuple[int, int] | None
) -> None:
    from cleanpath.discover.v2c import pysnmp_request

    mine = encode_request(request_id, community, oids, bulk=bulk)
    assert mine == pysnmp_request(request_id, community, oids, bulk=bulk)
    assert encode_request(request_id, community, oids, bulk=bulk) == mine  # cached list
