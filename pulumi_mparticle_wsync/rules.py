"""Rules the spec states about values, as pure functions.

Both sides use them: ``models/`` (offline ``check`` during ``pulumi preview``) and the
emulator (what the server answers). Each function returns ``None`` when the value is
acceptable, or a message that names the problem and the fix.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from . import wire

_ID_RE: Final = re.compile(wire.ID_PATTERN)

SQL_ALLOWED_KEYWORDS: Final = (
    "SELECT", "DISTINCT", "FROM", "WHERE", "JOIN", "ON", "AS", "IN", "GROUP BY", "ORDER BY",
)
SQL_REFUSED_KEYWORDS: Final = ("DELETE", "UPDATE", "DROP", "CREATE", "ALTER", "WITH")  # [v1]
SQL_MAX_COLUMNS: Final = 100  # [v1]

RESERVED_IDENTITY_COLUMNS: Final = frozenset(
    {
        "mpid", "customerid", "customer_id", "email", "facebook", "twitter", "google", "microsoft",
        "yahoo", "facebook_custom_audience_id", "other", "mobile_number", "phone_number_2",
        "phone_number_3", "android_uuid", "ios_advertising_id", "push_token", "ios_idfv",
        "android_advertising_id", "amp_id", "roku_advertising_id", "roku_publisher_id",
        "microsoft_advertising_id", "microsoft_publisher_id", "fire_advertising_id", "mp_deviceid",
    }
    | {f"other_id_{n}" for n in range(2, 11)}
)


def json_type_name(value: object) -> str:
    """How a JSON value's type reads in a message: ``a string``, ``an array``, ``null``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def id_problem(value: str) -> str | None:
    """Ids are 1-64 letters, digits, ``-`` and ``_``."""
    if not value:
        return "must not be empty: use 1-64 letters, digits, '-' or '_'"
    if len(value) > wire.ID_MAX_LENGTH:
        return f"is {len(value)} characters long: use at most {wire.ID_MAX_LENGTH}"
    if not _ID_RE.match(value):
        bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in "-_"))})
        shown = ", ".join(repr(c) for c in bad)
        return f"contains {shown}: use only letters, digits, '-' and '_'"
    return None


def _mask_literals(sql: str) -> str:
    """Blank out quoted strings, quoted identifiers and comments so keyword checks ignore them."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:  # doubled quote escapes itself
                        j += 2
                        continue
                    break
                j += 1
            out.append(c + " " * max(0, min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _top_level_select_list(masked: str) -> str | None:
    """The text between the first SELECT [DISTINCT] and its FROM at parenthesis depth 0."""
    m = re.match(r"\s*\(*\s*SELECT\b(\s+DISTINCT\b)?", masked, re.IGNORECASE)
    if not m:
        return None
    depth = 0
    start = m.end()
    for k in range(start, len(masked)):
        ch = masked[k]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and re.match(r"FROM\b", masked[k:], re.IGNORECASE) and (
            k == 0 or not (masked[k - 1].isalnum() or masked[k - 1] == "_")
        ):
            return masked[start:k]
    return masked[start:]


def sql_column_count(sql: str) -> int | None:
    """Number of top-level selected columns; ``None`` when it cannot be known (``*``)."""
    select_list = _top_level_select_list(_mask_literals(sql))
    if select_list is None:
        return None
    depth = 0
    parts = 1
    for ch in select_list:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts += 1
    if select_list.strip() == "*" or re.search(r"(^|,)\s*(\w+\.)?\*\s*(,|$)", select_list):
        return None
    return parts


def sql_problem(sql: str) -> str | None:
    """The spec's SQL rules for data models (§4)."""
    if not sql or not sql.strip():
        return "must not be empty: write a single SELECT statement"
    masked = _mask_literals(sql)
    body = masked.strip()
    if body.endswith(";"):
        body = body[:-1].rstrip()
    if ";" in body:
        return "contains more than one statement: remove the ';' and keep a single SELECT"
    for keyword in SQL_REFUSED_KEYWORDS:
        if re.search(rf"\b{keyword}\b", body, re.IGNORECASE):
            return (
                f"uses the refused keyword {keyword}: only a single SELECT "
                f"({', '.join(SQL_ALLOWED_KEYWORDS)}) is allowed"
            )
    if not re.match(r"\(*\s*SELECT\b", body, re.IGNORECASE):
        return "must start with SELECT: the query is wrapped as SELECT ... FROM (<query>)"
    if body.count("(") != body.count(")"):
        return "has unbalanced parentheses: it must be wrappable as SELECT ... FROM (<query>)"
    count = sql_column_count(sql)
    if count is not None and count > SQL_MAX_COLUMNS:
        return f"selects {count} columns: at most {SQL_MAX_COLUMNS} are allowed; split it into two data models"
    return None


def parse_timestamp(value: str) -> datetime | None:
    """ISO 8601 with a timezone; ``None`` if it is not one."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else None
