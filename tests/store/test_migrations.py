"""Named, append-only migrations: upgrade of an older database, refusal of a newer one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cleanpath.errors import StoreError
from cleanpath.store import MIGRATIONS, Store
from cleanpath.store.migrations import applied_migrations, migrate

from .helpers import before


def test_migration_names_are_unique_and_ordered() -> None:
    names = [m.name for m in MIGRATIONS]
    assert names == sorted(names)
    assert len(set(names)) == len(names)


def test_a_new_database_gets_every_migration(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new.duckdb") as s:
        assert applied_migrations(s._con) == [m.name for m in MIGRATIONS]


def test_an_older_database_is_upgraded_and_keeps_its_runs(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        assert migrate(con, upto=1) == ["0001_initial"]
        con.execute(
            "INSERT INTO runs (run_id, created_at, network, policy, as_of, kb_version, "
            "cleanpath_version, settings, summary) VALUES "
            "(nextval('run_id_seq'), TIMESTAMP '2026-01-02 03:04:05', 'old', 'us-fcc', "
            "DATE '2026-01-01', 'kb0', '0.0.1', '{}', '{\"demands\": 3}')"
        )
    with Store.open(db, read_only=True) as s:  # a read-only open upgrades first
        assert applied_migrations(s._con) == [m.name for m in MIGRATIONS]
        old = s.run(1)
        assert (old["network"], old["summary"], old["batch"]) == ("old", {"demands": 3}, None)
        assert s.plan(1) is None
    with Store.open(db) as s:
        assert s.save_run(before()) == 2
        assert [r["run_id"] for r in s.runs().items] == [2, 1]


def test_a_database_from_a_newer_cleanpath_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    Store.open(db).close()
    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', now())")
    for ro in (False, True):
        with pytest.raises(StoreError, match=r"newer cleanpath.*9999_from_the_future") as exc:
            Store.open(db, read_only=ro)
        assert exc.value.path == str(db)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_text("this is not a database\n")
    with pytest.raises(StoreError, match="cannot open the database"):
        Store.open(bad)
