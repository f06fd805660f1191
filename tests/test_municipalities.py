"""Any municipality (issue 23): a run for another municipality than the settings', and a batch of them.

One batch per session (Schiedam, which has data from several publications, and Zeewolde, which has only the CBS
figures every municipality has), on a copy of the project after the session's shipped run.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from analyse import contract
from analyse.cli import main
from conftest import ROOT, copy_shipped_run, run_analyse

pytestmark = pytest.mark.e2e
OTHERS = {"schiedam": "GM0606", "zeewolde": "GM0050"}


@pytest.fixture(scope="module")
def batch(shipped_run, tmp_path_factory):
    root = copy_shipped_run(shipped_run, tmp_path_factory.mktemp("gemeenten") / "project")
    done = run_analyse(root, "run", *(a for code in OTHERS.values() for a in ("--gemeente", code)), "--jobs", "2")
    return root, done.stdout + done.stderr, done.returncode


def note_text(path: Path) -> str:
    """The visible text of a Word note: paragraphs and table cells."""
    document = Document(path)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_each_municipality_gets_its_own_complete_set_and_the_overview_lists_them(batch):
    root, output, code = batch
    assert code == 0, output
    assert "== Schiedam (1/2) ==" in output and "== Zeewolde (2/2) ==" in output
    assert "Samenvatting (2 gemeenten" in output and "2 gepubliceerd" in output
    for slug in OTHERS:
        folder = root / "reports" / slug
        for name in ("index.html", "beleidsnota.docx", "tabellen.xlsx", contract.MANIFEST_FILE):
            assert (folder / name).is_file(), (slug, name)
        assert contract.read_manifest(folder / contract.MANIFEST_FILE).settings.region_code == OTHERS[slug]
    overview = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for name in ("Maassluis", "Schiedam", "Zeewolde"):
        assert f">{name}</a>" in overview
    assert 'href="zeewolde/index.html"' in overview and "<script" not in overview


def test_themes_without_data_are_skipped_and_named_in_run_note_and_index(batch):
    root, output, _ = batch
    folder = root / "reports" / "zeewolde"
    skipped = {s.theme: s.reason for s in contract.read_manifest(folder / contract.MANIFEST_FILE).skipped}
    assert set(skipped) == {"onderwijs", "basisvaardigheden", "werkvloer", "discriminatie", "monitor"}
    sentence = "Over basisvaardigheden, nieuwkomers zijn voor Zeewolde geen gegevens."
    assert skipped["basisvaardigheden"] == sentence and f"Overgeslagen: basisvaardigheden. {sentence}" in output
    assert sentence in note_text(folder / "beleidsnota.docx")
    assert sentence in (folder / "index.html").read_text(encoding="utf-8")
    ran = {run.theme for run in contract.read_manifest(folder / contract.MANIFEST_FILE).themes}
    assert ran == {"demografie", "arbeid_inkomen", "criminaliteit"}


def test_another_municipalitys_note_and_index_never_name_maassluis(batch):
    root, _, _ = batch
    folder = root / "reports" / "schiedam"
    note, index = note_text(folder / "beleidsnota.docx"), (folder / "index.html").read_text(encoding="utf-8")
    for text in (note, index):
        assert "Maassluis" not in text and "Gemeente Schiedam" in text  # the publisher: the municipality itself
    assert "bewerking gemeente Schiedam" in note  # the source lines
    for page in (folder / "notebooks").glob("*.html"):
        assert "Maassluis" not in page.read_text(encoding="utf-8"), page.name


def test_rates_are_placed_among_municipalities_of_the_same_size_in_the_same_year(batch):
    root, _, _ = batch
    summary = contract.read_summary(root / "reports" / "zeewolde" / "tables" / "criminaliteit" / contract.SUMMARY_FILE)
    rates = [k for k in summary.key_figures if k.indicator == "misdrijven_totaal_per_1000"]
    assert rates and rates[0].peers is not None
    peer = rates[0].peers
    assert peer.label == "gemeenten met 20.000 tot 50.000 inwoners" and peer.year == rates[0].comparison_year
    assert peer.count > 100 and peer.below + peer.above <= peer.count
    assert all(b.year == rates[0].comparison_year for b in rates[0].benchmarks)
    message = next(m for m in summary.messages if "geregistreerde misdrijven per 1.000 inwoners" in m)
    assert f"andere gemeenten met 20.000 tot 50.000 inwoners" in message
    peers = (root / "reports" / "zeewolde" / "tables" / "demografie" / "vergelijkbare_gemeenten.csv")
    assert peers.is_file() and "Zeewolde" in peers.read_text(encoding="utf-8")


def test_a_failing_municipality_loses_none_of_the_others(batch, tmp_path, monkeypatch, capsys):
    """Schiedam's export fails (a full disk): Zeewolde is still published, Schiedam keeps its previous set."""
    from analyse import export

    root, _, _ = batch  # read only: the failing run works on a copy
    project = tmp_path / "project"
    shutil.copytree(root, project, symlinks=True)
    before = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "reports" / "schiedam").rglob("*")
              if p.is_file()}
    real = export.export_all

    def full_disk_for_schiedam(reports_dir, **options):
        if "schiedam" in str(reports_dir.parent):
            raise OSError(errno.ENOSPC, "No space left on device", str(reports_dir / "tabellen.xlsx"))
        return real(reports_dir, **options)

    monkeypatch.setattr(export, "export_all", full_disk_for_schiedam)
    monkeypatch.setenv("ANALYSE_ROOT", str(project))
    code = main(["run", "--gemeente", "GM0606", "--gemeente", "GM0050", "--thema", "criminaliteit", "--opnieuw",
                 "--jobs", "1"])
    output = capsys.readouterr().out
    assert code == 1
    assert "Mislukt voor Schiedam: stap 'publicatiebestanden maken' mislukt: de schijf is vol" in output
    assert "1 gepubliceerd, 1 mislukt" in output
    after = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "reports" / "schiedam").rglob("*")
             if p.is_file()}
    assert after == before
    manifest = json.loads((project / "reports" / "zeewolde" / contract.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["created"] != json.loads((root / "reports" / "zeewolde" / contract.MANIFEST_FILE).read_text(
        encoding="utf-8"))["created"], "Zeewolde was published again"


def test_every_municipality_means_the_342_of_now_not_those_of_a_newer_edition_for_one():
    # the Kerncijfers 2024 are in data/raw for Maassluis only: the newest year with inhabitant counts has one
    # municipality, and --alle-gemeenten took only that one
    from analyse import context, data

    names = context.current_municipalities(data.load(ROOT / "data"))
    assert len(names) == 342 and names[0] == "Groningen" and "Maassluis" in names
    assert "Haaren" not in names  # dissolved in 2021
