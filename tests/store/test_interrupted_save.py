"""A save killed with SIGKILL at any step leaves the previous runs intact and no half run."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cleanpath.store import Store

from .helpers import after, before

CHILD = """
import pickle, sys, time
from cleanpath.store import Store

db, target, result = sys.argv[1], sys.argv[2], sys.argv[3]
with open(result, "rb") as f:
    res = pickle.load(f)
store = Store.open(db)

def step(name):
    if name == target:
        print("at", name, flush=True)
        time.sleep(120)

store.save_run(res, progress=step)
print("saved", flush=True)
"""

TABLES = ("runs", "run_inputs", "nodes", "links", "devices", "flows", "sites", "skipped")


def _kill_child_at(db: Path, step: str) -> None:
    """A child process saves the 'after' audit (pickled: no audit to recompute) and is
    killed with SIGKILL when it reaches ``step``."""
    result = db.parent / "after.pickle"
    result.write_bytes(pickle.dumps(after()))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), step, str(result)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    watchdog = threading.Timer(90, proc.kill)
    watchdog.start()
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == f"at {step}", f"child did not reach {step!r}: {line!r}"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        watchdog.cancel()
        proc.kill()


@pytest.mark.slow
@pytest.mark.parametrize("step", ["runs", "devices", "commit"])
def test_kill_9_in_the_middle_of_saving(tmp_path: Path, step: str) -> None:
    db = tmp_path / "kill.duckdb"
    with Store.open(db) as s:
        first = s.save_run(before(), inputs={"a": b"1"})
        parquet = sorted(p.name for p in s.parquet_dir.iterdir())
    _kill_child_at(db, step)
    with Store.open(db) as s:
        assert [r["run_id"] for r in s.runs().items] == [first]
        for t in TABLES:
            n = s._query(f"SELECT count(*) AS n FROM {t} WHERE run_id <> ?", [first])[0]["n"]
            assert n == 0, f"{t} keeps {n} rows of the killed save"
        assert s.devices(first).total == 6
        assert s.flows(first).total > 0
        assert sorted(p.name for p in s.parquet_dir.iterdir()) == parquet
        nxt = s.save_run(before())
        assert s.runs().total == 2
        assert s.flows(nxt).total == s.flows(first).total
