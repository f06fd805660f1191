"""The target monitor: every chapter-4 target with baseline, latest measurement and a verdict.

One verdict rests on one series: the reeks that :func:`analyse.series.choose` picks for the target's indicator,
region and group with measurements from the baseline year (``basis_jaar``) up to ``end_year``. The latest
value, the trend, the projection and the margin all come from that reeks; figures of other reeksen are named in
the ``toelichting`` and never decide. A target is about the development since its baseline, so every trend and
projection uses the years from ``basis_jaar`` on: earlier measurements would let a development from before the
policy decide (the ``toelichting`` names the years left out). A reeks that starts after ``basis_jaar`` is
used from its first year, and the ``toelichting`` says so.

A target that speaks of another measure than its indicator (``doel_maat`` in ``indicatoren.csv``: a share where
the indicator is a count, a count relative to the labour force where it counts persons) is not judged with that
indicator: its verdict is ``andere_maat``, whatever the measurements do.

Verdicts (:data:`VERDICTS`; the Dutch rules are :data:`RULES`, shown in the monitor notebook):

- numeric target (``niveau``): when the chosen reeks has a measurement in the target year, that measurement
  decides (``gehaald`` / ``niet_gehaald`` / ``onzeker``, 'doeljaar verstreken'); when the target year has passed
  (``end_year``, or else the last year in the data, is later) without one: ``onvoldoende_data``. Before that,
  ``gehaald`` when the latest value lies on or beyond the target with its whole margin (95% interval from
  ``ondergrens``/``bovengrens``, or from ``n`` for a survey percentage); otherwise the projection of the trend to
  the target year (:func:`analyse.trends.project`) gives ``op_koers`` / ``niet_op_koers`` / ``onzeker``; without
  a trend a latest value whose margin straddles the target is ``onzeker``, anything else ``onvoldoende_data``;
- ``toename`` / ``afname``: the 95% interval of the yearly trend entirely on the desired (wrong) side of 0;
- ``minimaal_gelijk``: non-inferiority. The level of the trend (projected to the target year, or at the last
  measured year) must not be worse than the baseline by more than a margin: ``doel_marge`` in
  ``indicatoren.csv`` when set, else the margin of the latest measurement, else the baseline's published
  rounding (half a unit of its last printed decimal). ``op_koers`` when the whole interval is within that
  margin or better, ``niet_op_koers`` when it is entirely beyond it on the bad side, else ``onzeker``. A flat
  series is therefore never ``niet_op_koers`` for lack of a significant improvement;
- ``andere_maat``: the target speaks of another measure than the indicator (see above); the latest measurement
  is shown, no trend is fitted.
"""

from __future__ import annotations

import math

import pandas as pd

from analyse import indicators, series, trends
from analyse.disclosure import Cells, Measure
from analyse.schema import number
from analyse.text.label_texts import MONITOR_RULES
from analyse.text.monitor_texts import (MARGIN_SOURCES, monitor_before_baseline, monitor_no_baseline,
                                        monitor_no_measurements, monitor_non_inferiority, monitor_other_measure,
                                        monitor_other_series, monitor_projection, monitor_reached, monitor_slope,
                                        monitor_starts_after_baseline, monitor_target_year_measured,
                                        monitor_target_year_missed, monitor_two_points, monitor_within_margin)
from analyse.text.notation import format_published, published_decimals
from analyse.text.trend_texts import projection_caveats, projection_reason, trend_caveats, trend_reason

RULES = MONITOR_RULES
VERDICTS = ("gehaald", "niet_gehaald", "op_koers", "onzeker", "niet_op_koers", "onvoldoende_data", "andere_maat")
BASELINE_SOURCE = "beleidsvisie_2019"  # the chapter-4 tables' "laatste meting" comes from the document
Z_95 = 1.959963984540054
COLUMNS = ["indicator", "label", "doel_omschrijving", "regio", "groep", "doel_type", "doel_waarde", "doel_jaar",
           "basis_waarde", "basis_jaar", "reeks", "laatste_waarde", "laatste_ondergrens", "laatste_bovengrens",
           "laatste_jaar", "laatste_bron", "trend_bron", "trend_methode", "n_jaren", "helling",
           "helling_ondergrens", "helling_bovengrens", "projectie_jaar", "projectie", "projectie_ondergrens",
           "projectie_bovengrens", "projectie_interval", "marge", "oordeel", "toelichting"]
_KEYS = {"indicator": "indicator", "regio": "regio", "groep": "groep"}
DISCLOSURE = Cells(measures=(Measure("basis_waarde", keys={**_KEYS, "jaar": "basis_jaar"}),
                             Measure("laatste_waarde", keys={**_KEYS, "jaar": "laatste_jaar"},
                                     follows=("laatste_ondergrens", "laatste_bovengrens"))),
                   texts=("toelichting",))
"""How the monitor table passes the small-numbers gate (:class:`analyse.gate.Gate`): baseline and latest
measurement by target, series and year (unit per row in ``eenheid``); the explanation may not quote them."""


def desired_sign(target: pd.Series) -> int:
    """+1 when the target asks for a higher value, -1 for lower (for 'minimaal gelijk': the good direction)."""
    kind = target["doel_type"]
    if kind == "toename":
        return 1
    if kind == "afname":
        return -1
    if kind == "minimaal_gelijk":
        return 1 if target["richting"] == "hoger_beter" else -1
    goal, base = number(target.get("doel_waarde")), number(target.get("basis_waarde"))
    if goal is not None and base is not None and goal != base:
        return 1 if goal > base else -1
    return 1 if target["richting"] == "hoger_beter" else -1


def margin(row: pd.Series) -> tuple[float | None, float | None]:
    """The 95% interval of a measurement: published ``ondergrens``/``bovengrens``, else for a survey percentage
    with ``n`` respondents the normal approximation p ± 1,96·√(p(1−p)/n); (None, None) when unknown."""
    low, high = number(row.get("ondergrens")), number(row.get("bovengrens"))
    if low is not None and high is not None:
        return low, high
    n, value = number(row.get("n")), number(row.get("waarde"))
    if n and n > 0 and value is not None and row.get("eenheid") == "procent":
        p = value / 100
        half = Z_95 * math.sqrt(p * (1 - p) / n) * 100
        return max(0.0, value - half), min(100.0, value + half)
    return None, None


def side(low: float, high: float, goal: float, sign: int) -> str:
    """Where an interval lies relative to ``goal`` in the desired direction ``sign``: 'voorbij' (entirely on or
    beyond), 'achter' (entirely short of it) or 'beide' (on both sides)."""
    a, b = (low - goal) * sign, (high - goal) * sign
    if min(a, b) >= 0:
        return "voorbij"
    if max(a, b) < 0:
        return "achter"
    return "beide"


def _bounds(row: pd.Series) -> tuple[float, float, float | None, float | None]:
    """(low, high) to judge with (the value itself when no margin is known) and the published margin."""
    low, high = margin(row)
    value = float(row["waarde"])
    return (value if low is None else low), (value if high is None else high), low, high


def _rounding(value) -> float:
    """Half a unit of the last printed decimal: of the text as written ('5.0' -> 0,05), else of the number."""
    written = str(value).strip()
    if isinstance(value, str) and "." in written:
        return 0.5 * 10 ** -len(written.split(".", 1)[1])
    return 0.5 * 10 ** -(published_decimals(value) or 0)


def _two_points(chosen: pd.DataFrame, sign: int) -> str:
    if chosen["jaar"].nunique() != 2:
        return ""
    first, last = chosen.iloc[0], chosen.iloc[-1]
    return monitor_two_points(int(first["jaar"]), first["waarde"], int(last["jaar"]), last["waarde"],
                              (last["waarde"] - first["waarde"]) * sign)


def _other_series(rows: pd.DataFrame, reeks: str) -> list[str]:
    """The newest figure of every other reeks (shown, never used for the verdict)."""
    others = series.active(rows)
    others = others[others["reeks"] != reeks].sort_values("jaar")
    return [f"{r['bron']} {int(r['jaar'])}: {format_published(r['waarde'])}"
            for _, r in others.groupby("reeks", sort=True).tail(1).iterrows()]


def _year(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


def _from_baseline(every: pd.DataFrame, chosen: pd.DataFrame, base_year: int | None) -> str:
    """What the toelichting says about the baseline: the reeks's years before it that do not count, or that the
    reeks starts after it."""
    if base_year is None:
        return ""
    active = series.active(every)
    years = active.loc[(active["reeks"] == chosen["reeks"].iloc[0]) & (active["jaar"] < base_year), "jaar"]
    earlier = sorted(int(y) for y in years.unique())
    first = int(chosen["jaar"].min())
    return _join([monitor_before_baseline(base_year, earlier) if earlier else "",
                  monitor_starts_after_baseline(base_year, first) if first > base_year else ""])


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def evaluate(target: pd.Series, obs: pd.DataFrame, regio: str, groep: str, end_year: int | None = None,
             grades: dict[str, str] | None = None, reference_year: int | None = None) -> dict:
    """One monitor row for one target (a row of indicatoren.csv with a ``doel_type``) and one group.

    ``reference_year`` is the year the monitor speaks of (default ``end_year``, else the last year in ``obs``): a
    target year before it has passed.
    """
    obs = series.with_reeks(obs)
    indicator = target["indicator"]
    base_year = _year(target.get("basis_jaar"))
    every = indicators.select(obs, indicator=indicator, regio=regio, groep=groep, end=end_year)
    rows = every if base_year is None else every[every["jaar"] >= base_year]
    sign = desired_sign(target)
    record = {c: "" for c in COLUMNS}
    record.update({k: target.get(k, "") for k in ("indicator", "label", "doel_omschrijving", "doel_type",
                                                    "doel_waarde", "doel_jaar", "basis_waarde", "basis_jaar")})
    record.update(regio=regio, groep=groep)
    if number(target.get("basis_waarde")) is None and base_year is not None:
        base = indicators.value_at(obs, indicator, regio, groep, base_year, prefer_bron=BASELINE_SOURCE)
        if base is not None:  # a target over several groups prints one baseline per group
            record["basis_waarde"] = base["waarde"]
    chosen = series.choose(rows, grades)
    if not chosen.empty:
        latest = chosen.iloc[-1]
        low, high = margin(latest)
        record.update(reeks=str(chosen["reeks"].iloc[0]), laatste_waarde=latest["waarde"],
                      laatste_jaar=int(latest["jaar"]), laatste_bron=latest["bron"],
                      laatste_ondergrens="" if low is None else low, laatste_bovengrens="" if high is None else high)
    measure = str(target.get("doel_maat", "") or "").strip()
    if measure:
        record.update(oordeel="andere_maat", toelichting=monitor_other_measure(
            measure, str(target.get("label", "") or indicator), str(target.get("eenheid", "") or ""),
            record["laatste_jaar"] or None))
        return record
    if chosen.empty:
        before = every["jaar"].max() if not every.empty else None
        record.update(oordeel="onvoldoende_data", toelichting=monitor_no_measurements(
            regio, groep, base_year if before is not None else None, None if before is None else int(before)))
        return record
    reeks = record["reeks"]
    record["trend_bron"] = ", ".join(dict.fromkeys(chosen["bron"]))
    fit = trends.fit_trend(chosen)
    record.update(trend_methode=fit.methode, n_jaren=fit.n_jaren)
    reason = trend_reason(fit)
    if not fit.reden_code:
        record.update(helling=fit.helling, helling_ondergrens=fit.helling_ondergrens,
                      helling_bovengrens=fit.helling_bovengrens)
    others = _other_series(rows, reeks)
    notes = [_from_baseline(every, chosen, base_year), trend_caveats(fit) or "",
             monitor_other_series(others) if others else ""]
    year_spoken = reference_year if reference_year is not None else end_year
    if year_spoken is None:
        year_spoken = int(obs["jaar"].max())

    def done(verdict: str, *parts: str) -> dict:
        record.update(oordeel=verdict, toelichting=_join([*parts, *notes]))
        return record

    def projected(year: int):
        proj = trends.project(fit, year)
        if not proj.reden_code:
            record.update(projectie_jaar=year, projectie=proj.verwacht, projectie_ondergrens=proj.ondergrens,
                          projectie_bovengrens=proj.bovengrens, projectie_interval=proj.interval or "")
            own = proj.to_record()  # the projection's caveats that the trend's do not already say
            own["opmerking_codes"] = ";".join(c for c in proj.opmerking_codes if c not in fit.opmerking_codes) or None
            notes.insert(2, projection_caveats(own) or "")  # after the trend's own caveats
        return proj

    kind = target["doel_type"]
    goal = number(target.get("doel_waarde"))
    target_year = _year(target.get("doel_jaar"))
    if kind == "niveau" and goal is not None and target_year is not None:
        measured = chosen[chosen["jaar"] == target_year]
        if not measured.empty:
            row = measured.iloc[-1]
            lo, hi, mlo, mhi = _bounds(row)
            verdict = {"voorbij": "gehaald", "achter": "niet_gehaald", "beide": "onzeker"}[side(lo, hi, goal, sign)]
            return done(verdict, monitor_target_year_measured(verdict, target_year, row["waarde"], mlo, mhi, goal))
        if year_spoken > target_year:
            return done("onvoldoende_data", monitor_target_year_missed(target_year, int(latest["jaar"]),
                                                                           latest["waarde"]))
        lo, hi, mlo, mhi = _bounds(latest)
        where = side(lo, hi, goal, sign)
        if where == "voorbij":
            return done("gehaald", monitor_reached(int(latest["jaar"]), latest["waarde"], mlo, mhi, goal,
                                                   target_year))
        within = monitor_within_margin(int(latest["jaar"]), latest["waarde"], mlo, mhi, goal) \
            if where == "beide" else ""
        if fit.reden_code:
            if where == "beide":
                return done("onzeker", within, reason)
            return done("onvoldoende_data", reason, _two_points(chosen, sign))
        proj = projected(target_year)
        if proj.reden_code:
            return done("onvoldoende_data", projection_reason(proj))
        verdict = {"voorbij": "op_koers", "achter": "niet_op_koers", "beide": "onzeker"}[
            side(proj.ondergrens, proj.bovengrens, goal, sign)]
        return done(verdict, monitor_projection(target_year, proj.verwacht, proj.ondergrens, proj.bovengrens,
                                                proj.interval, goal), within)
    if fit.reden_code:
        return done("onvoldoende_data", reason, _two_points(chosen, sign))
    if kind == "minimaal_gelijk":
        return _non_inferiority(target, record, chosen, fit, sign, target_year, projected, done)
    low_s, high_s = fit.helling_ondergrens * sign, fit.helling_bovengrens * sign
    verdict = "op_koers" if min(low_s, high_s) > 0 else "niet_op_koers" if max(low_s, high_s) < 0 else "onzeker"
    return done(verdict, monitor_slope(fit.eerste_jaar, fit.laatste_jaar, fit.helling, fit.helling_ondergrens,
                                       fit.helling_bovengrens))


def _non_inferiority(target, record, chosen, fit, sign, target_year, projected, done) -> dict:
    """'Minimaal gelijk': the level of the trend is not worse than the baseline by more than the margin."""
    base = number(record.get("basis_waarde"))
    if base is None:
        return done("onvoldoende_data", monitor_no_baseline())
    latest = chosen.iloc[-1]
    low, high = margin(latest)
    if number(target.get("doel_marge")) is not None:
        delta, source = number(target.get("doel_marge")), "doel_marge"
    elif low is not None and high is not None:
        delta, source = (high - low) / 2, "meting"
    else:
        delta, source = _rounding(record.get("basis_waarde")), "afronding"
    record["marge"] = delta
    year = target_year if target_year is not None and target_year > int(latest["jaar"]) else int(latest["jaar"])
    proj = projected(year)
    if proj.reden_code:
        return done("onvoldoende_data", projection_reason(proj))
    worst = base - sign * delta  # the worst level that still counts as 'gelijk'
    verdict = {"voorbij": "op_koers", "achter": "niet_op_koers", "beide": "onzeker"}[
        side(proj.ondergrens, proj.bovengrens, worst, sign)]
    return done(verdict, monitor_non_inferiority(year, proj.verwacht, proj.ondergrens, proj.bovengrens, base,
                                                 delta, MARGIN_SOURCES[source], proj.interval))


def monitor_table(indicatoren: pd.DataFrame, obs: pd.DataFrame, regio: str, end_year: int | None = None,
                  grades: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per target in ``indicatoren`` (rows with a ``doel_type``), in catalogue order.

    ``grades`` (``Dataset.grades``) lets :func:`analyse.series.choose` prefer a primary source on a tie.
    """
    year_spoken = end_year if end_year is not None else (int(obs["jaar"].max()) if not obs.empty else None)
    rows = [evaluate(target, obs, regio, groep, end_year, grades, year_spoken)
            for target, groep in target_series(indicatoren)]
    return pd.DataFrame(rows, columns=COLUMNS)


def from_baseline(obs: pd.DataFrame, indicatoren: pd.DataFrame) -> pd.DataFrame:
    """``obs`` without the measurements of a target's indicator from before its ``basis_jaar``: the years the
    monitor's trends and projections rest on (for the figures of the monitor notebook)."""
    targets = indicatoren[indicatoren["doel_type"].fillna("") != ""]
    starts = {t["indicator"]: year for _, t in targets.iterrows() if (year := _year(t.get("basis_jaar"))) is not None}
    start = obs["indicator"].map(starts)
    return obs[start.isna() | (obs["jaar"] >= start)]


def target_series(indicatoren: pd.DataFrame) -> list[tuple[pd.Series, str]]:
    """Every (target row, group) pair: ``doel_groep`` may list several groups separated by ';'."""
    targets = indicatoren[indicatoren["doel_type"].fillna("") != ""]
    pairs = []
    for _, target in targets.iterrows():
        groups = [g.strip() for g in str(target.get("doel_groep", "") or "").split(";") if g.strip()]
        pairs.extend((target, groep) for groep in groups or ["totaal"])
    return pairs
