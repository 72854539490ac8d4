"""The rules of the Warehouse Sync policy pack, on plain data: no Pulumi import, so unit tests run them directly.

``__main__.py`` turns what the engine sends (``pulumi_policy``'s proxies) into ``Resource`` values, with
``UNKNOWN`` where a value is not known yet during a preview, and reports what these functions return.
A rule never judges an unknown value: a pipeline whose ``paused`` is unknown is not counted, a reference
whose target cannot be found is not checked, and so on.

A resource's ``props`` are its inputs (resource policies) or its outputs (stack policies; during a
preview, the inputs of what will be created or updated): in both, the arguments under the names the
Python classes take (``paused``, ``environment``, ``schedule.frequency``, ``sql_query``, ``workspace_id``,
``resource_id``...).
"""

from __future__ import annotations

import enum
import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

TYPE_PREFIX: Final = "pulumi-python:dynamic/mparticle:"
"""Every resource of pulumi_mparticle_wsync has the type ``<TYPE_PREFIX><Kind>`` (its ``state_layout``)."""

PIPELINE: Final = "Pipeline"
CONNECTION: Final = "Connection"
DATA_MODEL: Final = "DataModel"
FIELD_TRANSFORMATION: Final = "FieldTransformation"

REFERENCES: Final = {"connection_id": CONNECTION, "data_model_id": DATA_MODEL,
                     "field_transformation_id": FIELD_TRANSFORMATION}
"""A pipeline's arguments that name another object, and the kind of that object."""

API_ACTIVE_PIPELINE_LIMIT: Final = 5
FREQUENCIES: Final = ("hourly", "daily", "weekly", "monthly")
"""From most to least frequent."""
DEFAULT_PRODUCTION_STACKS: Final = ("prod", "production")
DEFAULT_PRODUCTION_CONFIG_KEY: Final = "wsync:production"
WORKSPACE_CONFIG_KEY: Final = "mparticle:workspaceId"
WORKSPACE_ENV_VAR: Final = "MPARTICLE_WORKSPACE_ID"
API_URL_CONFIG_KEY: Final = "mparticle:apiUrl"
API_URL_ENV_VAR: Final = "MPARTICLE_API_URL"
CLIENT_ID_CONFIG_KEY: Final = "mparticle:clientId"
CLIENT_ID_ENV_VAR: Final = "MPARTICLE_CLIENT_ID"
DEFAULT_API_URL: Final = "https://api.mparticle.com"


class _Unknown(enum.Enum):
    """A value the engine does not know yet (a preview of something that depends on a new resource)."""

    UNKNOWN = "UNKNOWN"


UNKNOWN: Final = _Unknown.UNKNOWN


@dataclass(frozen=True)
class Resource:
    """One resource as a policy sees it."""

    urn: str
    type: str
    name: str
    props: Mapping[str, Any]
    property_dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Argument name -> URNs of the resources its value came from (``connection_id=conn.id``)."""

    @property
    def kind(self) -> str | None:
        """``Pipeline``, ``DataModel``...; ``None`` for a resource of another provider."""
        return self.type[len(TYPE_PREFIX):] if self.type.startswith(TYPE_PREFIX) else None

    def label(self) -> str:
        return f"{self.kind or self.type} {self.name!r}"


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str | None = None


@dataclass(frozen=True)
class Stack:
    """The stack being previewed or updated: its name and config (``mparticle:workspaceId`` ...), and the
    environment the CLI runs in (the provider's ``MPARTICLE_*`` fallbacks)."""

    name: str
    config: Mapping[str, str]
    environ: Mapping[str, str] = field(default_factory=dict)

    def setting(self, key: str, env_var: str) -> str | None:
        """A provider setting as the provider reads it: the stack config, else the environment variable."""
        for value in (self.config.get(key), self.environ.get(env_var)):
            if value is not None and str(value).strip():
                return str(value).strip()
        return None

    def default_workspace(self) -> str | None:
        """``mparticle:workspaceId``, else ``MPARTICLE_WORKSPACE_ID``."""
        return canonical_workspace(self.setting(WORKSPACE_CONFIG_KEY, WORKSPACE_ENV_VAR))

    def api_url(self) -> str:
        return _normalised_api_url(self.setting(API_URL_CONFIG_KEY, API_URL_ENV_VAR) or DEFAULT_API_URL)

    def client_id(self) -> str | None:
        return self.setting(CLIENT_ID_CONFIG_KEY, CLIENT_ID_ENV_VAR)


def canonical_workspace(value: Any) -> str | None:
    """A workspace id as the provider compares them (``1001``, ``1001.0`` and ``"1001"`` are one), or None."""
    if isinstance(value, str):
        value = value.strip()
        return value if value.isascii() and value.isdigit() else None
    if not isinstance(value, bool) and isinstance(value, int | float) and float(value).is_integer():
        return str(int(value))
    return None


def _normalised_api_url(url: str) -> str:
    """As the provider compares API URLs: no trailing slash, the documented ``/platform/v2`` taken off."""
    return url.strip().rstrip("/").removesuffix("/platform/v2").rstrip("/")


@dataclass(frozen=True)
class Place:
    """Where a resource's object is: an account (``""``: the stack's ``mparticle:*`` settings, else the
    ``Account``'s API URL and client id) and a workspace (``None``: not known to the policy, when the
    stack's ``mparticle:workspaceId`` did not reach it, or an account names none: the provider then
    refuses the resource; a resource with an account never uses ``mparticle:workspaceId``)."""

    account: str
    client_id: Any
    workspace: str | None

    def label(self) -> str:
        where = f"workspace {self.workspace or WORKSPACE_CONFIG_KEY + ' (not known to the policy)'}"
        return where + (f" of account {self.client_id!r}" if self.account else "")


_ABSENT: Final = object()


def place_of(resource: Resource, stack: Stack) -> Place | _Unknown:
    """Where the resource's object is, as the provider decides it: its ``account`` argument (client id,
    API URL, workspace), its ``workspace_id``, and the stack's settings for what they leave out.
    ``UNKNOWN`` when a value that decides it is not known yet."""
    account = resource.props.get("account")
    if account is UNKNOWN:
        return _Unknown.UNKNOWN
    key, client_id, workspace = "", None, stack.default_workspace()
    if isinstance(account, Mapping):
        client_id, url = account.get("client_id"), account.get("api_url")
        if client_id is UNKNOWN or url is UNKNOWN or account.get("workspace_id") is UNKNOWN:
            return _Unknown.UNKNOWN
        url = _normalised_api_url(url if isinstance(url, str) else DEFAULT_API_URL)
        if url != stack.api_url() or client_id != stack.client_id():
            key = f"{url} {client_id}"
        workspace = canonical_workspace(account.get("workspace_id"))
    value = resource.props.get("workspace_id", _ABSENT)
    if value is UNKNOWN:
        return _Unknown.UNKNOWN
    if value is not _ABSENT and value is not None:
        workspace = canonical_workspace(value)
    return Place(key, client_id if key else None, workspace)


# --- wsync-max-active-pipelines ---------------------------------------------------------------

def active_pipeline_violations(resources: Iterable[Resource], stack: Stack,
                               maximum: int = API_ACTIVE_PIPELINE_LIMIT) -> list[Violation]:
    """More than ``maximum`` unpaused pipelines of the stack in one workspace (of one account)."""
    active: dict[Place, list[Resource]] = {}
    for resource in resources:
        if resource.kind != PIPELINE:
            continue
        paused = resource.props.get("paused")
        place = place_of(resource, stack)
        if paused is UNKNOWN or paused is True or not isinstance(place, Place):
            continue
        active.setdefault(place, []).append(resource)
    violations = []
    for place, pipelines in sorted(active.items(), key=lambda item: item[0].label()):
        if len(pipelines) <= maximum:
            continue
        names = ", ".join(repr(p.name) for p in sorted(pipelines, key=lambda p: p.name))
        violations.append(Violation(
            f"{place.label()} would have {len(pipelines)} active (unpaused) pipelines in this stack "
            f"({names}), more than {maximum}"
            + (" (mParticle refuses a 6th)" if maximum == API_ACTIVE_PIPELINE_LIMIT else "")
            + f": pause {len(pipelines) - maximum} of them (paused=True), or move them to another workspace "
            "(workspace_id=...)"))
    return violations


# --- wsync-same-workspace ----------------------------------------------------------------------

def _targets(pipeline: Resource, argument: str, kind: str, by_urn: Mapping[str, Resource],
             by_id: Mapping[tuple[str, str], list[Resource]]) -> list[Resource]:
    """The resources of the stack the pipeline's ``argument`` names: through the value's dependencies
    (``connection_id=conn.id``, known or not), else by id (``connection_id="warehouse"`` and a resource
    with ``resource_id="warehouse"``)."""
    found = [by_urn[urn] for urn in pipeline.property_dependencies.get(argument, ())
             if urn in by_urn and by_urn[urn].kind == kind]
    if found:
        return found
    value = pipeline.props.get(argument)
    if isinstance(value, str):
        return by_id.get((kind, value), [])
    return []


def same_workspace_violations(resources: Sequence[Resource], stack: Stack) -> list[Violation]:
    """A pipeline using a connection, data model or field transformation of the stack in another workspace
    (or another account).

    An id naming no resource of the stack (an object made elsewhere) is not judged, nor is a place the
    policy cannot tell (a value not known yet, or no ``mparticle:workspaceId`` for one side).
    """
    by_urn = {r.urn: r for r in resources}
    by_id: dict[tuple[str, str], list[Resource]] = {}
    for resource in resources:
        object_id = resource.props.get("resource_id")
        if resource.kind is not None and isinstance(object_id, str):
            by_id.setdefault((resource.kind, object_id), []).append(resource)
    violations = []
    for pipeline in resources:
        if pipeline.kind != PIPELINE:
            continue
        place = place_of(pipeline, stack)
        if not isinstance(place, Place) or place.workspace is None:
            continue
        for argument, kind in REFERENCES.items():
            targets = _targets(pipeline, argument, kind, by_urn, by_id)
            places = [place_of(t, stack) for t in targets]
            known = [p for p in places if isinstance(p, Place) and p.workspace is not None]
            if not targets or len(known) < len(places) or place in known:
                continue
            target, other = targets[0], known[0]
            if other.account == place.account:
                fix = (f"Give the Pipeline workspace_id=\"{other.workspace}\", or give the {kind} "
                       f"workspace_id=\"{place.workspace}\" (which moves it: a replacement)")
            else:
                fix = f"Give the Pipeline and the {kind} the same account (and workspace)"
            violations.append(Violation(
                f"Pipeline {pipeline.name!r} is in {place.label()} but its {argument} names {kind} "
                f"{target.name!r}, which is in {other.label()}: a pipeline can only use objects of its own "
                f"workspace. {fix}", pipeline.urn))
    return violations


# --- wsync-production-environment ------------------------------------------------------------

_TRUE: Final = {"true", "yes", "1", "on"}
_FALSE: Final = {"false", "no", "0", "off"}


def production_reason(stack: Stack, patterns: Sequence[str] = DEFAULT_PRODUCTION_STACKS,
                      config_key: str = DEFAULT_PRODUCTION_CONFIG_KEY) -> tuple[bool, str]:
    """Is the stack a production stack, and why (for the message).

    The stack config ``config_key`` (``true``/``false``) decides when set; otherwise the stack name
    (without an ``org/project/`` prefix) matched case-insensitively against ``patterns`` (globs).
    """
    marked = stack.config.get(config_key)
    if marked is not None and str(marked).strip().lower() in _TRUE | _FALSE:
        verdict = str(marked).strip().lower() in _TRUE
        return verdict, f"its config {config_key} is {str(marked).strip()}"
    name = stack.name.rsplit("/", 1)[-1]
    for pattern in patterns:
        if fnmatch.fnmatchcase(name.lower(), pattern.lower()):
            return True, f"its name matches {pattern!r}"
    listed = ", ".join(repr(p) for p in patterns) or "no pattern"
    return False, f"its name matches none of {listed} and its config {config_key} is not set"


def environment_violation(pipeline: Resource, stack: Stack, patterns: Sequence[str] = DEFAULT_PRODUCTION_STACKS,
                          config_key: str = DEFAULT_PRODUCTION_CONFIG_KEY) -> Violation | None:
    """Production stacks' pipelines use ``environment="production"``; other stacks' do not."""
    if pipeline.kind != PIPELINE:
        return None
    environment = pipeline.props.get("environment")
    if not isinstance(environment, str):
        return None
    production, why = production_reason(stack, patterns, config_key)
    if production and environment != "production":
        return Violation(
            f"Pipeline {pipeline.name!r} has environment={environment!r} in stack {stack.name!r}, a production "
            f"stack ({why}): set environment=\"production\"; if this stack is not production, set "
            f"`pulumi config set {config_key} false`", pipeline.urn)
    if not production and environment == "production":
        return Violation(
            f"Pipeline {pipeline.name!r} has environment='production' in stack {stack.name!r}, which is not a "
            f"production stack ({why}): set environment=\"development\"; if this stack is production, set "
            f"`pulumi config set {config_key} true` or add its name to the policy's productionStacks",
            pipeline.urn)
    return None


# --- wsync-no-select-star ----------------------------------------------------------------------

_COMMENTS_AND_QUOTES: Final = re.compile(
    r"--[^\n]*"            # line comment
    r"|/\*.*?(?:\*/|$)"    # block comment (an unclosed one runs to the end)
    r"|'(?:[^']|'')*'?"    # string literal, '' escapes
    r"|\"(?:[^\"]|\"\")*\"?"  # quoted identifier
    r"|`[^`]*`?",          # BigQuery / MySQL quoted identifier
    re.DOTALL,
)
_TOKEN: Final = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*|\d+(?:\.\d*)?|\S")
_BEFORE_ITEM: Final = {"select", "distinct", "all", ","}


_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z_0-9$]*")


def _tokens(sql: str) -> list[str]:
    def blank(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith(("--", "/*")):
            return " "
        if text.startswith("'"):
            return " '' "  # a literal: never part of a select-list star
        # A quoted name still names a table ("orders".* is a star): keep it as one name token.
        name = re.sub(r"\W", "_", text.strip("\"`")) or "_"
        return f" {'_' if name[0].isdigit() else ''}{name} "
    return _TOKEN.findall(_COMMENTS_AND_QUOTES.sub(blank, sql))


def select_star(sql: str) -> str | None:
    """The first ``*`` or ``t.*`` of a select list in ``sql``, or None (a quoted table name shows without
    its quotes).

    ``count(*)``, ``a * b`` and stars inside string literals, quoted names or comments are not
    select-list stars.
    """
    tokens = _tokens(sql)
    lowered = [t.lower() for t in tokens]
    for index, token in enumerate(tokens):
        if token != "*":
            continue
        start = index
        while start >= 2 and tokens[start - 1] == "." and _NAME.fullmatch(tokens[start - 2]):
            start -= 2
        before = lowered[start - 1] if start > 0 else None
        after = lowered[index + 1] if index + 1 < len(tokens) else None
        if before in _BEFORE_ITEM and after in (None, ",", "from", ")"):
            return "".join(tokens[start:index + 1])
    return None


def select_star_violation(model: Resource) -> Violation | None:
    if model.kind != DATA_MODEL:
        return None
    sql = model.props.get("sql_query")
    if not isinstance(sql, str):
        return None
    star = select_star(sql)
    if star is None:
        return None
    return Violation(
        f"DataModel {model.name!r} selects {star!r}: its columns would change whenever the table does (every "
        "column becomes a user attribute, and mParticle caps a data model at 100 columns). Name the columns "
        "in sql_query instead", model.urn)


# --- wsync-schedule-frequency ------------------------------------------------------------------

def frequency_violation(pipeline: Resource, minimum: str = "hourly") -> Violation | None:
    """An interval schedule that runs more often than ``minimum`` allows."""
    if pipeline.kind != PIPELINE or minimum not in FREQUENCIES:
        return None
    schedule = pipeline.props.get("schedule")
    if not isinstance(schedule, Mapping) or schedule.get("type") != "interval":
        return None
    frequency = schedule.get("frequency")
    if not isinstance(frequency, str) or frequency not in FREQUENCIES:
        return None
    if FREQUENCIES.index(frequency) >= FREQUENCIES.index(minimum):
        return None
    allowed = " or ".join(f'"{f}"' for f in FREQUENCIES[FREQUENCIES.index(minimum):])
    return Violation(
        f"Pipeline {pipeline.name!r} runs {frequency}, more often than this policy allows (minimumFrequency: "
        f"{minimum}): set its schedule frequency to {allowed}, or give it an on_demand schedule", pipeline.urn)
