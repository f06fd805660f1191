"""Dutch number formatting and generated sentences for the reports.

Everything here is independent of the machine locale: the module never uses :mod:`locale`;
numbers are rounded with :mod:`decimal` and the separators are placed by hand.

Number rules (see :func:`format_number`):

- decimal comma, thousands point: ``1234567.5`` -> ``"1.234.567,5"``;
- a plain hyphen-minus for negative numbers (``"-1,2"``), safe when pasted into Word or Excel;
- a missing value (``None``, NaN, ``pd.NA``) is shown as an en dash ``"–"`` ("geen gegevens");
- rounding is half away from zero on the decimal notation of the number (``2.25`` -> ``"2,3"``),
  the way a person rounds a printed figure; a value that rounds to zero shows no minus sign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral

import pandas as pd

MISSING = "–"
"""Shown instead of a number when there is no value ("geen gegevens")."""

# (prefix, suffix) around the formatted number, per unit of the data contract (+ procentpunt).
_VALUE_AFFIX: dict[str, tuple[str, str]] = {
    "aantal": ("", ""),
    "procent": ("", "%"),
    "procentpunt": ("", " procentpunt"),
    "per_100": ("", " per 100"),
    "per_1000": ("", " per 1.000"),
    "per_10000": ("", " per 10.000"),
    "rapportcijfer": ("", ""),
    "score": ("", ""),
    "index": ("", ""),
    "rang": ("", ""),
    "euro": ("€ ", ""),
    "jaren": ("", " jaar"),
}
EENHEDEN = tuple(_VALUE_AFFIX)
"""Units understood by :func:`format_value`."""

# A difference between two values is expressed in another unit for these.
_DIFFERENCE_AFFIX: dict[str, tuple[str, str]] = {
    "procent": ("", " procentpunt"),
    "rapportcijfer": ("", " punt"),
    "score": ("", " punt"),
    "index": ("", " punt"),
}

_RELATIVE_UNITS = {"aantal", "euro"}  # change reported as a relative change in %
_SHARE_UNITS = {"procent"}  # change reported as an absolute difference in procentpunt


def _to_decimal(x) -> Decimal | None:
    """The exact decimal notation of ``x``; ``None`` for a missing value."""
    if x is None:
        return None
    if isinstance(x, bool):
        raise TypeError("Een waarde moet een getal zijn, geen waar/onwaar.")
    if isinstance(x, Integral):
        return Decimal(int(x))
    if pd.api.types.is_scalar(x) and pd.isna(x):
        return None
    value = float(x)
    if math.isinf(value):
        raise ValueError(f"Oneindige waarde kan niet worden weergegeven: {x!r}.")
    return Decimal(repr(value))


def _round(d: Decimal, decimals: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _auto_decimals(d: Decimal) -> int:
    return 0 if d == d.to_integral_value() else 1


def published_decimals(x) -> int | None:
    """Decimals of a value as published: those of its shortest form, at most two (1.73 -> 2)."""
    d = _to_decimal(x)
    if d is None:
        return None
    exponent = d.normalize().as_tuple().exponent
    return min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0


def format_published(x) -> str:
    """A measured value as published: ``1.73`` -> ``"1,73"``, ``32518.0`` -> ``"32.518"``."""
    return format_number(x, published_decimals(x))


def format_number(x, decimals: int | None = None) -> str:
    """Format a number in Dutch notation.

    ``decimals=None``: a whole number (``32518`` or ``32518.0``) gets no decimals, any other number
    exactly one (``3.6`` -> ``"3,6"``, ``3.04`` -> ``"3,0"``). For measured values shown as published
    use :func:`format_published`. Pass ``decimals`` for a fixed number
    of decimals (``format_number(1234.5, 1)`` -> ``"1.234,5"``). Missing values give ``"–"``.
    """
    d = _to_decimal(x)
    if d is None:
        return MISSING
    if decimals is None:
        decimals = _auto_decimals(d)
    if decimals < 0:
        raise ValueError("Het aantal decimalen kan niet negatief zijn.")
    q = _round(d, decimals)
    sign = "-" if q < 0 else ""
    integer, _, fraction = format(abs(q), "f").partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    if decimals:
        text += "," + fraction
    return sign + text


def _check_unit(eenheid: str) -> None:
    if eenheid not in _VALUE_AFFIX:
        raise ValueError(f"Onbekende eenheid {eenheid!r}; bekend zijn: {', '.join(EENHEDEN)}.")


def format_value(x, eenheid: str, decimals: int | None = None) -> str:
    """Format a value with its unit: ``26.9, "procent"`` -> ``"26,9%"``.

    ``aantal``, ``rapportcijfer``, ``score``, ``index``, ``rang``: the number only;
    ``procent``: ``"26,9%"``; ``procentpunt``: ``"3,6 procentpunt"``; ``per_100`` / ``per_1000`` /
    ``per_10000``: ``"5 per 1.000"``; ``euro``: ``"€ 1.234"`` (with ``decimals=None`` an amount that
    is not whole gets two decimals: ``"€ 1.234,50"``); ``jaren``: ``"4,5 jaar"``.
    A missing value gives ``"–"`` without unit.
    """
    _check_unit(eenheid)
    return _with_affix(x, _VALUE_AFFIX[eenheid], eenheid, decimals)


def _with_affix(x, affix: tuple[str, str], eenheid: str, decimals: int | None) -> str:
    d = _to_decimal(x)
    if d is None:
        return MISSING
    if decimals is None and eenheid == "euro" and d != d.to_integral_value():
        decimals = 2
    prefix, suffix = affix
    return f"{prefix}{format_number(d, decimals)}{suffix}"


def format_difference(x, eenheid: str, decimals: int | None = None) -> str:
    """Format a difference between two values of unit ``eenheid``.

    Like :func:`format_value`, except that a difference of percentages is in ``procentpunt`` and a
    difference of a rapportcijfer, score or index in ``punt``: ``3.6, "procent"`` ->
    ``"3,6 procentpunt"``; ``0.3, "score"`` -> ``"0,3 punt"``; ``-3, "per_1000"`` -> ``"-3 per 1.000"``.
    """
    _check_unit(eenheid)
    return _with_affix(x, _DIFFERENCE_AFFIX.get(eenheid, _VALUE_AFFIX[eenheid]), eenheid, decimals)


@dataclass(frozen=True)
class Change:
    """The change from ``v0`` to ``v1`` (see :func:`change`)."""

    absolute: float
    """``v1 - v0`` in the unit of the values (procentpunt for percentages)."""
    relative_pct: float | None
    """``(v1 - v0) / v0 * 100``; ``None`` when ``v0`` is 0 or the values are percentages."""
    kind: str
    """How the change is reported: ``'procent'`` (relative change of a count or amount),
    ``'procentpunt'`` (difference of two percentages) or ``'verschil'`` (difference in the unit,
    for rates, scores, indices and years)."""
    direction: str
    """``'stijging'``, ``'daling'`` or ``'gelijk'``."""
    eenheid: str
    """Unit of the two values."""


def change(v0, v1, eenheid: str) -> Change:
    """Compute the change from ``v0`` to ``v1`` (both in unit ``eenheid``).

    The difference is computed on the decimal notation of the values, so the difference of two
    published figures is exact (``26.9 - 23.3`` is ``3.6``, not ``3.5999...``).
    Counts and amounts (``aantal``, ``euro``) are reported as a relative change (kind ``'procent'``),
    percentages as a difference in procentpunt, everything else as a difference in its unit.
    """
    _check_unit(eenheid)
    if eenheid == "rang":
        raise ValueError("Een verandering van een rangnummer is geen hoeveelheid.")
    d0, d1 = _to_decimal(v0), _to_decimal(v1)
    if d0 is None or d1 is None:
        raise ValueError("Geen verandering te berekenen: een van de twee waarden ontbreekt.")
    diff = d1 - d0
    relative = None
    if eenheid not in _SHARE_UNITS and d0 != 0:
        relative = float(diff / d0 * 100)
    if eenheid in _SHARE_UNITS:
        kind = "procentpunt"
    elif eenheid in _RELATIVE_UNITS:
        kind = "procent"
    else:
        kind = "verschil"
    direction = "stijging" if diff > 0 else "daling" if diff < 0 else "gelijk"
    return Change(float(diff), relative, kind, direction, eenheid)


def _magnitude(x: float, decimals: int | None, formatter) -> str:
    """``formatter(|x|)``, or "minder dan <smallest shown step>" when a non-zero |x| rounds to 0."""
    d = abs(_to_decimal(x))
    shown = decimals if decimals is not None else _auto_decimals(d)
    if d != 0 and _round(d, shown) == 0:
        return "minder dan " + formatter(Decimal(1).scaleb(-shown), shown)
    return formatter(d, decimals)


def format_change(ch: Change, decimals: int | None = None) -> str:
    """Describe a change: ``"een stijging van 3,6%"``, ``"een daling van 1,2 procentpunt"``,
    ``"een daling van 3 per 1.000"``, ``"een stijging van 0,3 punt"`` or ``"gelijk gebleven"``.

    A count whose start value is 0 has no relative change; its absolute difference is given.
    A non-zero change that rounds to 0 reads "een stijging van minder dan 0,1%".
    """
    if ch.direction == "gelijk":
        return "gelijk gebleven"
    if ch.kind == "procent" and ch.relative_pct is not None:
        amount = _magnitude(ch.relative_pct, decimals,
                            lambda v, dec: format_value(v, "procent", dec))
    else:
        amount = _magnitude(ch.absolute, decimals,
                            lambda v, dec: format_difference(v, ch.eenheid, dec))
    return f"een {ch.direction} van {amount}"


def _place(regio: str | None, voorzetsel: str, groep_label: str | None) -> str:
    text = f" {voorzetsel} {regio}" if regio else ""
    if groep_label:
        text += f" ({groep_label})"
    return text


def sentence_change(onderwerp: str, regio: str | None, y0: int, v0, y1: int, v1, eenheid: str, *,
                    eenheid_woord: str | None = None, voorzetsel: str = "van",
                    groep_label: str | None = None, decimals: int | None = None,
                    decimals_change: int | None = None) -> str:
    """A sentence about the change of one indicator between two years.

    >>> sentence_change("De bevolking", "Maassluis", 2009, 31390, 2018, 32518, "aantal",
    ...                 eenheid_woord="inwoners")
    'De bevolking van Maassluis is gegroeid van 31.390 inwoners in 2009 naar 32.518 inwoners in 2018, een stijging van 3,6%.'

    - ``onderwerp``: subject with article, capitalised ("Het aandeel inwoners met een migratieachtergrond").
    - ``regio``: appended as "<voorzetsel> <regio>" (``voorzetsel`` "van" or "in"); ``None`` leaves it out.
    - ``groep_label``: appended in parentheses after the region, e.g. "(Niet-westerse migratieachtergrond)".
    - ``eenheid_woord``: word after each value ("inwoners"); for ``aantal`` with such a word the verb
      is gegroeid/gekrompen, otherwise gestegen/gedaald.
    - ``decimals``: decimals of the two values; ``decimals_change``: decimals of the change
      (both ``None``: the rule of :func:`format_number`).
    """
    ch = change(v0, v1, eenheid)
    word = f" {eenheid_woord}" if eenheid_woord else ""
    a = format_value(v0, eenheid, decimals) + word
    b = format_value(v1, eenheid, decimals) + word
    head = onderwerp + _place(regio, voorzetsel, groep_label)
    if ch.direction == "gelijk":
        return f"{head} is gelijk gebleven: {a} in {y0} en {b} in {y1}."
    growth = eenheid == "aantal" and eenheid_woord
    verbs = {"stijging": "gegroeid" if growth else "gestegen",
             "daling": "gekrompen" if growth else "gedaald"}
    return (f"{head} is {verbs[ch.direction]} van {a} in {y0} naar {b} in {y1}, "
            f"{format_change(ch, decimals_change)}.")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def sentence_comparison(onderwerp: str, jaar: int, regio: str, waarde, anderen: dict[str, float],
                        eenheid: str, *, decimals: int | None = None) -> str:
    """Compare the value of one region with other regions (or groups) in one year.

    >>> sentence_comparison("het aantal meldingen per 1.000 inwoners", 2017, "Maassluis", 5,
    ...                     {"Vlaardingen": 14, "Schiedam": 30}, "per_1000")
    'In 2017 ligt het aantal meldingen per 1.000 inwoners in Maassluis (5) lager dan in Vlaardingen (14) en Schiedam (30).'

    ``onderwerp`` is lower case and names the unit; the values in parentheses therefore carry only
    a symbol unit (``%``, ``€``), not a word unit. ``anderen`` keeps its order. Values are compared as
    shown (rounded to ``decimals``, or to one decimal when ``None``), so two values that read the
    same are "even hoog". Mixed outcomes read "lager dan in A (14), maar hoger dan in B (3)"
    or "lager dan in A (14), hoger dan in B (3) en even hoog als in C (5)".
    """
    if not anderen:
        raise ValueError("Geen regio's om mee te vergelijken.")

    def shown(v) -> str:
        text = format_value(v, eenheid, decimals)
        return text if eenheid in ("procent", "euro") else format_number(v, decimals)

    def key(v) -> Decimal:
        d = _to_decimal(v)
        if d is None:
            raise ValueError("Vergelijking niet mogelijk: een waarde ontbreekt.")
        return _round(d, decimals if decimals is not None else 1)

    own = key(waarde)
    relations: dict[str, list[str]] = {}
    for name, value in anderen.items():
        other = key(value)
        phrase = "lager dan in" if own < other else "hoger dan in" if own > other else "even hoog als in"
        relations.setdefault(phrase, []).append(f"{name} ({shown(value)})")
    parts = [f"{phrase} {_join(names)}" for phrase, names in relations.items()]
    if set(relations) == {"lager dan in", "hoger dan in"}:
        comparison = ", maar ".join(parts)
    else:
        comparison = _join(parts)
    return f"In {jaar} ligt {onderwerp} in {regio} ({shown(waarde)}) {comparison}."


def _is_set(value) -> bool:
    """True for a real, non-empty value (not None, NaN or an empty string)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    return not (pd.api.types.is_scalar(value) and pd.isna(value))


def _is_true(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "ja", "waar")
    return _is_set(value) and bool(value)


def sentence_trend(record: dict, decimals: int | None = None) -> str:
    """A sentence about a trend estimate (one record of ``reports/trends.csv``).

    Uses ``n_jaren``, ``eerste_jaar``, ``laatste_jaar``, ``helling`` (slope per year),
    ``helling_ondergrens``/``helling_bovengrens`` (95% interval, may be missing), ``eenheid``,
    ``reden`` (when set, the estimate was refused and the reden is returned as the sentence) and
    ``indicatief``. Example: "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met 0,4 procentpunt
    per jaar (95%-interval 0,2 tot 0,6)." The slope of a percentage is in procentpunt. When fewer
    years were measured than the period spans it reads "(6 jaren met gegevens)".
    ``decimals=None``: one decimal, or up to three when the slope would otherwise read 0.
    """
    if _is_set(record.get("reden")):
        reden = str(record["reden"]).strip()
        return reden if reden.endswith(".") else reden + "."
    eenheid = record["eenheid"]
    first, last, n = int(record["eerste_jaar"]), int(record["laatste_jaar"]), int(record["n_jaren"])
    slope = _to_decimal(record["helling"])
    if slope is None:
        raise ValueError("Trendrecord zonder helling en zonder reden.")
    if decimals is None:
        decimals = 1
        while decimals < 3 and slope != 0 and _round(slope, decimals) == 0:
            decimals += 1
    years = "1 jaar" if n == 1 else f"{n} jaren"
    if n < last - first + 1:
        years += " met gegevens"
    if slope > 0:
        body = f"stijgt dit gemiddeld met {format_difference(abs(slope), eenheid, decimals)} per jaar"
    elif slope < 0:
        body = f"daalt dit gemiddeld met {format_difference(abs(slope), eenheid, decimals)} per jaar"
    else:
        body = "blijft dit gemiddeld gelijk"
    notes = []
    low, high = record.get("helling_ondergrens"), record.get("helling_bovengrens")
    if _is_set(low) and _is_set(high):
        notes.append(f"95%-interval {format_number(low, decimals)} tot {format_number(high, decimals)}")
    if _is_true(record.get("indicatief")):
        notes.append("indicatief: weinig meetpunten")
    tail = f" ({'; '.join(notes)})" if notes else ""
    return f"Over {first}-{last} ({years}) {body}{tail}."


def figure_guidance(kind: str, *, per: str, eenheid: str, series: int = 1, jaar: int | None = None,
                    trends: int = 0, bands: bool = True, doel: tuple[int, float] | None = None,
                    zero_based: bool = True, sources: int = 1, breuk: bool = False,
                    schattingen: tuple[str, ...] = (), benchmark: str | None = None, rest: bool = False) -> str:
    """One or two sentences under a figure that tell a policy reader how to read it.

    ``kind`` is ``"lijn"``, ``"staaf"`` or ``"rang"``, or one of the kinds of :mod:`analyse.figures`
    (``"tegel"``, ``"gestapeld"``, ``"kleine_veelvouden"``, ``"rangorde"``; see
    :func:`guidance_new_kind`); ``per`` the word for one series (``"groep"``,
    ``"regio"``) and ``series`` how many there are; ``trends`` the number of fitted trend lines drawn,
    with their 95% band when ``bands``; ``doel`` the drawn target (year, value); ``zero_based`` False when
    the y axis has a break; ``sources`` the number of sources behind a bar chart; ``breuk`` True when a
    series has a definition break; ``schattingen`` the statuses marked (``schatting``, ``voorlopig``);
    ``benchmark`` the label of the benchmark drawn (small multiples, tiles); ``rest`` True when a 100%
    bar has a segment computed as the rest.
    """
    if kind in GUIDANCE_KINDS:
        return guidance_new_kind(kind, per=per, eenheid=eenheid, series=series, jaar=jaar, trends=trends,
                                 bands=bands, zero_based=zero_based, breuk=breuk, schattingen=schattingen,
                                 benchmark=benchmark, rest=rest)
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
    if not notes:
        return first
    second = "; ".join(notes)
    return f"{first} {second[0].upper()}{second[1:]}."


# ============================================================================ figure texts
# Alt texts and reading guidance for the figure kinds of analyse.figures / analyse.plots
# (tile, 100% bar, small multiples, ranking table, definition breaks, estimates).
# This section is self-contained: nothing above it depends on it, except figure_guidance's dispatch.

GUIDANCE_KINDS = ("tegel", "gestapeld", "kleine_veelvouden", "rangorde")
"""Figure kinds whose guidance :func:`guidance_new_kind` writes."""


def join_words(items) -> str:
    """``["a"]`` -> ``"a"``, ``["a", "b", "c"]`` -> ``"a, b en c"``; empty gives ``""``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return _join(items)


def years_text(years) -> str:
    """Years as a reader says them: ``[2016, 2017]`` -> ``"2016 en 2017"``."""
    return join_words(str(int(y)) for y in sorted(set(int(y) for y in years)))


def span_text(first, last) -> str:
    """``2009, 2018`` -> ``"2009-2018"``; one year -> ``"2018"``."""
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}-{last}"


def value_text(x, eenheid: str) -> str:
    """A value as published, with its unit: ``26.9, "procent"`` -> ``"26,9%"``."""
    return format_value(x, eenheid, published_decimals(x))


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


def guidance_new_kind(kind: str, *, per: str, eenheid: str, series: int = 1, jaar: int | None = None,
                      trends: int = 0, bands: bool = True, zero_based: bool = True, breuk: bool = False,
                      schattingen=(), benchmark: str | None = None, rest: bool = False) -> str:
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
        if trends:
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
    else:
        raise ValueError(f"onbekende soort figuur: {kind!r}")
    if not notes:
        return first
    second = "; ".join(notes)
    return f"{first} {second[0].upper()}{second[1:]}."
