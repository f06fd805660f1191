"""The papermill runner: parameters are injected, failures surface, earlier reports survive."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analyse import runner


def write_notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('eind_jaar = None\noutput_dir = "."\nwaarde = 1')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


WRITES = """
from pathlib import Path
out = Path(output_dir) / "tables" / "demografie"
out.mkdir(parents=True, exist_ok=True)
(out / "uitkomst.txt").write_text(f"{eind_jaar} {waarde}")
"""


@pytest.fixture
def notebook_dir(tmp_path: Path) -> Path:
    write_notebook(tmp_path / "nb" / "demografie.ipynb", WRITES)
    return tmp_path / "nb"


def test_parameters_are_injected_and_outputs_published(notebook_dir, tmp_path):
    reports = tmp_path / "reports"
    result = runner.run_notebooks(notebook_dir, reports, ["demografie"], {"eind_jaar": 2017, "waarde": 5}, 1,
                                  echo=lambda *_: None)
    assert result.ok
    assert (reports / "tables" / "demografie" / "uitkomst.txt").read_text() == "2017 5"
    executed = nbformat.read(reports / "notebooks" / "demografie.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)
    html = (reports / "notebooks" / "demografie.html").read_text(encoding="utf-8")
    assert "<html" in html and "eind_jaar = 2017" not in html  # code cells are left out of the HTML
    assert not list(reports.glob(".run-*")), "staging folders are cleaned up"


def test_failure_names_theme_cell_and_error_and_keeps_previous_reports(notebook_dir, tmp_path):
    reports = tmp_path / "reports"
    runner.run_notebooks(notebook_dir, reports, ["demografie"], {"eind_jaar": 2017}, 1, echo=lambda *_: None)
    good = (reports / "tables" / "demografie" / "uitkomst.txt").read_text()
    good_nb = (reports / "notebooks" / "demografie.ipynb").read_bytes()

    write_notebook(notebook_dir / "demografie.ipynb",
                   WRITES + '\nraise ValueError("kapotte berekening")')
    lines: list[str] = []
    result = runner.run_notebooks(notebook_dir, reports, ["demografie"], {"eind_jaar": 2018}, 1, echo=lines.append)
    assert not result.ok
    message = result.results[0].message
    assert message.startswith("demografie: fout in cel")
    assert 'raise ValueError("kapotte berekening")' in message and "ValueError: kapotte berekening" in message
    assert "Traceback" not in message
    assert any("MISLUKT" in line for line in lines)
    assert (reports / "tables" / "demografie" / "uitkomst.txt").read_text() == good
    assert (reports / "notebooks" / "demografie.ipynb").read_bytes() == good_nb
    assert not list(reports.glob(".run-*"))


def test_notebooks_run_in_parallel_and_report_in_order(tmp_path):
    for name in ("onderwijs", "demografie"):
        write_notebook(tmp_path / "nb" / f"{name}.ipynb", "x = 1")
    result = runner.run_notebooks(tmp_path / "nb", tmp_path / "reports", ["demografie", "onderwijs"], {}, 2,
                                  echo=lambda *_: None)
    assert [r.thema for r in result.results] == ["demografie", "onderwijs"] and result.ok


def test_available_notebooks_in_report_order(tmp_path):
    for name in ("monitor", "onderwijs", "demografie"):
        write_notebook(tmp_path / f"{name}.ipynb", "x = 1")
    assert runner.available_notebooks(tmp_path) == ["demografie", "onderwijs", "monitor"]
    assert runner.notebook_parameters(tmp_path / "demografie.ipynb")["waarde"] == "1"
