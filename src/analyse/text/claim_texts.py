"""The explanations of the reproduction register (:mod:`analyse.register`): how a number of the policy
document was recomputed or compared, and what came out."""

from __future__ import annotations

from analyse.text.notation import (format_difference, format_number, format_published, published_decimals,
                                   year_range)


def _nl_value(x, decimals: int | None = None) -> str:
    return format_published(x) if decimals is None else format_number(x, decimals)


def _decimals_word(decimals: int) -> str:
    return "1 decimaal" if decimals == 1 else f"{decimals} decimalen"


def unrounded(x, decimals: int) -> str:
    """A recomputed value with two decimals more than the document printed: 12,94 for a whole percentage."""
    return format_number(x, decimals + 2)


def claim_missing(reason: str) -> str:
    return f"Niet te herberekenen: {reason}."


def claim_no_value(indicator: str, regio: str, groep: str, jaar) -> str:
    return f"geen waarde voor {indicator}, {regio}, {groep}, {jaar or 'jaar onbekend'}"


def claim_no_denominator(indicator: str, groep: str, regio: str, jaar) -> str:
    return f"geen noemer {indicator} ({groep}) voor {regio} in {jaar}"


def claim_too_few_years(since: int | None) -> str:
    return "geen reeks met twee of meer jaren" + (f" vanaf {since}" if since else "") + " in de data"


def claim_not_all_candidates(candidates: list[str]) -> str:
    return f"niet alle kandidaten ({', '.join(candidates)}) gemeten in hetzelfde jaar"


def claim_extreme(kind: str, values: str, jaar: int) -> str:
    return f"Herberekend: {kind} van {values} in {jaar}."


def claim_recomputed(how: str, value, decimals: int, expected, matches: bool) -> str:
    """The rounding comparison of a recomputation."""
    rounded = format_number(value, decimals)
    tolerance = format_number(0.5 * 10 ** -decimals, decimals + 1)
    head = f"Herberekend: {how} = {unrounded(value, decimals)}."
    if matches:
        return (f"{head} Afgerond op {_decimals_word(decimals)} (zoals het document) is dat {rounded}, gelijk "
                f"aan het gedrukte {_nl_value(expected, decimals)} (het verschil is hoogstens een halve eenheid "
                f"van de laatste gedrukte decimaal, {tolerance}).")
    return (f"{head} Afgerond op {_decimals_word(decimals)} is dat {rounded}; het document drukt "
            f"{_nl_value(expected, decimals)}. Het verschil is groter dan een halve eenheid van de laatste "
            f"gedrukte decimaal ({tolerance}).")


def claim_transcribed(bron: str, value, expected, decimals: int, coarser_exists: bool = False) -> str:
    """``coarser_exists``: another source has the figure, but rounded more coarsely than the document."""
    only = ("het enige cijfer in de data met de precisie van het document" if coarser_exists
            else "het enige cijfer in de data")
    text = (f"Overgenomen: {only} is dat van het document zelf ({bron}: "
            f"{_nl_value(value)}). Een getal vergelijken met zijn eigen overname is geen controle; nodig is "
            "hetzelfde cijfer uit een andere bron of een herberekening uit andere getallen.")
    if abs(float(value) - float(expected)) > 0.5 * 10 ** -decimals + 1e-9:
        text += (f" Let op: de overname in data/raw ({_nl_value(value)}) verschilt van de waarde in het register "
                 f"({_nl_value(expected)}); een van beide is verkeerd overgenomen.")
    return text


def claim_other_source(bron: str, reeks: str, value, expected, tolerance: float, matches: bool,
                       others: list[str]) -> str:
    """A document's number compared with the same statistic from another source."""
    where = bron if reeks in ("", bron) else f"{bron}, reeks {reeks}"
    difference = abs(float(value) - float(expected))
    shown_tol = format_published(tolerance)
    text = (f"Vergeleken met een andere bron ({where}): {_nl_value(value)} tegen {_nl_value(expected)} in het "
            f"document, een verschil van {format_published(round(difference, 10))}. Tolerantie: een halve eenheid van "
            f"de laatste gedrukte decimaal van het grofst afgeronde van de twee getallen ({shown_tol}). ")
    text += ("Binnen die tolerantie: bevestigd." if matches
             else "Groter dan die tolerantie: het document wijkt af van deze bron.")
    if others:
        text += f" Andere bronnen voor hetzelfde jaar (niet gebruikt voor het oordeel): {'; '.join(others)}."
    return text


def claim_coarser_source(bron: str, reeks: str, value, expected, decimals: int, tolerance: float) -> str:
    """Another source that agrees only because it is rounded more coarsely than the document."""
    where = bron if reeks in ("", bron) else f"{bron}, reeks {reeks}"
    shown = published_decimals(value) or 0
    rounded = "een heel getal" if shown == 0 else _decimals_word(shown)
    low, high = format_number(float(value) - tolerance, shown + 1), format_number(float(value) + tolerance, shown + 1)
    printed = _nl_value(expected, decimals)
    return (f"Een andere bron ({where}) geeft {_nl_value(value)}, afgerond op {rounded}; het document drukt "
            f"{printed}, op {_decimals_word(decimals)}. Bij die grovere afronding past elke waarde van {low} tot "
            f"{high}: de bron spreekt {printed} niet tegen, maar bevestigt het ook niet.")


def claim_internal() -> str:
    return ("Alle getallen van deze controle komen uit het document zelf: de bewering klopt met de andere getallen "
            "in het document, maar dat is geen bevestiging van buiten het document.")


def claim_word_differs(expected: str, found: str) -> str:
    return f"Het document zegt {expected}, de data geven {found}."


def claim_wrong_unit(claimed: str, actual: str, relative: float | None = None) -> str:
    names = {"procent": "procent (%)", "procentpunt": "procentpunt"}
    text = (f"De tekst noemt het getal in {names.get(claimed, claimed)}, maar de berekening geeft "
            f"{names.get(actual, actual)}")
    if relative is not None and actual == "procentpunt" and claimed == "procent":
        text += f"; als relatieve stijging zou het {format_number(relative, 1)}% zijn"
    return text + "."


def claim_wrong_span(claimed: int, jaar: int, jaar_tot: int) -> str:
    return (f"De tekst spreekt van {claimed} jaar, maar van {jaar} tot {jaar_tot} is {jaar_tot - jaar} jaar.")


def claim_text_wrong(parts: list[str]) -> str:
    return "Het getal klopt, de tekst niet. " + " ".join(parts)


def claim_direction_trend(claimed: str, found: str, first: int, last: int, n: int, method: str, slope,
                          lower, upper, eenheid: str, reeks: str, verdict: str) -> str:
    shown = format_difference(slope, eenheid, 2)
    interval = f"{format_number(lower, 2)} tot {format_number(upper, 2)}"
    head = (f"Trend {year_range(first, last)} ({n} jaren, reeks {reeks}, methode {method}): {shown} per jaar, "
            f"95%-interval {interval}.")
    if verdict == "klopt":
        return f"{head} Het hele interval ligt aan de kant van een {claimed}: de {claimed} is aangetoond."
    if verdict == "wijkt_af":
        return f"{head} Het hele interval wijst op een {found}, niet op de genoemde {claimed}."
    if claimed == "gelijk":
        return (f"{head} Het interval bevat nul: geen aantoonbare verandering, maar gelijkblijven is daarmee "
                "niet aangetoond (daarvoor zou een marge voor 'gelijk' nodig zijn).")
    return f"{head} Het interval bevat nul: de data tonen de genoemde {claimed} niet met 95% zekerheid aan."


_ENDPOINTS = {"stijging": "hoger dan", "daling": "lager dan", "gelijk": "even hoog als"}
"""How the last of two measurements compares with the first: a difference of two values, not a direction."""


def claim_direction_two_points(claimed: str, found: str, first: int, v0, last: int, v1, reeks: str,
                               verdict: str) -> str:
    head = f"Twee metingen (reeks {reeks}): {first}: {_nl_value(v0)}, {last}: {_nl_value(v1)}."
    if verdict == "wijkt_af":
        return (f"{head} De laatste meting ligt {_ENDPOINTS[found]} de eerste; dat past niet bij de genoemde "
                f"{claimed}.")
    return (f"{head} De laatste meting ligt {_ENDPOINTS[found]} de eerste, maar twee metingen hebben geen "
            f"onzekerheidsmarge en een trend vraagt minstens drie meetjaren: de genoemde {claimed} is niet "
            "aangetoond.")


def claim_direction_refused(reason: str, claimed: str, found: str, reeks: str) -> str:
    return (f"Geen trend te schatten (reeks {reeks}): {reason.rstrip('.')}. De laatste meting ligt "
            f"{_ENDPOINTS[found]} de eerste; zonder marge is de genoemde {claimed} niet aangetoond.")


def claim_years_said(jaar: int | None, jaar_tot: int | None) -> str:
    if jaar and jaar_tot:
        return f"Periode {year_range(jaar, jaar_tot)} zoals in het register."
    if jaar:
        return f"Het document noemt alleen het beginjaar {jaar}; de reeks loopt tot de laatste meting."
    if jaar_tot:
        return f"Het document noemt alleen het eindjaar {jaar_tot}; de reeks begint bij de eerste meting."
    return "Het document noemt geen jaren; de hele reeks is gebruikt."
