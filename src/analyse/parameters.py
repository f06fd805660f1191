"""Notebook parameters: what a notebook declares, and checking what the command line gives.

A theme notebook declares its parameters in the cell tagged ``parameters``: plain assignments such as
``regio = "Maassluis"`` or ``start_jaar = None``. That cell is read with :mod:`ast` and
:func:`ast.literal_eval` only, so reading it never runs code. Only those names can be set with
``analyse run -p NAAM=WAARDE``, and each value must have the type of the default:

- a name ending in ``_jaar``: a year as a whole number, or ``None``;
- a text default (``regio``): text;
- a list default (``vergelijk_regios``): a list of texts;
- a number or ``True``/``False`` default: the same kind.

``data_dir`` and ``output_dir`` are set by ``analyse run`` itself (``data/`` and a staging folder inside
``reports/``); they are refused on the command line, so a run can only read the project's validated data
and only write inside the project.

The checks here depend on nothing but the notebook; whether a region or year exists in the data is checked
afterwards by :func:`analyse.context.resolve`.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from analyse.data import ParameterError

# set by `analyse run` itself, never from the command line
RUN_MANAGED = ("data_dir", "output_dir")
# parameters whose default None means 'from instellingen.toml': the kind of value they take otherwise
NAMED_KINDS: dict[str, object] = {"regio": "", "vergelijk_regios": []}


class _NoLiteral:
    """The default of a parameter whose value is not a literal (so its type is unknown)."""

    def __repr__(self) -> str:
        return "<geen letterlijke waarde>"


NO_LITERAL = _NoLiteral()


def _parameters_cell(notebook: Path) -> str:
    try:
        content = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParameterError(f"notebook {Path(notebook).name} is niet te lezen: {error}") from error
    cells = content.get("cells", []) if isinstance(content, dict) else []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code" \
                and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    raise ParameterError(f"notebook {Path(notebook).name} heeft geen cel met de tag 'parameters'.")


def declared(notebook: Path | str) -> dict[str, object]:
    """The parameters in the notebook's ``parameters`` cell: name -> default, in cell order.

    Parsed with :mod:`ast`, nothing is executed. A default that is not a literal is given as
    :data:`NO_LITERAL` (such a parameter cannot be set from the command line).
    """
    notebook = Path(notebook)
    source = _parameters_cell(notebook)
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise ParameterError(f"de parametercel van notebook {notebook.name} is geen geldige Python "
                             f"(regel {error.lineno}): {error.msg}.") from error
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        try:
            found[name] = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            found[name] = NO_LITERAL
    return found


def _is_year(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _kind(name: str, default: object) -> tuple[str, object]:
    """(Dutch description of the expected value, check function) for a parameter with this default."""
    if name in NAMED_KINDS and default is None:  # None: from the settings; else of the kind of the name
        default = NAMED_KINDS[name]
        description, fits = _kind(name, default)
        return f"{description}, of None (uit instellingen.toml)", lambda v: v is None or fits(v)
    if name.endswith("_jaar"):
        return f"een jaartal als geheel getal (bijv. {name}=2018) of None", _is_year
    if isinstance(default, bool):
        return "True of False", lambda v: isinstance(v, bool)
    if isinstance(default, int):
        return "een geheel getal", lambda v: isinstance(v, int) and not isinstance(v, bool)
    if isinstance(default, float):
        return "een getal", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if isinstance(default, str):
        return f"tekst (bijv. {name}=Schiedam)", lambda v: isinstance(v, str)
    if isinstance(default, (list, tuple)):
        return (f"een lijst van namen, bijv. -p \"{name}=['Schiedam', 'Vlaardingen']\" (of {name}=[] voor geen)",
                lambda v: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v))
    if default is None:
        return "tekst, een getal of None", lambda v: v is None or (
            isinstance(v, (str, int, float)) and not isinstance(v, bool))
    return "", lambda v: False


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def settable(declared_parameters: dict[str, object]) -> list[str]:
    """The names that may be given on the command line."""
    return [n for n, d in declared_parameters.items() if n not in RUN_MANAGED and d is not NO_LITERAL]


def check(given: dict[str, object], declared_parameters: dict[str, object], notebook: str = "") -> dict[str, object]:
    """``given`` checked against a notebook's declared parameters; returns the values to pass on.

    Raises :class:`~analyse.data.ParameterError` for a name the notebook does not declare (naming the
    ones it does), for ``data_dir``/``output_dir`` and for a value of the wrong type. Lists come back as
    lists (``literal_eval`` may give a tuple).
    """
    where = f" in notebook {notebook}" if notebook else ""
    allowed = settable(declared_parameters)
    checked: dict[str, object] = {}
    for name, value in given.items():
        if name in RUN_MANAGED:
            raise ParameterError(
                f"parameter '{name}' zet `analyse run` zelf (data/ en reports/ van het project) en kan niet met "
                f"-p worden meegegeven; toegestaan: {', '.join(allowed)}.")
        if name not in declared_parameters:
            raise ParameterError(f"onbekende parameter {_shown(name)}{where}; toegestaan: {', '.join(allowed)}.")
        default = declared_parameters[name]
        if default is NO_LITERAL:
            raise ParameterError(f"parameter '{name}'{where} heeft geen letterlijke standaardwaarde en kan daarom "
                                 f"niet met -p worden gezet; toegestaan: {', '.join(allowed)}.")
        expected, fits = _kind(name, default)
        if not fits(value):
            raise ParameterError(f"parameter '{name}': verwacht {expected}; gekregen: {_shown(value)}.")
        checked[name] = list(value) if isinstance(value, tuple) else value
    return checked


def check_notebooks(given: dict[str, object], notebooks: dict[str, Path]) -> dict[str, object]:
    """``given`` checked against every notebook in ``notebooks`` (theme -> path); the checked values."""
    checked = check(given, {}) if not notebooks else {}
    for thema, path in notebooks.items():
        checked = check(given, declared(path), thema)
    return checked


def parse_value(text: str) -> object:
    """A command-line value: a Python literal (``2012``, ``['Schiedam']``, ``None``), otherwise the text itself."""
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return text
