"""Which Pulumi CLI the bootstrap picks (scripts/pulumi_cli.py), with fake ``pulumi`` and ``go`` scripts on a
temporary PATH: PULUMI_CLI_DIR, then a recent enough ``pulumi`` on PATH with the language host beside it,
then the build; refusals say what to install, and nothing usable is one message."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scripts import pulumi_cli
from scripts.pulumi_cli import CLI_FILES, MINIMUM, NoPulumiCli, choose

NEW = "v3.274.1"
OLD = "v3.159.2"


def _script(path: Path, output: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho '{output}'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _install(directory: Path, version: str, *, language_host: bool = True) -> Path:
    """A fake Pulumi installation: ``pulumi version`` prints ``version``; the other files are stubs."""
    _script(directory / "pulumi", version)
    for name in CLI_FILES[1:]:
        if language_host or not name.startswith("pulumi-language-python"):
            _script(directory / name, "stub")
    return directory


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A stand-in for ../shared/third_party/pulumi-language-python."""
    directory = tmp_path / "shared" / "pulumi-language-python"
    directory.mkdir(parents=True)
    (directory / "main.go").write_text("package main\n")
    (directory / "go.mod").write_text("module example\n")
    return directory


def _env(*path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": ":".join(str(p) for p in path), **extra}


def _go(tmp_path: Path, version: str = "go1.26.8") -> Path:
    return _script(tmp_path / "go-bin" / "go", f"go version {version} linux/amd64").parent


def test_pulumi_cli_dir_comes_first(tmp_path: Path, source: Path) -> None:
    chosen = _install(tmp_path / "chosen" / "bin", NEW)
    on_path = _install(tmp_path / "on-path", NEW)
    choice = choose(_env(on_path, _go(tmp_path), PULUMI_CLI_DIR=str(chosen), PULUMI_LANGHOST_SRC=str(source)),
                    build_bin=tmp_path / "build")
    assert choice.bin_dir == chosen and not choice.build
    assert "(PULUMI_CLI_DIR)" in choice.reason and NEW in choice.reason


@pytest.mark.parametrize(("version", "language_host", "problem"), [
    (OLD, True, f"{OLD} is older than {MINIMUM}"),
    (NEW, False, "has no pulumi-language-python, pulumi-language-python-exec beside it"),
])
def test_an_unusable_pulumi_cli_dir_is_refused_without_fallback(
    tmp_path: Path, source: Path, version: str, language_host: bool, problem: str
) -> None:
    chosen = _install(tmp_path / "chosen", version, language_host=language_host)
    usable_on_path = _install(tmp_path / "on-path", NEW)
    with pytest.raises(NoPulumiCli) as refused:
        choose(_env(usable_on_path, PULUMI_CLI_DIR=str(chosen), PULUMI_LANGHOST_SRC=str(source)),
               build_bin=tmp_path / "build")
    message = str(refused.value)
    assert message.startswith(f"PULUMI_CLI_DIR={chosen}: ")
    assert problem in message
    assert f"Install Pulumi {MINIMUM} or newer" in message and pulumi_cli.INSTALL_URL in message


def test_a_recent_pulumi_on_path_with_its_language_host_is_used(tmp_path: Path, source: Path) -> None:
    on_path = _install(tmp_path / "home" / ".pulumi" / "bin", NEW)
    choice = choose(_env(tmp_path / "empty", on_path, _go(tmp_path), PULUMI_LANGHOST_SRC=str(source)),
                    build_bin=tmp_path / "build")
    assert choice.bin_dir == on_path and not choice.build
    assert choice.reason == (f"using {on_path} (the pulumi on PATH): pulumi {NEW} (>= {MINIMUM}) "
                             "with Pulumi's Python language host beside it")


def test_a_symlinked_pulumi_on_path_is_followed_to_its_installation(tmp_path: Path, source: Path) -> None:
    installation = _install(tmp_path / "cellar" / "pulumi" / "bin", NEW)
    links = tmp_path / "links"
    links.mkdir()
    (links / "pulumi").symlink_to(installation / "pulumi")
    choice = choose(_env(links, PULUMI_LANGHOST_SRC=str(source)), build_bin=tmp_path / "build")
    assert choice.bin_dir == installation and not choice.build


@pytest.mark.parametrize(("version", "language_host", "problem"), [
    (OLD, True, f"pulumi {OLD} is older than {MINIMUM}, the oldest this project supports"),
    (NEW, False, f"pulumi {NEW} has no pulumi-language-python, pulumi-language-python-exec beside it"),
])
def test_an_unusable_pulumi_on_path_is_refused_and_the_build_is_used(
    tmp_path: Path, source: Path, version: str, language_host: bool, problem: str
) -> None:
    on_path = _install(tmp_path / "usr" / "bin", version, language_host=language_host)
    build = tmp_path / "build"
    choice = choose(_env(on_path, _go(tmp_path), PULUMI_LANGHOST_SRC=str(source)), build_bin=build)
    assert choice.build and choice.bin_dir == build
    [note] = choice.notes
    assert note.startswith(f"not using {on_path / 'pulumi'} (on PATH): {problem}")
    assert note.endswith(f"; to use one, {pulumi_cli.INSTALL_ADVICE}")
    assert f"from Go modules and {source}" in choice.reason
    assert f": the pulumi on PATH is not usable ({problem}" in choice.reason


def test_without_pulumi_on_path_the_build_is_used(tmp_path: Path, source: Path) -> None:
    build = tmp_path / "build"
    choice = choose(_env(tmp_path / "empty", _go(tmp_path), PULUMI_LANGHOST_SRC=str(source)), build_bin=build)
    assert choice.build and choice.bin_dir == build and choice.notes == ()
    assert choice.reason.endswith(": no pulumi on PATH")


def test_the_build_itself_on_path_counts_as_the_build(tmp_path: Path, source: Path) -> None:
    """`.tools/pulumi/bin` on PATH (as the README suggests) must not stop the build being checked and rebuilt."""
    build = _install(tmp_path / "build", NEW)
    choice = choose(_env(build, _go(tmp_path), PULUMI_LANGHOST_SRC=str(source)), build_bin=build)
    assert choice.build and choice.reason.endswith("the pulumi on PATH is this build")


def test_an_existing_build_is_kept_when_it_cannot_be_rebuilt(tmp_path: Path) -> None:
    build = _install(tmp_path / "build", NEW)
    choice = choose(_env(tmp_path / "empty", PULUMI_LANGHOST_SRC=str(tmp_path / "nowhere")), build_bin=build)
    assert choice.build and choice.reason.startswith(f"keeping the build in {build}: no pulumi on PATH")


@pytest.mark.parametrize("case", ["nothing", "old pulumi and old go", "go without the source"])
def test_nothing_usable_is_one_message_naming_what_to_install(tmp_path: Path, source: Path, case: str) -> None:
    path = [tmp_path / "empty"]
    src = tmp_path / "nowhere"
    if case == "old pulumi and old go":
        path += [_install(tmp_path / "usr" / "bin", OLD), _go(tmp_path, "go1.22.4")]
        src = source
    elif case == "go without the source":
        path.append(_go(tmp_path))
    with pytest.raises(NoPulumiCli) as failed:
        choose(_env(*path, PULUMI_LANGHOST_SRC=str(src)), build_bin=tmp_path / "build")
    message = str(failed.value)
    assert message.startswith("no Pulumi CLI to use: ")
    assert f"install Pulumi {MINIMUM} or newer with its installer ({pulumi_cli.INSTALL_URL})" in message
    assert "install Go >= 1.26" in message and str(src) in message
    if case == "nothing":
        assert "no pulumi on PATH; go is not on PATH; Pulumi's language host source is not at" in message
    elif case == "old pulumi and old go":
        assert f"{OLD} is older than {MINIMUM}" in message and "older than Go 1.26" in message
    else:
        assert "go is not on PATH" not in message and f"language host source is not at {src}" in message


def test_the_choice_is_recorded_for_the_harness_bench_and_demo(tmp_path: Path) -> None:
    record, link = tmp_path / "tools" / "pulumi-cli-dir", tmp_path / "tools" / "pulumi-cli-root"
    assert pulumi_cli.bin_dir(record) == pulumi_cli.BUILD_BIN  # before any bootstrap: the build
    usual = _install(tmp_path / "home" / ".pulumi" / "bin", NEW)
    pulumi_cli.record(usual, record_file=record, root_link=link)
    assert pulumi_cli.bin_dir(record) == usual
    assert pulumi_cli.root(record, link) == usual.parent  # PulumiCommand(root) runs root/bin/pulumi
    # An installation without a bin/ directory (the release tarball's pulumi/): root/bin links to it.
    tarball = _install(tmp_path / "opt" / "pulumi", NEW)
    pulumi_cli.record(tarball, record_file=record, root_link=link)
    assert pulumi_cli.root(record, link) == link
    assert (link / "bin" / "pulumi").resolve() == (tarball / "pulumi").resolve()


def _main(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> int:
    monkeypatch.setattr(pulumi_cli, "RECORD", tmp_path / "record")
    monkeypatch.setattr(pulumi_cli, "ROOT_LINK", tmp_path / "root-link")
    monkeypatch.setattr(pulumi_cli, "BUILD_BIN", tmp_path / "build")
    monkeypatch.setattr(pulumi_cli, "BUILD_SCRIPT", _script(tmp_path / "build.sh", "[fake build] ran"))
    for name in ("PULUMI_CLI_DIR", "PULUMI_LANGHOST_SRC"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return pulumi_cli.main()


def test_bootstrap_prints_the_pick_and_why_and_records_it(
    tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    old = _install(tmp_path / "usr" / "bin", OLD)
    assert _main(monkeypatch, tmp_path, PATH=f"{old}:{_go(tmp_path)}:/usr/bin:/bin",
                 PULUMI_LANGHOST_SRC=str(source)) == 0
    out = capfd.readouterr().out.splitlines()
    assert out[0].startswith(f"[pulumi-cli] not using {old / 'pulumi'} (on PATH): pulumi {OLD} is older than")
    assert out[1].startswith(f"[pulumi-cli] using the build in {tmp_path / 'build'} (from Go modules and")
    assert out[2:] == ["[fake build] ran", f"[pulumi-cli] recorded {tmp_path / 'build'} in {tmp_path / 'record'}"]
    assert (tmp_path / "record").read_text() == f"{tmp_path / 'build'}\n"


def test_bootstrap_fails_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    assert _main(monkeypatch, tmp_path, PATH=str(tmp_path / "empty"),
                 PULUMI_LANGHOST_SRC=str(tmp_path / "nowhere")) == 1
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("[pulumi-cli] ERROR: no Pulumi CLI to use: ")
    assert not (tmp_path / "record").exists()
