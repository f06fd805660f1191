"""Trends, projections and group gaps in Dutch.

:mod:`analyse.trends` returns codes (``reden_code``, ``opmerking_codes``) with their numbers; the Dutch for them lives
here. Every function takes a record (a dict, a row of ``reports/trends.csv`` read back as strings, or a
``TrendResult`` / ``Projection`` / ``GapResult``, which have ``to_record``).
"""

from __future__ import annotations

import pandas as pd

from analyse.text.notation import format_difference, format_number, rounded, to_decimal, year_range
from analyse.text.records import as_int, codes, is_set, is_true, record_of
from analyse.trends import FDR_ALPHA, direction, is_registration


def fdr_policy() -> str:
    """The policy for many trend tests in one report, as the trend table, the notebook and the note state it."""
    rate = format_number(100 * FDR_ALPHA, 0)
    return ("Veel trends tegelijk: een trend heet alleen stijgend of dalend als het hele 95%-interval aan één kant "
            "van nul ligt én de correctie voor meervoudig toetsen van Benjamini en Hochberg over alle trendtoetsen "
            f"van het thema dat bevestigt (false discovery rate {rate}%: van de trends die zo stijgend of dalend "
            f"heten, is naar verwachting hoogstens {rate}% toeval). Een thema wordt op zichzelf doorgerekend, dus de "
            "correctie geldt per thema; de trendtabel met alle thema's samen geeft daarnaast de correctie over alle "
            "trendtoetsen van de run.")


def registration_note() -> str:
    """What the interval of a count's trend is about."""
    return ("Een aantal (een telling uit een registratie, zoals het aantal inwoners uit de Basisregistratie "
            "Personen) is geen steekproef en heeft geen steekproefmarge: het interval van zijn trend gaat over de "
            "schommeling van de jaren rond de trendlijn. In de figuren staat daarom geen band om zo'n trendlijn.")


def trend_direction(record) -> str | None:
    """What a trend record says, by the one rule of :func:`analyse.trends.direction` (its 95% interval and, when
    the record has it, the false discovery rate ``fdr_aantoonbaar``): 'stijging', 'daling', 'geen',
    'niet_na_correctie', or None without a trend. Every sentence about a trend record takes its direction from
    here."""
    r = record_of(record)
    if trend_reason(r) is not None:
        return None
    confirmed = r.get("fdr_aantoonbaar")
    return direction(r.get("helling_ondergrens"), r.get("helling_bovengrens"),
                     is_true(confirmed) if is_set(confirmed) else None)


def _decimals(values) -> int:
    """One decimal, or up to three while a non-zero slope or interval bound would read 0, or while the two bounds
    of an interval (the last two values) would read the same."""
    numbers = [to_decimal(v) if is_set(v) else None for v in values]
    bounds = [d for d in numbers[-2:] if d is not None]

    def unclear(decimals: int) -> bool:
        zero = any(d is not None and d != 0 and rounded(d, decimals) == 0 for d in numbers)
        same = len(bounds) == 2 and bounds[0] != bounds[1] and rounded(bounds[0], decimals) == rounded(bounds[1],
                                                                                                      decimals)
        return zero or same

    decimals = 1
    while decimals < 3 and unclear(decimals):
        decimals += 1
    return decimals


def trend_statement(record, decimals: int | None = None) -> str:
    """The finding of one trend record, without the full stop: "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met
    0,4 procentpunt per jaar (95%-interval 0,2 tot 0,6)".

    The direction follows :func:`trend_direction`: "stijgt"/"daalt" only when the whole 95% interval lies on one
    side of 0 and the false discovery rate over the trend tests of the theme confirms it; otherwise "is er geen
    aantoonbare verandering", with the slope and its interval (and, when the interval excludes 0 but the
    correction for many tests does not confirm it, a clause saying so). A Poisson trend adds its relative change
    per year with the interval of the same parameter. A count (a registration) says what its interval is about.
    ``indicatief`` and the caveat ``autocorrelatie`` are added in the parentheses. ``decimals=None``: one decimal,
    or up to three when the slope or a bound would otherwise read 0, or the two bounds would read the same. Raises
    ValueError for a refused trend (use :func:`trend_reason`).
    """
    r = record_of(record)
    if trend_reason(r) is not None:
        raise ValueError("Geen trend: gebruik trend_reason.")
    eenheid = r["eenheid"]
    first, last, n = int(float(r["eerste_jaar"])), int(float(r["laatste_jaar"])), int(float(r["n_jaren"]))
    slope = to_decimal(r["helling"])
    if slope is None:
        raise ValueError("Trendrecord zonder helling en zonder reden.")
    low, high = r.get("helling_ondergrens"), r.get("helling_bovengrens")
    if decimals is None:
        decimals = _decimals([slope, low, high])
    years = "1 jaar" if n == 1 else f"{n} jaren"
    if n < last - first + 1:
        years += " met gegevens"
    found = trend_direction(r)
    notes = []
    if is_set(low) and is_set(high):
        notes.append(f"95%-interval {format_number(low, decimals)} tot {format_number(high, decimals)}")
    relative = [r.get(k) for k in ("relatieve_verandering", "relatieve_ondergrens", "relatieve_bovengrens")]
    if all(is_set(v) for v in relative):
        rel_decimals = max(1, _decimals(relative))
        notes.append(f"relatief {format_number(relative[0], rel_decimals)}% per jaar, 95%-interval "
                     f"{format_number(relative[1], rel_decimals)} tot {format_number(relative[2], rel_decimals)}")
    if found == "niet_na_correctie":
        m = as_int(r.get("fdr_toetsen"))
        many = f"bij {m} trendtoetsen in dit thema" if m else "bij zoveel trendtoetsen"
        notes.append(f"dat interval sluit 0 uit, maar {many} houdt dat na correctie voor meervoudig toetsen "
                     f"met een false discovery rate van {format_number(100 * FDR_ALPHA, 0)}% geen stand")
    if is_registration(eenheid) and notes:
        notes.append("een telling, geen steekproef: het interval gaat over de schommeling van de jaren rond de "
                     "trendlijn")
    if is_true(r.get("indicatief")):
        notes.append("indicatief: weinig meetpunten")
    if "autocorrelatie" in codes(r.get("opmerking_codes")):
        notes.append("waarschijnlijk te smal: opeenvolgende jaren hangen samen")
    tail = f" ({'; '.join(notes)})" if notes else ""
    if found in ("stijging", "daling"):
        verb = "stijgt" if found == "stijging" else "daalt"
        body = f"{verb} dit gemiddeld met {format_difference(abs(slope), eenheid, decimals)} per jaar{tail}"
    else:
        body = (f"is er geen aantoonbare verandering: gemiddeld {format_difference(slope, eenheid, decimals)} "
                f"per jaar{tail}")
    return f"Over {year_range(first, last)} ({years}) {body}"


def sentence_trend(record: dict, decimals: int | None = None) -> str:
    """A sentence about a trend estimate (one record of ``reports/trends.csv``): :func:`trend_statement`, or,
    when the estimate was refused, the reason (:func:`trend_reason`; in older records a Dutch ``reden``).

    Example: "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met 0,4 procentpunt per jaar (95%-interval 0,2 tot
    0,6)." The slope of a percentage is in procentpunt. When fewer years were measured than the period spans it
    reads "(6 jaren met gegevens)".
    """
    record = record_of(record)
    reden = trend_reason(record)
    if reden is not None:
        return reden if reden.endswith(".") else reden + "."
    return trend_statement(record, decimals) + "."


_TREND_MODEL_FAILURES = {
    "alles_0_of_100": "Alle waarden zijn 0% of 100%; daarin is geen trend te schatten.",
    "alles_0": "Alle aantallen zijn 0; daarin is geen trend te schatten.",
    "scheiding": "Het model is niet betrouwbaar te schatten: de waarden liggen tegen 0% of 100% aan.",
    "convergentie": "Het model is niet betrouwbaar te schatten: de berekening komt niet tot een oplossing.",
}

_GAP_ABSOLUTE = {"kleiner": "wordt absoluut kleiner", "groter": "wordt absoluut groter",
                 "onduidelijk": "verandert absoluut niet aantoonbaar"}
_GAP_RELATIVE = {"kleiner": "relatief wordt het kleiner", "groter": "relatief wordt het groter",
                 "onduidelijk": "relatief verandert het niet aantoonbaar",
                 "niet_beschikbaar": "relatief is het niet te bepalen (een waarde is 0)"}


def _years_text(years) -> str:
    """'2 jaren (2016, 2017)'."""
    years = [int(float(y)) for y in codes(years)]
    text = f"{len(years)} {'jaar' if len(years) == 1 else 'jaren'}"
    return text + (f" ({', '.join(str(y) for y in years)})" if years else "")


def _reason_text(record: dict, *, common: bool = False) -> str | None:
    code = record.get("reden_code")
    if not is_set(code):
        legacy = record.get("reden")
        return str(legacy).strip() if is_set(legacy) else None
    years = record.get("reden_jaren")
    minimum = as_int(record.get("minimum")) or 3
    if code == "rang":
        return "Eenheid 'rang' is een rangorde, geen trend."
    if code == "geen_waarnemingen":
        return "Geen waarnemingen."
    if code == "te_weinig_jaren":
        which = "gemeenschappelijke meetpunten" if common else "meetpunten"
        return f"Te weinig {which}: {_years_text(years)}; een trend vraagt er minstens {minimum}."
    if code == "model_faalt":
        return _TREND_MODEL_FAILURES.get(str(record.get("reden_detail")),
                                         "Het model is niet betrouwbaar te schatten.")
    raise ValueError(f"onbekende reden-code: {code!r}")


def trend_reason(record) -> str | None:
    """Why no trend was estimated, in Dutch (``None`` when there is a trend).

    Reads the code ``reden_code`` with ``reden_jaren``, ``reden_detail`` and ``minimum``; a record
    without a code but with a Dutch ``reden`` (older reports) gives that ``reden``.

    >>> trend_reason({"reden_code": "te_weinig_jaren", "reden_jaren": "2016;2017", "minimum": 3})
    'Te weinig meetpunten: 2 jaren (2016, 2017); een trend vraagt er minstens 3.'
    """
    return _reason_text(record_of(record))


def _statistic(name: str, value) -> str:
    """' (Durbin-Watson 0,85)' after a caveat, when the statistic is known."""
    return f" ({name} {format_number(value, 2)})" if is_set(value) else ""


def _caveat_text(code: str, r: dict) -> str | None:
    if code == "indicatief":
        n = as_int(r.get("n_jaren"))
        return (f"Slechts {n} meetpunten: " if n else "Weinig meetpunten: ") + "de trend en het interval zijn indicatief."
    if code == "autocorrelatie":
        dw = r.get("durbin_watson") if is_set(r.get("durbin_watson")) else r.get("relatief_durbin_watson")
        stat = _statistic("Durbin-Watson", dw)
        return (f"Opeenvolgende jaren wijken in dezelfde richting af van de trendlijn{stat}; "
                "het interval is daardoor waarschijnlijk te smal.")
    if code == "afronding_vloer":
        d = as_int(r.get("decimalen"))
        rounding = ("op hele getallen" if d == 0 else f"op {d} {'decimaal' if d == 1 else 'decimalen'}"
                    if d is not None else "van de gepubliceerde cijfers")
        return ("De waarden liggen (vrijwel) precies op een rechte lijn; als onzekerheid is ten minste "
                f"die van de afronding {rounding} genomen.")
    if code == "marges_gebruikt":
        if r.get("gewichten") == "n":
            return "De steekproefomvang weegt de jaren: een jaar met een grotere steekproef telt zwaarder."
        return "De gepubliceerde foutmarges wegen de jaren: een nauwkeuriger meting telt zwaarder."
    if code == "marges_onvolledig":
        return ("Niet elk jaar heeft een bruikbare gepubliceerde foutmarge of steekproefomvang; "
                "die zijn daarom niet gebruikt.")
    if code == "n_alleen_bij_aandeel":
        return "De steekproefomvang is alleen bij een percentage te gebruiken en is hier niet gebruikt."
    if code == "overdispersie":
        stat = _statistic("spreidingsfactor", r.get("dispersie"))
        return (f"De cijfers schommelen meer dan toeval bij deze aantallen verklaart{stat}; "
                "de intervallen zijn daarvoor verbreed.")
    if code == "waarden_ontbreken":
        k = as_int(r.get("n_ontbrekend"))
        return f"{k if k else 'Een of meer'} rij(en) zonder waarde genegeerd."
    if code == "teller_noemer_wijken_af":
        worst = r.get("afwijking")
        amount = f" tot {format_number(worst)}" if is_set(worst) else ""
        return f"Teller en noemer wijken{amount} af van de gepubliceerde waarde; trend op de gepubliceerde waarde."
    if code == "teller_groter_dan_noemer":
        return "Teller groter dan noemer; trend op de gepubliceerde waarde."
    if code == "begrensd":
        return ("De rechte lijn komt hier buiten wat kan (onder 0, of boven 100%); de verwachting en het interval "
                "zijn op die grens afgekapt.")
    if code == "extrapolatie":
        year, last = as_int(r.get("jaar")), as_int(r.get("laatste_jaar"))
        if year is not None and last is not None:
            return f"Extrapolatie: {year - last} jaar na de laatste meting ({last})."
        return "Extrapolatie voorbij de laatste meting."
    if code == "noemer_laatste_jaar":
        noemer, year = r.get("noemer"), as_int(r.get("noemer_jaar"))
        return f"Voorspeld bij de noemer van {year} ({format_number(noemer, 0)})."
    if code == "marge_laatste_jaar":
        last = as_int(r.get("laatste_jaar"))
        return f"Als meetonzekerheid van een nieuwe meting is die van {last} genomen."
    raise ValueError(f"onbekende kanttekening-code: {code!r}")


def trend_caveats(record) -> str | None:
    """The caveats (``opmerking_codes`` codes) of a trend, projection or gap record as Dutch sentences,
    in the order of the codes; ``None`` when there are none."""
    r = record_of(record)
    texts = [_caveat_text(code, r) for code in codes(r.get("opmerking_codes"))]
    return " ".join(t for t in texts if t) or None


def add_trend_texts(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a trend table (records of ``trends.fit_trend``) with the Dutch columns for readers:
    ``reden`` (why no trend; empty when there is one) and ``opmerking`` (the caveats)."""
    out = table.copy()
    records = out.to_dict("records")
    out["reden"] = [trend_reason(r) for r in records]
    out["opmerking"] = [trend_caveats(r) for r in records]
    return out


def projection_reason(projection) -> str | None:
    """Why a projection has no numbers, in Dutch (``None`` when it has)."""
    reason = _reason_text(record_of(projection))
    return None if reason is None else f"Geen trend om door te trekken: {reason}"


def projection_caveats(projection) -> str | None:
    """The caveats of a projection (extrapolation, denominator, indicative, ...) in Dutch."""
    return trend_caveats(projection)


def gap_reason(record) -> str | None:
    """Why no gap trend was estimated, in Dutch (``None`` when there is one)."""
    return _reason_text(record_of(record), common=True)


def sentence_gap(record, subject: str, reeks_names: dict[str, str] | None = None) -> str:
    """A sentence about the gap between two groups (a ``GapResult`` or its record).

    ``subject`` names the gap, capitalised: "Het verschil in de werkloosheid tussen niet-westers
    en nederlands (Nederland)". The verdict reads "groeien naar elkaar toe" only when the absolute
    AND the relative gap shrink (``convergeert``); when the two scales disagree the sentence says
    which one shows what. Numbers: the change of the gap per year on both scales with their 95%
    intervals; caveats (autocorrelation) follow as a sentence.
    """
    r = record_of(record)
    reason = gap_reason(r)
    if reason is not None:
        return f"{subject}: geen trend te schatten. {reason}"
    verdict = str(r["oordeel"])
    relative_applies = r.get("richting_relatief") not in (None, "niet_van_toepassing") and is_set(
        r.get("richting_relatief"))
    both = ", absoluut en relatief" if relative_applies else ""
    if verdict == "convergeert":
        phrase = f"wordt kleiner{both}: de groepen groeien naar elkaar toe"
    elif verdict == "divergeert":
        phrase = f"wordt groter{both}: de groepen groeien uit elkaar"
    elif verdict == "onduidelijk":
        phrase = f"verandert niet aantoonbaar{both}"
    elif verdict == "kruist":
        phrase = ("wisselt van teken (de reeksen kruisen elkaar); of de groepen naar elkaar toe groeien "
                  "is dan niet eenduidig")
    else:
        absolute, relative = str(r["richting_absoluut"]), str(r["richting_relatief"])
        phrase = (f"{_GAP_ABSOLUTE[absolute]}, maar {_GAP_RELATIVE[relative]}; of de groepen naar elkaar "
                  "toe groeien hangt dus af van de maatstaf")
    eenheid = r["eenheid"]
    parts = [f"{year_range(r['eerste_jaar'], r['laatste_jaar'])}, {r['n_jaren']} jaar met gegevens",
             f"verschil {format_difference(r['helling'], eenheid, 2)} per jaar (95%-interval "
             f"{format_number(r['helling_ondergrens'], 2)} tot {format_number(r['helling_bovengrens'], 2)})"]
    if is_set(r.get("verhouding_verandering")):
        what = "odds ratio" if r.get("schaal_relatief") == "logit_verschil" else "verhouding"
        parts.append(f"{what} {format_number(r['verhouding_verandering'], 1)}% per jaar (95%-interval "
                     f"{format_number(r['verhouding_ondergrens'], 1)} tot "
                     f"{format_number(r['verhouding_bovengrens'], 1)})")
    if is_true(r.get("indicatief")):
        parts.append("indicatief: weinig meetpunten")
    sentence = f"{subject} {phrase} ({'; '.join(parts)})."
    caveats = [_caveat_text(c, r) for c in codes(r.get("opmerking_codes")) if c in ("autocorrelatie", "afronding_vloer")]
    if caveats:
        sentence += " " + " ".join(caveats)
    reeks_a, reeks_b = r.get("reeks_a"), r.get("reeks_b")
    if is_set(reeks_a) and is_set(reeks_b) and reeks_a != reeks_b:
        names = reeks_names or {}
        sentence += (f" Let op: de twee groepen komen uit verschillende reeksen ({names.get(reeks_a, reeks_a)}; "
                     f"{names.get(reeks_b, reeks_b)}).")
    return sentence
