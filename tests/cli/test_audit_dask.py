"""``cleanpath audit --engine dask --scheduler tcp://...``: the same answer as the local engine,
computed on a real Dask cluster listening on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import run_cli


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
@pytest.mark.parametrize("demands", ["all-pairs", "gravity"])
def test_dask_scheduler_gives_the_local_answer(
    capsys: pytest.CaptureFixture[str], data_dir: Path, scheduler: str, demands: str
) -> None:
    args = [str(data_dir / "audit" / "ring.graphml"), "--untrusted-nodes", "b", "--demands",
            demands, "--format", "json", "--no-save"]  # fmt: skip
    local = run_cli(capsys, "audit", *args)
    assert local.code == 0, local.err
    assert scheduler.startswith("tcp://127.0.0.1:")
    remote = run_cli(capsys, "audit", *args, "--engine", "dask", "--scheduler", scheduler)
    assert remote.code == 0, remote.err
    assert json.loads(remote.out) == json.loads(local.out)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--scheduler", "tcp://127.0.0.1:1"], "needs engine 'dask'"),
        (["--engine", "spark"], "unknown engine"),
    ],
)
def test_bad_engine_options_are_one_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: list[str], needle: str
) -> None:
    res = run_cli(capsys, "audit", str(data_dir / "audit" / "ring.graphml"), "--no-save", *args)
    assert res.code == 1
    lines = [ln for ln in res.err.splitlines() if ln.strip()]
    assert len(lines) == 1, res.err
    assert needle in lines[0]
