"""The same data and parameters give the same reports, byte for byte, whatever folder, time or kernel they run in.

The session's run (conftest.shipped_run, all notebooks) is compared with a rerun of two themes in a copy of
that project in another folder with ``--opnieuw``, which reuses nothing (no figure of the previous run), so both
themes are computed and drawn again, each in a fresh kernel, while in the session's run they may follow other notebooks in the same kernel (no state may
leak from one notebook into the next). Compared byte for byte: every table (``tables/**``, including
``kerncijfers.json``), the collected ``trends.csv``, ``reproductie.csv`` and ``monitor.csv``, the figures and
``index.html``; and the outputs of the two executed notebooks cell by cell. ``tabellen.xlsx`` and
``beleidsnota.docx`` are zip files that carry the time they were written (zip entry dates and
``docProps/core.xml``, the run's time): their members are compared instead. The executed notebooks' metadata
carry execution times and the staging folder by design and are not compared.
"""

from __future__ import annotations

import json
import re
import zipfile

import nbformat
import pytest

from conftest import REPORTS, copy_shipped_run, run_analyse

THEMES = ["basisvaardigheden", "monitor"]  # the cheapest theme, and the monitor that fits every series
# what differs between any two runs: the random id pandas' Styler gives a table, and object addresses in a repr
VOLATILE = re.compile(r"T_[0-9a-f]{5}|at 0x[0-9a-f]+")
WRITE_TIME = {"tabellen.xlsx": {"docProps/core.xml"}, "beleidsnota.docx": {"docProps/core.xml"}}  # created: the run's time

pytestmark = pytest.mark.e2e


FIGURES: dict[str, int] = {}  # figure -> its file (inode) before the rerun


@pytest.fixture(scope="module")
def two_runs(shipped_run, tmp_path_factory):
    root = copy_shipped_run(shipped_run, tmp_path_factory.mktemp("elders") / "tweede")
    FIGURES.update({p.relative_to(root / REPORTS).as_posix(): p.stat().st_ino for thema in THEMES
                    for p in (root / REPORTS / "figures" / thema).iterdir()})
    done = run_analyse(root, "run", *(a for t in THEMES for a in ("--thema", t)), "--jobs", "2", "--opnieuw")
    assert done.returncode == 0, done.stdout + done.stderr
    return [shipped_run.reports, root / REPORTS]


def test_again_reuses_no_figure(two_runs):
    """--opnieuw hands the notebooks no figure cache: every figure is a new file, none a link to the old one."""
    rerun = two_runs[1]
    assert FIGURES and any(name.endswith(".png") for name in FIGURES)
    reused = [name for name, inode in FIGURES.items()
              if (rerun / name).exists() and (rerun / name).stat().st_ino == inode]
    assert reused == []


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
        assert any(n.startswith(f"figures/{thema}/") and n.endswith(".png") for n in names)
    assert {"trends.csv", "reproductie.csv", "monitor.csv"} <= set(names)
    different = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert different == []


@pytest.mark.parametrize("thema", THEMES)
def test_executed_notebooks_show_the_same_outputs(two_runs, thema):
    outputs = []
    for reports in two_runs:
        nb = nbformat.read(reports / "notebooks" / f"{thema}.ipynb", as_version=4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        outputs.append([(cell.execution_count, VOLATILE.sub("", json.dumps(
            [{k: v for k, v in out.items() if k != "metadata"} for out in cell.outputs], sort_keys=True)),
            "" if "injected-parameters" in cell.metadata.get("tags", []) else cell.source) for cell in code])
    # numbered from 1 as in a fresh kernel, whichever notebooks ran in that kernel before
    assert [count for count, _, _ in outputs[0]] == list(range(1, len(outputs[0]) + 1))
    assert outputs[0] == outputs[1]


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
