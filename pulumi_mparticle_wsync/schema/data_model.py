"""Data models: the SQL query that selects the rows to sync (spec §4)."""

from __future__ import annotations

from typing import Final

from .. import wire
from ._declare import Enum, Field, Output, ResourceSchema, SqlQuery, same_names

STATES: Final = Enum(same_names("active", "inactive"))

DATA_MODEL: Final = ResourceSchema(
    kind="DataModel",
    doc="A Warehouse Sync data model: the SQL query that selects the rows to sync.",
    collection=wire.DATA_MODELS,
    label="Data model",
    fields=(
        Field("sql_query", SqlQuery(),
              "One `SELECT` (only `SELECT`, `DISTINCT`, `FROM`, `WHERE`, `JOIN`, `ON`, `AS`, `IN`, `GROUP BY`, "
              "`ORDER BY`; no `DELETE`, `UPDATE`, `DROP`, `CREATE`, `ALTER`, `WITH`, no second statement), at "
              "most 100 columns. Every column becomes a user attribute except the reserved identity columns.",
              wire="config.sql_query", tag="reconstructed", required=True, wire_fallbacks=("sql_query",)),
        Field("state", STATES, "`active` or `inactive`; the server decides when omitted.", wire="state",
              tag="reconstructed", server_filled=True),
    ),
    outputs=(
        Output("state", "`active`/`inactive` as written; when omitted, the server's state.", wire="state",
               python_type="str | None", enum=STATES),
    ),
    wire_constants=(("type", "sql", "v1"),),
)
