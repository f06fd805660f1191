"""Each notebook has a Markdown text version in notebooks/tekst/ with the same cells (reviews read the text).

The .ipynb stays the document researchers open in JupyterLab; jupytext (notebooks/jupytext.toml) writes the
text version when JupyterLab saves the notebook, and `make notebooks-text` after any other edit.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
FIX = "werk de tekstversies bij met `make notebooks-text`"


def cells(notebook) -> list[tuple[str, str, list[str]]]:
    return [(cell.cell_type, cell.source, list(cell.metadata.get("tags", []))) for cell in notebook.cells]


@pytest.mark.parametrize("thema", NOTEBOOKS)
def test_the_text_version_has_the_notebooks_cells(thema):
    import jupytext

    text = ROOT / "notebooks" / "tekst" / f"{thema}.md"
    assert text.is_file(), f"{text} ontbreekt: {FIX}"
    notebook = nbformat.read(ROOT / "notebooks" / f"{thema}.ipynb", as_version=4)
    assert cells(jupytext.read(text)) == cells(notebook), f"{text.name} wijkt af van {thema}.ipynb: {FIX}"


def test_every_text_version_belongs_to_a_notebook_and_the_pairing_is_configured():
    import tomllib

    texts = sorted(p.stem for p in (ROOT / "notebooks" / "tekst").glob("*.md"))
    assert texts == NOTEBOOKS, "a text version without its notebook (renamed or removed?)"
    config = tomllib.loads((ROOT / "notebooks" / "jupytext.toml").read_text(encoding="utf-8"))
    assert config["formats"] == "ipynb,tekst//md"


def test_a_changed_cell_is_noticed(tmp_path):
    import jupytext

    notebook = nbformat.read(ROOT / "notebooks" / f"{NOTEBOOKS[0]}.ipynb", as_version=4)
    text = jupytext.reads(jupytext.writes(notebook, fmt="md"), fmt="md")
    assert cells(text) == cells(notebook)
    notebook.cells[-1].source += "\nprint('gewijzigd')"
    assert cells(text) != cells(notebook)
