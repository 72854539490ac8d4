"""SQLite persistence: objects, runs, per-object emulator settings, tokens and the clock offset.

One connection guarded by a re-entrant lock; every request runs in one ``transaction()``
(``BEGIN IMMEDIATE`` ... ``COMMIT``), so concurrent requests are serialised and every write is
atomic. ``:memory:`` keeps state for the life of the process; a file path keeps it across restarts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

FORMAT_VERSION: Final = 1

_TABLES: Final = """
CREATE TABLE IF NOT EXISTS objects (
    workspace_id TEXT NOT NULL,
    collection   TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    document     TEXT NOT NULL,
    PRIMARY KEY (workspace_id, collection, object_id)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    pipeline_id  TEXT NOT NULL,
    record       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_pipeline ON runs (workspace_id, pipeline_id);
CREATE TABLE IF NOT EXISTS object_settings (
    workspace_id TEXT NOT NULL,
    collection   TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    name         TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (workspace_id, collection, object_id, name)
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StoreError(Exception):
    """The data file cannot be used (not SQLite, or written by an incompatible version)."""


@dataclass(frozen=True)
class StoredRun:
    run_id: int
    pipeline_id: str
    record: dict[str, Any]


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, FORMAT_VERSION):
                raise StoreError(
                    f"{path} was written by an incompatible emulator (format {version}, "
                    f"expected {FORMAT_VERSION}): use another --data file"
                )
            self._db.executescript(_TABLES)
            self._db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a usable SQLite data file ({exc}): use another --data file") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    # --- objects ------------------------------------------------------------------------
    def get(self, workspace_id: str, collection: str, object_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT document FROM objects WHERE workspace_id=? AND collection=? AND object_id=?",
                (workspace_id, collection, object_id),
            ).fetchone()
        return None if row is None else _load(row[0])

    def list_documents(self, workspace_id: str, collection: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT document FROM objects WHERE workspace_id=? AND collection=? ORDER BY seq",
                (workspace_id, collection),
            ).fetchall()
        return [_load(row[0]) for row in rows]

    def insert(self, workspace_id: str, collection: str, object_id: str, document: dict[str, Any]) -> bool:
        """Store a new object; ``False`` when the id is taken (the primary key decides)."""
        with self.transaction():
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM objects").fetchone()[0]
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO objects (workspace_id, collection, object_id, seq, document) "
                "VALUES (?, ?, ?, ?, ?)",
                (workspace_id, collection, object_id, seq, _dump(document)),
            )
            return cursor.rowcount == 1

    def update(self, workspace_id: str, collection: str, object_id: str, document: dict[str, Any]) -> bool:
        with self.transaction():
            cursor = self._db.execute(
                "UPDATE objects SET document=? WHERE workspace_id=? AND collection=? AND object_id=?",
                (_dump(document), workspace_id, collection, object_id),
            )
            return cursor.rowcount == 1

    def delete(self, workspace_id: str, collection: str, object_id: str) -> bool:
        with self.transaction():
            cursor = self._db.execute(
                "DELETE FROM objects WHERE workspace_id=? AND collection=? AND object_id=?",
                (workspace_id, collection, object_id),
            )
            return cursor.rowcount == 1

    # --- runs ---------------------------------------------------------------------------
    def insert_run(self, workspace_id: str, pipeline_id: str, record: dict[str, Any]) -> int:
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO runs (workspace_id, pipeline_id, record) VALUES (?, ?, ?)",
                (workspace_id, pipeline_id, _dump(record)),
            )
            run_id = cursor.lastrowid
            assert run_id is not None
            return run_id

    def runs(self, workspace_id: str, pipeline_id: str) -> list[StoredRun]:
        """Runs of one pipeline, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT run_id, record FROM runs WHERE workspace_id=? AND pipeline_id=? ORDER BY run_id",
                (workspace_id, pipeline_id),
            ).fetchall()
        return [StoredRun(row[0], pipeline_id, _load(row[1])) for row in rows]

    def delete_runs(self, workspace_id: str, pipeline_id: str) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM runs WHERE workspace_id=? AND pipeline_id=?", (workspace_id, pipeline_id))

    # --- per-object settings of the emulator (never served by the API) ----------------------
    def get_setting(self, workspace_id: str, collection: str, object_id: str, name: str) -> Any:
        """The JSON value stored under ``name`` for one object, or ``None``."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM object_settings WHERE workspace_id=? AND collection=? AND object_id=? AND name=?",
                (workspace_id, collection, object_id, name),
            ).fetchone()
        return None if row is None else json.loads(row[0])

    def set_setting(self, workspace_id: str, collection: str, object_id: str, name: str, value: Any) -> None:
        """Store a JSON value; ``None`` removes the setting."""
        with self.transaction():
            if value is None:
                self._db.execute(
                    "DELETE FROM object_settings WHERE workspace_id=? AND collection=? AND object_id=? AND name=?",
                    (workspace_id, collection, object_id, name),
                )
                return
            self._db.execute(
                "INSERT OR REPLACE INTO object_settings (workspace_id, collection, object_id, name, value) "
                "VALUES (?, ?, ?, ?, ?)",
                (workspace_id, collection, object_id, name, json.dumps(value, separators=(",", ":"))),
            )

    def delete_settings(self, workspace_id: str, collection: str, object_id: str) -> None:
        with self.transaction():
            self._db.execute(
                "DELETE FROM object_settings WHERE workspace_id=? AND collection=? AND object_id=?",
                (workspace_id, collection, object_id),
            )

    # --- tokens (stored as hashes) ------------------------------------------------------
    def add_token(self, token_hash: str, expires_at: float) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO tokens (token_hash, expires_at) VALUES (?, ?)",
                (token_hash, expires_at),
            )

    def token_expiry(self, token_hash: str) -> float | None:
        with self._lock:
            row = self._db.execute("SELECT expires_at FROM tokens WHERE token_hash=?", (token_hash,)).fetchone()
        return None if row is None else float(row[0])

    def expire_tokens(self, at: float) -> int:
        with self.transaction():
            return self._db.execute("UPDATE tokens SET expires_at=? WHERE expires_at>?", (at, at)).rowcount

    # --- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        """Forget every object, run and setting (tokens stay valid so cached clients keep working)."""
        with self.transaction():
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM runs")
            self._db.execute("DELETE FROM object_settings")
            # Run ids start again from 1, as in a fresh store.
            self._db.execute("DELETE FROM sqlite_sequence WHERE name = 'runs'")
            self._db.execute("DELETE FROM meta")


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _load(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded
