"""Checks the hand transcription of the policy document against the document text.

Every quoted sentence in `data/raw/beleidsvisie_2019.csv` (vindplaats) and `data/raw/beweringen.csv` (citaat)
must occur in the document, and the transcribed value must occur in that sentence, written the way the
document prints numbers ("31.390", "3,6", "1.73", or a number word such as "driekwart").
"""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DOCUMENT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "beleidsvisie-integratie-maassluis-2019.txt"

# Numbers the document writes in words.
NUMBER_WORDS = {
    Decimal(1): ["één"],
    Decimal(5): ["vijf"],
    Decimal(8): ["acht"],
    Decimal(50): ["de helft"],
    Decimal(75): ["driekwart"],
    Decimal(100): ["alle"],
}
# Register rows whose `verwacht` is a word or a rank, not a printed number.
NON_NUMERIC_CALCULATIONS = {"richting", "hoogste", "laagste"}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(RAW / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def normalise(text: str) -> str:
    return " ".join(text.split())


def quoted_sentence(vindplaats: str) -> str | None:
    """The sentence quoted in a vindplaats like `H2 Demografie: "..."`, or None."""
    match = re.search(r'"(.*)"\s*$', vindplaats, re.S)
    return normalise(match.group(1)) if match else None


def printed_forms(value: str) -> list[str]:
    """The ways the document may print `value` (a dot-decimal string)."""
    number = Decimal(value)
    forms = [value, value.replace(".", ",")]
    if number == number.to_integral_value():
        integer = int(number)
        forms += [str(integer), f"{integer:,}".replace(",", ".")]
    forms += NUMBER_WORDS.get(number, [])
    return list(dict.fromkeys(forms))


def value_printed_in(value: str, sentence: str) -> bool:
    for form in printed_forms(value):
        if form[0].isdigit():
            pattern = rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)"
        else:
            pattern = rf"(?<!\w){re.escape(form)}(?!\w)"
        if re.search(pattern, sentence):
            return True
    return False


@pytest.fixture(scope="module")
def document() -> str:
    if not DOCUMENT.exists():
        pytest.skip(f"Beleidsdocument niet gevonden op {DOCUMENT} (shared/ ligt niet naast de repository)")
    return normalise(DOCUMENT.read_text(encoding="utf-8"))


def test_value_matcher_reads_dutch_and_dot_notation():
    sentence = "gegroeid van 31.390 inwoners in 2009 naar 32.518 inwoners; 3,6% en 1.73% (2016/2017), driekwart"
    assert value_printed_in("32518", sentence)
    assert value_printed_in("3.6", sentence)
    assert value_printed_in("1.73", sentence)
    assert value_printed_in("75", sentence)
    assert not value_printed_in("32581", sentence)  # mistyped digits
    assert not value_printed_in("31.39", sentence)  # "31.390" is a thousands separator, not a decimal
    assert not value_printed_in("1.7", sentence)  # prefix of 1.73
    assert not value_printed_in("201", sentence)  # prefix of 2016


def test_observation_quotes_and_values_are_in_document(document):
    rows = read_csv("beleidsvisie_2019.csv")
    problems = []
    quoted = 0
    for row in rows:
        sentence = quoted_sentence(row["vindplaats"])
        if sentence is None:
            continue
        quoted += 1
        key = f"{row['indicator']}/{row['regio']}/{row['groep']}/{row['jaar']}"
        if sentence not in document:
            problems.append(f"{key}: citaat niet in het document: {sentence!r}")
        elif row["eenheid"] != "rang" and not value_printed_in(row["waarde"], sentence):
            problems.append(f"{key}: waarde {row['waarde']} staat niet in het citaat {sentence!r}")
    assert quoted == len(rows), "elke waarneming hoort een geciteerde zin in `vindplaats` te hebben"
    assert not problems, "\n".join(problems)


def test_register_quotes_and_expected_values_are_in_document(document):
    rows = read_csv("beweringen.csv")
    assert rows
    problems = []
    for row in rows:
        sentence = normalise(row["citaat"])
        if sentence not in document:
            problems.append(f"{row['id']}: citaat niet in het document: {sentence!r}")
        elif (row["berekening"] not in NON_NUMERIC_CALCULATIONS and row["eenheid"] != "rang"
              and not value_printed_in(row["verwacht"], sentence)):
            problems.append(f"{row['id']}: verwacht {row['verwacht']} staat niet in het citaat {sentence!r}")
    assert not problems, "\n".join(problems)


def test_observations_use_catalogued_indicators_units_and_sources():
    units = {row["indicator"]: row["eenheid"] for row in read_csv("indicatoren.csv")}
    sources = {row["bron"] for row in read_csv("bronnen.csv")}
    problems = []
    for row in read_csv("beleidsvisie_2019.csv"):
        if row["indicator"] not in units:
            problems.append(f"indicator {row['indicator']} ontbreekt in indicatoren.csv")
        elif units[row["indicator"]] != row["eenheid"]:
            problems.append(f"{row['indicator']}: eenheid {row['eenheid']} != {units[row['indicator']]}")
        if row["bron"] not in sources:
            problems.append(f"bron {row['bron']} ontbreekt in bronnen.csv")
    assert not problems, "\n".join(problems)


def test_register_refers_to_catalogued_codes():
    indicators = {row["indicator"]: row["thema"] for row in read_csv("indicatoren.csv")}
    regions = {row["regio"] for row in read_csv("regios.csv")}
    groups = {row["groep"] for row in read_csv("groepen.csv")}
    problems = []
    for row in read_csv("beweringen.csv"):
        for column in ("indicator", "noemer_indicator"):
            if row[column] and row[column] not in indicators:
                problems.append(f"{row['id']}: {column} {row[column]} ontbreekt in indicatoren.csv")
        if indicators.get(row["indicator"]) not in (None, row["thema"]):
            problems.append(f"{row['id']}: thema {row['thema']} != {indicators[row['indicator']]}")
        for region in row["regio"].split(";"):
            if region not in regions:
                problems.append(f"{row['id']}: regio {region} ontbreekt in regios.csv")
        for group in row["groep"].split(";") + ([row["noemer_groep"]] if row["noemer_groep"] else []):
            if group not in groups:
                problems.append(f"{row['id']}: groep {group} ontbreekt in groepen.csv")
    assert not problems, "\n".join(problems)
