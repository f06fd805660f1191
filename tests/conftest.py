"""Shared fixtures: a small, valid raw-data folder, the shipped data, and ONE real run for the whole session.

Test tiers (README, "Voor ontwikkelaars"):

- ``make test-fast`` (``-m "not slow and not e2e"``): unit tests and small fixtures. No kernel, no notebook,
  no ``analyse`` process. A test in this tier that starts a kernel or a notebook worker fails with a message
  saying to mark it (:func:`_fast_tier_starts_no_kernel`).
- ``make test`` (what ``.ci/run`` calls): everything. The end-to-end tests (``e2e``) read ONE ``analyse run``
  of a copy of the shipped project (:func:`shipped_run`), made once per session; a test that needs a run of
  its own (bad input, a new year, Ctrl+C, determinism) copies that project (:func:`copy_shipped_run`) and runs
  as little as it can (one small theme).
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CATALOGUES = {
    "indicatoren.csv": (
        "indicator,thema,label,eenheid,richting,doel_waarde,doel_jaar,doel_type,doel_omschrijving,"
        "basis_waarde,basis_jaar,basis_periode,toelichting\n"
        "inwoners,demografie,Aantal inwoners,aantal,neutraal,,,,,,,,\n"
        "aandeel_herkomst,demografie,Aandeel inwoners naar herkomst,procent,neutraal,,,,,,,,\n"
        "vve_deelname,onderwijs,Deelname VVE,procent,hoger_beter,90,2021,niveau,VVE naar 90%,79,2017,,\n"
    ),
    "bronnen.csv": "bron,naam,uitgever,producent,soort,datum,adres,licentie\ntoets,Testbron,Testuitgever,Testuitgever,primair,2019,,\n",
    "reeksen.csv": "reeks,naam,producent,definitie,vervolg_van\n",
    "regios.csv": "regio,code,niveau,label,opmerking\nMaassluis,GM0556,gemeente,Maassluis,\nNederland,NL01,land,Nederland,\n",
    "groepen.csv": "groep,soort,label,opmerking\ntotaal,totaal,Totaal,\nmigratieachtergrond,herkomst,Migratieachtergrond,\n",
    "beweringen.csv": (
        "id,thema,citaat,vindplaats,verwacht,eenheid,decimalen,berekening,indicator,regio,groep,jaar,jaar_tot,"
        "noemer_indicator,noemer_groep,toelichting\n"
        "t-01,demografie,Een stijging van 3,H2,3.6,procent,1,verandering_procent,inwoners,Maassluis,totaal,2009,2018,,,\n"
    ),
}
OBSERVATIONS = (
    "indicator,regio,groep,jaar,waarde,eenheid,bron,periode,teller,noemer,vindplaats,opmerking\n"
    "inwoners,Maassluis,totaal,2009,31390,aantal,toets,,,,,\n"
    "inwoners,Maassluis,totaal,2018,32518,aantal,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,migratieachtergrond,2009,23.3,procent,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,migratieachtergrond,2018,26.9,procent,toets,,,,,\n"
)


TEST_SETTINGS = 'gemeente = "Maassluis"\n'
"""The settings of a constructed project: its municipality (the one the fixture's data are about)."""


def make_raw(folder: Path, observations: str = OBSERVATIONS) -> Path:
    """A constructed data/raw; in a folder ``<project>/data/raw`` also the project's instellingen.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in CATALOGUES.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "toets.csv").write_text(observations, encoding="utf-8")
    settings = folder.parent.parent / "instellingen.toml"
    if folder.name == "raw" and folder.parent.name == "data" and not settings.exists():
        settings.write_text(TEST_SETTINGS, encoding="utf-8")
    return folder


def problems_in(raw: Path) -> list:
    """The problems :func:`analyse.data.load_raw` refuses ``raw`` with (it must refuse it)."""
    from analyse import data

    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    return caught.value.problems


def only(problems: list):
    """The one problem in ``problems`` (the test fails naming all of them when there are more)."""
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return make_raw(tmp_path / "data" / "raw")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the project's data and notebooks, to run the real pipeline without touching the repo."""
    return copy_project(tmp_path)

# --------------------------------------------------------------------------- the shipped data, read once

_SHIPPED: dict = {}


def load_shipped():
    """``data.load_raw`` of the shipped ``data/raw``: validated once per session, a fresh copy per call."""
    from analyse import data

    if "dataset" not in _SHIPPED:
        _SHIPPED["dataset"] = data.load_raw(ROOT / "data" / "raw")
    return copy.deepcopy(_SHIPPED["dataset"])


@pytest.fixture
def shipped_dataset():
    """The shipped data as ``data.load_raw`` reads it (a copy of its own for each test)."""
    return load_shipped()


# --------------------------------------------------------------------------- one real run per session

@dataclass(frozen=True)
class ShippedRun:
    root: Path  # the project copy: data/raw, data/processed, notebooks, reports
    output: str  # what `analyse run` printed (stdout, then stderr)
    returncode: int
    stdout: str = ""

    @property
    def reports(self) -> Path:
        """The reports of the shipped project's municipality (``reports/maassluis/``)."""
        return self.root / REPORTS


def run_analyse(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """``analyse ARGS`` as its own process in project ``root``, as a user runs it."""
    env = {**os.environ, "ANALYSE_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "analyse.cli", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=timeout)


REPORTS = Path("reports") / "maassluis"
"""Where ``analyse run`` puts the reports of the shipped settings' municipality (``reports/<slug>/``)."""


def copy_project(target: Path) -> Path:
    """A copy of the project's data, notebooks and settings, as a fresh clone has them (no processed table, no
    reports)."""
    for name in ("data/raw", "notebooks"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "instellingen.toml", target / "instellingen.toml")
    (target / "data" / "processed").mkdir(exist_ok=True)
    return target


@pytest.fixture(scope="session")
def shipped_run(tmp_path_factory) -> ShippedRun:
    """ONE ``analyse run`` (all notebooks, all exports) of a copy of the shipped project, for the whole session.

    Read only: a test that changes data, notebooks or reports works on :func:`copy_shipped_run`.
    """
    root = copy_project(tmp_path_factory.mktemp("gedeelde_run") / "integratie-analyse")
    done = run_analyse(root, "run")
    return ShippedRun(root, done.stdout + done.stderr, done.returncode, done.stdout)


def copy_shipped_run(run: ShippedRun, target: Path, notebooks: tuple[str, ...] | None = None) -> Path:
    """A writable copy of the session's project after its run (reports, processed table and all).

    ``notebooks``: keep only these notebooks (the reports of the others stay, as after an earlier run).
    """
    assert run.returncode == 0, run.output
    shutil.copytree(run.root, target, symlinks=True)
    if notebooks is not None:
        for path in (target / "notebooks").glob("*.ipynb"):
            if path.stem not in notebooks:
                path.unlink()
    return target


# --------------------------------------------------------------------------- tiers

def pytest_collection_modifyitems(config, items):
    """A test that reads the session's run is end-to-end, whatever its module says."""
    for item in items:
        if "shipped_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _fast_tier_starts_no_kernel(request, monkeypatch):
    """Outside ``e2e``/``slow`` a test may not start a kernel or a notebook worker: the fast tier stays fast."""
    if request.node.get_closest_marker("e2e") or request.node.get_closest_marker("slow"):
        yield
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    from analyse import runner

    def refused(*args, **kwargs):
        raise AssertionError("deze test start een kernel of voert een notebook uit: markeer hem met "
                             "@pytest.mark.e2e (tests/conftest.py)")

    async def refused_async(*args, **kwargs):
        refused()

    class IdleWorker:
        """Stands in for a notebook worker that `analyse run` starts early: fine until it gets a notebook."""

        busy = False

        def __init__(self, *args, **kwargs):
            self.process = types.SimpleNamespace(stdin=io.StringIO())  # closed when the pool closes gracefully

        submit = refused

        def stop(self, graceful: bool) -> None:
            pass

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refused_async)
    monkeypatch.setattr(runner, "_Worker", IdleWorker)
    yield
