"""The reproduction register: recompute each published statement from the observations."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from analyse.indicators import rate_per_1000, select, share, value_at
from analyse.series import choose as preferred_source
from analyse.text import format_published as nl

DOCUMENT_SOURCE = "beleidsvisie_2019"
COLUMNS = ["id", "thema", "citaat", "verwacht", "berekend", "status", "toelichting"]


def round_half_up(value: float, decimals: int) -> float:
    """Round as a printed document does (2,45 -> 2,5), not banker's rounding."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _year(text: str) -> int | None:
    return int(text) if str(text).strip().isdigit() else None


def _lookup(obs: pd.DataFrame, indicator: str, regio: str, groep: str, jaar: int | None):
    if jaar is None:
        return None
    return value_at(obs, indicator, regio, groep, jaar, prefer_bron=DOCUMENT_SOURCE)


def _direction(v0: float, v1: float) -> str:
    return "stijging" if v1 > v0 else "daling" if v1 < v0 else "gelijk"


def _extreme(kind: str, indicator: str, regio: str, groep: str, jaar: int | None, obs: pd.DataFrame):
    """Which candidate has the highest (lowest) value: groups in one region, or regions for one group.

    The candidates are the ';'-separated list in ``groep`` or, when ``regio`` holds the list, in ``regio``.
    """
    over = "regio" if ";" in regio else "groep"
    candidates = [c.strip() for c in (regio if over == "regio" else groep).split(";") if c.strip()]
    rows = select(obs, indicator=indicator, **{over: candidates}, **({"groep": groep} if over == "regio"
                                                                      else {"regio": regio}))
    if jaar is not None:
        rows = rows[rows["jaar"] == jaar]
    elif not rows.empty:
        rows = rows[rows["jaar"] == rows["jaar"].max()]
    if rows[over].nunique() < len(candidates):
        return None, f"niet alle kandidaten ({', '.join(candidates)}) gemeten in hetzelfde jaar"
    rows = pd.concat([preferred_source(r) for _, r in rows.groupby(over)])
    pick = rows.loc[rows["waarde"].idxmax() if kind == "hoogste" else rows["waarde"].idxmin()]
    values = ", ".join(f"{r[over]}: {nl(r['waarde'])}" for _, r in rows.sort_values(over).iterrows())
    return pick[over], f"{kind} van {values} in {int(pick['jaar'])}"


def recompute_claim(claim: pd.Series, obs: pd.DataFrame) -> tuple[object, str]:
    """Recompute one statement; returns (value or word, how it was computed) or (None, why not)."""
    kind = claim["berekening"]
    indicator, regio, groep = claim["indicator"], claim["regio"], claim["groep"]
    jaar, jaar_tot = _year(claim["jaar"]), _year(claim.get("jaar_tot", ""))
    if kind in ("hoogste", "laagste"):
        return _extreme(kind, indicator, regio, groep, jaar, obs)
    if kind == "richting":
        if jaar is None or jaar_tot is None:
            series = preferred_source(select(obs, indicator=indicator, regio=regio, groep=groep, start=jaar))
            if series["jaar"].nunique() < 2:
                since = f" vanaf {jaar}" if jaar else ""
                return None, f"geen reeks met twee of meer jaren{since} in de data"
            series = series.sort_values("jaar")
            first, last = series.iloc[0], series.iloc[-1]
            said = f"het document noemt alleen het beginjaar {jaar}" if jaar else "het document noemt geen jaren"
            return _direction(first["waarde"], last["waarde"]), (
                f"{int(first['jaar'])}: {nl(first['waarde'])}, {int(last['jaar'])}: {nl(last['waarde'])} "
                f"(bron {first['bron']}; {said})")
        start, end = _lookup(obs, indicator, regio, groep, jaar), _lookup(obs, indicator, regio, groep, jaar_tot)
        if start is None or end is None:
            return None, f"geen waarde voor {jaar if start is None else jaar_tot}"
        return _direction(start["waarde"], end["waarde"]), (
            f"{jaar}: {nl(start['waarde'])}, {jaar_tot}: {nl(end['waarde'])}")
    base = _lookup(obs, indicator, regio, groep, jaar)
    if base is None:
        return None, f"geen waarde voor {indicator}, {regio}, {groep}, {claim['jaar'] or 'jaar onbekend'}"
    if kind == "waarde":
        return base["waarde"], f"waarneming ({base['bron']})"
    if kind in ("verandering_procent", "verschil"):
        end = _lookup(obs, indicator, regio, groep, jaar_tot)
        if end is None:
            return None, f"geen waarde voor {indicator}, {regio}, {groep}, {claim.get('jaar_tot') or 'eindjaar onbekend'}"
        if kind == "verschil":
            return end["waarde"] - base["waarde"], f"{nl(end['waarde'])} − {nl(base['waarde'])}"
        return (end["waarde"] - base["waarde"]) / base["waarde"] * 100, (
            f"({nl(end['waarde'])} − {nl(base['waarde'])}) / {nl(base['waarde'])} × 100")
    if kind in ("aandeel", "per_1000"):
        noemer_groep = claim.get("noemer_groep", "") or "totaal"
        denominator = _lookup(obs, claim["noemer_indicator"], regio, noemer_groep, jaar)
        if denominator is None:
            return None, f"geen noemer {claim['noemer_indicator']} ({noemer_groep}) voor {regio} in {jaar}"
        compute, factor = (share, 100) if kind == "aandeel" else (rate_per_1000, 1000)
        return compute(base["waarde"], denominator["waarde"]), (
            f"{nl(base['waarde'])} / {nl(denominator['waarde'])} × {factor}")
    raise ValueError(f"onbekende berekening '{kind}' in bewering {claim['id']}")


def check_claim(claim: pd.Series, obs: pd.DataFrame) -> dict:
    """One register row: expected, recomputed, status (klopt / wijkt_af / geen_data) and explanation."""
    recomputed, how = recompute_claim(claim, obs)
    note = str(claim.get("toelichting", "") or "").strip()
    row = {"id": claim["id"], "thema": claim["thema"], "citaat": claim["citaat"], "verwacht": claim["verwacht"]}
    if recomputed is None:
        return {**row, "berekend": "", "status": "geen_data", "toelichting": _join(f"Niet te herberekenen: {how}.", note)}
    if isinstance(recomputed, str):
        status = "klopt" if recomputed == str(claim["verwacht"]).strip() else "wijkt_af"
        shown = recomputed
    else:
        decimals = int(claim["decimalen"])
        shown = round_half_up(recomputed, decimals)
        status = "klopt" if abs(shown - float(claim["verwacht"])) < 1e-9 else "wijkt_af"
    explanation = f"Berekend als {how}."
    if status == "wijkt_af":
        expected = claim["verwacht"] if isinstance(shown, str) else nl(float(claim["verwacht"]))
        given = shown if isinstance(shown, str) else nl(shown)
        explanation = f"Het document drukt {expected}, de data geven {given}. " + explanation
    return {**row, "berekend": shown, "status": status, "toelichting": _join(explanation, note)}


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def reproduce(claims: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """The register for ``claims``: one row per statement, in register order."""
    rows = [check_claim(claim, obs) for _, claim in claims.iterrows()]
    return pd.DataFrame(rows, columns=COLUMNS)
