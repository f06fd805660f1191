"""A rerun executes only the themes whose inputs changed (analyse.freshness, analyse run --opnieuw)."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path

import nbformat
import pytest

from analyse import contract, freshness
from conftest import REPORTS, copy_shipped_run, make_raw, run_analyse
from reports_fixture import build_reports

THEMES = ["demografie", "arbeid_inkomen", "criminaliteit"]


def _notebook(path: Path, source: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(notebook, path)


def _record(root: Path, fingerprints: dict[str, str]) -> None:
    """Write the fingerprints into the manifest, as a run that made these reports would have."""
    path = root / "reports" / contract.MANIFEST_FILE
    manifest = contract.read_manifest(path)
    themes = tuple(dataclasses.replace(run, fingerprint=fingerprints.get(run.theme, "")) for run in manifest.themes)
    path.write_text(contract.to_json(dataclasses.replace(manifest, themes=themes)), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose reports were made from its data, notebooks and code as they are now."""
    root = tmp_path / "project"
    make_raw(root / "data" / "raw")
    reports = build_reports(root / "reports", themes=tuple(THEMES))
    for thema in THEMES:
        _notebook(root / "notebooks" / f"{thema}.ipynb", f"thema = {thema!r}")
        _notebook(reports / "notebooks" / f"{thema}.ipynb", "uitgevoerd")
        for figure in contract.read_summary(reports / "tables" / thema / contract.SUMMARY_FILE).figures:
            (reports / figure.svg).write_text("<svg/>", encoding="utf-8")  # the fixture draws PNGs only
    for name in freshness.EXPORTS:
        if not (reports / name).exists():
            (reports / name).write_bytes(b"gemaakt")
    _record(root, freshness.plan(root, THEMES, {}).fingerprints)
    return root


def test_nothing_changed_means_nothing_to_run(project):
    plan = freshness.plan(project, THEMES, {})
    assert plan.nothing_to_do and plan.current == tuple(THEMES)
    assert plan.previous_run == "2026-11-29T14:05:00+01:00"


def test_a_changed_notebook_runs_that_theme_only(project):
    _notebook(project / "notebooks" / "arbeid_inkomen.ipynb", "thema = 'arbeid_inkomen'  # bewerkt")
    plan = freshness.plan(project, THEMES, {})
    assert plan.run == ("arbeid_inkomen",) and plan.current == ("demografie", "criminaliteit")


@pytest.mark.parametrize("change", ["parameters", "data", "settings", "library"])
def test_a_change_every_theme_depends_on_runs_them_all(project, change, monkeypatch):
    parameters = {}
    if change == "parameters":
        parameters = {"eind_jaar": 2017}
    elif change == "data":
        with (project / "data" / "raw" / "toets.csv").open("a", encoding="utf-8") as handle:
            handle.write("inwoners,Maassluis,totaal,2017,32300,aantal,toets,,,,,\n")
    elif change == "settings":
        (project / "instellingen.toml").write_text('gemeente = "Gemeente Maassluis"\n', encoding="utf-8")
    else:
        real = freshness.metadata.distributions

        class Newer:
            def __init__(self, dist):
                self.metadata, self.version = dist.metadata, dist.version + ".post1"

        monkeypatch.setattr(freshness.metadata, "distributions",
                            lambda: [Newer(d) if d.metadata["Name"] == "pandas" else d for d in real()])
    plan = freshness.plan(project, THEMES, parameters)
    assert plan.run == tuple(THEMES) and plan.current == ()


def test_the_same_parameters_in_another_order_are_the_same_run(project):
    _record(project, freshness.plan(project, THEMES, {"eind_jaar": 2017, "regio": "Maassluis"}).fingerprints)
    assert freshness.plan(project, THEMES, {"regio": "Maassluis", "eind_jaar": 2017}).nothing_to_do


def test_a_missing_output_runs_its_theme_again(project):
    summary = contract.read_summary(project / "reports" / "tables" / "criminaliteit" / contract.SUMMARY_FILE)
    (project / "reports" / summary.figures[0].svg).unlink()
    assert freshness.plan(project, THEMES, {}).run == ("criminaliteit",)
    (project / "reports" / "notebooks" / "demografie.html").unlink()
    assert freshness.plan(project, THEMES, {}).run == ("demografie", "criminaliteit")


def test_a_missing_publication_or_fingerprint_or_again_runs_all(project):
    assert freshness.plan(project, THEMES, {}, again=True).run == tuple(THEMES)
    (project / "reports" / "beleidsnota.docx").unlink()
    assert freshness.plan(project, THEMES, {}).run == tuple(THEMES)
    (project / "reports" / "beleidsnota.docx").write_bytes(b"gemaakt")
    _record(project, {})  # a manifest from a version without fingerprints
    assert freshness.plan(project, THEMES, {}).run == tuple(THEMES)
    (project / "reports" / contract.MANIFEST_FILE).write_text("{", encoding="utf-8")
    assert freshness.plan(project, THEMES, {}) == freshness.Plan(
        tuple(THEMES), (), freshness.plan(project, THEMES, {}).fingerprints, "")


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.e2e
def test_a_rerun_executes_only_what_changed(shipped_run, tmp_path):
    root = copy_shipped_run(shipped_run, tmp_path / "project")
    before = _hashes(root / REPORTS)

    start = time.perf_counter()
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Niets veranderd sinds de run van" in done.stdout and "--opnieuw" in done.stdout, done.stdout
    assert time.perf_counter() - start < 15, "no kernel started, no notebook executed"
    assert _hashes(root / REPORTS) == before

    path = root / "notebooks" / "basisvaardigheden.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("Een toegevoegde alinea."))
    nbformat.write(notebook, path)
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Notebooks uitvoeren (1, 1 tegelijk)" in done.stdout, done.stdout
    assert "overgenomen: demografie" in done.stdout and "Klaar: 1 notebook uitgevoerd" in done.stdout
    after = _hashes(root / REPORTS)
    for thema in ("demografie", "criminaliteit", "monitor"):
        same = {k: v for k, v in before.items() if k.startswith((f"tables/{thema}/", f"figures/{thema}/"))}
        assert same and {k: after[k] for k in same} == same
    executed = nbformat.read(root / REPORTS / "notebooks" / "basisvaardigheden.ipynb", as_version=4)
    assert executed.cells[-1].source == "Een toegevoegde alinea."
    manifest = contract.read_manifest(root / REPORTS / contract.MANIFEST_FILE)
    assert all(run.fingerprint for run in manifest.themes)
    assert "Niets veranderd" in run_analyse(root, "run").stdout, "and now it is current again"
