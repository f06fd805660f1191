"""Codes and names as a reader sees them: register and monitor statuses, words for contract columns,
names mid-sentence and titles."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping


def readable(note: str, names: Mapping[str, str]) -> str:
    """``note`` with every code of ``names`` (a whole word of letters, digits and underscores) replaced by its
    name, so an explanation written with codes reads as a reader would say it; a file named after a code
    ('beleidsvisie_2019.csv', the bron's file in data/raw) reads as the name of that bron."""
    if not names or not note:
        return note
    pattern = re.compile(r"\b(" + "|".join(re.escape(code) for code in sorted(names, key=len, reverse=True))
                         + r")\b(?:\.(?:csv|xlsx)\b)?")
    return pattern.sub(lambda match: names[match.group(1)], note)


def lower_first(phrase: str) -> str:
    """For use mid-sentence: 'Niet-westerse ...' -> 'niet-westerse ...'; proper names stay as they are."""
    first = phrase.split(" ", 1)[0]
    if first[:1].isupper() and first.endswith(("aanse", "aamse", "kse", "lse", "ndse")) and not first.startswith(
            ("Westerse", "Niet")):
        return phrase
    if first.isupper() or first in PROPER_NAMES:
        return phrase
    return phrase[:1].lower() + phrase[1:]


PROPER_NAMES = ("Nederland", "Halt", "VVE", "CITO", "RADAR", "CBS")
"""Words that keep their capital mid-sentence besides abbreviations in capitals (region names never start
a label: a label names an indicator or a group)."""


def upper_first(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def slug(name: str, code: str = "") -> str:
    """The folder name of a region's reports: 'maassluis', 'sudwest-fryslan', 's-hertogenbosch', 'bergen-nh'.

    Only lowercase ASCII letters, digits and hyphens (a name from the data never becomes a path with other
    characters); the CBS code when nothing is left of the name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return cleaned or re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "regio"


def title(label: str, *parts: str) -> str:
    """'Label, part, part': leaves out 'Totaal' and parts the label already names."""
    kept = [p for p in parts if p and p != "Totaal" and p.lower() not in label.lower()]
    return ", ".join([label, *kept])


REGISTER_STATUSES: dict[str, str] = {
    "klopt": "Onafhankelijk nagerekend, met bewijs van buiten het document: een herberekening of trend waarin "
             "ten minste één getal uit een andere bron komt, of hetzelfde cijfer uit een andere bron die minstens "
             "zo precies is als het document, geeft het gedrukte getal of woord, binnen de afronding van het "
             "document.",
    "intern_consistent": "Klopt met andere getallen uit het document zelf (in dezelfde zin of elders in het "
                         "document); geen bevestiging van buiten het document.",
    "overgenomen": "Het enige bewijs is het getal van het document zelf: overgenomen, niet gecontroleerd. Geen "
                   "fout, maar ook geen controle. Een andere bron die grover is afgerond dan het document (23 "
                   "tegen 22,6) spreekt het getal niet tegen, maar bevestigt het ook niet.",
    "tekst_onjuist": "Het getal klopt, de woorden niet: bijvoorbeeld '%' waar het verschil van twee percentages "
                     "in procentpunt is, of 'acht jaar' waar de periode negen jaar is.",
    "wijkt_af": "Een herberekening of een andere bron geeft een ander getal (meer dan een halve eenheid van de "
                "laatste gedrukte decimaal), of de data tonen de tegenovergestelde richting.",
    "niet_aangetoond": "Richtingsbewering: de data tonen de genoemde richting niet met 95% zekerheid (het "
                       "interval van de trend bevat nul, of er zijn maar twee metingen).",
    "geen_data": "De benodigde cijfers ontbreken (nog) in de gegevens van deze analyse; de toelichting zegt welke.",
}
"""What each register status means (shown in the notebook legend, the publications and the README)."""

REGISTER_LABELS: dict[str, str] = {
    "klopt": "klopt", "intern_consistent": "intern consistent", "overgenomen": "overgenomen",
    "tekst_onjuist": "tekst onjuist", "wijkt_af": "wijkt af", "niet_aangetoond": "niet aangetoond",
    "geen_data": "geen data",
}
"""The register statuses as a reader sees them, in the order the publications count them."""

MONITOR_RULES: dict[str, str] = {
    "gehaald": "De laatste meting van de reeks waarop het oordeel rust ligt met haar hele marge (95%-interval, "
               "waar bekend) op of voorbij de doelwaarde. Is het doeljaar verstreken, dan telt de meting in het "
               "doeljaar.",
    "niet_gehaald": "Het doeljaar is verstreken en de meting in het doeljaar ligt met haar hele marge aan de "
                    "verkeerde kant van de doelwaarde.",
    "op_koers": "Numeriek doel: het hele 95%-interval van de verwachting in het doeljaar ligt op of voorbij het "
                "doel. Toename/afname: het 95%-interval van de jaarlijkse trend ligt helemaal aan de gewenste "
                "kant van nul. 'Minimaal gelijk': het hele interval van het huidige niveau ligt binnen de "
                "gestelde marge van de basiswaarde of aan de goede kant ervan (niet-inferioriteit).",
    "niet_op_koers": "Het hele interval ligt aan de verkeerde kant: van het doel, van nul (trend) of, bij "
                     "'minimaal gelijk', voorbij de marge aan de slechte kant van de basiswaarde.",
    "onzeker": "Het interval (van de verwachting, de trend of de meting zelf) laat zowel halen als niet halen "
               "toe; ook een meting die binnen haar marge op het doel ligt, bijvoorbeeld 7,0 (6,9 tot 7,1) bij "
               "doel 7.",
    "onvoldoende_data": "Minder dan drie meetjaren in de reeks waarop het oordeel rust, of het doeljaar is "
                        "verstreken zonder meting in dat jaar: geen oordeel. De toelichting noemt wat er wel is.",
    "andere_maat": "Het doel spreekt van een andere maat dan de indicator meet, bijvoorbeeld een aandeel waar de "
                   "meting een aantal is: met deze indicator is het doel niet te beoordelen, wat de metingen ook "
                   "doen. De toelichting noemt beide maten.",
}
"""The monitor's verdict rules in Dutch (shown in the monitor notebook and the README)."""

MONITOR_LABELS: dict[str, str] = {
    "gehaald": "gehaald", "niet_gehaald": "niet gehaald", "op_koers": "op koers", "onzeker": "onzeker",
    "niet_op_koers": "niet op koers", "onvoldoende_data": "onvoldoende data", "andere_maat": "andere maat",
}
"""The monitor verdicts as a reader sees them, in the order the publications count them."""

EVIDENCE_LABELS: dict[str, str] = {
    "herberekening": "herberekening", "andere_bron": "andere bron", "trend": "trend over de reeks",
    "twee_metingen": "twee metingen", "document": "alleen het document",
}
"""What a register statement rests on (column ``bewijs``), as a reader sees it."""

GRADE_LABELS: dict[str, str] = {
    "primair": "primair", "secundair": "secundair", "schatting": "schatting",
    "niet_citeerbaar": "niet te citeren (niet gebruikt)",
}
"""The grade of a source (``soort`` in bronnen.csv) as a reader sees it."""

CODE_LABELS: dict[str, str] = {**REGISTER_LABELS, **MONITOR_LABELS, **EVIDENCE_LABELS, **GRADE_LABELS}
"""Codes that appear in published label columns (status, oordeel) and how a reader sees them."""

CONTRACT_WORDS: dict[str, str] = {
    "jaar_tot": "eindjaar", "tekst_eenheid": "eenheid in de tekst", "tekst_jaren": "aantal jaren in de tekst",
    "noemer_indicator": "noemer", "noemer_groep": "groep van de noemer", **CODE_LABELS,
}
"""Column names and codes of the data contract that explanations may mention, in words."""


def size_class_label(low: int, high: int | None) -> str:
    """'gemeenten met 20.000 tot 50.000 inwoners' for a CBS size class (lower bound included)."""
    def n(x: int) -> str:
        return f"{x:,}".replace(",", ".")
    if low == 0:
        return f"gemeenten met minder dan {n(high)} inwoners"
    if high is None:
        return f"gemeenten met {n(low)} of meer inwoners"
    return f"gemeenten met {n(low)} tot {n(high)} inwoners"


def peer_group_note(region: str, label: str, year: int, count: int) -> str:
    return (f"{region} wordt vergeleken met de {count} andere {label} op 1 januari {year} (CBS-grootteklasse), "
            "voor elk cijfer in hetzelfde jaar en uit dezelfde reeks. De stedelijkheid is die van de nieuwste "
            "CBS-klasse tot en met dat jaar; ze staat erbij, maar kiest de vergelijkbare gemeenten niet.")


def no_peer_group(region: str, end_year: int) -> str:
    return (f"Voor {region} is er tot en met {end_year} geen inwonertal van het CBS in de data, dus geen groep "
            "gemeenten van dezelfde grootte.")
