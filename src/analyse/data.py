"""Data contract: loading and validating ``data/raw``, writing ``data/processed``.

The raw folder holds observation files (one per source) and five catalogues. Validation reports every
problem as file, row, column, value and what was expected; nothing here ever writes to ``data/raw``.
The contract itself is described for researchers in ``docs/datacontract.md``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analyse import checksum, derived, inventory, reader, series, validate
from analyse.files import file_mode
from analyse.schema import (CATALOGUE_KEYS, CATALOGUE_NUMERIC, CATALOGUES, NUMERIC, OPTIONAL,
                            OPTIONAL_CATALOGUE_COLUMNS, REQUIRED, THEMES, AnalyseError, DataError, ParameterError,
                            Problem)

__all__ = ["AnalyseError", "DataError", "Dataset", "ParameterError", "Problem", "THEMES", "build_processed", "load",
           "load_raw", "project_root", "write_atomic"]

PROCESSED_FILE = "waarnemingen.csv"
EMPTY_ALLOWED = ("reeksen.csv", "beweringen.csv")  # catalogues that may hold a header only
ROOT_VARIABLE = "ANALYSE_ROOT"


@dataclass(frozen=True)
class PolicyDocument:
    """The policy document whose claims (beweringen.csv) and targets (indicatoren.csv) the analysis checks."""

    bron: str
    title: str
    publisher: str
    municipality: str  # CBS code
    date: str  # as in bronnen.csv ('2019-02')


@dataclass
class Dataset:
    """Validated observations plus the catalogues they refer to."""

    observations: pd.DataFrame
    indicatoren: pd.DataFrame
    bronnen: pd.DataFrame
    reeksen: pd.DataFrame
    regios: pd.DataFrame
    groepen: pd.DataFrame
    beweringen: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Findings that do not stop the analysis (one line each, like a problem): ``analyse validate`` prints
    them under 'Waarschuwingen:'. Any check may append here; see :func:`load_raw`."""

    @property
    def policy_document(self) -> PolicyDocument | None:
        """The municipality's policy document that beweringen.csv and the targets come from, if any."""
        marked = self.bronnen[self.bronnen["beleidsdocument"].fillna("") == "ja"]
        if marked.empty:
            return None
        row = marked.iloc[0]
        return PolicyDocument(row["bron"], row["naam"], row["uitgever"], row["uitgever_gemeente"],
                              str(row.get("datum", "") or ""))

    def has_policy_document(self, region: str) -> bool:
        """True when ``region`` is the municipality of the policy document (its register and monitor apply)."""
        document = self.policy_document
        codes = dict(zip(self.regios["regio"], self.regios["code"]))
        return document is not None and codes.get(region) == document.municipality

    @property
    def grades(self) -> dict[str, str]:
        """bron code -> its ``soort`` (primair, secundair, schatting)."""
        return dict(zip(self.bronnen["bron"], self.bronnen["soort"]))

    def years(self, **filters: str) -> list[int]:
        obs = self.observations
        for column, value in filters.items():
            obs = obs[obs[column] == value]
        return sorted(int(y) for y in obs["jaar"].unique())


# --------------------------------------------------------------------------- reading files

_display = reader.display


def read_table(path: Path, required: tuple[str, ...], problems: list[Problem], allow_empty: bool = False,
               warnings: list[Problem] | None = None,
               numeric: tuple[str, ...] = (*NUMERIC, "jaar")) -> pd.DataFrame | None:
    """Read one CSV or XLSX file as text columns; append problems instead of raising (see :mod:`analyse.reader`).

    A semicolon-separated CSV (the Dutch Excel export) is read with decimal commas converted to points in
    ``numeric``; a value there that also holds a point is ambiguous (thousands separator or decimal
    point?) and is refused rather than guessed. Sheets of a workbook other than the first are named in
    ``warnings``.
    """
    return reader.read_table(path, required, problems, allow_empty=allow_empty, warnings=warnings, numeric=numeric)


def is_project_root(folder: Path) -> bool:
    """A folder with ``data/raw/`` and ``notebooks/``: the root of this project or of a copy of it."""
    return (folder / "data" / "raw").is_dir() and (folder / "notebooks").is_dir()


def project_root() -> Path:
    """The project folder that paths resolve from, whatever the working directory is.

    In order: ``$ANALYSE_ROOT`` as given; otherwise the first folder holding ``data/raw/`` and
    ``notebooks/`` at or above the notebook that JupyterLab opened (JupyterLab names it in
    ``$JPY_SESSION_NAME``), at or above the working directory, or above this package's own files (an
    editable install, ``pip install -e .``, runs from the project's ``src/``).
    """
    if os.environ.get(ROOT_VARIABLE):  # taken as given: each command names what it misses there
        return Path(os.environ[ROOT_VARIABLE]).expanduser().resolve()
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    if os.environ.get("JPY_SESSION_NAME"):
        starts.insert(0, Path(os.environ["JPY_SESSION_NAME"]).expanduser().resolve().parent)
    for start in starts:
        for folder in (start, *start.parents):
            if is_project_root(folder):
                return folder
    raise ParameterError(f"geen projectmap gevonden boven {Path.cwd()}: geen map met data/raw/ en notebooks/. "
                         f"Start in de projectmap of zet {ROOT_VARIABLE}=/pad/naar/integratie-analyse.")


def _read_catalogues(found: inventory.Survey, raw_dir: Path, problems: list[Problem],
                     warnings: list[Problem] | None = None) -> dict[str, pd.DataFrame]:
    """Every catalogue, read like an observation file (also with semicolons and decimal commas).

    ``found`` is the survey of ``raw_dir``: a catalogue it refused (a pipe, a folder, a link out of
    ``data/raw``) is not opened; its problem is in the survey.
    """
    cat: dict[str, pd.DataFrame] = {}
    for name, required in CATALOGUES.items():
        if name in found.refused:
            continue
        path = found.catalogues.get(name)
        if path is None:
            problems.append(Problem(_display(raw_dir / name), None, None, None, "catalogusbestand ontbreekt."))
            continue
        frame = read_table(path, required, problems, allow_empty=name in EMPTY_ALLOWED, warnings=warnings,
                           numeric=CATALOGUE_NUMERIC.get(name, ()))
        if frame is not None:
            for column in OPTIONAL_CATALOGUE_COLUMNS.get(name, ()):
                if column not in frame.columns:
                    frame[column] = ""
            cat[name] = frame
    return cat


def load_raw(raw_dir: Path | str) -> Dataset:
    """Read and validate everything in ``raw_dir``; raise :class:`DataError` listing all problems.

    Warnings (a workbook sheet that is not read, an implausible jump in a series) do not stop anything;
    they are in :attr:`Dataset.warnings` (and in :attr:`DataError.warnings` when there are problems too).
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise DataError([Problem(str(raw_dir), None, None, None, "map met ruwe data bestaat niet.")])
    found = inventory.survey(raw_dir)
    problems: list[Problem] = list(found.problems)
    warnings: list[Problem] = list(found.notes)
    cat = _read_catalogues(found, raw_dir, problems, warnings)
    if len(cat) < len(CATALOGUES):
        raise DataError(problems, warnings)
    for name, key in CATALOGUE_KEYS.items():
        validate.catalogue(name, cat[name], key, problems)
    validate.indicators(cat["indicatoren.csv"], problems)
    validate.sources(cat["bronnen.csv"], problems)
    validate.reeksen(cat["reeksen.csv"], problems)
    validate.groups(cat["groepen.csv"], problems)
    validate.regions(cat["regios.csv"], problems)
    validate.publishing_municipalities(cat["bronnen.csv"], cat["regios.csv"], problems)

    frames = []
    files = found.observations
    if not files and not found.refused:  # a refused file is named already
        problems.append(Problem(_display(raw_dir), None, None, None, "geen waarnemingenbestanden gevonden."))
    for path in files:
        frame = read_table(path, REQUIRED, problems, warnings=warnings)
        if frame is not None:
            for column in OPTIONAL:
                if column not in frame.columns:
                    frame[column] = ""
            frames.append(frame[["_bestand", "_rij", *REQUIRED, *OPTIONAL]])
            del frame
    if len(frames) == 1:
        obs = frames.pop()
    elif frames:
        obs = pd.concat(frames, ignore_index=True)
        frames.clear()
    else:
        obs = pd.DataFrame(columns=["_bestand", "_rij", *REQUIRED, *OPTIONAL])
    validate.observations(obs, cat, problems)
    validate.claims(cat["beweringen.csv"], cat, problems)
    if problems:
        raise DataError(_one_per_cell(problems), warnings)
    validate.plausibility(obs, warnings)
    catalogues = {name: frame.drop(columns=["_bestand", "_rij"]) for name, frame in cat.items()}
    handed = [obs]
    del obs  # _tidy holds the only reference, so the text columns are freed as it replaces them
    return Dataset(
        observations=_tidy(handed.pop(), catalogues),
        indicatoren=catalogues["indicatoren.csv"], bronnen=catalogues["bronnen.csv"],
        reeksen=catalogues["reeksen.csv"], regios=catalogues["regios.csv"], groepen=catalogues["groepen.csv"],
        beweringen=catalogues["beweringen.csv"], warnings=warnings,
    )


def _one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem found in each cell (a value refused while reading is not checked again)."""
    seen, kept = set(), []
    for problem in problems:
        cell = (problem.file, problem.row, problem.column)
        if problem.row is not None and problem.column is not None:
            if cell in seen:
                continue
            seen.add(cell)
        kept.append(problem)
    return kept


PROCESSED_COLUMNS = ["thema", "indicator", "label", "regio", "regio_code", "groep", "jaar", "periode", "waarde",
                     "eenheid", "teller", "noemer", "ondergrens", "bovengrens", "n", "status", "reeks", "bron",
                     "vervangen_door", "afgeleid", "noemer_bron", "noemer_reeks", "vindplaats", "opmerking", "bestand", "rij"]


def _tidy(obs: pd.DataFrame, cat: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The one processed table: typed values, reeks resolved, derived rows added, sorted.

    See :func:`analyse.series.resolve` (editions and revisions) and :mod:`analyse.derived`.
    """
    ind, reg = cat["indicatoren.csv"], cat["regios.csv"]
    tidy = obs.rename(columns={"_bestand": "bestand", "_rij": "rij"})  # no copy: pandas copies on write
    del obs
    for column, source in (("thema", "thema"), ("label", "label")):
        tidy[column] = tidy["indicator"].map(dict(zip(ind["indicator"], ind[source])))
    tidy["regio_code"] = tidy["regio"].map(dict(zip(reg["regio"], reg["code"])))
    tidy["jaar"] = validate.per_value(tidy["jaar"], int).astype(int)
    for column in NUMERIC:
        tidy[column] = validate.numbers(tidy[column])
    tidy["bestand"] = tidy["bestand"].map({p: Path(p).name for p in tidy["bestand"].unique()})
    tidy = series.resolve(tidy, cat["bronnen.csv"], cat["reeksen.csv"])
    grades = dict(zip(cat["bronnen.csv"]["bron"], cat["bronnen.csv"]["soort"]))
    tidy = derived.derive(tidy, cat["indicatoren.csv"], grades, cat["groepen.csv"])
    tidy["regio_code"] = tidy["regio"].map(dict(zip(reg["regio"], reg["code"])))
    return tidy[PROCESSED_COLUMNS].sort_values(["thema", "indicator", "regio", "groep", "reeks", "jaar", "bron"],
                                               ignore_index=True)


# --------------------------------------------------------------------------- processed data

def write_atomic(path: Path, write) -> None:
    """Write via a temporary file in the same folder and move it into place when complete.

    The file gets the mode of a normally created file (0666 minus the umask, usually 0644), not the
    private 0600 of the temporary file, so a colleague or a web server can read what is published. A
    system error that names no file (a full disk under pandas) is raised naming ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except OSError as error:  # a writer (pandas, openpyxl) may not say which file: name the target
        if error.filename:
            raise
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def build_processed(raw_dir: Path | str, processed_dir: Path | str) -> Dataset:
    """Validate ``raw_dir`` and write the combined tidy table to ``processed_dir``.

    Next to the table goes a checksum record (:mod:`analyse.checksum`) of the raw files it was built from, and
    the build is recorded under their key; a table is only used again while both match. Raw data that changes while it is being
    validated is refused (the table would not belong to one version of it).
    """
    raw_dir, processed = Path(raw_dir), Path(processed_dir) / PROCESSED_FILE
    before = checksum.raw_manifest(raw_dir)
    dataset = load_raw(raw_dir)
    if checksum.raw_manifest(raw_dir) != before:
        raise ParameterError(f"{_display(raw_dir)} veranderde tijdens het valideren; sla de bestanden op en "
                             "start opnieuw.")
    write_atomic(processed, lambda tmp: dataset.observations.to_csv(tmp, index=False, lineterminator="\n"))
    write_atomic(checksum.sidecar_path(processed),
                 lambda tmp: tmp.write_text(checksum.record(before, processed), encoding="utf-8"))
    checksum.remember(before, processed)
    return dataset


def is_stale(processed: Path, raw_dir: Path) -> bool:
    """True unless ``processed`` provably belongs to ``raw_dir`` as it is now.

    Stale: the table or its checksum record is missing, the table's bytes differ from the record, the
    raw files (names and bytes of everything the validator reads) differ from those it was built from, or
    the code that builds it changed. File times are not used: they can be wrong in both directions.
    """
    return not checksum.matches(Path(processed), Path(raw_dir))


def load(data_dir: Path | str) -> Dataset:
    """What a notebook reads: the processed table plus the catalogues from ``data_dir/raw``.

    ``data_dir`` is the folder holding ``raw/`` and ``processed/``. The processed table is written by
    ``analyse run``; if it is missing or does not belong to the files in ``raw/`` now (a notebook opened in
    JupyterLab after new rows were added; a table edited or copied from elsewhere), the raw data is
    validated and the table rebuilt first.
    """
    data_dir = Path(data_dir)
    processed = data_dir / "processed" / PROCESSED_FILE
    if is_stale(processed, data_dir / "raw"):
        return build_processed(data_dir / "raw", data_dir / "processed")
    obs = read_processed(processed)
    raw = data_dir / "raw"
    found = inventory.survey(raw)
    problems: list[Problem] = list(found.problems)
    cats = {name: frame.drop(columns=["_bestand", "_rij"])
            for name, frame in _read_catalogues(found, raw, problems).items()}
    if problems or len(cats) < len(CATALOGUES):  # changed since the check just made: read them as validated
        return build_processed(raw, data_dir / "processed")
    return Dataset(obs, cats["indicatoren.csv"], cats["bronnen.csv"], cats["reeksen.csv"], cats["regios.csv"],
                   cats["groepen.csv"], cats["beweringen.csv"])


def read_processed(path: Path) -> pd.DataFrame:
    """The processed table as written by :func:`build_processed`, with its types."""
    text_columns = [c for c in PROCESSED_COLUMNS if c not in (*NUMERIC, "jaar", "rij", "afgeleid")]
    obs = pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in NUMERIC},
                      dtype={**{c: str for c in text_columns}, "jaar": int, "rij": int})
    obs["afgeleid"] = obs["afgeleid"].astype(str).str.lower() == "true"
    return obs


def summary(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Counts per theme, indicator and source, with year spans (what ``analyse validate`` prints)."""
    obs = dataset.observations

    def count(by: str) -> pd.DataFrame:
        return (obs.groupby(by).agg(rijen=("waarde", "size"), van=("jaar", "min"), tot=("jaar", "max"))
                .reset_index())

    return {"thema": count("thema"), "indicator": count("indicator"), "bron": count("bron")}
