"""Reading guidance under a figure, and the pieces every alt text is made of.

The alt text of each figure kind is written next to its drawing, in the modules of :mod:`analyse.plots`; it uses
:func:`alt_sentence` and the notation of :mod:`analyse.text.notation`.
"""

from __future__ import annotations

from analyse.text.label_texts import lower_first
from analyse.text.notation import format_value, join_words
from analyse.trends import is_registration


def all_hidden(label: str, threshold: int) -> str:
    """Why a figure is not there: every value of it rests on fewer persons than the threshold."""
    return (f"Geen figuur van {lower_first(label)}: elke waarde rust op minder dan {threshold} personen en wordt "
            "daarom niet gepubliceerd.")


def figure_guidance(kind: str, *, per: str, eenheid: str, series: int = 1, jaar: int | None = None,
                    trends: int = 0, bands: bool = True, doel: tuple[int, float] | None = None,
                    zero_based: bool = True, sources: int = 1, breuk: bool = False,
                    schattingen: tuple[str, ...] = (), benchmark: str | None = None, rest: bool = False) -> str:
    """One or two sentences under a figure that tell a policy reader how to read it.

    ``kind`` is ``"lijn"``, ``"staaf"`` or ``"rang"``, or one of the kinds of :mod:`analyse.figures`
    (``"tegel"``, ``"gestapeld"``, ``"kleine_veelvouden"``, ``"rangorde"``); ``per`` the word for one series (``"groep"``,
    ``"regio"``) and ``series`` how many there are; ``trends`` the number of fitted trend lines drawn,
    with their 95% band when ``bands``; ``doel`` the drawn target (year, value); ``zero_based`` False when
    the y axis has a break; ``sources`` the number of sources behind a bar chart; ``breuk`` True when a
    series has a definition break; ``schattingen`` the statuses marked (``schatting``, ``voorlopig``);
    ``benchmark`` the label of the benchmark drawn (small multiples, tiles); ``rest`` True when a 100%
    bar has a segment computed as the rest.
    """
    if kind in _FIGURE_KINDS:
        return _figure_kind_guidance(kind, per=per, trends=trends, bands=bands, zero_based=zero_based, breuk=breuk,
                                     schattingen=schattingen, benchmark=benchmark, rest=rest, eenheid=eenheid)
    if kind == "rang":
        return ("Een rangorde met 1 bovenaan: het grootst of het vaakst genoemd; gelijke rangen delen een "
                "nummer. Een rang zegt niet hoe groot de verschillen zijn.")
    notes = []
    if kind == "lijn":
        first = (f"Elke lijn is een {per} en elke stip een meting" if series > 1 else "Elke stip is een meting")
        first += "; een lijn tussen twee stippen is zelf geen meting, en er is niets bijgeschat."
        if trends and bands:
            notes.append("de gestreepte lijn is de geschatte trend, de band eromheen het 95%-interval: hoe "
                         "breder, hoe onzekerder" if trends == 1 else
                         "de gestreepte lijnen zijn de geschatte trends, de banden eromheen hun 95%-intervallen: "
                         "hoe breder, hoe onzekerder")
        elif trends and is_registration(eenheid):
            notes.append(_REGISTRATION_TREND[trends == 1])
        elif trends:
            notes.append("de gestreepte lijnen zijn de geschatte trends (de intervallen staan in de trendtabel)")
        if doel is not None:
            notes.append(f"de ster is het doel uit hoofdstuk 4: {format_value(doel[1], eenheid)} in {doel[0]}")
    elif kind == "staaf":
        first = f"Elke staaf is de waarde van één {per} in {jaar}; het getal staat erbij."
        if sources > 1:
            notes.append("de cijfers komen uit verschillende bronnen (zie de bronregel), dus de definities "
                         "kunnen verschillen")
    else:
        raise ValueError(f"onbekende soort figuur: {kind!r}")
    notes.extend(series_notes(breuk=breuk, schattingen=schattingen))
    if not zero_based:
        notes.append("de verticale as begint niet bij nul (zie de breuk in de as)")
    if eenheid == "procent" and (series > 1 or kind == "staaf") and len(notes) < 2:
        notes.append("een verschil tussen twee percentages is een aantal procentpunt")
    return _with_notes(first, notes)


def _with_notes(first: str, notes: list[str]) -> str:
    """The first sentence, then the notes as a second sentence."""
    if not notes:
        return first
    second = "; ".join(notes)
    return f"{first} {second[0].upper()}{second[1:]}."


_FIGURE_KINDS = ("tegel", "gestapeld", "kleine_veelvouden", "rangorde")
"""Kinds of :mod:`analyse.figures` whose guidance :func:`_figure_kind_guidance` writes."""


def alt_sentence(head: str, details=(), notes=()) -> str:
    """One sentence for an alt text: ``"<head>: <detail>; <detail>; <note>."``."""
    parts = [d for d in (*details, *notes) if d]
    sentence = f"{head}: {'; '.join(parts)}" if parts else head
    return sentence.rstrip(".") + "."


def series_notes(*, breuk: bool = False, schattingen=()) -> list[str]:
    """Guidance notes (lower case, no full stop) for a definition break and marked estimates."""
    notes = []
    if breuk:
        notes.append("de stippellijn 'breuk in de reeks' markeert een nieuwe definitie: de metingen ervoor "
                     "en erna zijn niet verbonden en niet zonder meer vergelijkbaar")
    marks = []
    if "schatting" in schattingen:
        marks.append("een open stip is een schatting, geen meting")
    if "voorlopig" in schattingen:
        marks.append("een half gevulde stip is een voorlopig cijfer")
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


def _figure_kind_guidance(kind: str, *, per: str, trends: int, bands: bool, zero_based: bool, breuk: bool,
                          schattingen, benchmark: str | None, rest: bool, eenheid: str = "") -> str:
    """Reading guidance for a tile, a 100% bar, small multiples and a ranking table (see figure_guidance)."""
    notes: list[str] = []
    if kind == "tegel":
        first = ("Het grote getal is het laatste cijfer, met jaar en bron; voor een lijn zijn er te weinig "
                 "metingen.")
        if benchmark:
            notes.append("rechts staan vergelijkingscijfers, elk met hun eigen jaar")
        else:
            notes.append("er is geen vergelijkingscijfer, dus het getal zegt niet of het hoog of laag is")
        if "schatting" in schattingen:
            notes.append("'ca.' betekent een schatting of verwachting, geen meting")
        if "voorlopig" in schattingen:
            notes.append("een voorlopig cijfer kan nog veranderen")
    elif kind == "gestapeld":
        first = f"De balk is het geheel (100%); elk deel is het aandeel van één {per}, met het percentage erbij."
        if rest:
            notes.append("het laatste deel is berekend als de rest tot 100%")
        notes.extend(series_notes(schattingen=schattingen))
    elif kind == "kleine_veelvouden":
        first = (f"Elk paneel is één {per}, op dezelfde as, zodat de panelen naast elkaar te lezen zijn; elke "
                 "stip is een meting.")
        if benchmark:
            notes.append(f"de grijze lijn in elk paneel is {benchmark}, ter vergelijking")
        if trends and is_registration(eenheid):
            notes.append(_REGISTRATION_TREND[True])
        elif trends:
            notes.append("de gestreepte lijn is de geschatte trend" + (", de band eromheen het 95%-interval"
                                                                       if bands else ""))
        notes.extend(series_notes(breuk=breuk, schattingen=schattingen))
        if not zero_based:
            notes.append("de verticale as begint niet bij nul")
    elif kind == "rangorde":
        first = ("Een rangorde met 1 bovenaan: het grootst of het vaakst genoemd; een gedeelde rang staat er "
                 "als 'gedeeld' bij.")
        notes.append("een rang zegt niet hoe groot de verschillen zijn; waar de bron een waarde noemt, "
                     "staat die in de tabel")
    return _with_notes(first, notes)


def not_comparable_note(year: int, regions) -> str:
    """'Geen vergelijkbaar cijfer voor 2023: Rotterdam en Nederland (niet getekend).'"""
    return f"Geen vergelijkbaar cijfer voor {year}: {join_words(list(regions))} (niet getekend)."
