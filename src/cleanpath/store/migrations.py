"""Named, append-only schema migrations of the results database.

Never edit or reorder a migration that has shipped: add a new one at the end. Opening a
database applies the missing ones in order, each in its own transaction; a database that has
a migration this cleanpath does not know was written by a newer cleanpath and is refused.

>>> [m.name for m in MIGRATIONS][:2]
['0001_initial', '0002_plans']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from cleanpath.errors import StoreError

if TYPE_CHECKING:
    import duckdb

__all__ = ["MIGRATIONS", "Migration", "applied_migrations", "migrate", "pending_migrations"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: a unique name and the statements it runs."""

    name: str
    statements: tuple[str, ...]


_INITIAL = (
    "CREATE SEQUENCE run_id_seq START 1",
    """CREATE TABLE runs (
        run_id BIGINT PRIMARY KEY, created_at TIMESTAMP NOT NULL, network TEXT NOT NULL,
        policy TEXT NOT NULL, as_of DATE NOT NULL, kb_version TEXT NOT NULL,
        cleanpath_version TEXT NOT NULL, seed BIGINT, settings TEXT NOT NULL,
        summary TEXT NOT NULL, coordinates TEXT, attribution TEXT, demands_path TEXT,
        label TEXT)""",
    """CREATE TABLE run_inputs (run_id BIGINT NOT NULL, name TEXT NOT NULL,
        sha256 TEXT NOT NULL, size BIGINT)""",
    """CREATE TABLE nodes (run_id BIGINT NOT NULL, node_idx INTEGER NOT NULL,
        node_id TEXT NOT NULL, label TEXT, lat DOUBLE, lon DOUBLE, verdict TEXT NOT NULL,
        devices INTEGER NOT NULL, manufacturer TEXT, model TEXT, reason TEXT,
        untrusted BOOLEAN NOT NULL, external BOOLEAN NOT NULL, hyperedge BOOLEAN NOT NULL,
        carried_volume DOUBLE NOT NULL, carried_sensitive_volume DOUBLE NOT NULL)""",
    """CREATE TABLE links (run_id BIGINT NOT NULL, link_idx INTEGER NOT NULL, link_id TEXT,
        src TEXT NOT NULL, dst TEXT NOT NULL, carried_volume DOUBLE NOT NULL,
        carried_sensitive_volume DOUBLE NOT NULL)""",
    """CREATE TABLE devices (run_id BIGINT NOT NULL, device_idx INTEGER NOT NULL,
        node_id TEXT NOT NULL, node_label TEXT, lat DOUBLE, lon DOUBLE, hostname TEXT,
        role TEXT, reported_manufacturer TEXT, brand TEXT, manufacturer TEXT, model TEXT,
        confidence DOUBLE, status TEXT NOT NULL, reason TEXT, entry_id TEXT, entity TEXT,
        entity_name TEXT, entry_text TEXT, scope TEXT, date_added TEXT, entry_source TEXT,
        evidence TEXT, conflicts TEXT, source TEXT, line INTEGER)""",
    """CREATE TABLE flows (run_id BIGINT NOT NULL, rank INTEGER NOT NULL,
        demand BIGINT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, src_label TEXT,
        dst_label TEXT, volume DOUBLE NOT NULL, sensitive BOOLEAN NOT NULL,
        routable BOOLEAN NOT NULL, exposed_share DOUBLE, exposed_volume DOUBLE,
        clean_path_exists BOOLEAN NOT NULL, stretch DOUBLE, path TEXT, clean_path TEXT)""",
    """CREATE TABLE sites (run_id BIGINT NOT NULL, name TEXT NOT NULL, lat DOUBLE,
        lon DOUBLE, kind TEXT, country TEXT, source TEXT, node TEXT, distance_km DOUBLE,
        hub BOOLEAN NOT NULL)""",
    """CREATE TABLE skipped (run_id BIGINT NOT NULL, idx INTEGER NOT NULL, source TEXT,
        line INTEGER, reason TEXT NOT NULL)""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial", _INITIAL),
    Migration(
        "0002_plans",
        (
            """CREATE TABLE plans (run_id BIGINT PRIMARY KEY, created_at TIMESTAMP NOT NULL,
            plan TEXT NOT NULL)""",
        ),
    ),
    Migration("0003_run_batch", ("ALTER TABLE runs ADD COLUMN batch TEXT",)),
    # 'all': the Parquet file has every demand; 'worst': only the worst demands an
    # all-pairs run kept (its totals are in the summary).
    Migration("0004_demands_scope", ("ALTER TABLE runs ADD COLUMN demands_scope TEXT",)),
)
"""Every migration, oldest first; append only."""

_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"""


def applied_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the migrations already applied to the database, in order."""
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
        ["schema_migrations"],
    ).fetchone()
    if not has or not has[0]:
        return []
    rows = con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
    return [str(r[0]) for r in rows]


def pending_migrations(con: duckdb.DuckDBPyConnection, *, path: str = "") -> list[Migration]:
    """Migrations still to apply; raises StoreError for a database from a newer cleanpath."""
    applied = applied_migrations(con)
    known = {m.name for m in MIGRATIONS}
    newer = [n for n in applied if n not in known]
    if newer:
        raise StoreError(
            f"the database was written by a newer cleanpath (schema migrations "
            f"{', '.join(newer)} are unknown to this version); upgrade cleanpath to open it",
            path=path or None,
        )
    return [m for m in MIGRATIONS if m.name not in applied]


def migrate(
    con: duckdb.DuckDBPyConnection, *, upto: int | None = None, path: str = ""
) -> list[str]:
    """Apply the pending migrations (the first ``upto`` of :data:`MIGRATIONS` at most), each
    in one transaction; returns the names applied."""
    todo = pending_migrations(con, path=path)
    wanted = {m.name for m in MIGRATIONS[:upto]}
    done = []
    for m in todo:
        if m.name not in wanted:
            break
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_TABLE)
            for stmt in m.statements:
                con.execute(stmt)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                        [m.name, datetime.now(UTC).replace(tzinfo=None)])  # fmt: skip
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(m.name)
    return done
