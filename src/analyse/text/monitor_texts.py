"""The explanations of the target monitor (:mod:`analyse.monitor`) and the count of its verdicts."""

from __future__ import annotations

from analyse.text.notation import format_number, format_published, year_range


def sentence_verdicts(counts: dict[str, int], total: int, end_year: int) -> str:
    """'Van de 12 doelen uit hoofdstuk 4 ... is het oordeel: 2 op koers, 10 onvoldoende data.'"""
    parts = [f"{count} {verdict.replace('_', ' ')}" for verdict, count in counts.items()]
    return (f"Van de {total} doelen uit hoofdstuk 4 (per groep geteld) is met metingen tot en met {end_year} het "
            f"oordeel: {', '.join(parts)}.")


def monitor_no_measurements(regio: str, groep: str) -> str:
    return f"Geen metingen voor {regio} ({groep})."


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


def monitor_projection(jaar: int, verwacht, lower, upper, interval: str | None, goal) -> str:
    kind = {"voorspelling": "voorspellingsinterval", "betrouwbaarheid": "betrouwbaarheidsinterval van het niveau"}
    name = kind.get(interval or "", "interval")
    return (f"Verwacht in {jaar}: {format_number(verwacht, 1)} (95%-{name} {format_number(lower, 1)} tot "
            f"{format_number(upper, 1)}); doel {format_published(goal)}.")


def monitor_slope(first: int, last: int, helling, lower, upper) -> str:
    return (f"Trend {year_range(first, last)}: {format_number(helling, 2)} per jaar "
            f"(95%-interval {format_number(lower, 2)} tot {format_number(upper, 2)}).")


def monitor_non_inferiority(jaar: int, verwacht, lower, upper, base, margin, margin_source: str,
                            interval: str | None) -> str:
    kind = {"voorspelling": "voorspellingsinterval", "betrouwbaarheid": "betrouwbaarheidsinterval"}
    return (f"Niveau in {jaar} volgens de trend: {format_number(verwacht, 2)} (95%-"
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
