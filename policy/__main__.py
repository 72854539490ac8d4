"""mParticle Warehouse Sync policy pack: the rules a Warehouse Sync team enforces in review.

Run it with a preview or an update:

    pulumi preview --policy-pack policy [--policy-pack-config policy-config.json]

The rules themselves are in ``wsync_rules.py`` (plain Python, unit-tested); this file hands them what the
engine sends and reports what they find. docs/policy.md describes each policy and its config.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
import wsync_rules as rules  # beside this file: the language host runs the directory, which puts it on sys.path
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import proxy as _proxy

_UNKNOWNS = frozenset({
    _proxy.UNKNOWN_BOOLEAN_VALUE, _proxy.UNKNOWN_NUMBER_VALUE, _proxy.UNKNOWN_STRING_VALUE,
    _proxy.UNKNOWN_ARRAY_VALUE, _proxy.UNKNOWN_ASSET_VALUE, _proxy.UNKNOWN_ARCHIVE_VALUE,
    _proxy.UNKNOWN_OBJECT_VALUE,
})


def _plain(value: Any) -> Any:
    """``pulumi_policy``'s unknown-checking proxies as plain values, with ``rules.UNKNOWN`` for unknowns."""
    if isinstance(value, _proxy._DictProxy | _proxy._ListProxy):
        value = value["__target"]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items() if key != "__provider"}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str) and value in _UNKNOWNS:
        return rules.UNKNOWN
    return value


def _stack() -> rules.Stack:
    """The stack's name and config, as the language host hands them to a policy pack (PULUMI_STACK,
    PULUMI_CONFIG), and the environment (the provider's ``MPARTICLE_WORKSPACE_ID`` fallback)."""
    config: dict[str, str] = {}
    for key, value in pulumi.runtime.get_config_env().items():
        namespace, _, name = str(key).partition(":")
        name = name.removeprefix("config:")  # the older "<namespace>:config:<key>" spelling
        config[f"{namespace}:{name}"] = value if isinstance(value, str) else str(value)
    name = os.environ.get("PULUMI_STACK") or pulumi.get_stack()
    return rules.Stack(name=name, config=config, environ=dict(os.environ))


def _config(args: ResourceValidationArgs | StackValidationArgs) -> Mapping[str, Any]:
    return args.get_config() or {}


def _resource(args: ResourceValidationArgs) -> rules.Resource:
    return rules.Resource(urn=args.urn, type=args.resource_type, name=args.name, props=_plain(args.props))


def _resources(args: StackValidationArgs) -> list[rules.Resource]:
    return [rules.Resource(urn=r.urn, type=r.resource_type, name=r.name, props=_plain(r.props),
                           property_dependencies={key: [d.urn for d in deps]
                                                  for key, deps in r.property_dependencies.items()})
            for r in args.resources]


def _report(violations: list[rules.Violation] | rules.Violation | None, report: ReportViolation) -> None:
    for violation in violations if isinstance(violations, list) else [violations]:
        if violation is not None:
            report(violation.message, violation.urn)


def _on(kind: str, check: Callable[[rules.Resource, Mapping[str, Any]], rules.Violation | None]) -> Any:
    """A resource policy's validate function that runs ``check`` on resources of ``kind`` only."""
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type == rules.TYPE_PREFIX + kind:
            _report(check(_resource(args), _config(args)), report)
    return validate


def _max_active(args: StackValidationArgs, report: ReportViolation) -> None:
    maximum = int(_config(args).get("maximum", rules.API_ACTIVE_PIPELINE_LIMIT))
    _report(rules.active_pipeline_violations(_resources(args), _stack(), maximum), report)


def _same_workspace(args: StackValidationArgs, report: ReportViolation) -> None:
    _report(rules.same_workspace_violations(_resources(args), _stack()), report)


def _environment(pipeline: rules.Resource, config: Mapping[str, Any]) -> rules.Violation | None:
    patterns = config.get("productionStacks", list(rules.DEFAULT_PRODUCTION_STACKS))
    key = config.get("productionConfigKey", rules.DEFAULT_PRODUCTION_CONFIG_KEY)
    return rules.environment_violation(pipeline, _stack(), patterns, key)


def _select_star(model: rules.Resource, _config: Mapping[str, Any]) -> rules.Violation | None:
    return rules.select_star_violation(model)


def _frequency(pipeline: rules.Resource, config: Mapping[str, Any]) -> rules.Violation | None:
    return rules.frequency_violation(pipeline, config.get("minimumFrequency", "hourly"))


PolicyPack(
    name="mparticle-wsync",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(
            name="wsync-max-active-pipelines",
            description="At most 5 active (unpaused) pipelines per workspace across the stack.",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=_max_active,
            config_schema=PolicyConfigSchema(properties={
                "maximum": {"type": "integer", "minimum": 0, "maximum": rules.API_ACTIVE_PIPELINE_LIMIT,
                            "default": rules.API_ACTIVE_PIPELINE_LIMIT},
            }),
        ),
        StackValidationPolicy(
            name="wsync-same-workspace",
            description="A pipeline's connection, data model and field transformation are in its workspace.",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=_same_workspace,
        ),
        ResourceValidationPolicy(
            name="wsync-production-environment",
            description="Pipelines of production stacks use environment=\"production\"; other stacks' do not.",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=_on(rules.PIPELINE, _environment),
            config_schema=PolicyConfigSchema(properties={
                "productionStacks": {"type": "array", "items": {"type": "string"},
                                     "default": list(rules.DEFAULT_PRODUCTION_STACKS)},
                "productionConfigKey": {"type": "string", "default": rules.DEFAULT_PRODUCTION_CONFIG_KEY},
            }),
        ),
        ResourceValidationPolicy(
            name="wsync-no-select-star",
            description="Data models name their columns (no SELECT *).",
            enforcement_level=EnforcementLevel.ADVISORY,
            validate=_on(rules.DATA_MODEL, _select_star),
        ),
        ResourceValidationPolicy(
            name="wsync-schedule-frequency",
            description="Interval schedules run no more often than minimumFrequency.",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=_on(rules.PIPELINE, _frequency),
            config_schema=PolicyConfigSchema(properties={
                "minimumFrequency": {"type": "string", "enum": list(rules.FREQUENCIES), "default": "hourly"},
            }),
        ),
    ],
)
