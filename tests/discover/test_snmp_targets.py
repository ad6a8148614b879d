"""Discovery targets: files of host[:port][,community] lines, addresses and CIDR blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleanpath.discover.snmp import Credentials, needs_subtree_walk
from cleanpath.discover.targets import Target, parse_targets, read_targets
from cleanpath.errors import InputError


def test_file_and_words_mixed(tmp_path: Path) -> None:
    f = tmp_path / "targets.txt"
    f.write_text("# lab\n10.0.0.1\n10.0.0.2:1161,lab  # comment\n\n[2001:db8::1]:162\n")
    targets = read_targets([str(f), "192.0.2.8/30", "10.0.0.1"], community="public")
    assert [t.agent for t in targets] == [
        "10.0.0.1:161/public",
        "10.0.0.2:1161/lab",
        "[2001:db8::1]:162/public",
        "192.0.2.9:161/public",
        "192.0.2.10:161/public",
    ]
    assert targets[1].line == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [("10.0.0.1:99999", "bad port"), ("10.0.0.0/8", "at most 65536"), (":161", "no host")],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    f = tmp_path / "t.txt"
    f.write_text("10.0.0.1\n" + line + "\n")
    with pytest.raises(InputError, match=message) as exc:
        read_targets([str(f)])
    assert (exc.value.path, exc.value.line) == (str(f), 2)


def test_no_targets() -> None:
    with pytest.raises(InputError, match="no targets"):
        read_targets(["# only a comment"])


def test_agent_labels_for_v2c_and_v3() -> None:
    t = Target("sw1", 161)
    assert Credentials(community="c").label(t) == "sw1:161/c"
    assert Credentials(v3_user="ops", auth_key="k" * 8).label(t) == "sw1:161/ops"
    assert parse_targets(["sw1,own"], community="c")[0].community == "own"


def test_generic_or_missing_sys_object_id_needs_the_subtree_walk() -> None:
    assert needs_subtree_walk({})
    assert needs_subtree_walk({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.26381"})
    assert not needs_subtree_walk({"1.3.6.1.2.1.1.2.0": "1.3.6.1.4.1.9.1.634"})
