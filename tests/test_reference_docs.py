"""docs/reference/ is what ``python -m scripts.reference_docs`` renders from the schema now, its links
resolve, and ``--check`` fails on a stale, missing or extra page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts import reference_docs
from tests.test_docs import ROOT, link_problem, relative_links

REGENERATE = "run `python -m scripts.reference_docs` and commit docs/reference/"


@pytest.mark.parametrize("name", sorted(reference_docs.render_all()))
def test_the_committed_page_is_what_the_schema_renders(name: str) -> None:
    path = reference_docs.OUT_DIR / name
    assert path.is_file(), f"docs/reference/{name} is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == reference_docs.render_all()[name], (
        f"docs/reference/{name} differs from what the schema renders: {REGENERATE} (do not edit it by hand)"
    )


def test_no_page_is_left_over() -> None:
    assert reference_docs.stale_files(reference_docs.OUT_DIR, reference_docs.render_all()) == [], REGENERATE


@pytest.mark.parametrize("name", sorted(reference_docs.render_all()))
def test_every_link_of_a_page_resolves(name: str) -> None:
    page = reference_docs.OUT_DIR / name
    problems = [problem for link in relative_links(page) if (problem := link_problem(page, link)) is not None]
    assert not problems, f"docs/reference/{name}: " + "; ".join(problems)


def test_check_passes_on_fresh_pages_and_writes_nothing(tmp_path: Path) -> None:
    assert reference_docs.main(["--out", str(tmp_path)]) == 0
    written = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    assert set(written) == set(reference_docs.render_all())
    assert reference_docs.main(["--check", "--out", str(tmp_path)]) == 0
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == written


def test_check_fails_on_a_stale_a_missing_and_an_extra_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reference"
    shutil.copytree(ROOT / "docs" / "reference", out)
    (out / "pipeline.md").write_text("# Pipeline\n\nedited by hand\n", encoding="utf-8")
    (out / "data-model.md").unlink()
    (out / "old.md").write_text("# Old\n", encoding="utf-8")
    capsys.readouterr()

    assert reference_docs.main(["--check", "--out", str(out)]) == 1

    message = capsys.readouterr().err
    assert "pipeline.md (stale)" in message
    assert "data-model.md (missing)" in message
    assert "old.md (not generated)" in message
    assert "connection.md" not in message
    assert f"python -m scripts.reference_docs --out {out}" in message
    assert (out / "pipeline.md").read_text(encoding="utf-8") == "# Pipeline\n\nedited by hand\n"  # nothing written


def test_the_manuals_link_to_the_reference() -> None:
    for manual in (ROOT / "README.md", ROOT / "docs" / "configuration.md"):
        targets = [(manual.parent / link.partition("#")[0]).resolve() for link in relative_links(manual)]
        assert reference_docs.OUT_DIR / "README.md" in targets, f"{manual.name} has no link to docs/reference/"
