"""Reading guidance under a figure, and the pieces every alt text is made of.

The guidance is written from what the figure draws (:class:`Drawing`: the kind, the years of the drawn rows,
the reference lines, the target, the nesting), never from what the figure was asked for: a figure that shows
Nederland's 2018 value next to the municipality's 2022 value says so, and a figure that shows a target never
says there is nothing to compare with. The alt text of each figure kind is written next to its drawing, in the
modules of :mod:`analyse.plots`; it uses :func:`alt_sentence` and the notation of :mod:`analyse.text.notation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analyse.text.label_texts import lower_first
from analyse.text.notation import format_number, format_value, join_words
from analyse.trends import is_registration

PART_LABEL = "Licht: de hele groep erboven, waarvan de balk een deel is"
"""Legend entry of the light bar behind a part of a group (rule 11 of :mod:`analyse.figures`)."""


def nested_label(label: str) -> str:
    """The label of a group drawn under the group it lies within: 'waarvan 18-20 jaar'."""
    return f"waarvan {lower_first(label)}"


def size_class_text(size_class: tuple[int, int | None]) -> str:
    """A CBS size class in words: '20.000 tot 50.000 inwoners', '250.000 of meer inwoners'."""
    low, high = size_class
    if high is None:
        return f"{format_number(low)} of meer inwoners"
    if low == 0:
        return f"minder dan {format_number(high)} inwoners"
    return f"{format_number(low)} tot {format_number(high)} inwoners"


def no_position(label: str, region: str, year: int) -> str:
    """Why a position among the municipalities of the same size is not shown."""
    return (f"Geen vergelijking met gemeenten van dezelfde grootte voor {lower_first(label)} in {year}: het is een "
            f"aantal of een rangorde, {region} heeft geen CBS-inwonertal in dat jaar, of minder dan vijf gemeenten "
            "van dezelfde grootte hebben dit cijfer uit dezelfde reeks.")


def no_map(reason: str) -> str:
    """Why an overview map is not shown."""
    return f"Geen kaart: {reason}"


def all_hidden(label: str, threshold: int) -> str:
    """Why a figure is not there: every value of it rests on fewer persons than the threshold."""
    return (f"Geen figuur van {lower_first(label)}: elke waarde rust op minder dan {threshold} personen en wordt "
            "daarom niet gepubliceerd.")


@dataclass(frozen=True)
class Drawing:
    """What one figure draws, as far as its reading guidance needs to know.

    ``kind`` is one of the kinds of :data:`analyse.contract.FIGURE_KINDS` (``"rang"``: a ranking drawn as a
    list); ``per`` the word for one series (``"groep"``, ``"regio"``) and ``series`` how many series are drawn
    (benchmarks included).
    """

    kind: str
    per: str = "groep"
    unit: str = "aantal"
    series: int = 1
    year: int | None = None
    """The year of a one-year figure (its newest year)."""
    other_years: Mapping[str, int] = field(default_factory=dict)
    """Label -> year of every drawn series or reference of a one-year figure whose year is not ``year``."""
    references: Sequence[str] = ()
    """Labels of the reference lines drawn (the national figure, the average of a breakdown)."""
    highlight: str | None = None
    """The municipality of the run, when the figure sets it apart by its colour."""
    trends: int = 0
    """Fitted trend lines drawn; with their 95% band when ``bands``."""
    bands: bool = True
    target: tuple[int, float] | None = None
    """The target drawn (year, value)."""
    zero_based: bool = True
    """False when the value axis does not start at 0 (it has a break mark)."""
    sources: int = 1
    has_break: bool = False
    """A definition break is marked."""
    estimates: tuple[str, ...] = ()
    """The statuses marked in the figure ('schatting', 'voorlopig')."""
    benchmark: str | None = None
    """The label of the benchmark drawn (tiles: the comparison figures; small multiples: the grey series)."""
    nested: bool = False
    """Groups drawn under the group they lie within ("waarvan")."""
    parts: bool = False
    """... with that group drawn lightly behind them."""
    rest: bool = False
    """A 100% bar has a segment computed as the rest."""
    peers: str = ""
    """Position among peers: the municipalities it is compared with, in words ("130 gemeenten met ...")."""
    comparisons: Sequence[str] = ()
    """Position among peers, map: the comparison regions marked (their own rows, their outline)."""
    choropleth: bool = False
    """Map: every municipality coloured by its value (otherwise: the municipality and its peers)."""
    borders: int | None = None
    """Map: the year of the municipal boundaries drawn."""


def figure_guidance(kind: str, **drawn) -> str:
    """One or two sentences under a figure that tell a policy reader how to read what it draws; ``drawn`` are the
    fields of :class:`Drawing`."""
    drawing = Drawing(kind, **drawn)
    writers = {"lijn": _line, "staaf": _bars, "tegel": _tile, "gestapeld": _stacked, "kleine_veelvouden": _panels,
               "rangorde": _ranking_table, "rang": _ranking_list, "positie": _position, "kaart": _map}
    if drawing.kind not in writers:
        raise ValueError(f"onbekende soort figuur: {drawing.kind!r}")
    first, notes = writers[drawing.kind](drawing)
    return _with_notes(first, notes)


def _with_notes(first: str, notes: list[str]) -> str:
    """The first sentence, then the notes as a second sentence."""
    notes = [note for note in notes if note]
    if not notes:
        return first
    second = "; ".join(notes)
    return f"{first} {second[0].upper()}{second[1:]}."


def _line(d: Drawing) -> tuple[str, list[str]]:
    first = (f"Elke lijn is een {d.per} en elke stip een meting" if d.series > 1 else "Elke stip is een meting")
    first += "; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat."
    notes = [_highlight(d, "lijn")]
    if d.trends and d.bands:
        notes.append("de gestreepte lijn is de geschatte trend, de band eromheen het 95%-interval: hoe "
                     "breder, hoe onzekerder" if d.trends == 1 else
                     "de gestreepte lijnen zijn de geschatte trends, de banden eromheen hun 95%-intervallen: "
                     "hoe breder, hoe onzekerder")
    elif d.trends and is_registration(d.unit):
        notes.append(_REGISTRATION_TREND[d.trends == 1])
    elif d.trends:
        notes.append("de gestreepte lijnen zijn de geschatte trends (de intervallen staan in de trendtabel)")
    if d.target is not None:
        notes.append(f"de ster is het doel uit hoofdstuk 4: {format_value(d.target[1], d.unit)} in {d.target[0]}")
    notes += series_notes(has_break=d.has_break, estimates=d.estimates)
    if not d.zero_based:
        notes.append("de verticale as begint niet bij nul (zie de breuk in de as)")
    if d.unit == "procent" and d.series > 1 and len([n for n in notes if n]) < 2:
        notes.append("een verschil tussen twee percentages is een aantal procentpunt")
    return first, notes


def _bars(d: Drawing) -> tuple[str, list[str]]:
    first = f"Elke staaf is de waarde van één {d.per} in {d.year}; het getal staat erbij."
    notes = [_highlight(d, "staaf"), _other_years(d.other_years)]
    if d.references:
        notes.append(f"de gestreepte verticale lijn{'en zijn' if len(d.references) > 1 else ' is'} "
                     f"{join_words(d.references)}, ter vergelijking")
    if d.nested:
        notes.append("een groep met 'waarvan' valt binnen de groep erboven"
                     + ("; de lichte balk erachter is die hele groep" if d.parts else ""))
    if d.sources > 1:
        notes.append("de cijfers komen uit verschillende bronnen (zie de bronregel), dus de definities "
                     "kunnen verschillen")
    notes += series_notes(estimates=d.estimates, bars=True)
    if d.unit == "procent" and len([n for n in notes if n]) < 2:
        notes.append("een verschil tussen twee percentages is een aantal procentpunt")
    return first, notes


def _tile(d: Drawing) -> tuple[str, list[str]]:
    first = "Het grote getal is het laatste cijfer, met jaar en bron; voor een lijn zijn er te weinig metingen."
    notes = []
    if d.benchmark:
        notes.append("rechts staan vergelijkingscijfers, elk met hun eigen jaar")
    if d.target is not None:
        notes.append(f"rechts staat {'ook ' if d.benchmark else ''}het doel uit hoofdstuk 4: "
                     f"{format_value(d.target[1], d.unit)} in {d.target[0]}")
    if not d.benchmark and d.target is None:
        notes.append("er is geen vergelijkingscijfer, dus het getal zegt niet of het hoog of laag is")
    if "schatting" in d.estimates:
        notes.append("'ca.' betekent een schatting of verwachting, geen meting")
    if "voorlopig" in d.estimates:
        notes.append("een voorlopig cijfer kan nog veranderen")
    return first, notes


def _stacked(d: Drawing) -> tuple[str, list[str]]:
    first = f"De balk is het geheel (100%); elk deel is het aandeel van één {d.per}, met het percentage erbij."
    notes = ["het laatste deel is berekend als de rest tot 100%"] if d.rest else []
    return first, notes + series_notes(estimates=d.estimates, bars=True)


def _panels(d: Drawing) -> tuple[str, list[str]]:
    first = (f"Elk paneel is één {d.per}, op dezelfde as, zodat de panelen naast elkaar te lezen zijn; elke "
             "stip is een meting.")
    notes = []
    if d.benchmark:
        notes.append(f"de grijze lijn in elk paneel is {d.benchmark}, ter vergelijking")
    if d.trends and is_registration(d.unit):
        notes.append(_REGISTRATION_TREND[True])
    elif d.trends:
        notes.append("de gestreepte lijn is de geschatte trend" + (", de band eromheen het 95%-interval"
                                                                   if d.bands else ""))
    notes += series_notes(has_break=d.has_break, estimates=d.estimates)
    if not d.zero_based:
        notes.append("de verticale as begint niet bij nul")
    return first, notes


def _ranking_table(d: Drawing) -> tuple[str, list[str]]:
    return ("Een rangorde met 1 bovenaan: het grootst of het vaakst genoemd; een gedeelde rang staat er als "
            "'gedeeld' bij.", ["een rang zegt niet hoe groot de verschillen zijn; waar de bron een waarde noemt, "
                               "staat die in de tabel"])


def _ranking_list(d: Drawing) -> tuple[str, list[str]]:
    return ("Een rangorde met 1 bovenaan: het grootst of het vaakst genoemd; gelijke rangen delen een nummer. "
            "Een rang zegt niet hoe groot de verschillen zijn.", [])


def _position(d: Drawing) -> tuple[str, list[str]]:
    first = (f"Elke grijze stip is één van de {d.peers}, in {d.year} en uit dezelfde CBS-reeks; de doos is de "
             "middelste helft van die gemeenten, de streep erin de middelste waarde (mediaan), de lijnen lopen van "
             "de laagste tot de hoogste.")
    notes = [f"de grote blauwe stip is {d.highlight}" if d.highlight else ""]
    if d.comparisons:
        notes.append(f"{join_words(d.comparisons)} {'staat' if len(d.comparisons) == 1 else 'staan'} er apart "
                     "onder, ter vergelijking")
    if d.references:
        notes.append(f"de gestreepte verticale lijn is {join_words(d.references)}")
    if not d.zero_based:
        notes.append("de as begint niet bij nul, zodat de verschillen tussen de gemeenten te zien zijn")
    return first, notes


def _map(d: Drawing) -> tuple[str, list[str]]:
    if not d.choropleth:
        first = (f"De kaart toont de gemeenten van Nederland; {d.highlight} is blauw (vergroot in het kader), de "
                 f"{d.peers} in {d.year} zijn grijs, de andere gemeenten lichtgrijs.")
        return first, [f"{join_words(d.comparisons)} {'heeft' if len(d.comparisons) == 1 else 'hebben'} een "
                       "gekleurde rand" if d.comparisons else "",
                       f"de grenzen zijn die van {d.borders}" if d.borders and d.borders != d.year else ""]
    first = (f"Elke gemeente heeft de kleur van haar waarde in {d.year}: hoe donkerder, hoe hoger; elke klasse van "
             "de legenda telt ongeveer evenveel gemeenten.")
    return first, [f"{d.highlight} heeft een dikke zwarte rand en staat vergroot in het kader" if d.highlight else "",
                   "een gearceerde gemeente heeft geen cijfer in dit jaar",
                   f"de grenzen zijn die van {d.borders}" if d.borders and d.borders != d.year else ""]


def _highlight(d: Drawing, kind: str) -> str:
    if not d.highlight or d.per != "regio" or d.series < 2:
        return ""
    return f"{d.highlight} is {'de dikke blauwe lijn' if kind == 'lijn' else 'blauw'}"


def _other_years(other_years: Mapping[str, int]) -> str:
    """'het cijfer van Nederland is van 2018' for the drawn series whose year is not the figure's year."""
    by_year: dict[int, list[str]] = {}
    for label, year in other_years.items():
        by_year.setdefault(int(year), []).append(label)
    parts = [f"het cijfer van {join_words(labels)} is van {year}" if len(labels) == 1 else
             f"de cijfers van {join_words(labels)} zijn van {year}" for year, labels in sorted(by_year.items())]
    return "; ".join(parts)


def alt_sentence(head: str, details=(), notes=()) -> str:
    """One sentence for an alt text: ``"<head>: <detail>; <detail>; <note>."``."""
    parts = [d for d in (*details, *notes) if d]
    sentence = f"{head}: {'; '.join(parts)}" if parts else head
    return sentence.rstrip(".") + "."


def series_notes(*, has_break: bool = False, estimates=(), bars: bool = False) -> list[str]:
    """Guidance notes (lower case, no full stop) for a definition break and marked estimates: an estimate is an
    open dot on a line, a hatched bar or segment in a bar chart (``bars``)."""
    notes = []
    if has_break:
        notes.append("de stippellijn 'breuk in de reeks' markeert een nieuwe definitie: de metingen ervoor "
                     "en erna zijn niet verbonden en niet zonder meer vergelijkbaar")
    marks = []
    if "schatting" in estimates:
        marks.append("een gearceerd deel is een schatting, geen meting" if bars else
                     "een open stip is een schatting, geen meting")
    if "voorlopig" in estimates:
        marks.append("een gearceerd deel met '(voorlopig)' is een voorlopig cijfer" if bars else
                     "een half gevulde stip is een voorlopig cijfer")
    if marks:
        notes.append(join_words(marks))
    return notes


_REGISTRATION_TREND = {
    True: "de gestreepte lijn is de geschatte trend; een telling is geen steekproef, dus er staat geen "
          "onzekerheidsband omheen (het interval van de trend, over de schommeling van de jaren rond de lijn, staat "
          "in de trendtabel)",
    False: "de gestreepte lijnen zijn de geschatte trends; een telling is geen steekproef, dus er staan geen "
           "onzekerheidsbanden omheen (de intervallen van de trends, over de schommeling van de jaren rond de lijn, "
           "staan in de trendtabel)",
}
"""Guidance for trend lines through a count (:data:`analyse.trends.REGISTRATION_UNITS`): one trend, or several."""


def not_comparable_note(year: int, regions) -> str:
    """'Geen vergelijkbaar cijfer voor 2023: Rotterdam en Nederland (niet getekend).'"""
    return f"Geen vergelijkbaar cijfer voor {year}: {join_words(list(regions))} (niet getekend)."
