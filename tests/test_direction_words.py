"""Words that match the numbers, checked on the real outputs of the session's run (issue 24, parts 4 and 7).

No key message, trend sentence, notebook sentence, note paragraph, monitor or register explanation says "stijgt",
"daalt", "gestegen", "gedaald", "neemt toe" or "neemt af" in a sentence whose 95%-interval contains zero; nothing
is called "statistisch zeker"; the run-wide trend table carries the false discovery rate over all its tests; a
trend's test and interval agree; the segregation text gives an expected value, a chance and the bias-corrected D.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from docx import Document
from statsmodels.stats.multitest import multipletests

from analyse.trends import direction

DIRECTION_WORDS = re.compile(r"\b(stijgt|stijgen|daalt|dalen|gestegen|gedaald|neemt (?:toe|af)|nemen (?:toe|af))\b",
                             re.IGNORECASE)
NUMBER = r"[-−]?\d[\d.]*(?:,\d+)?"
INTERVAL = re.compile(rf"95%-interval:?\s+(?:van\s+)?({NUMBER})%?\s+tot\s+({NUMBER})")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def dutch_number(text: str) -> float:
    return float(text.replace("−", "-").replace(".", "").replace(",", "."))


def contradictions(texts) -> list[str]:
    """The sentences that put a direction word next to a 95%-interval containing zero."""
    found = []
    for text in texts:
        for sentence in SENTENCE_END.split(str(text)):
            if not DIRECTION_WORDS.search(sentence):
                continue
            for low, high in INTERVAL.findall(sentence):
                if dutch_number(low) <= 0 <= dutch_number(high):
                    found.append(sentence)
    return found


def test_the_scan_finds_the_old_sentence():
    old = "Over 2012-2023 (6 jaren met gegevens) daalt dit gemiddeld met 0,3 per 1.000 per jaar (95%-interval -0,6 tot 0,0)."
    assert contradictions([old]) == [old]
    assert contradictions(["Over 2012-2023 daalt dit gemiddeld met 0,5 per 1.000 per jaar (95%-interval -0,5 tot -0,4).",
                           "Er is geen aantoonbare verandering (95%-interval -0,5 tot 0,3)."]) == []


class _Blocks(HTMLParser):
    """The text of an HTML page, one piece per element (a table cell never runs into the next one)."""

    def __init__(self):
        super().__init__()
        self.pieces, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.pieces.append("\n")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")
        self.pieces.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.pieces.append(data)


def page_texts(path) -> list[str]:
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8"))
    return [line.strip() for line in "".join(parser.pieces).split("\n") if line.strip()]


def note_texts(path) -> list[str]:
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


@pytest.fixture(scope="module")
def outputs(shipped_run):
    assert shipped_run.returncode == 0, shipped_run.output
    reports = shipped_run.reports
    summaries = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((reports / "tables").glob("*/kerncijfers.json"))}
    trends = pd.read_csv(reports / "trends.csv", dtype=str, keep_default_na=False)
    texts = {
        "kernboodschappen": [m for s in summaries.values() for m in s["messages"]],
        "trends.csv": list(trends["zin"]),
        "notebooks": [t for page in sorted((reports / "notebooks").glob("*.html")) for t in page_texts(page)],
        "nota": note_texts(reports / "beleidsnota.docx"),
        "rapport": note_texts(reports / "technisch-rapport.docx"),
        "monitor.csv": list(pd.read_csv(reports / "monitor.csv", dtype=str, keep_default_na=False)["toelichting"]),
        "reproductie.csv": list(pd.read_csv(reports / "reproductie.csv", dtype=str,
                                            keep_default_na=False)["toelichting"]),
    }
    return summaries, trends, texts


def test_no_direction_word_next_to_an_interval_that_contains_zero(outputs):
    _, _, texts = outputs
    assert all(texts.values())  # every kind of output was read
    for where, pieces in texts.items():
        assert contradictions(pieces) == [], where
    # the scan saw real findings (the nota has no intervals: they are in the technical report)
    for where in ("kernboodschappen", "trends.csv", "notebooks", "rapport"):
        assert any(DIRECTION_WORDS.search(s) and INTERVAL.search(s)
                   for text in texts[where] for s in SENTENCE_END.split(text)), where


def test_nothing_is_called_statistically_certain(outputs):
    _, _, texts = outputs
    for where, pieces in texts.items():
        assert not [t for t in pieces if "statistisch zeker" in t or "statistisch niet zeker" in t], where


def test_every_trend_sentence_follows_interval_and_false_discovery_rate(outputs):
    _, trends, _ = outputs
    fitted = trends[trends["methode"] != "geen"]
    assert len(fitted) > 100
    for _, row in fitted.iterrows():
        said = direction(row["helling_ondergrens"], row["helling_bovengrens"], row["fdr_aantoonbaar"] == "True")
        verb = {"stijging": " stijgt dit ", "daling": " daalt dit "}.get(said)
        if verb:
            assert verb in row["zin"], row["zin"]
        else:
            assert "geen aantoonbare verandering" in row["zin"] and not DIRECTION_WORDS.search(row["zin"]), row["zin"]
        # one scale: the test and the interval tell the same story
        low, high, p = (float(row[c]) for c in ("helling_ondergrens", "helling_bovengrens", "p_waarde"))
        assert (p < 0.05) == (low > 0 or high < 0), row["zin"]
        if row["relatieve_ondergrens"]:
            lo, hi = float(row["relatieve_ondergrens"]), float(row["relatieve_bovengrens"])
            assert (lo > 0 or hi < 0) == (low > 0 or high < 0), row["zin"]


def test_the_false_discovery_rate_per_theme_and_over_the_run(outputs):
    _, trends, _ = outputs
    p = pd.to_numeric(trends["p_waarde"], errors="coerce")
    tested = p.notna()
    reject, adjusted, _, _ = multipletests(p[tested], alpha=0.05, method="fdr_bh")
    assert set(trends["fdr_toetsen_run"]) == {str(int(tested.sum()))}
    assert np.allclose(pd.to_numeric(trends.loc[tested, "p_fdr_run"]), adjusted)
    assert (trends.loc[tested, "fdr_aantoonbaar_run"] == "True").tolist() == list(reject)
    for theme, part in trends.groupby("thema"):  # each theme corrected within itself, as its notebook did
        inside = pd.to_numeric(part["p_waarde"], errors="coerce").dropna()
        if inside.empty:
            continue
        reject, adjusted, _, _ = multipletests(inside, alpha=0.05, method="fdr_bh")
        assert set(part["fdr_toetsen"]) == {str(len(inside))}, theme
        assert np.allclose(pd.to_numeric(part.loc[inside.index, "p_fdr"]), adjusted), theme
    # fewer trends are called a rise or a fall than have p < 0,05 on their own
    assert (trends["fdr_aantoonbaar"] == "True").sum() < (p < 0.05).sum()


def test_the_policy_is_stated_in_the_notebook_and_the_technical_report(outputs, shipped_run):
    _, _, texts = outputs
    for where in ("notebooks", "rapport"):
        assert any("Benjamini en Hochberg" in t and "false discovery rate 5%" in t for t in texts[where]), where
        assert any("geen steekproefmarge" in t for t in texts[where]), where


def test_segregation_and_wijk_sentences(outputs):
    summaries, _, _ = outputs
    messages = summaries["demografie"]["messages"]
    segregation = next(m for m in messages if "ongelijkheidsindex D" in m)
    assert "Bij een willekeurige spreiding over dezelfde buurten is D gemiddeld 0,02" in segregation
    assert "kleiner dan 1 op de 10.000 (geen van 10.000 gesimuleerde willekeurige spreidingen" in segregation
    assert "gecorrigeerd voor toeval 0,21" in segregation and "zou dat rond" not in segregation
    top = [m for m in messages if "het hoogst in" in m]
    assert top and all("van de inwoners van die wijk" in m and "meeste inwoners uit die groep" in m for m in top)
    assert not [m for m in messages if "grootste aandeel" in m]


def test_a_count_has_no_band_in_its_figure(outputs):
    summaries, _, _ = outputs
    figures = [f for s in summaries.values() for f in s["figures"] if f["indicator"] == "inwoners"]
    with_trend = [f for f in figures if "trend" in f["guidance"]]
    assert with_trend and all("geen onzekerheidsband" in f["guidance"] for f in with_trend)
