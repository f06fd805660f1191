"""The target monitor: every chapter-4 target with baseline, latest measurement and a verdict.

Verdicts (the rule behind each is written out in :data:`RULES` and shown in the monitor notebook):
``gehaald``, ``op_koers``, ``onzeker``, ``niet_op_koers``, ``onvoldoende_data``.
"""

from __future__ import annotations

import math

import pandas as pd

from analyse import indicators, text, trends
from analyse.series import choose as choose_series
from analyse.text import format_number, format_published

RULES = {
    "gehaald": "Numeriek doel: de laatste meting ligt al op of voorbij de doelwaarde (in de gewenste richting).",
    "op_koers": "Numeriek doel: het hele 95%-voorspellingsinterval van de trend in het doeljaar ligt op of voorbij "
                "het doel. Richtingsdoel: het 95%-interval van de jaarlijkse trend ligt helemaal aan de gewenste "
                "kant van nul (bij 'minimaal gelijk': de bovengrens/ondergrens laat geen verslechtering toe).",
    "niet_op_koers": "Numeriek doel: het hele voorspellingsinterval ligt aan de verkeerde kant van het doel. "
                     "Richtingsdoel: het 95%-interval van de trend ligt helemaal aan de verkeerde kant van nul.",
    "onzeker": "Er is een trend, maar het interval laat zowel halen als niet halen toe.",
    "onvoldoende_data": "Minder dan drie meetjaren in één consistente reeks: geen trend, dus geen oordeel. "
                        "Twee metingen tonen hooguit een richting, zonder onzekerheidsmarge; die staat in de toelichting.",
}
BASELINE_SOURCE = "beleidsvisie_2019"  # the chapter-4 tables' "laatste meting" comes from the document
COLUMNS = ["indicator", "label", "doel_omschrijving", "regio", "groep", "doel_type", "doel_waarde", "doel_jaar",
           "basis_waarde", "basis_jaar", "laatste_waarde", "laatste_jaar", "laatste_bron", "trend_bron", "trend_methode", "n_jaren",
           "helling", "helling_ondergrens", "helling_bovengrens", "projectie", "projectie_ondergrens",
           "projectie_bovengrens", "oordeel", "toelichting"]


def _number(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def desired_sign(target: pd.Series) -> int:
    """+1 when the target asks for a higher value, -1 for lower, 0 when it only asks to hold the level."""
    kind = target["doel_type"]
    if kind == "toename":
        return 1
    if kind == "afname":
        return -1
    if kind == "minimaal_gelijk":
        return 1 if target["richting"] == "hoger_beter" else -1
    goal, base = _number(target.get("doel_waarde")), _number(target.get("basis_waarde"))
    if goal is not None and base is not None and goal != base:
        return 1 if goal > base else -1
    return 1 if target["richting"] == "hoger_beter" else -1


def evaluate(target: pd.Series, obs: pd.DataFrame, regio: str, groep: str, eind_jaar: int | None = None) -> dict:
    """One monitor row for one target (a row of indicatoren.csv with a ``doel_type``) and one group."""
    indicator = target["indicator"]
    rows = indicators.select(obs, indicator=indicator, regio=regio, groep=groep, end=eind_jaar)
    sign = desired_sign(target)
    record = {c: "" for c in COLUMNS}
    record.update({k: target.get(k, "") for k in ("indicator", "label", "doel_omschrijving", "doel_type",
                                                    "doel_waarde", "doel_jaar", "basis_waarde", "basis_jaar")})
    record.update(regio=regio, groep=groep)
    if not _number(target.get("basis_waarde")) and str(target.get("basis_jaar", "")).isdigit():
        base = indicators.value_at(obs, indicator, regio, groep, int(target["basis_jaar"]), prefer_bron=BASELINE_SOURCE)
        if base is not None:  # a target over several groups prints one baseline per group
            record["basis_waarde"] = base["waarde"]
    if rows.empty:
        record.update(oordeel="onvoldoende_data", toelichting=f"Geen metingen voor {regio} ({groep}).")
        return record
    series = choose_series(rows).sort_values("jaar")
    latest = rows.sort_values(["jaar", "bron"]).iloc[-1]
    record.update(laatste_waarde=latest["waarde"], laatste_jaar=int(latest["jaar"]), laatste_bron=latest["bron"],
                  trend_bron=series.iloc[0]["bron"])
    fit = trends.fit_trend(series)
    record.update(trend_methode=fit.methode, n_jaren=fit.n_jaren)
    caveats = text.trend_caveats(fit)
    notes = [caveats] if caveats else []
    goal = _number(target.get("doel_waarde"))
    if target["doel_type"] == "niveau" and goal is not None:
        if (latest["waarde"] - goal) * sign >= 0:
            record.update(oordeel="gehaald", toelichting=_join([
                f"De laatste meting ({format_published(latest['waarde'])} in {int(latest['jaar'])}) ligt op of voorbij het doel "
                f"({format_published(goal)})."] + notes))
            return record
        if fit.reason:
            record.update(oordeel="onvoldoende_data",
                          toelichting=_join([text.trend_reason(fit), _two_points(series, sign)] + notes))
            return record
        proj = trends.project(fit, int(target["doel_jaar"]))
        if proj.reason:
            record.update(oordeel="onvoldoende_data", toelichting=_join([text.projection_reason(proj)] + notes))
            return record
        record.update(projectie=proj.verwacht, projectie_ondergrens=proj.ondergrens,
                      projectie_bovengrens=proj.bovengrens, helling=fit.helling,
                      helling_ondergrens=fit.helling_ondergrens, helling_bovengrens=fit.helling_bovengrens)
        low, high = (proj.ondergrens - goal) * sign, (proj.bovengrens - goal) * sign
        verdict = "op_koers" if min(low, high) >= 0 else "niet_op_koers" if max(low, high) < 0 else "onzeker"
        record.update(oordeel=verdict, toelichting=_join([
            f"Verwacht in {proj.jaar}: {format_number(proj.verwacht, 1)} (interval {format_number(proj.ondergrens, 1)} tot {format_number(proj.bovengrens, 1)}); "
            f"doel {format_published(goal)}."] + ([text.projection_caveats(proj)] if text.projection_caveats(proj) else []) + notes))
        return record
    # directional targets: afname, toename, minimaal_gelijk
    if fit.reason:
        record.update(oordeel="onvoldoende_data",
                      toelichting=_join([text.trend_reason(fit), _two_points(series, sign)] + notes))
        return record
    record.update(helling=fit.helling, helling_ondergrens=fit.helling_ondergrens,
                  helling_bovengrens=fit.helling_bovengrens)
    low, high = fit.helling_ondergrens * sign, fit.helling_bovengrens * sign
    if target["doel_type"] == "minimaal_gelijk":
        verdict = "op_koers" if min(low, high) >= 0 else "niet_op_koers" if max(low, high) < 0 else "onzeker"
    else:
        verdict = "op_koers" if min(low, high) > 0 else "niet_op_koers" if max(low, high) < 0 else "onzeker"
    record.update(oordeel=verdict, toelichting=_join([
        f"Trend {fit.eerste_jaar}-{fit.laatste_jaar}: {format_number(fit.helling, 2)} per jaar "
        f"(95%-interval {format_number(fit.helling_ondergrens, 2)} tot {format_number(fit.helling_bovengrens, 2)})."] + notes))
    return record


def _two_points(series: pd.DataFrame, sign: int) -> str:
    if series["jaar"].nunique() != 2:
        return ""
    first, last = series.iloc[0], series.iloc[-1]
    moved = (last["waarde"] - first["waarde"]) * sign
    word = "de gewenste" if moved > 0 else "de verkeerde" if moved < 0 else "geen"
    return (f"Twee metingen ({int(first['jaar'])}: {format_published(first['waarde'])}; {int(last['jaar'])}: {format_published(last['waarde'])}) "
            f"wijzen in {word} richting, zonder onzekerheidsmarge.")


def _join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p)


def monitor_table(indicatoren: pd.DataFrame, obs: pd.DataFrame, regio: str, eind_jaar: int | None = None) -> pd.DataFrame:
    """One row per target in ``indicatoren`` (rows with a ``doel_type``), in catalogue order."""
    rows = [evaluate(target, obs, regio, groep, eind_jaar) for target, groep in target_series(indicatoren)]
    return pd.DataFrame(rows, columns=COLUMNS)


def target_series(indicatoren: pd.DataFrame) -> list[tuple[pd.Series, str]]:
    """Every (target row, group) pair: ``doel_groep`` may list several groups separated by ';'."""
    targets = indicatoren[indicatoren["doel_type"].fillna("") != ""]
    pairs = []
    for _, target in targets.iterrows():
        groups = [g.strip() for g in str(target.get("doel_groep", "") or "").split(";") if g.strip()]
        pairs.extend((target, groep) for groep in groups or ["totaal"])
    return pairs
