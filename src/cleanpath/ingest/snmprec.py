"""snmpsim recordings (``.snmprec``): one ``OID|tag|value`` line per object.

The tag is the BER tag number of the type (2 INTEGER, 4 OCTET STRING, 5 NULL, 6 OBJECT
IDENTIFIER, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque, 70 Counter64,
128-130 the noSuch*/endOfMibView exceptions). A tag ending in ``x`` carries the value as hex;
one ending in ``e`` as a Python-escaped byte string. A folder of recordings is one device per
file; ``name@context.snmprec`` files (per-VLAN contexts) are attached to ``name``.

>>> rec = parse_snmprec("1.3.6.1.2.1.1.1.0|4x|48756177656920565250\\n"
...                     "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.23.96\\n"
...                     "1.3.6.1.4.1.2011.5.25.31.1.1.1.1.5.1|2|12\\n")
>>> rec.values["1.3.6.1.2.1.1.1.0"], rec.values["1.3.6.1.2.1.1.2.0"]
(b'Huawei VRP', '1.3.6.1.4.1.2011.2.23.96')
>>> d = device_from_recording(rec, node="vrp")
>>> d.sys_descr, d.sys_object_id, d.extra["vendor_subtree_hits"]
('Huawei VRP', '1.3.6.1.4.1.2011.2.23.96', {2011: 1})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cleanpath.domain import DeviceRecord, Inventory, Skipped
from cleanpath.errors import InputError
from cleanpath.ingest._common import load_file
from cleanpath.ingest.lldp import LldpNeighbour, link_neighbours, neighbours_from_values
from cleanpath.ingest.mib import SnmpValue, device_from_values

__all__ = [
    "Recording",
    "device_from_recording",
    "parse_snmprec",
    "read_snmprec",
]

_INT_TAGS = frozenset({"2", "65", "66", "67", "70"})
_BYTES_TAGS = frozenset({"4", "68"})
_EMPTY_TAGS = frozenset({"5", "128", "129", "130"})
_HEX = frozenset("0123456789abcdefABCDEF")
_ESCAPES = {"\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


@dataclass(frozen=True, slots=True)
class Recording:
    """The values of one recording, keyed by OID without a leading dot."""

    values: Mapping[str, SnmpValue]
    source: str | None = None
    skipped: tuple[Skipped, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)


def _unescape(text: str) -> bytes:
    """Python-literal escapes (``\\xNN``, ``\\n`` ...) to bytes, as snmpsim's ``e`` tags.

    >>> _unescape(r"\\x04\\x88_a\\n")
    b'\\x04\\x88_a\\n'
    """
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out.append(ord(ch) & 0xFF)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        if nxt == "x":
            digits = text[i + 2 : i + 4]
            if len(digits) != 2 or not all(c in _HEX for c in digits):
                raise ValueError(f"bad escape \\x{digits}")
            out.append(int(digits, 16))
            i += 4
        elif nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        else:
            raise ValueError(f"unknown escape \\{nxt}")
    return bytes(out)


def _raw_bytes(value: str, encoding: str) -> bytes:
    if encoding == "x":
        return bytes.fromhex(value.strip())
    if encoding == "e":
        return _unescape(value)
    return value.encode("latin-1")


def _value(tag: str, value: str) -> SnmpValue | None:
    """Decode one value; ValueError says what is wrong with it."""
    base, encoding = (tag[:-1], tag[-1]) if tag[-1:] in ("x", "e") else (tag, "")
    if base in _EMPTY_TAGS:
        return None
    if base in _BYTES_TAGS:
        return _raw_bytes(value, encoding)
    if base in _INT_TAGS and not encoding:
        if len(value.strip()) > 21:  # Counter64 has 20 digits; int() refuses 4300+
            raise ValueError(f"integer of {len(value.strip())} characters")
        return int(value.strip())
    if base == "6" and not encoding:
        if not _is_oid(value.strip()):
            raise ValueError(f"not an OBJECT IDENTIFIER: {value[:60]!r}")
        return value.strip().lstrip(".")
    if base == "64":
        if not encoding:
            parts = value.strip().split(".")
            if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
                raise ValueError(f"not an IPv4 address: {value[:60]!r}")
            return value.strip()
        raw = _raw_bytes(value, encoding)
        if len(raw) != 4:
            raise ValueError(f"IpAddress of {len(raw)} bytes")
        return ".".join(str(b) for b in raw)
    raise ValueError(f"unknown tag {tag!r}")


def _is_oid(text: str) -> bool:
    body = text[1:] if text.startswith(".") else text
    return "." in body and body.replace(".", "").isdigit() and ".." not in body


def _parse_line(text: str) -> tuple[str, SnmpValue | None]:
    parts = text.split("|", 2)
    if len(parts) != 3:
        raise ValueError("not an OID|tag|value record")
    oid, tag, value = parts
    if not _is_oid(oid):
        oid = oid.strip()
        if not _is_oid(oid):
            raise ValueError(f"not an OID: {oid[:60]!r}")
    if tag in _INT_TAGS and value.isascii() and value.isdigit() and len(value) <= 20:
        return oid.lstrip("."), int(value)
    if tag == "4":
        return oid.lstrip("."), value.encode("latin-1")
    try:
        return oid.lstrip("."), _value(tag.strip(), value)
    except ValueError as exc:
        raise ValueError(f"tag {tag.strip()!r}: {exc}") from None


def parse_snmprec(
    data: str | bytes, *, source: str | None = None, skip_bad: bool = False
) -> Recording:
    """Parse one recording. A bad line is an :class:`InputError` naming file and line, or,
    with ``skip_bad``, a :class:`Skipped` record; the lines around it are kept.

    >>> parse_snmprec("1.3.6.1.2.1.1.2.0|6|abc", source="r.snmprec")
    Traceback (most recent call last):
    ...
    cleanpath.errors.InputError: r.snmprec:1: tag '6': not an OBJECT IDENTIFIER: 'abc'
    """
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    text = text.removeprefix("\ufeff").removeprefix("\xef\xbb\xbf")  # a UTF-8 BOM
    values: dict[str, SnmpValue] = {}
    lines: dict[str, int] = {}
    skipped: list[Skipped] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#") or line.isspace():
            continue
        try:
            oid, value = _parse_line(line)
            if oid in values and value is not None and value != values[oid]:
                raise ValueError(f"OID {oid} again, with another value (first: line {lines[oid]})")
        except ValueError as exc:
            if not skip_bad:
                raise InputError(str(exc), path=source, line=number) from None
            skipped.append(Skipped(source, number, str(exc)))
            continue
        if value is not None and oid not in values:  # an identical repeat changes nothing
            values[oid] = value
            lines[oid] = number
    return Recording(values, source, tuple(skipped), lines)


def device_from_recording(
    rec: Recording, *, node: str, contexts: tuple[str, ...] = ()
) -> DeviceRecord:
    """The device a recording describes (``node`` is usually the file stem)."""
    extra = {"recording": node, "contexts": contexts} if contexts else {"recording": node}
    return device_from_values(rec.values, node=node, source=rec.source, extra=extra)


def _files(path: Path) -> dict[str, tuple[Path, list[str]]]:
    """``stem -> (file, context names)``; context files attach to their parent stem."""
    if not path.is_dir():
        return {path.stem: (path, [])}
    found: dict[str, tuple[Path, list[str]]] = {}
    files = sorted(path.glob("*.snmprec"))
    for f in files:
        if "@" not in f.stem:
            found[f.stem] = (f, [])
    for f in files:
        parent, _, context = f.stem.partition("@")
        if context and parent in found:
            found[parent][1].append(context)
        elif context:
            found[f.stem] = (f, [])  # an orphan context file is a device of its own
    return found


def read_snmprec(
    path: str | Path, *, skip_bad: bool = False, neighbours: bool = False
) -> Inventory:
    """A recording, or a folder of them, as an :class:`Inventory` (one device per file).

    Links are made from the recordings' LLDP tables where a neighbour is another recording
    of the set. With ``neighbours=True`` neighbours that are not in the set are added as
    devices of unknown make carrying their LLDP description; by default they are left out
    (their descriptions are never attached to the device that heard them).
    """
    root = Path(path)
    if not root.exists():
        raise InputError("no such file or folder", path=str(root))
    devices: list[DeviceRecord] = []
    heard: list[LldpNeighbour] = []
    skipped: list[Skipped] = []
    files = _files(root)
    if not files:
        raise InputError("no .snmprec recordings in this folder", path=str(root))
    for stem, (file, contexts) in files.items():
        rec = parse_snmprec(load_file(file), source=str(file), skip_bad=skip_bad)
        skipped.extend(rec.skipped)
        if not rec.values:  # empty, only comments, or every line was bad
            if not skip_bad:
                raise InputError("no SNMP values in the recording", path=str(file))
            skipped.append(Skipped(str(file), None, "no SNMP values in the recording"))
            continue
        devices.append(device_from_recording(rec, node=stem, contexts=tuple(sorted(contexts))))
        heard.extend(neighbours_from_values(rec.values, local=stem, source=str(file)))
    linked = link_neighbours(devices, heard)
    kept = linked.devices if neighbours else linked.devices[: len(devices)]
    nodes = {d.node for d in kept}
    links = tuple(x for x in linked.links if x.src in nodes and x.dst in nodes)
    return Inventory(tuple(kept), links, tuple(skipped), (str(root),))
