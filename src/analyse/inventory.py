"""What is in ``data/raw``: every entry is read, or named as not read (with why), or refused.

Nothing in ``data/raw`` disappears without a word. The folder is listed and each entry is looked at with
``stat`` first: a pipe, socket or device is never opened, so nothing can hang on it (a regular file of another
type is opened only to read its first line):

- **read**: the catalogues (:data:`~analyse.schema.CATALOGUES`) and every other ``.csv`` or ``.xlsx`` file;
- **silently fine**: what tools put there and holds no figures: :data:`SILENT` (``.gitkeep``, ``.DS_Store``,
  ...), macOS metadata (``._*``), a ``README``/``LEESMIJ`` text (``.md``, ``.txt``), and the folder ``cbs/``
  with the raw answers of ``analyse fetch cbs``;
- **named as not read** (a warning): a lock file of an open workbook, a hidden file, a folder without tables,
  any other file (a pdf of a publication, notes) unless it looks like a table of observations;
- **refused** (a problem, file named): a table format that is not read (``.xls``, ``.xlsm``, ``.ods``, ``.tsv``,
  ``x.csv.txt``, ...), a text file that looks like a table of observations, a folder named like a data file or
  holding tables, a pipe, socket or device, a link to a file outside ``data/raw`` or to nothing, and a data
  file whose name a spreadsheet would read as a formula or that holds invisible characters.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analyse import boundaries, reader
from analyse.schema import CATALOGUES, REQUIRED, Problem

READ_SUFFIXES = (".csv", ".xlsx")
SILENT = (".gitkeep", ".gitignore", ".gitattributes", ".DS_Store", "Thumbs.db", "desktop.ini")
"""Entries that tools create and that hold no figures: not read, not mentioned."""
DOCUMENTATION = ("readme", "leesmij")
DOCUMENTATION_SUFFIXES = ("", ".md", ".txt", ".rst")
"""A text file with one of the :data:`DOCUMENTATION` names documents the folder: not read, not mentioned."""
FETCH_FOLDER = "cbs"
"""The folder in which ``analyse fetch cbs`` keeps the raw answers of CBS: not read, not mentioned."""
TABLE_FORMATS = {
    ".xls": "een oude Excel-werkmap (.xls)", ".xlsm": "een Excel-werkmap met macro's (.xlsm)",
    ".xlsb": "een binaire Excel-werkmap (.xlsb)", ".xltx": "een Excel-sjabloon (.xltx)",
    ".xltm": "een Excel-sjabloon met macro's (.xltm)", ".ods": "een OpenDocument-rekenblad (.ods)",
    ".fods": "een OpenDocument-rekenblad (.fods)", ".numbers": "een Numbers-bestand (.numbers)",
    ".tsv": "een tabel met tabs als scheidingsteken (.tsv)", ".tab": "een tabel met tabs als scheidingsteken (.tab)",
}
"""Table formats that are not read: refused with the advice to save as CSV or .xlsx."""
SAVE_AS = "Sla het op als 'CSV UTF-8' (.csv) of als Excel-werkmap (.xlsx); de analyse slaat geen bestand over."
_SNIFF_BYTES = 4096


@dataclass
class Survey:
    """The entries of ``data/raw`` by what happens to them."""

    catalogues: dict[str, Path] = field(default_factory=dict)  # name -> path, regular files (or dangling links)
    observations: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # not read, said why (warnings)
    refused: set[str] = field(default_factory=set)  # names with a problem here


def name_problem(name: str) -> str | None:
    """Why a data file's name is refused: it would become a formula or hide characters where it is shown.

    The name of every observation file is stored with each row (``bestand`` in ``data/processed``) and
    shown in tables and messages.
    """
    found = reader.forbidden_char(name, multiline=False)
    if found:
        return (f"de bestandsnaam bevat {reader.describe_char(found)}; geef het bestand een naam met alleen "
                "zichtbare tekens.")
    if name.startswith(reader.FORMULA_START):
        return (f"de bestandsnaam begint met '{name[0]}': een spreadsheet leest de naam, die bij elke rij in "
                "data/processed staat, als formule. Geef het bestand een naam die met een letter of cijfer begint.")
    return None


def _looks_like_observations(path: Path) -> bool:
    """The first bytes of a regular file hold the header of an observation table."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    first = start.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[:1]
    return bool(first) and all(column in first[0].lower() for column in REQUIRED)


def _outside(path: Path, raw_dir: Path) -> str | None:
    """The target of link ``path`` when it lies outside ``raw_dir``."""
    target = Path(os.path.realpath(path))
    try:
        target.relative_to(raw_dir)
    except ValueError:
        return str(target)
    return None


def survey(raw_dir: Path | str) -> Survey:
    """Every entry of ``raw_dir``: what is read, what is refused and what is named as not read."""
    raw_dir = Path(raw_dir)
    real = Path(os.path.realpath(raw_dir))
    found = Survey()
    with os.scandir(raw_dir) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    for entry in listed:
        _classify(entry, Path(entry.path), real, found)
    return found


def _refuse(found: Survey, path: Path, expected: str) -> None:
    found.problems.append(Problem(reader.display(path), None, None, None, expected))
    found.refused.add(path.name)


def _note(found: Survey, path: Path, expected: str) -> None:
    found.notes.append(Problem(reader.display(path), None, None, None, expected))


def _classify(entry: os.DirEntry, path: Path, real: Path, found: Survey) -> None:
    name = entry.name
    lower = name.lower()
    if name in SILENT or name.startswith("._") or (Path(lower).stem in DOCUMENTATION
                                                     and Path(lower).suffix in DOCUMENTATION_SUFFIXES):
        return
    if entry.is_symlink():
        if not path.exists():
            if lower.endswith(READ_SUFFIXES) and name not in CATALOGUES:
                found.observations.append(path)  # reading it names the missing target
            else:
                found.problems.append(reader.dangling(path))
                found.refused.add(name)
            return
        target = _outside(path, real)
        if target is not None:
            _refuse(found, path, f"dit is een verwijzing (symlink) naar '{target}', buiten data/raw. Wat de analyse "
                                 "leest, staat in data/raw zelf (een kopie of checkout van het project heeft dat "
                                 "bestand niet): kopieer het bestand naar data/raw.")
            return
    try:
        mode = entry.stat().st_mode  # follows a link inside data/raw; never opens the entry
    except OSError as error:
        found.problems.append(reader.unreadable(path, error))
        found.refused.add(name)
        return
    if stat.S_ISDIR(mode):
        _folder(path, name, found)
    elif not stat.S_ISREG(mode):
        found.problems.append(reader.not_a_file(path, mode))
        found.refused.add(name)
    elif name in CATALOGUES:
        found.catalogues[name] = path
    elif name.startswith(("~$", ".~lock.")):
        opened = name[2:] if name.startswith("~$") else name[len(".~lock."):].rstrip("#")
        _note(found, path, f"dit is het slotbestand van een geopende werkmap ('{opened}' is open in Excel of "
                           "LibreOffice); wat daar nog niet is opgeslagen, telt niet mee. Sla de werkmap op.")
    elif name.startswith("."):
        _note(found, path, "een verborgen bestand (de naam begint met een punt) wordt niet gelezen. Moet het "
                           "meetellen, geef het dan een naam zonder punt vooraan.")
    elif Path(lower).suffix in READ_SUFFIXES:
        wrong = name_problem(name)
        if wrong:
            _refuse(found, path, wrong)
        else:
            found.observations.append(path)
    else:
        _other_file(path, lower, found)


def _folder(path: Path, name: str, found: Survey) -> None:
    lower = name.lower()
    if Path(lower).suffix in (*READ_SUFFIXES, *TABLE_FORMATS):
        _refuse(found, path, "dit is een map met de naam van een gegevensbestand; een map wordt niet gelezen. Zet "
                             "er het bestand zelf neer of geef de map een andere naam.")
        return
    if name == FETCH_FOLDER:
        return
    try:
        with os.scandir(path) as inside:
            tables = sorted(e.name for e in inside if Path(e.name.lower()).suffix in (*READ_SUFFIXES, *TABLE_FORMATS))
    except OSError:
        tables = []
    if tables:
        shown = ", ".join(tables[:3]) + (f" en nog {len(tables) - 3}" if len(tables) > 3 else "")
        _refuse(found, path, f"de map bevat tabellen ({shown}), maar alleen bestanden direct in data/raw worden "
                             "gelezen. Zet ze in data/raw zelf, of verplaats de map buiten data/raw.")
        return
    _note(found, path, "een map in data/raw wordt niet gelezen; alleen bestanden direct in data/raw tellen.")


def _other_file(path: Path, lower: str, found: Survey) -> None:
    suffixes = Path(lower).suffixes
    if fnmatch.fnmatch(lower, boundaries.PATTERN):  # the municipal boundaries: read by the maps (analyse.boundaries)
        return
    if suffixes and suffixes[-1] in TABLE_FORMATS:
        _refuse(found, path, f"dit is {TABLE_FORMATS[suffixes[-1]]}, en dat formaat wordt niet gelezen. {SAVE_AS}")
    elif len(suffixes) > 1 and suffixes[-2] in READ_SUFFIXES and suffixes[-1] == ".txt":  # Windows hid '.txt'
        _refuse(found, path, f"de naam eindigt op '{''.join(suffixes[-2:])}': waarschijnlijk een {suffixes[-2]}-bestand "
                             f"waar een programma '{suffixes[-1]}' achter zette, en dat wordt niet gelezen. Geef het "
                             f"de extensie {suffixes[-2]}.")
    elif _looks_like_observations(path):
        _refuse(found, path, "het bestand heeft de kopregel van een tabel met waarnemingen, maar alleen .csv- en "
                             f".xlsx-bestanden worden gelezen. {SAVE_AS}")
    else:
        _note(found, path, "wordt niet gelezen: alleen .csv- en .xlsx-bestanden bevatten cijfers (dit bestand heeft "
                           "niet de kopregel van een tabel met waarnemingen).")
