"""The results database: one DuckDB file, per-demand results in Parquet files beside it.

Each run is saved in one transaction: a run that was interrupted (even by ``kill -9``) leaves
no row behind, and its Parquet file, written before the commit, is removed the next time the
database is opened for writing. Every statement is parameterised.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from cleanpath.errors import InputError, StoreError
from cleanpath.pipeline import AuditResult
from cleanpath.store import rows as R
from cleanpath.store.migrations import migrate, pending_migrations
from cleanpath.store.page import MAX_PAGE, NotFoundError, Page, UnknownRunError, check_page

__all__ = ["MAX_PAGE", "VERDICTS", "NotFoundError", "Page", "Store", "UnknownRunError"]

VERDICTS = ("covered", "not_covered", "unknown")

_OF_RUN = {
    "nodes": "SELECT * EXCLUDE (run_id) FROM nodes WHERE run_id = ? ORDER BY node_idx",
    "links": "SELECT * EXCLUDE (run_id) FROM links WHERE run_id = ? ORDER BY link_idx",
    "sites": "SELECT * EXCLUDE (run_id) FROM sites WHERE run_id = ? ORDER BY hub, name",
    "skipped": "SELECT source, line, reason FROM skipped WHERE run_id = ? ORDER BY idx",
}
"""The per-run listings, one constant statement each."""

_BULK = ("nodes", "links", "devices", "flows", "sites", "skipped", "run_inputs")


def _records(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description or ()]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _run_dict(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["settings"] = json.loads(out["settings"])
    out["summary"] = json.loads(out["summary"])
    out["created_at"] = out["created_at"].isoformat(timespec="seconds") + "Z"
    out["as_of"] = out["as_of"].isoformat()
    return out


class Store:
    """An open results database. Use :meth:`open`; reads are safe from several threads."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self._local = threading.local()

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Store:
        """Open (creating and upgrading as needed) the database at ``path``.

        A database from a newer cleanpath raises StoreError; so does one that another
        process holds open for writing.
        """
        p = Path(path)
        if read_only and not p.exists():
            raise StoreError("no such database (run `cleanpath audit` or `cleanpath demo` first)",
                             path=str(p))  # fmt: skip
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            if read_only:
                cls._upgrade_if_needed(p)
            con = duckdb.connect(str(p), read_only=read_only)
            if not read_only:
                migrate(con, path=str(p))
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the database: {exc}", path=str(p)) from None
        store = cls(con, p, read_only=read_only)
        if not read_only:
            store._remove_orphans()
        return store

    @staticmethod
    def _upgrade_if_needed(p: Path) -> None:
        con = duckdb.connect(str(p), read_only=True)
        try:
            needed = bool(pending_migrations(con, path=str(p)))
        finally:
            con.close()
        if needed:
            with duckdb.connect(str(p)) as rw:
                migrate(rw, path=str(p))

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def parquet_dir(self) -> Path:
        """Where the per-demand Parquet files of this database live."""
        return self.path.parent / f"{self.path.name}.runs"

    def _cur(self) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cur = cur
        return cur

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        try:
            return _records(self._cur().execute(sql, list(params)))
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}", path=str(self.path)) from None

    def _remove_orphans(self) -> None:
        if not self.parquet_dir.is_dir():
            return
        kept = {r["demands_path"] for r in self._query("SELECT demands_path FROM runs")}
        for f in self.parquet_dir.iterdir():
            if f"{self.parquet_dir.name}/{f.name}" not in kept:
                f.unlink(missing_ok=True)

    # -- writing -------------------------------------------------------------------------

    def save_run(
        self,
        result: AuditResult,
        *,
        inputs: Mapping[str, bytes | str] | None = None,
        plan: Mapping[str, Any] | None = None,
        batch: str | None = None,
        label: str | None = None,
        top_flows: int = 50,
        progress: Callable[[str], None] | None = None,
    ) -> int:
        """Save one audit result in one transaction and return its run id.

        ``inputs`` maps an input's name to its bytes (hashed here) or its sha256 hex digest.
        ``progress(step)`` is called before each step (a seam for interruption tests).
        """
        from cleanpath import __version__

        step = progress or (lambda _s: None)
        tables = {
            "nodes": R.node_rows(result), "links": R.link_rows(result),
            "devices": R.device_rows(result), "flows": R.flow_rows(result, top_flows),
            "sites": R.site_rows(result), "run_inputs": R.input_rows(inputs or {}),
            "skipped": [{"idx": k, "source": s.source, "line": s.line, "reason": s.reason}
                        for k, s in enumerate(result.skipped)],
        }  # fmt: skip
        demands = R.demand_columns(R.detailed(result.exposure))
        run = {
            "created_at": datetime.now(UTC).replace(tzinfo=None), "network": result.network.name,
            "policy": result.policy, "as_of": result.as_of, "kb_version": result.kb_version,
            "cleanpath_version": __version__, "seed": result.settings.get("seed"),
            "settings": json.dumps(result.settings, sort_keys=True, default=str),
            "summary": json.dumps(result.summary(), sort_keys=True, default=float),
            "coordinates": str(result.network.coordinates),
            "attribution": result.network.attribution, "label": label, "batch": batch,
            "demands_scope": "all" if R.detailed(result.exposure) is result.exposure else "worst",
        }  # fmt: skip
        if self.read_only:
            raise StoreError("the database is open read-only", path=str(self.path))
        try:
            return self._save(run, tables, demands, plan, step)
        except duckdb.Error as exc:
            raise StoreError(f"cannot save the run: {exc}", path=str(self.path)) from None

    def _save(
        self, run: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
        demands: dict[str, list[Any]], plan: Mapping[str, Any] | None, step: Callable[[str], None],
    ) -> int:  # fmt: skip
        con = self._con
        step("begin")
        con.execute("BEGIN TRANSACTION")
        try:
            row = con.execute("SELECT nextval('run_id_seq')").fetchone()
            assert row is not None
            run_id = int(row[0])
            step("demands")
            run["demands_path"] = self._write_parquet(run_id, demands)
            step("runs")
            cols = list(run)
            con.execute(
                f"INSERT INTO runs (run_id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                [run_id, *run.values()],
            )
            for name in _BULK:
                step(name)
                self._insert_rows(name, run_id, tables[name])
            if plan is not None:
                step("plans")
                self._insert_plan(run_id, plan)
            step("commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        step("done")
        return run_id

    def _write_parquet(self, run_id: int, columns: dict[str, list[Any]]) -> str:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.parquet_dir.mkdir(parents=True, exist_ok=True)
        name = f"run-{run_id:06d}-demands.parquet"
        tmp = self.parquet_dir / f".{name}.tmp"
        pq.write_table(pa.table(columns), tmp)
        tmp.replace(self.parquet_dir / name)
        return f"{self.parquet_dir.name}/{name}"

    def _insert_rows(self, table: str, run_id: int, rows: list[dict[str, Any]]) -> None:
        """Bulk insert through Arrow (``table`` is one of our own constant table names)."""
        import pyarrow as pa

        if not rows:
            return
        assert table in _BULK
        view = f"_new_{table}"
        self._con.register(view, pa.Table.from_pylist(rows))
        try:
            self._con.execute(f"INSERT INTO {table} BY NAME SELECT ? AS run_id, * FROM {view}",
                              [run_id])  # fmt: skip
        finally:
            self._con.unregister(view)

    def _insert_plan(self, run_id: int, plan: Mapping[str, Any]) -> None:
        self._con.execute(
            "INSERT OR REPLACE INTO plans VALUES (?, ?, ?)",
            [run_id, datetime.now(UTC).replace(tzinfo=None),
             json.dumps(plan, sort_keys=True, default=str)],
        )  # fmt: skip

    def save_plan(self, run_id: int, plan: Mapping[str, Any]) -> None:
        """Attach (or replace) the replacement plan of a saved run."""
        self.run(run_id)
        with self._transaction():
            self._insert_plan(run_id, plan)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    # -- reading -------------------------------------------------------------------------

    def runs(self, *, network: str | None = None, limit: int = 100, offset: int = 0) -> Page:
        """Saved runs, newest first (``network`` filters by network name)."""
        check_page(limit, offset)
        where, params = ("WHERE network = ?", [network]) if network else ("", [])
        total = self._query(f"SELECT count(*) AS n FROM runs {where}", params)[0]["n"]
        rows = self._query(
            f"SELECT * EXCLUDE (settings, summary), settings, summary FROM runs {where} "
            "ORDER BY run_id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return Page([_run_dict(r) for r in rows], int(total), limit, offset)

    def run(self, run_id: int) -> dict[str, Any]:
        """One run: its metadata, settings, summary and input hashes."""
        rows = self._query("SELECT * FROM runs WHERE run_id = ?", [run_id])
        if not rows:
            raise UnknownRunError(f"no run {run_id} in this database", field="run",
                                  path=str(self.path))  # fmt: skip
        out = _run_dict(rows[0])
        out["inputs"] = self._query(
            "SELECT name, sha256, size FROM run_inputs WHERE run_id = ? ORDER BY name", [run_id]
        )
        out["has_plan"] = bool(self._query("SELECT 1 FROM plans WHERE run_id = ?", [run_id]))
        return out

    def latest_run(self, *, network: str | None = None, before: int | None = None) -> int | None:
        """The newest run id (of ``network``, older than run ``before``), or None."""
        rows = self._query(
            "SELECT max(run_id) AS r FROM runs WHERE (? IS NULL OR network = ?) "
            "AND (? IS NULL OR run_id < ?)",
            [network, network, before, before],
        )
        r = rows[0]["r"]
        return None if r is None else int(r)

    def _of_run(self, table: str, run_id: int) -> list[dict[str, Any]]:
        self.run(run_id)
        return self._query(_OF_RUN[table], [run_id])

    def nodes(self, run_id: int) -> list[dict[str, Any]]:
        """Every node of the run, in network order."""
        return self._of_run("nodes", run_id)

    def links(self, run_id: int) -> list[dict[str, Any]]:
        """Every link of the run with the volume it carries."""
        return self._of_run("links", run_id)

    def sites(self, run_id: int) -> list[dict[str, Any]]:
        """Sites, then hubs, with the node each is attached to."""
        return self._of_run("sites", run_id)

    def skipped(self, run_id: int) -> list[dict[str, Any]]:
        """Input records the run skipped, with the reason."""
        return self._of_run("skipped", run_id)

    def plan(self, run_id: int) -> dict[str, Any] | None:
        """The replacement plan saved with the run, or None."""
        self.run(run_id)
        rows = self._query("SELECT plan FROM plans WHERE run_id = ?", [run_id])
        return json.loads(rows[0]["plan"]) if rows else None

    def devices(
        self, run_id: int, *, verdict: str | None = None, vendor: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> Page:  # fmt: skip
        """Devices of a run; ``verdict`` is covered/not_covered/unknown, ``vendor`` matches
        part of the manufacturer or brand (case-insensitive)."""
        check_page(limit, offset)
        if verdict is not None and verdict not in VERDICTS:
            raise InputError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}",
                             field="verdict")  # fmt: skip
        self.run(run_id)
        where = ("run_id = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR "
                 "contains(lower(coalesce(manufacturer, '') || ' ' || coalesce(brand, '')), "
                 "lower(?)))")  # fmt: skip
        params = [run_id, verdict, verdict, vendor, vendor]
        total = self._query(f"SELECT count(*) AS n FROM devices WHERE {where}", params)[0]["n"]
        items = self._query(
            f"SELECT * EXCLUDE (run_id) FROM devices WHERE {where} "
            "ORDER BY status = 'covered' DESC, status = 'unknown' DESC, device_idx "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        for it in items:
            it["evidence"] = json.loads(it["evidence"] or "[]")
            it["conflicts"] = json.loads(it["conflicts"] or "[]")
        return Page(items, int(total), limit, offset)

    def demands_file(self, run_id: int) -> Path:
        """The Parquet file with every demand of the run (see ``rows.DEMAND_COLUMNS``)."""
        rel = str(self.run(run_id)["demands_path"])
        p = self.path.parent / rel
        if not p.is_file():
            raise StoreError(f"the per-demand results of run {run_id} are missing",
                             path=str(p))  # fmt: skip
        return p

    def top_flows(self, run_id: int) -> list[dict[str, Any]]:
        """The worst flows saved with their paths."""
        self.run(run_id)
        rows = self._query("SELECT * EXCLUDE (run_id) FROM flows WHERE run_id = ? ORDER BY rank",
                           [run_id])  # fmt: skip
        return [_paths(r) for r in rows]

    def flows(
        self, run_id: int, *, cls: str | None = None, exposed: bool | None = None,
        clean_path: bool | None = None, node: str | None = None, limit: int = 50,
        offset: int = 0,
    ) -> Page:  # fmt: skip
        """Demands of a run from its Parquet file, worst first (unroutable, then exposed
        volume). ``cls`` is sensitive/normal; ``node`` matches the source or destination."""
        from cleanpath.store.flows import query_flows

        check_page(limit, offset)
        return query_flows(self, run_id, cls=cls, exposed=exposed, clean_path=clean_path,
                           node=node, limit=limit, offset=offset)  # fmt: skip

    def flow(self, run_id: int, demand: int) -> dict[str, Any]:
        """One demand with its paths (paths are kept for the saved worst flows only)."""
        from cleanpath.store.flows import one_flow

        return one_flow(self, run_id, demand)


def _paths(row: dict[str, Any]) -> dict[str, Any]:
    row["path"] = json.loads(row["path"] or "[]")
    row["clean_path"] = json.loads(row["clean_path"] or "[]")
    return row
