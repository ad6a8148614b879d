"""The results store: every audit run kept in one DuckDB file, compared and gated.

This package holds the only SQL of cleanpath. Typical use::

    with Store.open("cleanpath.duckdb") as store:
        run_id = store.save_run(result, inputs={"net.graphml": data})
        store.devices(run_id, verdict="covered").items
        diff_runs(store, run_id - 1, run_id).gained_exposure
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from cleanpath import settings
from cleanpath.pipeline import AuditResult, content_hash
from cleanpath.store.compare import CheckResult, RunDiff, check_run, diff_runs
from cleanpath.store.db import MAX_PAGE, VERDICTS, NotFoundError, Page, Store, UnknownRunError
from cleanpath.store.migrations import MIGRATIONS

__all__ = [
    "DEFAULT_DB",
    "MAX_PAGE",
    "MIGRATIONS",
    "VERDICTS",
    "CheckResult",
    "NotFoundError",
    "Page",
    "RunDiff",
    "Store",
    "UnknownRunError",
    "check_run",
    "dashboard_command",
    "default_db",
    "diff_runs",
    "hash_files",
    "save_audit",
]

DEFAULT_DB = "cleanpath.duckdb"


def default_db(db: str | Path | None = None) -> Path:
    """The database path: ``db`` when given, else the ``db`` setting ($CLEANPATH_DB, the config
    file), else ./cleanpath.duckdb."""
    return Path(settings.value("db", db or None))


def hash_files(paths: Sequence[str | Path]) -> dict[str, str]:
    """Input name (the path as given) → sha256 of the file's bytes."""
    return {str(p): content_hash(Path(p).read_bytes()) for p in paths}


def save_audit(
    db_path: str | Path | None,
    results: AuditResult | Sequence[AuditResult],
    inputs: Mapping[str, bytes | str] | None = None,
    *,
    label: str | None = None,
) -> list[int]:
    """Save one or more audit results (one transaction each, one shared batch id) into the
    database at ``db_path`` (see :func:`default_db`); returns the new run ids in order."""
    many = [results] if isinstance(results, AuditResult) else list(results)
    batch = uuid.uuid4().hex[:12]
    with Store.open(default_db(db_path)) as store:
        return [store.save_run(r, inputs=inputs, batch=batch, label=label) for r in many]


def dashboard_command(db_path: str | Path | None = None) -> str:
    """The line that tells a user how to open the dashboard on a database."""
    db = default_db(db_path)
    return f"open the dashboard: cleanpath serve --db {db}  (then browse http://127.0.0.1:8000/)"
