"""The same data and parameters give the same reports, byte for byte, whatever folder or time they run in.

Two copies of the project in different folders, run one after the other. Compared byte for byte: every table
(``tables/**``, including ``kerncijfers.json``), the collected ``trends.csv``, ``reproductie.csv`` and
``monitor.csv``, the figures and ``index.html``. ``tabellen.xlsx`` and ``beleidsnota.docx`` are zip files
that carry the time they were written (zip entry dates and ``docProps/core.xml``, the run's time): their
members are compared instead. The executed notebooks carry execution times and the staging folder by design
and are not compared.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from analyse import pipeline
from conftest import ROOT

THEMES = ["basisvaardigheden", "monitor"]  # the cheapest theme, and the monitor that fits every series
PARAMETERS = {"eind_jaar": 2018}
WRITE_TIME = {"tabellen.xlsx": {"docProps/core.xml"}, "beleidsnota.docx": {"docProps/core.xml"}}  # created: the run's time


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    reports = []
    for name in ("eerste", "tweede"):
        root = tmp_path_factory.mktemp(name)
        for folder in ("data/raw", "notebooks"):
            shutil.copytree(ROOT / folder, root / folder)
        (root / "data" / "processed").mkdir()
        assert pipeline.run(root, themes=THEMES, parameters=dict(PARAMETERS), jobs=2, echo=lambda *_: None)
        reports.append(root / "reports")
    return reports


def compared_files(reports) -> list[str]:
    files = [p for kind in ("tables", "figures") for p in (reports / kind).rglob("*") if p.is_file()]
    files += [reports / name for name in ("trends.csv", "reproductie.csv", "monitor.csv", "index.html")]
    return sorted(str(p.relative_to(reports)) for p in files)


def test_tables_figures_and_index_are_identical(two_runs):
    first, second = two_runs
    names = compared_files(first)
    assert names == compared_files(second)
    for thema in THEMES:
        assert f"tables/{thema}/kerncijfers.json" in names
    assert {"trends.csv", "reproductie.csv", "monitor.csv"} <= set(names)
    assert any(n.startswith("figures/") for n in names)
    different = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert different == []


def test_no_run_folder_leaks_into_the_outputs(two_runs):
    for reports in two_runs:
        root = str(reports.parent)
        leaking = [n for n in compared_files(reports) if n.endswith((".csv", ".json", ".html", ".svg"))
                   and root in (reports / n).read_text(encoding="utf-8")]
        assert leaking == []


@pytest.mark.parametrize("name", WRITE_TIME)
def test_workbook_and_word_note_have_identical_content(two_runs, name):
    members = []
    for reports in two_runs:
        with zipfile.ZipFile(reports / name) as archive:
            members.append({m: archive.read(m) for m in archive.namelist() if m not in WRITE_TIME[name]})
    assert members[0].keys() == members[1].keys()
    assert [m for m in members[0] if members[0][m] != members[1][m]] == []
