"""The reproduction register: check each published statement against evidence that is not the statement itself.

Statuses (their Dutch meaning is :data:`analyse.text.label_texts.REGISTER_STATUSES`):

- ``klopt``: evidence from outside the document agrees: a recomputation from *other* numbers (a change, a
  share, a rate, the highest of several values) of which at least one comes from a source other than the
  document (:data:`DOCUMENT_SOURCE`), a value for the same key from another source at least as precise as the
  document, or, for a direction, the trend over the whole series with its 95% interval, again with at least one
  measurement from another source;
- ``intern_consistent``: what would be ``klopt`` when every number used comes from the document itself (a
  ranking checked against the numbers printed in the same sentence, a share recomputed from the document's own
  count and total). That shows the document does not contradict itself, not that its numbers are right;
- ``overgenomen``: the only evidence is the document's own number as transcribed into ``data/raw``. Comparing a
  number with its own transcription is not a check, so this is never ``klopt``. Another source printed with
  fewer decimals than the document ('bijna een kwart', 23, against 22,6) cannot confirm it: every value within
  half a unit of its last decimal would pass. When it does not contradict the document either, the status is
  ``overgenomen`` and the ``toelichting`` names it;
- ``tekst_onjuist``: the number is right but the words are not. ``beweringen.csv`` records what the sentence
  claims (``tekst_eenheid``: the unit it attaches, e.g. ``procent`` for '3,6%'; ``tekst_jaren``: the span it
  names, e.g. 8 for 'in acht jaar'); the register computes the real unit (a difference of two percentages is in
  procentpunt) and span (``jaar_tot`` - ``jaar``) and compares;
- ``wijkt_af``: a recomputation differs from the printed number after rounding to the document's decimals, an
  independent source differs by more than half a unit of the last printed decimal (of the coarser of the two),
  the trend's whole interval points the other way, or two measurements move the other way;
- ``niet_aangetoond``: a direction the data do not show with confidence (the interval of the slope contains 0,
  or only two measurements);
- ``geen_data``: the observations needed are missing.

``berekend`` holds the unrounded recomputation (or the independent value, or the direction found); the rounding
comparison and its tolerance are written out in ``toelichting``. ``bewijs`` says what the status rests on
(:data:`EVIDENCE`), ``bronnen`` the bron codes used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analyse import series, trends
from analyse.disclosure import Cells
from analyse.indicators import rate_per_1000, select, share
from analyse.text.claim_texts import (claim_coarser_source, claim_direction_refused, claim_direction_trend,
                                      claim_direction_two_points, claim_extreme, claim_internal, claim_missing,
                                      claim_no_denominator, claim_no_value, claim_not_all_candidates,
                                      claim_other_source, claim_recomputed, claim_text_wrong, claim_too_few_years,
                                      claim_transcribed, claim_word_differs, claim_wrong_span, claim_wrong_unit,
                                      claim_years_said)
from analyse.text.label_texts import readable
from analyse.text.notation import format_published as nl, published_decimals, round_as_shown
from analyse.text.trend_texts import trend_caveats, trend_reason

DOCUMENT_SOURCE = "beleidsvisie_2019"
STATUSES = ("klopt", "intern_consistent", "overgenomen", "tekst_onjuist", "wijkt_af", "niet_aangetoond",
            "geen_data")
EVIDENCE = ("herberekening", "andere_bron", "trend", "twee_metingen", "document", "")
"""What a status rests on: a recomputation from other numbers, another source, the trend of a series, two
measurements, the document's own number only, or nothing (geen_data)."""
UNDECIDED = "onbepaald"
"""``berekend`` of a direction whose trend interval contains 0."""
COLUMNS = ["id", "thema", "citaat", "verwacht", "berekend", "status", "bewijs", "bronnen", "toelichting"]
DISCLOSURE = Cells(measures=(), claims="id", claim_cells=("verwacht", "berekend", "herberekend"),
                   texts=("toelichting",), quotes=("citaat",))
"""How the register passes the small-numbers gate (:class:`analyse.gate.Gate`): per claim (``id``) its figure and
what its explanation and quotation may not show."""


@dataclass
class Finding:
    """What the data say about one claim, before it is compared with the printed value."""

    value: object = None  # number (unrounded) or word; None: no data
    how: str = ""  # how it was computed, or why not (Dutch)
    evidence: str = ""  # one of EVIDENCE
    sources: list[str] = field(default_factory=list)
    unit: str | None = None  # unit of a computed number (for tekst_eenheid)
    verdict: str | None = None  # decided while computing (directions)
    tolerance: float | None = None  # absolute tolerance for a comparison with another source
    relative: float | None = None  # relative change, for a difference of percentages worded as '%'
    reeks: str = ""  # the reeks of an independent figure
    others: list[str] = field(default_factory=list)
    remark: str = ""  # a coarser source that neither confirms nor contradicts the printed value (Dutch)


def _year(value) -> int | None:
    return int(value) if str(value).strip().isdigit() else None


def _at(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int) -> pd.DataFrame:
    return obs[(obs["indicator"] == indicator) & (obs["regio"] == regio) & (obs["groep"] == groep)
               & (obs["jaar"] == jaar)]


def _lookup(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int | None) -> pd.Series | None:
    """An input of a recomputation: the document's own figure first (its arithmetic is what is checked), else
    the figure of the reeks that :func:`analyse.series.choose` ranks first."""
    if jaar is None:
        return None
    rows = _at(obs, indicator, regio, groep, jaar)
    if rows.empty:
        return None
    own = rows[rows["bron"] == DOCUMENT_SOURCE]
    if not own.empty:
        return own.iloc[0]
    chosen = series.choose(rows)
    return chosen.iloc[0] if not chosen.empty else rows.sort_values("bron").iloc[0]


def _independent(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int,
                 grades: dict[str, str] | None) -> list[pd.Series]:
    """Figures for one key and year from sources other than the document, best-ranked reeks first.

    A row replaced by a newer edition from another source does not count; one replaced by the document does.
    """
    key = obs[(obs["indicator"] == indicator) & (obs["regio"] == regio) & (obs["groep"] == groep)
              & (obs["bron"] != DOCUMENT_SOURCE)]
    if "vervangen_door" in key.columns:
        key = key[key["vervangen_door"].fillna("").isin(["", DOCUMENT_SOURCE])]
    if key.empty:
        return []
    ranked = series.rank(key.drop(columns="vervangen_door", errors="ignore"), grades)
    found = key[key["jaar"] == jaar]
    return [row for reeks in ranked for _, row in found[found["reeks"] == reeks].iterrows()]


def _tolerance(expected_decimals: int, value) -> float:
    """Half a unit of the last printed decimal of the coarser of the document's and the other figure."""
    other = published_decimals(value) or 0
    return 0.5 * 10 ** -min(expected_decimals, other)


def _value_finding(claim: pd.Series, obs: pd.DataFrame, grades) -> Finding:
    indicator, regio, groep, jaar = claim["indicator"], claim["regio"], claim["groep"], _year(claim["jaar"])
    if jaar is None:
        return Finding(how=claim_no_value(indicator, regio, groep, claim["jaar"]))
    others = _independent(obs, indicator, regio, groep, jaar, grades)
    unit_rows = _at(obs, indicator, regio, groep, jaar)
    unit = str(unit_rows["eenheid"].iloc[0]) if "eenheid" in unit_rows.columns and not unit_rows.empty else None
    decimals = int(claim["decimalen"])
    precise = [row for row in others if (published_decimals(row["waarde"]) or 0) >= decimals]
    coarse = ""
    if others:
        best = (precise or others)[0]
        tolerance = _tolerance(decimals, best["waarde"])
        if precise or abs(float(best["waarde"]) - float(claim["verwacht"])) > tolerance + 1e-9:
            rest = [f"{row['bron']}: {nl(row['waarde'])}" for row in others if row is not best]
            return Finding(value=float(best["waarde"]), evidence="andere_bron", sources=[best["bron"]], unit=unit,
                           tolerance=tolerance, others=rest, reeks=str(best["reeks"]))
        coarse = claim_coarser_source(best["bron"], str(best["reeks"]), best["waarde"], claim["verwacht"], decimals,
                                      tolerance)
    own = unit_rows[unit_rows["bron"] == DOCUMENT_SOURCE]
    if own.empty:
        return Finding(how=claim_no_value(indicator, regio, groep, claim["jaar"]), remark=coarse)
    return Finding(value=float(own.iloc[0]["waarde"]), evidence="document", sources=[DOCUMENT_SOURCE], unit=unit,
                   remark=coarse)


def _unit_of(obs: pd.DataFrame, indicator: str, claim: pd.Series) -> str | None:
    rows = obs[obs["indicator"] == indicator]
    if "eenheid" in rows.columns and not rows.empty:
        return str(rows["eenheid"].iloc[0])
    return str(claim.get("eenheid", "") or "") or None


def _change_finding(claim: pd.Series, obs: pd.DataFrame) -> Finding:
    kind = claim["berekening"]
    indicator, regio, groep = claim["indicator"], claim["regio"], claim["groep"]
    jaar, jaar_tot = _year(claim["jaar"]), _year(claim.get("jaar_tot", ""))
    base = _lookup(obs, indicator, regio, groep, jaar)
    if base is None:
        return Finding(how=claim_no_value(indicator, regio, groep, claim["jaar"]))
    end = _lookup(obs, indicator, regio, groep, jaar_tot)
    if end is None:
        return Finding(how=claim_no_value(indicator, regio, groep, claim.get("jaar_tot") or "eindjaar onbekend"))
    v0, v1 = float(base["waarde"]), float(end["waarde"])
    sources = list(dict.fromkeys([base["bron"], end["bron"]]))
    relative = (v1 - v0) / v0 * 100 if v0 else None
    if kind == "verschil":
        unit = _unit_of(obs, indicator, claim)
        unit = "procentpunt" if unit == "procent" else unit
        return Finding(value=v1 - v0, how=f"{nl(v1)} − {nl(v0)}", evidence="herberekening", sources=sources,
                       unit=unit, relative=relative)
    return Finding(value=relative, how=f"({nl(v1)} − {nl(v0)}) / {nl(v0)} × 100", evidence="herberekening",
                   sources=sources, unit="procent")


def _ratio_finding(claim: pd.Series, obs: pd.DataFrame) -> Finding:
    kind = claim["berekening"]
    indicator, regio, groep, jaar = claim["indicator"], claim["regio"], claim["groep"], _year(claim["jaar"])
    base = _lookup(obs, indicator, regio, groep, jaar)
    if base is None:
        return Finding(how=claim_no_value(indicator, regio, groep, claim["jaar"]))
    noemer_groep = claim.get("noemer_groep", "") or "totaal"
    denominator = _lookup(obs, claim["noemer_indicator"], regio, noemer_groep, jaar)
    if denominator is None:
        return Finding(how=claim_no_denominator(claim["noemer_indicator"], noemer_groep, regio, jaar))
    compute, factor = (share, 100) if kind == "aandeel" else (rate_per_1000, 1000)
    return Finding(value=compute(base["waarde"], denominator["waarde"]),
                   how=f"{nl(base['waarde'])} / {nl(denominator['waarde'])} × {nl(factor)}",
                   evidence="herberekening", sources=list(dict.fromkeys([base["bron"], denominator["bron"]])),
                   unit="procent" if kind == "aandeel" else "per_1000")


def _direction(v0: float, v1: float) -> str:
    return "stijging" if v1 > v0 else "daling" if v1 < v0 else "gelijk"


def _direction_finding(claim: pd.Series, obs: pd.DataFrame, grades) -> Finding:
    """A direction judged on the whole chosen series: the sign of the trend and its 95% interval."""
    indicator, regio, groep = claim["indicator"], claim["regio"], claim["groep"]
    jaar, jaar_tot = _year(claim["jaar"]), _year(claim.get("jaar_tot", ""))
    claimed = str(claim["verwacht"]).strip()
    rows = select(obs, indicator=indicator, regio=regio, groep=groep, start=jaar, end=jaar_tot)
    chosen = series.choose(rows, grades)
    if chosen["jaar"].nunique() < 2:
        return Finding(how=claim_too_few_years(jaar))
    reeks = str(chosen["reeks"].iloc[0])
    sources = list(dict.fromkeys(chosen["bron"]))
    first, last = chosen.iloc[0], chosen.iloc[-1]
    endpoints = _direction(first["waarde"], last["waarde"])
    said = claim_years_said(jaar, jaar_tot)
    if len(chosen) == 2:
        verdict = "niet_aangetoond" if endpoints == claimed else "wijkt_af"
        how = claim_direction_two_points(claimed, endpoints, int(first["jaar"]), first["waarde"],
                                         int(last["jaar"]), last["waarde"], reeks, verdict)
        return Finding(value=endpoints, how=f"{how} {said}", evidence="twee_metingen", sources=sources,
                       verdict=verdict)
    fit = trends.fit_trend(chosen)
    if fit.reden_code:
        verdict = "niet_aangetoond" if endpoints == claimed else "wijkt_af"
        refused = claim_direction_refused(trend_reason(fit), claimed, endpoints, reeks)
        return Finding(value=endpoints, how=f"{refused} {said}", evidence="trend", sources=sources, verdict=verdict)
    low, high = fit.helling_ondergrens, fit.helling_bovengrens
    told = trends.direction(low, high)  # the one rule for a direction (a claim of the document: no FDR)
    found = "gelijk" if told == "geen" else told
    if claimed == "gelijk":
        verdict = "wijkt_af" if found != "gelijk" else "niet_aangetoond"
    elif found == claimed:
        verdict = "klopt"
    elif found == "gelijk":
        verdict = "niet_aangetoond"
    else:
        verdict = "wijkt_af"
    how = claim_direction_trend(claimed, found, fit.eerste_jaar, fit.laatste_jaar, fit.n_jaren, fit.methode,
                                fit.helling, low, high, fit.eenheid, reeks, verdict)
    caveats = trend_caveats(fit)
    if caveats:
        how += f" {caveats}"
    shown = found if told != "geen" else UNDECIDED
    return Finding(value=shown, how=f"{how} {said}", evidence="trend", sources=sources, verdict=verdict)


def _extreme_finding(claim: pd.Series, obs: pd.DataFrame, grades) -> Finding:
    """Which candidate has the highest (lowest) value: groups in one region, or regions for one group.

    The candidates are the ';'-separated list in ``groep`` or, when ``regio`` holds the list, in ``regio``.
    """
    kind, indicator, regio, groep = claim["berekening"], claim["indicator"], claim["regio"], claim["groep"]
    jaar = _year(claim["jaar"])
    over = "regio" if ";" in regio else "groep"
    candidates = [c.strip() for c in (regio if over == "regio" else groep).split(";") if c.strip()]
    fixed = {"groep": groep} if over == "regio" else {"regio": regio}
    rows = select(obs, indicator=indicator, **{over: candidates}, **fixed)
    if jaar is not None:
        rows = rows[rows["jaar"] == jaar]
    elif not rows.empty:
        rows = rows[rows["jaar"] == rows["jaar"].max()]
    if rows[over].nunique() < len(candidates):
        return Finding(how=claim_not_all_candidates(candidates))
    rows = pd.concat([series.choose(r, grades) for _, r in rows.groupby(over)])
    pick = rows.loc[rows["waarde"].idxmax() if kind == "hoogste" else rows["waarde"].idxmin()]
    values = ", ".join(f"{r[over]}: {nl(r['waarde'])}" for _, r in rows.sort_values(over).iterrows())
    return Finding(value=pick[over], how=claim_extreme(kind, values, int(pick["jaar"])),
                   evidence="herberekening", sources=list(dict.fromkeys(rows["bron"])))


def recompute_claim(claim: pd.Series, obs: pd.DataFrame, grades: dict[str, str] | None = None) -> Finding:
    """What the data say about one statement (see :class:`Finding`); ``value`` None when they say nothing."""
    obs = series.with_reeks(obs)
    kind = claim["berekening"]
    if kind in ("hoogste", "laagste"):
        return _extreme_finding(claim, obs, grades)
    if kind == "richting":
        return _direction_finding(claim, obs, grades)
    if kind == "waarde":
        return _value_finding(claim, obs, grades)
    if kind in ("verandering_procent", "verschil"):
        return _change_finding(claim, obs)
    if kind in ("aandeel", "per_1000"):
        return _ratio_finding(claim, obs)
    raise ValueError(f"onbekende berekening '{kind}' in bewering {claim['id']}")


def _wording(claim: pd.Series, finding: Finding) -> list[str]:
    """What is wrong with the words around a number (empty: nothing), computed from what the text claims."""
    wrong = []
    claimed_unit = str(claim.get("tekst_eenheid", "") or "").strip()
    if claimed_unit and finding.unit and claimed_unit != finding.unit:
        wrong.append(claim_wrong_unit(claimed_unit, finding.unit, finding.relative))
    span = str(claim.get("tekst_jaren", "") or "").strip()
    jaar, jaar_tot = _year(claim.get("jaar", "")), _year(claim.get("jaar_tot", ""))
    if span.isdigit() and jaar is not None and jaar_tot is not None and int(span) != jaar_tot - jaar:
        wrong.append(claim_wrong_span(int(span), jaar, jaar_tot))
    return wrong


def check_claim(claim: pd.Series, obs: pd.DataFrame, grades: dict[str, str] | None = None) -> dict:
    """One register row: expected, recomputed, status (see :data:`STATUSES`), evidence and explanation."""
    finding = recompute_claim(claim, obs, grades)
    note = str(claim.get("toelichting", "") or "").strip()
    row = {"id": claim["id"], "thema": claim["thema"], "citaat": claim["citaat"], "verwacht": claim["verwacht"]}
    if finding.value is None:
        return {**row, "berekend": "", "status": "geen_data", "bewijs": "", "bronnen": "",
                "toelichting": _join(claim_missing(finding.how), finding.remark, note)}
    expected = str(claim["verwacht"]).strip()
    berekend = finding.value
    if isinstance(finding.value, str):
        if finding.verdict is not None:
            status = finding.verdict
        else:
            status = "klopt" if finding.value == expected else "wijkt_af"
        explanation = finding.how
        if status == "wijkt_af" and finding.verdict is None:
            explanation = _join(claim_word_differs(expected, finding.value), explanation)
    else:
        decimals = int(claim["decimalen"])
        if finding.evidence == "document":
            status, berekend = "overgenomen", ""
            explanation = _join(claim_transcribed(DOCUMENT_SOURCE, finding.value, float(expected), decimals,
                                                  bool(finding.remark)), finding.remark)
        elif finding.evidence == "andere_bron":
            matches = abs(finding.value - float(expected)) <= finding.tolerance + 1e-9
            status = "klopt" if matches else "wijkt_af"
            explanation = claim_other_source(finding.sources[0], finding.reeks, finding.value, float(expected),
                                             finding.tolerance, matches, finding.others)
        else:
            matches = abs(round_as_shown(finding.value, decimals) - float(expected)) < 1e-9
            status = "klopt" if matches else "wijkt_af"
            explanation = claim_recomputed(finding.how, finding.value, decimals, float(expected), matches)
    if status == "klopt" and set(finding.sources) <= {DOCUMENT_SOURCE}:
        status = "intern_consistent"
        explanation = _join(explanation, claim_internal())
    wording = _wording(claim, finding)
    if wording:
        if status in ("klopt", "intern_consistent", "overgenomen"):
            status = "tekst_onjuist"
            explanation = _join(explanation, claim_text_wrong(wording))
        else:
            explanation = _join(explanation, *wording)
    return {**row, "berekend": berekend, "status": status, "bewijs": finding.evidence,
            "bronnen": ", ".join(finding.sources), "toelichting": _join(explanation, note)}


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def reproduce(claims: pd.DataFrame, obs: pd.DataFrame, grades: dict[str, str] | None = None,
              names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The register for ``claims``: one row per statement, in register order.

    ``grades`` (``Dataset.grades``) lets :func:`analyse.series.choose` prefer a primary source on a tie.
    ``names`` maps codes (bron, reeks, indicator, groep) to what a reader calls them; the ``toelichting`` is
    written with those names, so no internal code reaches a publication (the ``bronnen`` column keeps codes).
    """
    rows = [check_claim(claim, obs, grades) for _, claim in claims.iterrows()]
    table = pd.DataFrame(rows, columns=COLUMNS)
    if names:
        table["toelichting"] = table["toelichting"].map(lambda note: readable(note, names))
    return table
