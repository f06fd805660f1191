"""Notebook parameters: declared names read without running code; given values checked against the defaults."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analyse import parameters
from analyse.data import ParameterError
from conftest import ROOT

SHIPPED = sorted((ROOT / "notebooks").glob("*.ipynb"))


def notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), cell]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_notebooks_declare_the_documented_parameters(path):
    declared = parameters.declared(path)
    assert list(declared) == ["regio", "vergelijk_regios", "start_jaar", "eind_jaar", "data_dir", "output_dir"]
    assert declared["regio"] is None  # the municipality of instellingen.toml
    assert declared["vergelijk_regios"] is None or declared["vergelijk_regios"] == []  # the settings, or none
    assert declared["start_jaar"] is None and declared["data_dir"] is None
    assert parameters.settable(declared) == ["regio", "vergelijk_regios", "start_jaar", "eind_jaar"]


def test_reading_the_parameters_cell_runs_no_code(tmp_path):
    marker = tmp_path / "gehackt"
    path = notebook(tmp_path / "nb.ipynb", f"regio = 'x'\n__import__('pathlib').Path({str(marker)!r}).touch()\n"
                                           f"jaar = __import__('os').getpid()\n")
    declared = parameters.declared(path)
    assert not marker.exists()
    assert declared["regio"] == "x" and declared["jaar"] is parameters.NO_LITERAL
    with pytest.raises(ParameterError, match="geen letterlijke standaardwaarde"):
        parameters.check({"jaar": 2018}, declared)


def test_a_notebook_without_parameters_cell_or_with_broken_python_is_named(tmp_path):
    nb = nbformat.v4.new_notebook()
    nbformat.write(nb, tmp_path / "leeg.ipynb")
    with pytest.raises(ParameterError, match="leeg.ipynb heeft geen cel met de tag 'parameters'"):
        parameters.declared(tmp_path / "leeg.ipynb")
    with pytest.raises(ParameterError, match=r"kapot.ipynb is geen geldige Python \(regel 1\)"):
        parameters.declared(notebook(tmp_path / "kapot.ipynb", "regio = (\n"))


DECLARED = parameters.declared(ROOT / "notebooks" / "werkvloer.ipynb")


@pytest.mark.parametrize("given, expected", [
    ({"regio": "Schiedam"}, {"regio": "Schiedam"}),
    ({"vergelijk_regios": ("Schiedam", "Vlaardingen")}, {"vergelijk_regios": ["Schiedam", "Vlaardingen"]}),
    ({"vergelijk_regios": []}, {"vergelijk_regios": []}),
    ({"start_jaar": 2012, "eind_jaar": None}, {"start_jaar": 2012, "eind_jaar": None}),
])
def test_values_of_the_declared_types_pass(given, expected):
    assert parameters.check(given, DECLARED, "werkvloer") == expected


@pytest.mark.parametrize("given, fragments", [
    ({"__import__('os').system('touch gehackt');x": 1},
     ["onbekende parameter", "werkvloer", "toegestaan: regio, vergelijk_regios, start_jaar, eind_jaar"]),
    ({"foo": 1}, ["onbekende parameter 'foo' in notebook werkvloer"]),
    ({"data_dir": "/tmp/elders"}, ["'data_dir' zet `analyse run` zelf", "kan niet met -p"]),
    ({"output_dir": "/tmp/elders"}, ["'output_dir' zet `analyse run` zelf"]),
    ({"vergelijk_regios": "Schiedam"}, ["'vergelijk_regios': verwacht een lijst van namen", "gekregen: 'Schiedam'"]),
    ({"vergelijk_regios": 5}, ["'vergelijk_regios': verwacht een lijst", "gekregen: 5"]),
    ({"vergelijk_regios": ["Schiedam", 5]}, ["verwacht een lijst van namen"]),
    ({"start_jaar": "2012"}, ["'start_jaar': verwacht een jaartal als geheel getal", "gekregen: '2012'"]),
    ({"eind_jaar": True}, ["'eind_jaar': verwacht een jaartal", "gekregen: True"]),
    ({"eind_jaar": 2018.5}, ["'eind_jaar': verwacht een jaartal"]),
    ({"regio": ["Schiedam"]}, ["'regio': verwacht tekst"]),
])
def test_unknown_names_run_managed_names_and_wrong_types_are_refused(given, fragments):
    with pytest.raises(ParameterError) as caught:
        parameters.check(given, DECLARED, "werkvloer")
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_every_selected_notebook_is_checked(tmp_path):
    notebook(tmp_path / "a.ipynb", "regio = 'Maassluis'\nextra = 1\n")
    notebook(tmp_path / "b.ipynb", "regio = 'Maassluis'\n")
    both = {"a": tmp_path / "a.ipynb", "b": tmp_path / "b.ipynb"}
    assert parameters.check_notebooks({"regio": "Delft"}, both) == {"regio": "Delft"}
    with pytest.raises(ParameterError, match="onbekende parameter 'extra' in notebook b"):
        parameters.check_notebooks({"extra": 2}, both)
    with pytest.raises(ParameterError, match="onbekende parameter 'regio'"):
        parameters.check_notebooks({"regio": "Delft"}, {})


@pytest.mark.parametrize("text, value", [
    ("2012", 2012), ("None", None), ("['Schiedam']", ["Schiedam"]), ("Schiedam", "Schiedam"),
    ("__import__('os').system('x')", "__import__('os').system('x')"), ("[" * 200, "[" * 200),
])
def test_command_line_values_are_literals_or_text(text, value):
    assert parameters.parse_value(text) == value
