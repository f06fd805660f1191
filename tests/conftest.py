"""Shared fixtures: a small, valid raw-data folder built in a temporary directory."""

from __future__ import annotations

import shutil
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


def make_raw(folder: Path, observations: str = OBSERVATIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in CATALOGUES.items():
        (folder / name).write_text(content, encoding="utf-8")
    (folder / "toets.csv").write_text(observations, encoding="utf-8")
    return folder


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return make_raw(tmp_path / "data" / "raw")


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the project's data and notebooks, to run the real pipeline without touching the repo."""
    for name in ("data/raw", "notebooks"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "data" / "processed").mkdir()
    return tmp_path
