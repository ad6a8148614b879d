"""The CLI does what docs/cli.md, docs/quickstart.md and the ``--help`` texts say: one test per
mismatch found when running the documented examples on our fixtures (tests/data/audit)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from test_docs import COMMANDS

from .helpers import Outcome, run_cli


@pytest.fixture
def audit_dir(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory holding ring.graphml, inventory.csv and sites.csv, with the
    results database inside it."""
    for f in (data_dir / "audit").iterdir():
        shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLEANPATH_DB", str(tmp_path / "cleanpath.duckdb"))
    return tmp_path


def _flat(text: str) -> str:
    """Help or table text with box characters dropped and whitespace collapsed, so that a
    phrase wrapped over two lines of one cell reads as one."""
    return " ".join(re.sub(r"[│┃╭╮╰╯─━┏┓┗┛┡┩└┘┌┐┼╇╋]", " ", text).split())


@pytest.mark.parametrize(("name", "callback"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help_ends_with_its_example(name: str, callback: object) -> None:
    # docs/cli.md: "each help ends with an example"
    paragraphs = [p.strip() for p in (getattr(callback, "__doc__", None) or "").split("\n\n")]
    first, *more = [p for p in paragraphs if p][-1].splitlines()
    assert first.startswith("Example:"), name
    assert f"cleanpath {name}" in first, name
    # a long example goes on with more options; nothing else follows it
    assert all(line.strip().startswith("--") for line in more), name


@pytest.mark.parametrize(
    ("command", "phrase"),
    [
        (("audit",), "(setting weight, default auto)"),
        (("audit",), "(setting policy, default us-fcc)"),
        (("check",), "(setting engine, default local)"),
        (("runs", "list"), "Results database (setting db, default ./cleanpath.duckdb)."),
        (("serve",), "required off loopback (setting token)."),
        (("hw", "audit"), "Redfish password (setting redfish-password)."),
    ],
)
def test_help_shows_the_setting_each_option_falls_back_to(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], phrase: str
) -> None:
    # typer renders help as rich markup: "[setting db: ...]" used to vanish from the help
    res = run_cli(capsys, *command, "--help")
    assert res.code == 0, res.err
    assert phrase in _flat(res.out)


def _plan(capsys: pytest.CaptureFixture[str], *extra: str) -> Outcome:
    return run_cli(capsys, "plan", "ring.graphml", "--inventory", "inventory.csv", *extra,
                   "--budget", "5e6/phase", "--phases", "3", "--format", "json")  # fmt: skip


def test_quickstart_plan_example_takes_sites(
    capsys: pytest.CaptureFixture[str], audit_dir: Path
) -> None:
    # docs/quickstart.md: plan network.graphml --inventory devices.csv --sites sites.csv ...
    res = _plan(capsys, "--sites", "sites.csv")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    # the sensitive flows Base One <-> Capital (nodes a, e) cross covered d only: replace d
    assert doc["replaced"] == ["d"]
    assert doc["phases"][0]["clean_share_after"] == pytest.approx(1.0)
    # without sites there is no sensitive traffic, so nothing is worth replacing
    assert json.loads(_plan(capsys).out)["replaced"] == []


def test_check_change_table_says_yes_no_or_dash(
    capsys: pytest.CaptureFixture[str], audit_dir: Path
) -> None:
    # docs/cli.md: check is a CI gate; exit 0 when no sensitive flow is exposed
    first = run_cli(capsys, "check", "ring.graphml", "--inventory", "inventory.csv")
    assert first.code == 0, first.err
    # with sites, a <-> e cross covered d: exit 1, flows listed, gained exposure since run 1
    res = run_cli(capsys, "check", "ring.graphml", "--inventory", "inventory.csv",
                  "--sites", "sites.csv", "--baseline", "latest")  # fmt: skip
    assert res.code == 1, res.err
    out = _flat(res.out)
    assert "gained exposure since run 1" in out
    assert "FAIL" in out
    # the flows were absent from run 1: "–" before, "no" clean path after (was None/False)
    assert "None" not in out
    assert "False" not in out
    assert re.search(r"\ba e – 100\.0% – no\b", out), out


def test_names_with_brackets_print_literally(
    capsys: pytest.CaptureFixture[str], audit_dir: Path
) -> None:
    # a node label "Alpha [/x]" once made rich raise MarkupError: a traceback, not a table
    graph = audit_dir / "ring.graphml"
    graph.write_text(graph.read_text().replace(">Alpha<", ">Alpha [/x]<"))
    res = run_cli(capsys, "audit", "ring.graphml", "--inventory", "inventory.csv",
                  "--sites", "sites.csv", "--no-save")  # fmt: skip
    assert res.code == 0, res.err
    assert "Alpha [/x]" in res.out
    # and the one red error line shows the offending value as given
    bad = run_cli(capsys, "audit", "ring.graphml", "--untrusted-nodes", "[/x]", "--no-save")
    assert bad.code == 1
    assert "unknown node id '[/x]'" in _flat(bad.err)


def test_demo_runs_record_their_own_inputs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each demo run used to list all three networks' graphs as its inputs
    from cleanpath.store import Store

    monkeypatch.chdir(tmp_path)
    db = tmp_path / "demo.duckdb"
    res = run_cli(capsys, "demo", "--out", "out", "--db", str(db))
    assert res.code == 0, res.err
    with Store.open(db, read_only=True) as store:
        runs = store.runs().items
        assert len({r["batch"] for r in runs}) == 1
        for r in runs:
            names = sorted(Path(i["name"]).name for i in store.run(r["run_id"])["inputs"])
            net = r["network"]
            assert names == sorted([f"{net}.graphml", f"inventory-{net}.csv", "hubs.csv",
                                    "sites.csv"])  # fmt: skip
            assert store.plan(r["run_id"]) is not None
