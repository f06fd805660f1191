"""The imported published figures (data/raw/gepubliceerd_*.csv) trace back to the shared list they came from.

The shared list ``gepubliceerde_cijfers_2008_2018.csv`` lives next to the project (``../shared/data``). Every
imported row must match one row there on address, year, region and value, and every row there is either
imported or listed below as deliberately left out.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gepubliceerde_cijfers_2008_2018.csv"
REGION_NAMES = {"Rijnmond (COROP)": "Groot-Rijnmond"}  # shared name -> name in regios.csv; others are equal
KEY = ["indicator", "regio", "groep", "jaar", "bron"]

# Rows of the shared list that were deliberately not imported: (source_url, indicator, year) -> reason.
# Empty: every row could be mapped onto an indicator, region and group without inventing anything.
LEFT_OUT: dict[tuple[str, str, int], str] = {}


@pytest.fixture(scope="module")
def shared() -> pd.DataFrame:
    if not SHARED.exists():
        pytest.skip(f"gedeelde lijst met gepubliceerde cijfers ontbreekt ({SHARED})")
    return pd.read_csv(SHARED, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def imported() -> pd.DataFrame:
    files = sorted(RAW.glob("gepubliceerd_*.csv"))
    assert files, f"geen gepubliceerd_*.csv in {RAW}"
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False).assign(_bestand=f.name) for f in files]
    return pd.concat(frames, ignore_index=True)


def _trace_key(url: str, year: str, region: str, value: str) -> tuple[str, int, str, float]:
    return url, int(year), region, float(value)


def _match(shared: pd.DataFrame, imported: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Pair imported rows with shared rows one to one; return (unmatched imported, unused shared)."""
    pool: dict[tuple, list[dict]] = defaultdict(list)
    for row in shared.to_dict("records"):
        region = REGION_NAMES.get(row["region"], row["region"])
        pool[_trace_key(row["source_url"], row["year"], region, row["value"])].append(row)
    unmatched = []
    for row in imported.to_dict("records"):
        candidates = pool[_trace_key(row["vindplaats"], row["jaar"], row["regio"], row["waarde"])]
        if candidates:
            candidates.pop()
        else:
            unmatched.append(row)
    unused = [row for rows in pool.values() for row in rows]
    return unmatched, unused


def test_every_imported_row_is_a_published_figure(shared, imported):
    unmatched, _ = _match(shared, imported)
    shown = [(r["_bestand"], r["indicator"], r["regio"], r["jaar"], r["waarde"], r["vindplaats"]) for r in unmatched]
    assert not unmatched, f"rijen zonder gelijk gepubliceerd cijfer (adres, jaar, regio, waarde): {shown}"


def test_every_published_figure_is_imported_or_left_out_with_a_reason(shared, imported):
    _, unused = _match(shared, imported)
    not_imported = {(r["source_url"], r["indicator"], int(r["year"])) for r in unused}
    assert not_imported == set(LEFT_OUT), (
        f"niet overgenomen maar niet verantwoord: {sorted(not_imported - set(LEFT_OUT))}; "
        f"verantwoord maar wel overgenomen of onbekend: {sorted(set(LEFT_OUT) - not_imported)}")
    assert len(imported) + len(LEFT_OUT) == len(shared)
    assert all(reason.strip() for reason in LEFT_OUT.values())


def test_no_snippet_text_is_copied_into_the_remarks(shared, imported):
    window = 60  # longer than standard terms such as "voortijdig schoolverlaters zonder startkwalificatie"
    remarks = "\n".join(imported["opmerking"])
    copied = {snippet[i:i + window] for snippet in set(shared["snippet"]) for i in range(len(snippet) - window + 1)
              if snippet[i:i + window] in remarks}
    assert not copied, f"tekst uit de geciteerde passages staat letterlijk in opmerking: {sorted(copied)[:5]}"


def test_keys_are_unique_and_files_sorted(imported):
    duplicated = imported[imported.duplicated(KEY, keep=False)]
    assert duplicated.empty, duplicated[KEY + ["waarde", "_bestand"]].to_string()
    for name, rows in imported.groupby("_bestand"):
        order = list(zip(rows["indicator"], rows["regio"], rows["groep"], rows["jaar"].astype(int)))
        assert order == sorted(order), f"{name} is niet gesorteerd op indicator, regio, groep, jaar"
