"""``mparticle-wsync check-api``: compare a live workspace with the shapes in ``wire.py``.

Parts of the spec are reconstructions ([R]). A user with an mParticle account runs this
command to see whether the live API agrees: it lists every collection of a workspace (and the
status and runs of each pipeline) and reports every field that differs from what ``wire.py``
expects: unknown or missing keys, enum values outside the spec, wrong types, timestamp
formats, secrets served in clear text; a difference in a run or status names, in brackets, the
``wire.py`` constant to correct. It also summarises the [R] choices the API appears to make
(secrets omitted or masked, ``service_provider`` casing, list answers as bare arrays, the trigger
path, the runs' spelling and the status answer's shape: ``check_api_runs``).

Exit status: 0 everything matches, 1 differences found, 2 the check could not run.
It only reads: no object is created, changed or deleted, and no run is triggered (the trigger
path is found with GET and OPTIONS requests, which a trigger route refuses).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

from . import _constants as c
from . import rules, schema, wire
from .check_api_runs import (
    RunObservations,
    pages_line,
    probe_trigger_paths,
    spelling_line,
    status_shape_line,
    trigger_lines,
)
from .check_api_shapes import (
    ERROR_LIST,
    PIPELINE_STATUS_FIELDS,
    RUN_FIELDS,
    RUNS_PAGE_FIELDS,
    SERVER_TIMESTAMP,
    STRING,
    Field,
)
from .client import (
    APIError,
    ClientSettings,
    ConfigurationError,
    NotFoundError,
    WarehouseSyncClient,
    WarehouseSyncError,
)
from .client.runs import run_spelling, status_shape
from .command_settings import command_settings

EXIT_OK: Final = 0
EXIT_DIFFERENCES: Final = 1
EXIT_ERROR: Final = 2

_SERVER_TIMESTAMP_RE: Final = re.compile(wire.SERVER_TIMESTAMP_PATTERN)

# --- what we expect: a small schema built from wire names (``Field``: check_api_shapes) -----

AUDIT_FIELDS: Final[dict[str, Field]] = {
    wire.STATUS_FIELD: STRING,
    wire.ERRORS: ERROR_LIST,
    wire.CREATED_ON: SERVER_TIMESTAMP,
    wire.CREATED_BY: STRING,
    wire.LAST_MODIFIED_ON: Field("server_timestamp", nullable=True),
    wire.LAST_MODIFIED_BY: Field("string", nullable=True),
}

def _served_shape(declared: schema.Field) -> Field:
    """What a live server should answer for one declared declared."""
    value_type = declared.type
    on_wire = declared.required or declared.server_filled or isinstance(value_type, schema.Switch)
    required, nullable = on_wire, not on_wire
    if declared.secret:
        return Field("secret", required=declared.required)
    if isinstance(value_type, schema.Enum):
        return Field("enum", required, nullable, values=(*value_type.wire_values, *declared.served_values))
    if isinstance(value_type, schema.Switch):
        return Field("enum", required, nullable, values=(value_type.off, value_type.on))
    if isinstance(value_type, schema.WholeNumber):
        return Field("integer", required, nullable)
    if isinstance(value_type, schema.Timestamp):
        return Field("timestamp", required, nullable)
    if isinstance(value_type, schema.Scalar):
        return Field("any", required, nullable)
    if isinstance(value_type, schema.Block):
        return Field("object", required, nullable, fields=served_fields(value_type.fields))
    if isinstance(value_type, schema.ListOf):
        return Field("list", required, nullable, items=Field("object", fields=served_fields(value_type.item.fields)))
    return Field("string", required, nullable)


def served_fields(fields: tuple[schema.Field, ...]) -> dict[str, Field]:
    """The expected shapes of the declared fields a server answers, nested by wire path."""
    shapes: dict[str, Any] = {}
    for declared in fields:
        if declared.wire is None or declared.variant is not None:
            continue
        *parents, key = declared.wire.split(".")
        level = shapes
        for parent in parents:
            level = level.setdefault(parent, {})
        level[key] = _served_shape(declared)
    return {key: value if isinstance(value, Field) else Field("object", fields=value) for key, value in shapes.items()}


def expected_object(resource: schema.ResourceSchema) -> dict[str, Field]:
    """What one served object of ``resource`` should look like."""
    expected: dict[str, Field] = {wire.ID: STRING}
    expected.update({key: Field("enum", values=(value,)) for key, value, _ in resource.wire_constants})
    expected.update(served_fields(resource.all_fields))
    expected.update(AUDIT_FIELDS)
    if resource.variants:
        variant = resource.variants[0]
        assert variant.variant is not None and variant.wire is not None
        expected[variant.variant.key] = Field("provider")
        expected[variant.wire] = Field("connection_config")
    if resource.collection == wire.CONNECTIONS:
        expected[wire.STATUS_FIELD] = Field("enum", values=wire.CONNECTION_STATUSES)
    return expected


EXPECTED: Final[dict[str, dict[str, Field]]] = {
    resource.collection: expected_object(resource) for resource in schema.RESOURCES
}
"""Per collection, what a served object should look like, from the resources' schemas."""

# --- what we found ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    where: str
    """The collection (or ``pipelines/<id>/status`` and the like) the object was read from."""
    object_id: str | None
    field: str
    problem: str

    def line(self) -> str:
        subject = f"{self.where} {self.object_id}" if self.object_id else self.where
        return f"{subject}: {self.field}: {self.problem}" if self.field else f"{subject}: {self.problem}"


@dataclass
class Report:
    workspace_id: str
    api_url: str
    differences: list[Difference] = field(default_factory=list)
    object_counts: dict[str, int] = field(default_factory=dict)
    secret_forms: Counter[str] = field(default_factory=Counter)
    """``omitted`` / ``masked`` / ``clear text``, per secret field seen."""
    provider_cases: Counter[str] = field(default_factory=Counter)
    list_shapes: dict[str, str] = field(default_factory=dict)
    runs: RunObservations = field(default_factory=RunObservations)
    """The trigger path, the runs' spelling, the status answers' shape (``check_api_runs``)."""

    @property
    def ok(self) -> bool:
        return not self.differences

    def secret_mode(self) -> str | None:
        """The [R] choice for secrets: ``omit``, ``mask``, ``mixed``, or ``None`` if none was seen."""
        seen = {form for form in self.secret_forms if form in ("omitted", "masked")}
        if not seen:
            return None
        if len(seen) > 1:
            return "mixed"
        return wire.SECRET_MODE_OMIT if seen == {"omitted"} else wire.SECRET_MODE_MASK

    def provider_case(self) -> str | None:
        seen = set(self.provider_cases)
        if not seen:
            return None
        if len(seen) > 1:
            return "mixed"
        return next(iter(seen))

    def as_json(self) -> dict[str, Any]:
        return {
            "workspace_id": self.workspace_id,
            "api_url": self.api_url,
            "ok": self.ok,
            "differences": [
                {"where": d.where, "id": d.object_id, "field": d.field, "problem": d.problem}
                for d in self.differences
            ],
            "object_counts": self.object_counts,
            "observed": {
                "secret_mode": self.secret_mode(),
                "secret_fields": dict(self.secret_forms),
                "provider_case": self.provider_case(),
                "provider_cases": dict(self.provider_cases),
                "list_shapes": self.list_shapes,
                **self.runs.as_json(),
            },
        }


# --- checking one value against its Field ---------------------------------------------------


class _Checker:
    """Walks served JSON against a schema, recording differences and observations in a Report."""

    def __init__(self, report: Report, where: str, object_id: str | None) -> None:
        self.report = report
        self.where = where
        self.object_id = object_id

    def differ(self, path: str, problem: str, constant: str = "") -> None:
        """Record a difference; ``constant`` names the ``wire.py`` constant to correct if the API is right."""
        hint = f" [wire.{constant}]" if constant else ""
        self.report.differences.append(Difference(self.where, self.object_id, path, problem + hint))

    def check_object(self, value: Any, fields: Mapping[str, Field], path: str = "") -> None:
        if not isinstance(value, dict):
            self.differ(path, f"expected an object, got {rules.json_type_name(value)}")
            return
        for key, expected in fields.items():
            here = _join(path, key)
            if key not in value:
                if expected.kind == "secret":
                    # Only a secret that is always sent shows the API's choice by being absent.
                    if expected.required:
                        self.report.secret_forms["omitted"] += 1
                elif expected.required:
                    self.differ(here, "missing", expected.wire_name)
                continue
            self.check_value(value[key], expected, here, value)
        for key in value:
            if key not in fields:
                self.differ(_join(path, key), "unknown key (wire.py does not know it)")

    def check_value(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if value is None:
            if expected.kind == "secret":
                self.report.secret_forms["omitted"] += 1
            elif not expected.nullable:
                self.differ(path, "is null, expected a value", expected.wire_name)
            return
        check: Callable[[Any, Field, str, Mapping[str, Any]], None] = getattr(self, f"_check_{expected.kind}")
        check(value, expected, path, parent)

    def _check_any(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        return None

    def _check_string(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if not isinstance(value, str):
            self.differ(path, f"expected a string, got {rules.json_type_name(value)}", expected.wire_name)

    def _check_integer(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.differ(path, f"expected an integer, got {rules.json_type_name(value)}", expected.wire_name)

    def _check_count(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        # v1's table says "string" for the counts, its examples show numbers: the client reads both.
        if isinstance(value, str) and value.strip().isdigit():
            return
        self._check_integer(value, expected, path, parent)

    def _check_boolean(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if not isinstance(value, bool):
            self.differ(path, f"expected true or false, got {rules.json_type_name(value)}", expected.wire_name)

    def _check_run(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        """A run in either spelling: counted per spelling, checked against that spelling's fields."""
        if not isinstance(value, dict):
            self.differ(path, f"expected a run (an object), got {rules.json_type_name(value)}")
            return
        spelling = run_spelling(value)
        self.report.runs.run_spellings[spelling or "neither"] += 1
        if spelling == "mixed":
            self.differ(
                path,
                f"the run mixes the v1 spelling ({wire.RUN_PIPELINE_ID}, {wire.RUN_STATE}) with the guessed one "
                f"({wire.RUN_PIPELINE_ID_GUESS}, {wire.RUN_STATE_GUESS}): keys {_present(value, _RUN_SPELLED)}",
                "RUN_PIPELINE_ID, wire.RUN_STATE",
            )
        elif spelling is None:
            self.differ(
                path,
                f"the run has neither spelling's pipeline id and state ({wire.RUN_PIPELINE_ID}/{wire.RUN_STATE} "
                f"or {wire.RUN_PIPELINE_ID_GUESS}/{wire.RUN_STATE_GUESS}): set them to the keys it uses",
                "RUN_PIPELINE_ID, wire.RUN_STATE",
            )
        self.check_object(value, RUN_FIELDS[spelling if spelling in ("v1", "guess") else "either"], path)

    def check_status(self, value: Any) -> None:
        """A pipeline's status answer in either shape: counted per shape, checked against its fields."""
        if not isinstance(value, dict):
            self.differ("", f"expected an object, got {rules.json_type_name(value)}")
            return
        shape = status_shape(value)
        self.report.runs.status_shapes[shape or "neither"] += 1
        if shape == "mixed":
            self.differ(
                "",
                f"the status answer mixes v1's flags ({', '.join(wire.STATUS_FLAGS)}) with the guessed "
                f"{wire.STATUS_STATUS_GUESS}/{wire.STATUS_STATE_GUESS}: keys "
                f"{_present(value, (*wire.STATUS_FLAGS, wire.STATUS_STATUS_GUESS, wire.STATUS_STATE_GUESS))}",
                "STATUS_FLAGS",
            )
        elif shape is None:
            self.differ(
                "",
                f"the status answer has neither v1's flags ({', '.join(wire.STATUS_FLAGS)}) nor the guessed "
                f"{wire.STATUS_STATUS_GUESS}/{wire.STATUS_STATE_GUESS}: set them to the keys it uses",
                "STATUS_FLAGS",
            )
        self.check_object(value, PIPELINE_STATUS_FIELDS[shape if shape in ("v1", "guess") else "either"])

    def check_runs_page(self, value: Any) -> None:
        """A page of runs: ``{"items": [...]}`` (v1) or a bare array, both read by the client."""
        if isinstance(value, list):
            self.report.runs.page_shapes["bare array"] += 1
            for index, item in enumerate(value):
                self.check_value(item, Field("run"), f"[{index}]", {})
            return
        if isinstance(value, dict) and wire.RUNS_ITEMS in value:
            self.report.runs.page_shapes[f'"{wire.RUNS_ITEMS}" envelope'] += 1
        self.check_object(value, RUNS_PAGE_FIELDS)

    def _check_enum(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if value not in expected.values:
            self.differ(path, f"{_shown(value)} is not one of {', '.join(expected.values)}", expected.values_name)

    def _check_provider(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        providers = [f.variant.value for f in schema.CONNECTION.variants if f.variant is not None]
        if not isinstance(value, str) or value.lower() not in providers:
            self.differ(
                path, f"{_shown(value)} is not one of {', '.join(providers)} (in any case)"
            )
            return
        if value == value.lower():
            self.report.provider_cases[wire.PROVIDER_CASE_LOWER] += 1
        elif value == value.capitalize():
            self.report.provider_cases[wire.PROVIDER_CASE_CAPITALISED] += 1
        else:
            self.report.provider_cases["other"] += 1

    def _check_server_timestamp(
        self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]
    ) -> None:
        if not isinstance(value, str) or rules.parse_timestamp(value) is None:
            self.differ(path, f"{_shown(value)} is not an ISO 8601 timestamp with a time zone")
        elif not _SERVER_TIMESTAMP_RE.match(value):
            self.differ(
                path,
                f"{_shown(value)} is not in the expected format YYYY-MM-DDThh:mm:ss.sssZ "
                "(UTC with milliseconds)",
            )

    def _check_timestamp(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if not isinstance(value, str) or rules.parse_timestamp(value) is None:
            self.differ(path, f"{_shown(value)} is not an ISO 8601 timestamp with a time zone")

    def _check_secret(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if value == wire.MASKED_SECRET:
            self.report.secret_forms["masked"] += 1
        else:
            self.report.secret_forms["clear text"] += 1
            self.differ(path, "a secret is served in clear text (expected it omitted or masked)")

    def _check_object(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        self.check_object(value, expected.fields or {}, path)

    def _check_list(self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]) -> None:
        if not isinstance(value, list):
            self.differ(path, f"expected an array, got {rules.json_type_name(value)}")
            return
        if expected.items is not None:
            for index, item in enumerate(value):
                self.check_value(item, expected.items, f"{path}[{index}]", parent)

    def _check_connection_config(
        self, value: Any, expected: Field, path: str, parent: Mapping[str, Any]
    ) -> None:
        provider = parent.get(wire.SERVICE_PROVIDER)
        provider = provider.lower() if isinstance(provider, str) else None
        block = next(
            (f.block for f in schema.CONNECTION.variants if f.variant is not None and f.variant.value == provider),
            None,
        )
        if block is None:
            if not isinstance(value, dict):
                self.differ(path, f"expected an object, got {rules.json_type_name(value)}")
            return  # the provider is already reported; its config keys cannot be known
        self.check_object(value, served_fields(block.fields), path)


_RUN_SPELLED: Final = (wire.RUN_PIPELINE_ID, wire.RUN_STATE, wire.RUN_PIPELINE_ID_GUESS, wire.RUN_STATE_GUESS)


def _present(value: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return ", ".join(key for key in keys if key in value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- reading the workspace -------------------------------------------------------------------


def audit_workspace(client: WarehouseSyncClient, workspace_id: str) -> Report:
    """Read every collection (and pipeline status and runs) and compare them with ``wire.py``.

    Raises ``WarehouseSyncError`` for failures that stop the check (credential, network);
    a 404 on a collection path is a difference (the [R] path may be wrong), not a failure.
    """
    report = Report(workspace_id=workspace_id, api_url=client.settings.api_url)
    for collection in wire.COLLECTIONS:
        objects = _read_collection(client, workspace_id, collection, report)
        report.object_counts[collection] = len(objects)
        for served in objects:
            object_id = served.get(wire.ID) if isinstance(served, dict) else None
            checker = _Checker(report, collection, object_id if isinstance(object_id, str) else None)
            checker.check_object(served, EXPECTED[collection])
            if collection == wire.PIPELINES and isinstance(object_id, str):
                _audit_pipeline_runs(client, workspace_id, object_id, report)
                if report.runs.trigger is None:
                    _probe_trigger(client, workspace_id, object_id, report)
    return report


def _probe_trigger(client: WarehouseSyncClient, workspace_id: str, pipeline_id: str, report: Report) -> None:
    """Which trigger path the workspace serves, asked once, on its first pipeline, without triggering."""
    trigger = report.runs.trigger = probe_trigger_paths(client, workspace_id, pipeline_id)
    if trigger.verdict == "neither":
        report.differences.append(
            Difference(
                f"{wire.PIPELINES}/{pipeline_id}/{wire.TRIGGER}",
                None,
                "",
                f"neither trigger path takes POST ({trigger.suffix.evidence}; {trigger.bare.evidence}): set "
                "wire.TRIGGER to the trigger route's last segment",
            )
        )


def _read_collection(
    client: WarehouseSyncClient, workspace_id: str, collection: str, report: Report
) -> list[Any]:
    try:
        answer = client.get_json(collection, workspace_id=workspace_id)
    except NotFoundError as error:
        report.list_shapes[collection] = "not found"
        report.differences.append(
            Difference(
                collection, None, "", f"listing answered 404 ({error}): the collection path may be wrong"
            )
        )
        return []
    if isinstance(answer, list):
        report.list_shapes[collection] = "bare array"
        return answer
    if isinstance(answer, dict) and isinstance(answer.get(wire.RUNS_ITEMS), list):
        report.list_shapes[collection] = f'"{wire.RUNS_ITEMS}" envelope'
        report.differences.append(
            Difference(
                collection,
                None,
                "",
                f'the list is wrapped in {{"{wire.RUNS_ITEMS}": [...]}}, expected a bare array',
            )
        )
        return list(answer[wire.RUNS_ITEMS])
    report.list_shapes[collection] = rules.json_type_name(answer)
    report.differences.append(Difference(collection, None, "", f"the list answer is {rules.json_type_name(answer)}"))
    return []


def _audit_pipeline_runs(
    client: WarehouseSyncClient, workspace_id: str, pipeline_id: str, report: Report
) -> None:
    for suffix, constant in ((wire.STATUS, "STATUS"), (wire.RUNS, "RUNS")):
        where = f"{wire.PIPELINES}/{pipeline_id}/{suffix}"
        try:
            answer = client.get_json(wire.PIPELINES, pipeline_id, suffix, workspace_id=workspace_id)
        except NotFoundError as error:
            report.differences.append(
                Difference(
                    where,
                    None,
                    "",
                    f"answered 404 ({error}): the path may be wrong [wire.{constant}], or the pipeline is less than "
                    "a minute old (mParticle answers 404 then: check again shortly)",
                )
            )
            continue
        checker = _Checker(report, where, None)
        if suffix == wire.STATUS:
            checker.check_status(answer)
        else:
            checker.check_runs_page(answer)


# --- the command -------------------------------------------------------------------------------


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace-id",
        help=f"workspace to check (default: ${c.ENV_VARS[c.CONFIG_WORKSPACE_ID]})",
    )
    parser.add_argument(
        "--api-url", help=f"API base URL (default: ${c.ENV_VARS[c.CONFIG_API_URL]} or {c.DEFAULT_API_URL})"
    )
    parser.add_argument(
        "--auth-url",
        help=f"token endpoint base URL (default: ${c.ENV_VARS[c.CONFIG_AUTH_URL]} or {c.DEFAULT_AUTH_URL})",
    )
    parser.add_argument(
        "--client-id", help=f"API credential client id (default: ${c.ENV_VARS[c.CONFIG_CLIENT_ID]})"
    )
    parser.add_argument(
        "--client-secret-file",
        type=Path,
        help=(
            "file holding the client secret (default: the secret is read from "
            f"${c.ENV_VARS[c.CONFIG_CLIENT_SECRET]}; it is never taken from the command line)"
        ),
    )
    parser.add_argument(
        "--client-secret", nargs="?", action=_RefuseSecretOnCommandLine, help=argparse.SUPPRESS
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    # No abbreviations: "--client-secret-f" must not be guessed, nor a typo taken as a file name.
    parser.allow_abbrev = False
    parser.set_defaults(run=run)


class _RefuseSecretOnCommandLine(argparse.Action):
    """A secret on the command line ends up in shell history and process lists: refuse it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            "the client secret is not taken from the command line: set "
            f"{c.ENV_VARS[c.CONFIG_CLIENT_SECRET]} or pass --client-secret-file"
        )


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = _settings_from(args)
        if settings.workspace_id is None:
            raise ConfigurationError(
                f"no workspace to check: pass --workspace-id or set {c.ENV_VARS[c.CONFIG_WORKSPACE_ID]}"
            )
        with WarehouseSyncClient(settings) as client:
            report = audit_workspace(client, settings.workspace_id)
    except WarehouseSyncError as error:
        print(f"check-api: {_explain(error)}", file=err)
        return EXIT_ERROR
    if args.json:
        json.dump(report.as_json(), out, indent=2)
        out.write("\n")
    else:
        out.write(format_report(report))
    return EXIT_OK if report.ok else EXIT_DIFFERENCES


def _settings_from(args: argparse.Namespace) -> ClientSettings:
    secret: str | None = None
    if args.client_secret_file is not None:
        try:
            secret = args.client_secret_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigurationError(
                f"cannot read --client-secret-file {str(args.client_secret_file)!r}: {error.strerror}"
            ) from None
        if not secret:
            raise ConfigurationError(f"--client-secret-file {str(args.client_secret_file)!r} is empty")
    from_args: dict[str, str | None] = {
        c.CONFIG_CLIENT_ID: args.client_id,
        c.CONFIG_CLIENT_SECRET: secret,
        c.CONFIG_WORKSPACE_ID: args.workspace_id,
        c.CONFIG_API_URL: args.api_url,
        c.CONFIG_AUTH_URL: args.auth_url,
    }
    return command_settings(from_args)


def _explain(error: WarehouseSyncError) -> str:
    if isinstance(error, APIError) and error.status_code in (401, 403):
        return f"{error} (the credential needs Platform API access with the Admin permission)"
    return str(error)


def format_report(report: Report) -> str:
    lines = [f"Workspace {report.workspace_id} at {report.api_url}"]
    by_where: dict[str, list[Difference]] = {}
    for difference in report.differences:
        by_where.setdefault(difference.where.split("/", 1)[0], []).append(difference)
    for collection in wire.COLLECTIONS:
        count = report.object_counts.get(collection, 0)
        found = by_where.get(collection, [])
        verdict = "as expected" if not found else f"{len(found)} difference{'s' if len(found) != 1 else ''}"
        lines.append(f"{collection}: {count} object{'s' if count != 1 else ''} read, {verdict}")
        lines.extend(f"  - {difference.line()}" for difference in found)
    lines.append("")
    lines.append("[R] choices this workspace shows:")
    lines.append(f"  secrets: {_describe_secrets(report)}")
    lines.append(f"  service_provider case: {_describe_case(report)}")
    shapes = sorted(set(report.list_shapes.values()))
    lines.append(f"  list answers: {', '.join(shapes) if shapes else 'none read'}")
    runs = report.runs
    lines.extend(f"  {line}" for line in trigger_lines(runs.trigger))
    lines.append(f"  {spelling_line(runs.run_spellings)}")
    lines.append(f"  {status_shape_line(runs.status_shapes)}")
    lines.append(f"  {pages_line(runs.page_shapes)}")
    lines.append("")
    if report.ok:
        lines.append("Result: everything matches wire.py.")
    else:
        total = len(report.differences)
        lines.append(
            f"Result: {total} difference{'s' if total != 1 else ''} from wire.py. If the live API is right, "
            "correct the names in pulumi_mparticle_wsync/wire.py (the constant in [brackets] where a line names "
            "one) and the spec's [R] rows."
        )
    return "\n".join(lines) + "\n"


def _describe_secrets(report: Report) -> str:
    mode = report.secret_mode()
    counts = ", ".join(f"{n} {form}" for form, n in sorted(report.secret_forms.items()))
    if mode is None:
        return "not observed (no secret field in this workspace)" + (f"; {counts}" if counts else "")
    meaning = {
        wire.SECRET_MODE_OMIT: "omitted from answers (v2 behaviour)",
        wire.SECRET_MODE_MASK: f'masked as "{wire.MASKED_SECRET}" (v1 behaviour)',
        "mixed": "sometimes omitted, sometimes masked",
    }[mode]
    return f"{meaning} [{counts}]"


def _describe_case(report: Report) -> str:
    case = report.provider_case()
    if case is None:
        return "not observed (no connection in this workspace)"
    counts = ", ".join(f"{n} {form}" for form, n in sorted(report.provider_cases.items()))
    meaning = {
        wire.PROVIDER_CASE_LOWER: "lower-case, as sent",
        wire.PROVIDER_CASE_CAPITALISED: "capitalised (e.g. Snowflake)",
        "other": "neither lower-case nor capitalised",
        "mixed": "mixed",
    }[case]
    return f"{meaning} [{counts}]"
