"""The explanations of the target monitor (:mod:`analyse.monitor`) and the count of its verdicts."""

from __future__ import annotations

from analyse.text.notation import format_number, format_published, year_range


COUNTED = {"andere_maat": "met een andere maat gemeten"}
"""A verdict as counted in a sentence ('2 met een andere maat gemeten'), where its code does not read as Dutch."""


def sentence_verdicts(counts: dict[str, int], total: int, end_year: int) -> str:
    """'Van de 12 doelen uit hoofdstuk 4 ... is het oordeel: 2 op koers, 10 onvoldoende data.'"""
    parts = [f"{count} {COUNTED.get(verdict, verdict.replace('_', ' '))}" for verdict, count in counts.items()]
    return (f"Van de {total} doelen uit hoofdstuk 4 (per groep geteld) is met metingen tot en met {end_year} het "
            f"oordeel: {', '.join(parts)}.")


def monitor_no_measurements(regio: str, groep: str, since: int | None = None, last: int | None = None) -> str:
    """'Geen metingen voor Maassluis (totaal).'; with ``since`` (the baseline year) and ``last`` (the last year
    measured before it) the reader learns that there are measurements, only not from the baseline on."""
    if since is None:
        return f"Geen metingen voor {regio} ({groep})."
    text = f"Geen metingen voor {regio} ({groep}) vanaf het basisjaar {since}"
    return text + (f"; de laatste meting is van {last}." if last is not None else ".")


def monitor_before_baseline(base_year: int, years: list[int]) -> str:
    """The reeks's measurements before the baseline year, which the trend leaves out."""
    shown = year_range(years[0], years[-1]) if len(years) > 1 else str(years[0])
    return (f"Het doel gaat over de ontwikkeling vanaf de basismeting ({base_year}): de metingen van daarvoor "
            f"({shown}) tellen niet mee.")


def monitor_starts_after_baseline(base_year: int, first: int) -> str:
    return (f"De reeks begint in {first}, na het basisjaar {base_year}: de trend beschrijft de jaren vanaf {first}, "
            f"niet de hele periode sinds de basismeting.")


UNIT_KINDS = {"aantal": "een aantal", "procent": "een percentage", "per_100": "een cijfer per 100",
              "per_1000": "een cijfer per 1.000", "per_10000": "een cijfer per 10.000",
              "rapportcijfer": "een rapportcijfer", "score": "een score", "index": "een indexcijfer"}
"""What kind of number an indicator is, by its unit (for the explanation of ``andere_maat``)."""


def monitor_other_measure(measure: str, label: str, eenheid: str, latest_year: int | None) -> str:
    """Why a target is not judged with its indicator: it speaks of another measure (``doel_maat``). The value
    itself stays in its own column, where the small-numbers rule applies."""
    kind = UNIT_KINDS.get(eenheid, f"eenheid {eenheid}" if eenheid else "")
    measured = f"'{label}'" + (f", {kind}" if kind else "")
    if latest_year is not None:
        measured += f" (laatste meting {latest_year})"
    return (f"Het doel gaat over {measure}; de indicator is {measured}. Dat is een andere maat: met deze indicator "
            "is het doel niet te beoordelen, en een meting in de maat van het doel is er (nog) niet. "
            "Geen oordeel.")


def _with_margin(value, lower, upper) -> str:
    text = format_published(value)
    if lower is not None and upper is not None:
        text += f" (95%-interval {format_number(lower, 2)} tot {format_number(upper, 2)})"
    return text


def monitor_target_year_measured(verdict: str, jaar: int, value, lower, upper, goal) -> str:
    shown = _with_margin(value, lower, upper)
    head = f"Doeljaar {jaar} verstreken; de meting in {jaar} is {shown}, het doel {format_published(goal)}."
    if verdict == "gehaald":
        return f"{head} Het doel is gehaald."
    if verdict == "niet_gehaald":
        return f"{head} Het doel is niet gehaald."
    return f"{head} De marge van de meting ligt aan beide kanten van het doel: niet vast te stellen of het is gehaald."


def monitor_target_year_missed(jaar: int, latest_year: int, latest) -> str:
    text = f"Doeljaar {jaar} verstreken zonder meting in {jaar}: geen oordeel."
    if latest_year > jaar:
        text += f" De eerste latere meting ({latest_year}: {format_published(latest)}) is niet het doeljaar."
    return text


def monitor_reached(jaar: int, value, lower, upper, goal, target_year) -> str:
    return (f"De laatste meting ({_with_margin(value, lower, upper)} in {jaar}) ligt al op of voorbij het doel "
            f"({format_published(goal)}); het doeljaar is {target_year}.")


def monitor_within_margin(jaar: int, value, lower, upper, goal) -> str:
    return (f"De laatste meting ({_with_margin(value, lower, upper)} in {jaar}) ligt binnen haar marge op het doel "
            f"({format_published(goal)}): niet vast te stellen of het doel al gehaald is.")


def monitor_projection(jaar: int, expected, lower, upper, interval: str | None, goal) -> str:
    kind = {"voorspelling": "voorspellingsinterval", "betrouwbaarheid": "betrouwbaarheidsinterval van het niveau"}
    name = kind.get(interval or "", "interval")
    return (f"Verwacht in {jaar}: {format_number(expected, 1)} (95%-{name} {format_number(lower, 1)} tot "
            f"{format_number(upper, 1)}); doel {format_published(goal)}.")


def monitor_slope(first: int, last: int, slope, lower, upper) -> str:
    return (f"Trend {year_range(first, last)}: {format_number(slope, 2)} per jaar "
            f"(95%-interval {format_number(lower, 2)} tot {format_number(upper, 2)}).")


def monitor_non_inferiority(jaar: int, expected, lower, upper, base, margin, margin_source: str,
                            interval: str | None) -> str:
    kind = {"voorspelling": "voorspellingsinterval", "betrouwbaarheid": "betrouwbaarheidsinterval"}
    return (f"Niveau in {jaar} volgens de trend: {format_number(expected, 2)} (95%-"
            f"{kind.get(interval or '', 'interval')} {format_number(lower, 2)} tot {format_number(upper, 2)}); "
            f"basiswaarde {format_published(base)}, marge voor 'gelijk' {format_published(margin)} "
            f"({margin_source}).")


MARGIN_SOURCES = {
    "doel_marge": "doel_marge in indicatoren.csv",
    "meting": "de marge van de laatste meting",
    "afronding": "de afronding van de basiswaarde: een halve eenheid van de laatste gedrukte decimaal",
}


def monitor_no_baseline() -> str:
    return "Geen basiswaarde: 'minimaal gelijk' is zonder basiswaarde niet te beoordelen."


def monitor_two_points(first: int, v0, last: int, v1, moved: float) -> str:
    """Two measurements are two values, not a direction: where the last lies, and that no change is shown."""
    where = ("ligt aan de gewenste kant van" if moved > 0 else "ligt aan de verkeerde kant van" if moved < 0
             else "is gelijk aan")
    return (f"Twee metingen ({first}: {format_published(v0)}; {last}: {format_published(v1)}): de laatste {where} "
            "de eerste, maar zonder onzekerheidsmarge en met minder dan drie meetjaren is dat geen aangetoonde "
            "verandering.")


def monitor_other_series(others: list[str]) -> str:
    return f"Niet gebruikt voor het oordeel (andere reeks): {'; '.join(others)}."
