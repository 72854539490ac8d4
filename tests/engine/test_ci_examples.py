"""The CI examples (examples/ci/): valid in the shape GitHub Actions and GitLab CI/CD expect, and the
``pulumi`` commands they run work against the emulator on a copy of the quickstart.

The workflow files are read as CI reads them, and each job an event starts is turned into the
``pulumi`` command it runs:

- GitHub: a job runs when its ``if`` holds for the event; every ``pulumi/actions`` step with a
  ``command`` becomes ``pulumi <command> --stack <stack-name>`` plus the flags of its inputs
  (``refresh`` -> ``--refresh``, ``expect-no-changes``, ``diff``, each line of ``policyPacks`` /
  ``policyPackConfigs`` -> ``--policy-pack`` / ``--policy-pack-config``; ``up`` with ``--yes
  --skip-preview``, as the action's Automation API runs it), once per ``matrix`` entry; ``cloud-url``
  becomes ``PULUMI_BACKEND_URL``.
- GitLab: a job runs when one of its ``rules`` holds for the pipeline's predefined variables; each
  ``script`` line starting with ``pulumi`` is the command, ``$VARIABLES`` of its ``parallel: matrix``
  entry substituted.

Each runs with the job's environment (``${{ secrets.X }}`` / CI/CD variables filled in with the
emulator's credential and the quickstart's passphrase) in a copy of the quickstart whose stacks point at
the emulator, and whose ``mparticle:clientSecret`` is removed from ``Pulumi.<stack>.yaml``: the jobs
that call the API get it from ``MPARTICLE_CLIENT_SECRET``, as the workflows set it, and the previews of
pull requests get none. ``pulumi install`` in policy/ (the jobs' set-up step) is not run: the copy of
the policy pack uses policy/venv, which scripts/bootstrap.sh makes the same way.
"""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_mparticle_wsync import wire
from pulumi_mparticle_wsync.emulator.testing import EmulatorHandle

from .harness import PULUMI_BIN, REPO_ROOT, engine_env
from .policy_support import pack_ran, policy_pack_copy

GITHUB = REPO_ROOT / "examples" / "ci" / "github" / ".github" / "workflows" / "pulumi.yml"
GITLAB = REPO_ROOT / "examples" / "ci" / "gitlab" / ".gitlab-ci.yml"
PASSPHRASE = "wsync-demo"  # the quickstart's Pulumi.<stack>.yaml
WORKSPACES = {"dev": "1001", "prod": "2002"}
QUICKSTART_OBJECTS = {wire.CONNECTIONS: 1, wire.DATA_MODELS: 2, wire.FIELD_TRANSFORMATIONS: 1, wire.PIPELINES: 2}
EVENTS = ("pull request", "push", "schedule")


@dataclass(frozen=True)
class CiCommand:
    job: str
    stack: str
    args: tuple[str, ...]  # after `pulumi`
    env: Mapping[str, str]  # what the job sets for it: its secrets and variables


# --- GitHub Actions ---------------------------------------------------------------------------

ACTION = "pulumi/actions@"
ACTION_INPUTS = {"command", "stack-name", "cloud-url", "comment-on-pr", "policyPacks", "policyPackConfigs",
                 "refresh", "expect-no-changes", "diff"}
FLAG_INPUTS = {"refresh": "--refresh", "expect-no-changes": "--expect-no-changes", "diff": "--diff"}
GITHUB_EVENTS = {"pull request": "pull_request", "push": "push", "schedule": "schedule"}
EXPRESSION = re.compile(r"\$\{\{\s*(secrets|vars|matrix)\.([\w-]+)\s*\}\}")


def _github() -> dict[str, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(GITHUB.read_text())
    if True in workflow:  # YAML 1.1 reads the key `on` as a boolean, and so does PyYAML
        workflow["on"] = workflow.pop(True)
    return workflow


def _runs_on(condition: str, event: str) -> bool:
    """A job's ``if``: ``github.event_name == '...'`` terms joined by ``||`` (all these workflows use)."""
    terms = [term.strip() for term in condition.split("||")]
    names = [re.fullmatch(r"github\.event_name == '(\w+)'", term) for term in terms]
    assert all(names), f"unsupported condition {condition!r}"
    return any(name is not None and name.group(1) == event for name in names)


def _matrix(job: Mapping[str, Any]) -> list[dict[str, Any]]:
    matrix = job.get("strategy", {}).get("matrix")
    if not matrix:
        return [{}]
    keys = sorted(matrix)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*(matrix[k] for k in keys))]


def _fill(value: Any, context: Mapping[str, Mapping[str, Any]]) -> str:
    def one(match: re.Match[str]) -> str:
        found = context[match.group(1)].get(match.group(2))
        assert found is not None, f"{match.group(0)} is not set in the test's {match.group(1)}"
        return str(found)

    return EXPRESSION.sub(one, str(value))


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _github_commands(event: str, secrets: Mapping[str, str], variables: Mapping[str, str]) -> list[CiCommand]:
    workflow = _github()
    commands = []
    for job_id, job in workflow["jobs"].items():
        if not _runs_on(job["if"], GITHUB_EVENTS[event]):
            continue
        for entry in _matrix(job):
            context = {"secrets": secrets, "vars": variables, "matrix": entry}
            env = {key: _fill(value, context) for key, value in {**workflow["env"], **job.get("env", {})}.items()}
            for step in job["steps"]:
                inputs = step.get("with", {})
                if not str(step.get("uses", "")).startswith(ACTION) or "command" not in inputs:
                    continue
                assert set(inputs) <= ACTION_INPUTS, f"{job_id}: inputs the test does not turn into flags"
                stack = _fill(inputs["stack-name"], context)
                args = [inputs["command"], "--stack", stack]
                args += [flag for name, flag in FLAG_INPUTS.items() if _truthy(inputs.get(name))]
                for pack in _lines(inputs.get("policyPacks")):
                    args += ["--policy-pack", pack]
                for config in _lines(inputs.get("policyPackConfigs")):
                    args += ["--policy-pack-config", config]
                if inputs["command"] == "up":
                    args += ["--yes", "--skip-preview"]
                backend = _fill(inputs.get("cloud-url", ""), context)
                commands.append(CiCommand(job_id, stack, tuple(args),
                                          {**env, **({"PULUMI_BACKEND_URL": backend} if backend else {})}))
    return commands


def test_the_github_workflow_has_the_shape_github_expects() -> None:
    workflow = _github()
    assert workflow["on"]["pull_request"]["branches"] == ["main"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    [schedule] = workflow["on"]["schedule"]
    assert len(schedule["cron"].split()) == 5
    assert workflow["permissions"]["pull-requests"] == "write"
    assert set(workflow["env"]) == {"PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN"}
    jobs = workflow["jobs"]
    assert list(jobs) == ["preview", "up-dev", "up-prod", "drift"]
    for job_id, job in jobs.items():
        assert job["runs-on"] == "ubuntu-latest"
        assert job["steps"] and all(("uses" in step) != ("run" in step) for step in job["steps"]), job_id
        assert job["steps"][0]["uses"].startswith("actions/checkout@")
        assert any(step.get("run") == "pip install -r requirements.txt" for step in job["steps"])
        actions = [step for step in job["steps"] if str(step.get("uses", "")).startswith(ACTION)]
        assert actions and "command" in actions[-1]["with"], job_id
    for job_id in ("preview", "drift"):
        assert jobs[job_id]["strategy"]["matrix"]["stack"] == ["dev", "prod"]
    preview = jobs["preview"]["steps"][-1]["with"]
    assert preview["command"] == "preview" and preview["comment-on-pr"] is True and preview["policyPacks"] == "policy"
    assert jobs["up-prod"]["needs"] == "up-dev" and jobs["up-prod"]["environment"] == "production"
    assert [jobs[j]["steps"][-1]["with"]["stack-name"] for j in ("up-dev", "up-prod")] == ["dev", "prod"]
    for job_id in ("up-dev", "up-prod"):
        assert jobs[job_id]["concurrency"]["cancel-in-progress"] is False
    drift = jobs["drift"]["steps"][-1]["with"]
    assert drift["refresh"] is True and drift["expect-no-changes"] is True
    # The policy pack's virtualenv is made where it is used; the mParticle credential only where the API is.
    for job_id in ("preview", "up-dev", "up-prod"):
        assert {"run": "pulumi install", "working-directory": "policy"} in jobs[job_id]["steps"]
    assert "env" not in jobs["preview"]
    for job_id in ("up-dev", "up-prod", "drift"):
        assert jobs[job_id]["env"] == {"MPARTICLE_CLIENT_SECRET": "${{ secrets.MPARTICLE_CLIENT_SECRET }}"}


# --- GitLab CI/CD ------------------------------------------------------------------------------

GITLAB_KEYWORDS = {"image", "stages", "default", "variables", "workflow", "include", "services", "cache",
                   "before_script", "after_script"}
GITLAB_SOURCES = {"pull request": "merge_request_event", "push": "push", "schedule": "schedule"}
CONDITION_TERM = re.compile(r'\s*(\$\w+|"[^"]*")\s*(==|!=)\s*(\$\w+|"[^"]*")\s*')


def _gitlab() -> dict[str, Any]:
    pipeline: dict[str, Any] = yaml.safe_load(GITLAB.read_text())
    return pipeline


def _gitlab_jobs() -> dict[str, dict[str, Any]]:
    return {name: job for name, job in _gitlab().items() if name not in GITLAB_KEYWORDS and not name.startswith(".")}


def _holds(condition: str, variables: Mapping[str, str]) -> bool:
    """A rule's ``if``: ``==`` / ``!=`` comparisons of ``$VARIABLES`` and strings, joined by ``&&`` and ``||``."""
    def operand(text: str) -> str | None:
        return variables.get(text[1:]) if text.startswith("$") else text[1:-1]

    def term(text: str) -> bool:
        match = CONDITION_TERM.fullmatch(text)
        assert match, f"unsupported condition {condition!r}"
        left, op, right = operand(match.group(1)), match.group(2), operand(match.group(3))
        return (left == right) if op == "==" else (left != right)

    return any(all(term(part) for part in alternative.split("&&")) for alternative in condition.split("||"))


def _pipeline_variables(event: str) -> dict[str, str]:
    variables = {"CI_PIPELINE_SOURCE": GITLAB_SOURCES[event], "CI_DEFAULT_BRANCH": "main"}
    if event != "pull request":  # a merge request pipeline has no CI_COMMIT_BRANCH
        variables["CI_COMMIT_BRANCH"] = "main"
    return variables


def _gitlab_matrix(job: Mapping[str, Any]) -> list[dict[str, str]]:
    entries = job.get("parallel", {}).get("matrix")
    if not entries:
        return [{}]
    expanded = []
    for entry in entries:
        keys = sorted(entry)
        values = [entry[k] if isinstance(entry[k], list) else [entry[k]] for k in keys]
        expanded += [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*values)]
    return expanded


def _gitlab_commands(event: str, ci_variables: Mapping[str, str]) -> list[CiCommand]:
    """``ci_variables``: the project's CI/CD variables this pipeline gets (protected ones only on the
    default branch)."""
    predefined = _pipeline_variables(event)
    commands = []
    for job_id, job in _gitlab_jobs().items():
        if not any(_holds(rule["if"], predefined) for rule in job["rules"]):
            continue
        for entry in _gitlab_matrix(job):
            variables = {**predefined, **ci_variables, **job.get("variables", {}), **entry}

            def expand(word: str, variables: Mapping[str, str] = variables) -> str:
                return re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], word)

            for line in job["script"]:
                words = shlex.split(line)
                if words[0] != "pulumi":
                    continue
                args = tuple(expand(word) for word in words[1:])
                stack = args[args.index("--stack") + 1]
                commands.append(CiCommand(job_id, stack, args, dict(ci_variables)))
    return commands


def test_the_gitlab_pipeline_has_the_shape_gitlab_expects() -> None:
    pipeline = _gitlab()
    stages = pipeline["stages"]
    assert stages == ["preview", "dev", "prod", "drift"]
    assert "pip install -r requirements.txt" in pipeline["default"]["before_script"]
    assert "(cd policy && pulumi install)" in " ".join(pipeline["default"]["before_script"])
    jobs = _gitlab_jobs()
    assert list(jobs) == ["preview", "up-dev", "up-prod", "drift"]
    for job_id, job in jobs.items():
        assert job["stage"] in stages, job_id
        assert job["script"] and all(isinstance(line, str) for line in job["script"]), job_id
        assert job["rules"] and all("if" in rule for rule in job["rules"]), job_id
    assert stages.index(jobs["up-dev"]["stage"]) < stages.index(jobs["up-prod"]["stage"])
    assert jobs["up-prod"]["needs"] == ["up-dev"]
    assert jobs["up-prod"]["environment"]["name"] == "production"
    assert [rule.get("when") for rule in jobs["up-prod"]["rules"]] == ["manual"]
    assert {jobs[j]["resource_group"] for j in ("up-dev", "up-prod")} == {"pulumi-dev", "pulumi-prod"}
    for job_id in ("preview", "drift"):
        assert _gitlab_matrix(jobs[job_id]) == [{"STACK": "dev"}, {"STACK": "prod"}]
    # Which jobs each kind of pipeline runs.
    runs = {event: sorted({c.job for c in _gitlab_commands(event, {})}) for event in EVENTS}
    assert runs == {"pull request": ["preview"], "push": ["up-dev", "up-prod"], "schedule": ["drift"]}


# --- running the commands --------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorHandle) -> Iterator[Path]:
    """A copy of the quickstart with the policy pack in policy/, its dev and prod stacks pointed at the
    emulator, and no ``mparticle:clientSecret`` in their config."""
    directory = tmp_path / "repo"
    directory.mkdir()
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"):
        shutil.copy(REPO_ROOT / name, directory / name)
    shutil.copytree(REPO_ROOT / "examples" / "quickstart", directory / "examples" / "quickstart")
    policy_pack_copy(directory)
    (directory / "state").mkdir()
    for stack in ("dev", "prod"):
        _pulumi(directory, {}, "stack", "init", stack)
        for key in ("apiUrl", "authUrl"):
            _pulumi(directory, {}, "config", "set", "--stack", stack, f"mparticle:{key}", emulator.url)
        _pulumi(directory, {}, "config", "set", "--stack", stack, "mparticle:maxRetryWait", "5")
        _pulumi(directory, {}, "config", "rm", "--stack", stack, "mparticle:clientSecret")
    yield directory


def _pulumi(directory: Path, env: Mapping[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    full_env = {**engine_env(directory), "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE, **env}
    done = subprocess.run([str(PULUMI_BIN / "pulumi"), *args, "--color", "never"], cwd=directory, env=full_env,
                          capture_output=True, text=True, timeout=600, check=False)
    if ok:
        assert done.returncode == 0, f"pulumi {shlex.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _counts(emulator: EmulatorHandle, workspace_id: str) -> dict[str, int]:
    return {c: len(emulator.control.list_objects(workspace_id, c)) for c in wire.COLLECTIONS}


def _commands(ci: str, event: str, emulator: EmulatorHandle, directory: Path) -> list[CiCommand]:
    backend = (directory / "state").as_uri()
    if ci == "github":
        secrets = {"PULUMI_CONFIG_PASSPHRASE": PASSPHRASE, "PULUMI_ACCESS_TOKEN": "",
                   "MPARTICLE_CLIENT_SECRET": emulator.client_secret}
        return _github_commands(event, secrets, {"PULUMI_BACKEND_URL": backend})
    variables = {"PULUMI_CONFIG_PASSPHRASE": PASSPHRASE, "PULUMI_BACKEND_URL": backend}
    if event != "pull request":  # a protected variable: pipelines of the default branch only
        variables["MPARTICLE_CLIENT_SECRET"] = emulator.client_secret
    return _gitlab_commands(event, variables)


@pytest.mark.engine
@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_commands_preview_deploy_and_catch_drift(ci: str, project: Path, emulator: EmulatorHandle) -> None:
    commands = {event: _commands(ci, event, emulator, project) for event in EVENTS}
    assert [(c.job, c.stack) for c in commands["push"]] == [("up-dev", "dev"), ("up-prod", "prod")]
    for event in ("pull request", "schedule"):
        assert [c.stack for c in commands[event]] == ["dev", "prod"]
    for command in commands["pull request"]:
        assert "--policy-pack" in command.args and "MPARTICLE_CLIENT_SECRET" not in command.env

    # A pull request: both previews pass the policy pack, offline, without the mParticle credential.
    for command in commands["pull request"]:
        preview = _pulumi(project, command.env, *command.args)
        assert pack_ran(preview.stdout) and "[mandatory]" not in preview.stdout, preview.stdout
        assert "7 to create" in preview.stdout
    assert emulator.control.requests() == []

    # The merge: dev, then prod, each in its own workspace.
    for command in commands["push"]:
        _pulumi(project, command.env, *command.args)
    for workspace in WORKSPACES.values():
        assert _counts(emulator, workspace) == QUICKSTART_OBJECTS

    # The scheduled drift check: nothing changed, then a data model edited in the mParticle UI.
    for command in commands["schedule"]:
        assert "--refresh" in command.args and "--expect-no-changes" in command.args
        _pulumi(project, command.env, *command.args)
    [model] = [m for m in emulator.control.list_objects(WORKSPACES["prod"], wire.DATA_MODELS)
               if m["name"] == "Active users"]
    emulator.control.edit_object(WORKSPACES["prod"], wire.DATA_MODELS, model["id"],
                                 {"config": {"sql_query": "SELECT email, plan FROM analytics.public.users"}})
    checked = {c.stack: _pulumi(project, c.env, *c.args, ok=False) for c in commands["schedule"]}
    assert checked["dev"].returncode == 0, checked["dev"].stdout
    drifted = checked["prod"]
    assert drifted.returncode != 0
    assert "sql_query" in drifted.stdout and "no changes were expected" in drifted.stdout + drifted.stderr, \
        drifted.stdout + drifted.stderr
