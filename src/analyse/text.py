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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral

import pandas as pd

from analyse.indicators import Change, change

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
    "klasse": ("klasse ", ""),
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


# --------------------------------------------------------------------------- report texts (themes)

def readable(note: str, names: Mapping[str, str]) -> str:
    """``note`` with every code of ``names`` (a whole word of letters, digits and underscores) replaced by its
    name, so an explanation written with codes reads as a reader would say it."""
    if not names or not note:
        return note
    pattern = re.compile(r"\b(" + "|".join(re.escape(code) for code in sorted(names, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda match: names[match.group(1)], note)


def format_year(value) -> str:
    """A year as a label ('2018', never '2.018'); a period label as it is; missing as '–'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


def display_decimals(value, eenheid: str, derived: bool = False) -> int | None:
    """Decimals to show a value with: as published, or one for a share or rate we computed ourselves."""
    if derived and eenheid in ("procent", "per_100", "per_1000", "per_10000"):
        return 1
    return published_decimals(value)


def format_measure(value, eenheid: str, *, derived: bool = False, status: str = "", below: int | None = None) -> str:
    """A measured value with its unit as a reader sees it: '26,9%', '35.832', 'ongeveer 250' (schatting);
    ``below``: a small count that is not published: 'minder dan 10'."""
    if below is not None:
        return f"minder dan {format_number(below)}"
    shown = format_value(value, eenheid, display_decimals(value, eenheid, derived))
    if status == "schatting":
        return f"ongeveer {shown}"
    if status == "voorlopig":
        return f"{shown} (voorlopig)"
    return shown


def lower_first(phrase: str) -> str:
    """For use mid-sentence: 'Niet-westerse ...' -> 'niet-westerse ...'; proper names stay as they are."""
    first = phrase.split(" ", 1)[0]
    if first[:1].isupper() and first.endswith(("aanse", "aamse", "kse", "lse", "ndse")) and not first.startswith(
            ("Westerse", "Niet")):
        return phrase
    if first.isupper() or first in ("Maassluis", "Nederland", "Rotterdam", "Vlaardingen", "Schiedam", "RADAR",
                                    "Halt", "CBS", "VVE", "CITO"):
        return phrase
    return phrase[:1].lower() + phrase[1:]


def title(label: str, *parts: str) -> str:
    """'Label, part, part': leaves out 'Totaal' and parts the label already names."""
    kept = [p for p in parts if p and p != "Totaal" and p.lower() not in label.lower()]
    return ", ".join([label, *kept])


UNKNOWN_PRODUCER = "onbekend"


def source_line(origins, editor: str | None = None) -> str:
    """'Bron: CBS (ook via Gemeente Maassluis); RADAR (via de beleidsvisie); bewerking gemeente Maassluis'.

    ``origins`` are (producer, publisher) pairs. Each producer is named once, first; where its numbers were
    found with someone else, that follows after 'via' ('ook via' when the producer also published them
    itself). An unknown producer says so.
    """
    producers: dict[str, list[str]] = {}
    for producer, publisher in origins:
        if producer.startswith(UNKNOWN_PRODUCER):
            producers.setdefault(f"{publisher} (oorspronkelijke bron niet genoemd)", [])
            continue
        found = producers.setdefault(producer, [])
        if publisher not in found:
            found.append(publisher)
    parts = []
    for producer, publishers in producers.items():
        others = [p for p in publishers if p != producer]
        if not others:
            parts.append(producer)
        else:
            parts.append(f"{producer} ({'ook ' if producer in publishers else ''}via {_join(others)})")
    if editor:
        parts.append(editor)
    return "Bron: " + "; ".join(parts)


@dataclass(frozen=True)
class Level:
    """One measured value as a key message states it."""

    year: int
    value: float
    eenheid: str
    derived: bool = False
    status: str = ""
    below: int | None = None  # a small count of persons, published as 'minder dan <below>'

    def shown(self) -> str:
        return format_measure(self.value, self.eenheid, derived=self.derived, status=self.status, below=self.below)


@dataclass(frozen=True)
class Finding:
    """What the data say about one indicator for one region, for a key message.

    ``subject`` is a lower-case noun phrase naming the indicator (for a rate: including 'per 1.000 ...');
    ``count_word`` turns a count into 'Maassluis heeft 35.832 inwoners'; ``benchmarks`` are (region,
    newest level) pairs; ``start`` the first value of the same reeks in the window; ``trend`` the record
    of its trend estimate (None when there is none); ``break_year`` the first year after a definition break.
    """

    subject: str
    region: str
    level: Level
    count_word: str | None = None
    benchmarks: tuple = ()
    start: Level | None = None
    trend: dict | None = None
    break_year: int | None = None


def _plain_value(level: Level) -> str:
    """The value without a word unit (the subject names it), keeping % and €."""
    if level.eenheid in ("procent", "euro") or level.below is not None:
        return level.shown()
    shown = format_number(level.value, display_decimals(level.value, level.eenheid, level.derived))
    if level.status == "schatting":
        return f"ongeveer {shown}"
    return f"{shown} (voorlopig)" if level.status == "voorlopig" else shown


def _comparisons(level: Level, benchmarks) -> str:
    groups: dict[str, list[str]] = {}
    own = round(level.value, display_decimals(level.value, level.eenheid, level.derived) or 0)
    for region, other in benchmarks:
        value = round(other.value, display_decimals(other.value, other.eenheid, other.derived) or 0)
        word = "hoger dan" if own > value else "lager dan" if own < value else "even hoog als"
        year = "" if other.year == level.year else f", {other.year}"
        groups.setdefault(word, []).append(f"{region} ({_plain_value(other)}{year})")
    parts = [f"{word} in {_join(names)}" for word, names in groups.items()]
    return ", maar ".join(parts) if set(groups) == {"hoger dan", "lager dan"} else _join(parts)


def _statistics_clause(finding: Finding, direction: str) -> str:
    trend = finding.trend
    noun = {"stijging": "de stijging", "daling": "de daling"}.get(direction)
    if trend is None or _is_set(trend.get("reason")):
        n = trend.get("n_jaren") if trend else None
        return f"met {n} metingen is niet te zeggen of dit een trend is" if n and n > 1 else ""
    low, high = trend.get("helling_ondergrens"), trend.get("helling_bovengrens")
    if not (_is_set(low) and _is_set(high)):
        return ""
    certain = (low > 0 and direction == "stijging") or (high < 0 and direction == "daling")
    if noun is None:
        return ""
    few = f" (op maar {int(trend['n_jaren'])} metingen)" if _is_true(trend.get("indicatief")) else ""
    return f"{noun} is statistisch {'zeker' if certain else 'niet zeker'}{few}"


def key_message(finding: Finding) -> str:
    """One or two plain Dutch sentences: level and benchmark first, then the direction with a short clause
    on its certainty. Never a sentence about what was not measured: that belongs in the availability table."""
    level, region = finding.level, finding.region
    if finding.count_word:
        first = f"In {level.year} heeft {region} {level.shown()} {finding.count_word}"
    else:
        first = f"In {level.year} is {finding.subject} in {region} {_plain_value(level)}"
    if finding.benchmarks:
        first += f": {_comparisons(level, finding.benchmarks)}"
    sentences = [first + "."]
    start = finding.start
    if start is not None and start.year != level.year and start.below is None and level.below is None:
        moved = change(start.value, level.value, level.eenheid)
        if moved.direction == "gelijk":
            second = f"Dat is evenveel als in {start.year} ({_plain_value(start)})"
        else:
            verb = "meer" if moved.direction == "stijging" else "minder"
            if moved.kind == "procent" and moved.relative_pct is not None:
                amount = format_value(abs(moved.relative_pct), "procent", 1)
            else:
                decimals = max(display_decimals(v.value, v.eenheid, v.derived) or 0 for v in (start, level))
                amount = format_difference(abs(moved.absolute), level.eenheid, decimals)
            second = f"Dat is {amount} {verb} dan in {start.year} ({_plain_value(start)})"
        clause = _statistics_clause(finding, moved.direction)
        if clause:
            second += f"; {clause}"
        if finding.break_year:
            second += (f" (de reeks is in {finding.break_year} van definitie veranderd; eerdere jaren tellen niet "
                       "mee)")
        sentences.append(second + ".")
    return " ".join(sentences)


def theme_intro(title: str, producers: list[str]) -> str:
    """A two-sentence introduction for a theme chapter: what it covers and who produced the numbers."""
    who = _join(producers) if producers else "de gemeente Maassluis"
    return (f"Dit hoofdstuk geeft de cijfers over {title.lower()} voor Maassluis, waar mogelijk naast de "
            f"vergelijkingsgemeenten en Nederland. De cijfers komen van {who}.")


def describe_change(record: dict) -> str:
    """The change column of an overview row: 'een stijging van 3,6 procentpunt', '–' with one measurement."""
    if record.get("opmerking") in ("een_meting", "rang") or not _is_set(record.get("verschil")):
        return MISSING
    moved = change(record["waarde_van"], record["waarde_tot"], record["eenheid"])
    decimals = max(display_decimals(record["waarde_van"], record["eenheid"], bool(record.get("afgeleid_van"))) or 0,
                   display_decimals(record["waarde_tot"], record["eenheid"], bool(record.get("afgeleid_tot"))) or 0)
    return format_change(moved, None if moved.kind == "procent" else decimals)


def revision_note(record: dict, label: str) -> str:
    """'Herzien: Inwoners, Maassluis, 2018: 32.518 (bron a) is 32.521 geworden (bron b).'"""
    return (f"Herzien: {label}, {record['regio']}, {record['jaar']}: {format_published(record['waarde'])} "
            f"({record['bron']}) is {format_published(record['nieuwe_waarde'])} geworden ({record['nieuwe_bron']}); "
            "de nieuwste editie telt.")


def small_group_warning(label: str, group: str, region: str, rows: pd.DataFrame) -> str:
    """A warning that quotes the small number that raised it (the teller or the noemer, whichever is small)."""
    smallest = None
    for column in ("teller", "noemer"):
        values = rows[column].dropna()
        if not values.empty and (smallest is None or values.min() < smallest[1]):
            smallest = (column, values.min())
    what = "" if smallest is None else f" ({'teller' if smallest[0] == 'teller' else 'noemer'} {format_number(smallest[1])})"
    return (f"{label} ({lower_first(group)}, {region}) rust op weinig waarnemingen{what}: verschillen tussen jaren "
            "kunnen toeval zijn.")


def describe_lines(label: str, rows: pd.DataFrame, per: str, labels: dict) -> str:
    """Alt text for a line chart: per line its first and last value."""
    parts = []
    for key, part in rows.sort_values("jaar").groupby(per, sort=False):
        first, last = part.iloc[0], part.iloc[-1]
        name = labels.get(key, key)
        eenheid = part["eenheid"].iloc[0] if "eenheid" in part else "aantal"
        if len(part) == 1:
            parts.append(f"{name}: {format_measure(last['waarde'], eenheid)} in {int(last['jaar'])}")
        else:
            parts.append(f"{name}: van {format_measure(first['waarde'], eenheid)} in {int(first['jaar'])} naar "
                         f"{format_measure(last['waarde'], eenheid)} in {int(last['jaar'])}")
    return f"Lijnfiguur van {lower_first(label)}. " + "; ".join(parts) + "."


def describe_bars(title_: str, rows: pd.DataFrame, per: str, labels: dict, eenheid: str) -> str:
    """Alt text for a bar chart or ranking: every bar with its value."""
    if eenheid == "rang":
        items = [f"{int(v)}. {labels.get(k, k)}" for k, v in sorted(zip(rows[per], rows["waarde"]), key=lambda x: x[1])]
        return f"Rangorde, {title_}: " + "; ".join(items) + "."
    items = [f"{labels.get(k, k)} {format_measure(v, eenheid, derived=bool(d))}"
             for k, v, d in zip(rows[per], rows["waarde"], rows.get("afgeleid", [False] * len(rows)))]
    return f"Staaffiguur, {title_}: " + "; ".join(items) + "."


def classification_note() -> str:
    """Why the two origin classifications stand side by side and are never subtracted."""
    return ("Herkomst staat in twee indelingen van het CBS: tot 2022 naar migratieachtergrond (westers, "
            "niet-westers), vanaf 2022 naar herkomstland (Europa, buiten Europa). Dat zijn verschillende groepen; "
            "tussen de twee wordt geen verandering berekend.")


def all_hidden(label: str, threshold: int) -> str:
    """Why a figure is not there: every value of it rests on fewer persons than the threshold."""
    return (f"Geen figuur van {lower_first(label)}: elke waarde rust op minder dan {threshold} personen en wordt "
            "daarom niet gepubliceerd.")


def small_numbers_note(threshold: int) -> str:
    return (f"Aandelen die op minder dan {threshold} personen rusten, staan er niet als getal in "
            f"(<{threshold}): ze zouden personen herkenbaar maken en schommelen sterk.")


def sentence_top_area(area: str, group: str, value: float, average: float, region: str, year: int) -> str:
    """'In 2024 is het aandeel inwoners in de groep ... het hoogst in Dijkpolder: 29,0%, tegen 24,0% in heel ...'"""
    return (f"In {year} woont het grootste aandeel inwoners uit de groep {group} in {area}: "
            f"{format_value(value, 'procent', 1)}, tegen {format_value(average, 'procent', 1)} in heel {region}.")


def sentence_area_difference(area: str, group: str, value: float, average: float, difference: float,
                             year: int) -> str:
    """The wijk that differs most from the municipal average, in procentpunt."""
    word = "hoger" if difference > 0 else "lager"
    return (f"{area} wijkt het meest af van het gemiddelde van de gemeente: in {year} hoort daar "
            f"{format_value(value, 'procent', 1)} van de inwoners tot de groep {group}, "
            f"{format_difference(abs(difference), 'procent', 1)} {word} dan gemiddeld "
            f"({format_value(average, 'procent', 1)}).")


def sentence_dissimilarity(value: float, expected: float, n_areas: int, group: str, region: str, year: int) -> str:
    """The segregation index as a key message, with what chance alone would give."""
    return (f"In {year} zou {format_value(100 * value, 'procent', 0)} van de inwoners met een {group} in "
            f"{region} moeten verhuizen om gelijk over de {n_areas} buurten verspreid te wonen (ongelijkheidsindex "
            f"D = {format_number(value, 2)}); bij een willekeurige spreiding zou dat rond "
            f"{format_value(100 * expected, 'procent', 0)} liggen.")


def dissimilarity_formula() -> str:
    return ("Ongelijkheidsindex D = ½ × Σ | aᵢ/A − bᵢ/B | over de buurten i, met aᵢ de groep en bᵢ de overige "
            "inwoners in buurt i en A en B hun totalen. Een andere maat dan de 'factor' van de Buurtmonitor "
            "Integratie in de beleidsvisie; de twee worden niet met elkaar vergeleken.")


def sentence_verdicts(counts: dict[str, int], total: int, end_year: int) -> str:
    """'Van de 12 doelen uit hoofdstuk 4 ... is het oordeel: 2 op koers, 10 onvoldoende data.'"""
    parts = [f"{count} {verdict.replace('_', ' ')}" for verdict, count in counts.items()]
    return (f"Van de {total} doelen uit hoofdstuk 4 (per groep geteld) is met metingen tot en met {end_year} het "
            f"oordeel: {', '.join(parts)}.")


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
    ``reason`` (a code, see :func:`trend_reason`) or, in older records, a Dutch ``reden``
    (when set, the estimate was refused and the reason is returned as the sentence),
    ``indicatief`` and ``caveats`` (``autocorrelatie`` adds that the interval is probably too
    narrow). Example: "Over 2009-2018 (10 jaren) stijgt dit gemiddeld met 0,4 procentpunt
    per jaar (95%-interval 0,2 tot 0,6)." The slope of a percentage is in procentpunt. When fewer
    years were measured than the period spans it reads "(6 jaren met gegevens)".
    ``decimals=None``: one decimal, or up to three when the slope would otherwise read 0.
    """
    record = _record_of(record)
    reden = trend_reason(record)
    if reden is not None:
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
    if "autocorrelatie" in _codes(record.get("caveats")):
        notes.append("waarschijnlijk te smal: opeenvolgende jaren hangen samen")
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


# ======================================================================================
# Trends, projections and group gaps (issues 14 and 17)
#
# analyse.trends returns codes (``reason``, ``caveats``) with their numbers; the Dutch for
# them lives here. Every function takes a record (a dict, a row of reports/trends.csv read
# back as strings, or a TrendResult / Projection / GapResult, which have ``to_record``).
# ======================================================================================

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


def _record_of(obj) -> dict:
    """A plain dict from a record, a pandas row or a result object with ``to_record``."""
    if hasattr(obj, "to_record"):
        return obj.to_record()
    if isinstance(obj, pd.Series):
        return obj.to_dict()
    return dict(obj)


def _codes(value) -> tuple[str, ...]:
    """Codes from ``'a;b'``, a list/tuple, or nothing."""
    if isinstance(value, str):
        return tuple(c.strip() for c in value.split(";") if c.strip())
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ()
    return tuple(str(c) for c in value)


def _int(value) -> int | None:
    return int(float(value)) if _is_set(value) else None


def _years_text(years) -> str:
    """'2 jaren (2016, 2017)'."""
    years = [int(float(y)) for y in _codes(years)]
    text = f"{len(years)} {'jaar' if len(years) == 1 else 'jaren'}"
    return text + (f" ({', '.join(str(y) for y in years)})" if years else "")


def _reason_text(record: dict, *, common: bool = False) -> str | None:
    code = record.get("reason")
    if not _is_set(code):
        legacy = record.get("reden")
        return str(legacy).strip() if _is_set(legacy) else None
    years = record.get("reason_years")
    minimum = _int(record.get("minimum")) or 3
    if code == "rang":
        return "Eenheid 'rang' is een rangorde, geen trend."
    if code == "geen_waarnemingen":
        return "Geen waarnemingen."
    if code == "te_weinig_jaren":
        which = "gemeenschappelijke meetpunten" if common else "meetpunten"
        return f"Te weinig {which}: {_years_text(years)}; een trend vraagt er minstens {minimum}."
    if code == "dubbele_jaren":
        listed = _join([str(int(float(y))) for y in _codes(years)]) if _codes(years) else "een jaar"
        return (f"De reeks heeft meer dan één waarde voor {listed}; zo'n reeks is niet eenduidig, "
                "dus geen trend.")
    if code == "model_faalt":
        return _TREND_MODEL_FAILURES.get(str(record.get("reason_detail")),
                                         "Het model is niet betrouwbaar te schatten.")
    raise ValueError(f"onbekende reden-code: {code!r}")


def trend_reason(record) -> str | None:
    """Why no trend was estimated, in Dutch (``None`` when there is a trend).

    Reads the code ``reason`` with ``reason_years``, ``reason_detail`` and ``minimum``; a record
    without a code but with a Dutch ``reden`` (older reports) gives that ``reden``.

    >>> trend_reason({"reason": "te_weinig_jaren", "reason_years": "2016;2017", "minimum": 3})
    'Te weinig meetpunten: 2 jaren (2016, 2017); een trend vraagt er minstens 3.'
    """
    return _reason_text(_record_of(record))


def _caveat_text(code: str, r: dict) -> str | None:
    if code == "indicatief":
        n = _int(r.get("n_jaren"))
        return (f"Slechts {n} meetpunten: " if n else "Weinig meetpunten: ") + "de trend en het interval zijn indicatief."
    if code == "autocorrelatie":
        dw = r.get("durbin_watson")
        if not _is_set(dw):
            dw = r.get("relatief_durbin_watson")
        stat = f" (Durbin-Watson {format_number(dw, 2)})" if _is_set(dw) else ""
        return (f"Opeenvolgende jaren wijken in dezelfde richting af van de trendlijn{stat}; "
                "het interval is daardoor waarschijnlijk te smal.")
    if code == "afronding_vloer":
        d = _int(r.get("decimalen"))
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
        phi = r.get("dispersie")
        stat = f" (spreidingsfactor {format_number(phi, 2)})" if _is_set(phi) else ""
        return (f"De cijfers schommelen meer dan toeval bij deze aantallen verklaart{stat}; "
                "de intervallen zijn daarvoor verbreed.")
    if code == "waarden_ontbreken":
        k = _int(r.get("n_ontbrekend"))
        return f"{k if k else 'Een of meer'} rij(en) zonder waarde genegeerd."
    if code == "teller_noemer_wijken_af":
        worst = r.get("afwijking")
        amount = f" tot {format_number(worst)}" if _is_set(worst) else ""
        return f"Teller en noemer wijken{amount} af van de gepubliceerde waarde; trend op de gepubliceerde waarde."
    if code == "teller_groter_dan_noemer":
        return "Teller groter dan noemer; trend op de gepubliceerde waarde."
    if code == "extrapolatie":
        year, last = _int(r.get("jaar")), _int(r.get("laatste_jaar"))
        if year is not None and last is not None:
            return f"Extrapolatie: {year - last} jaar na de laatste meting ({last})."
        return "Extrapolatie voorbij de laatste meting."
    if code == "noemer_laatste_jaar":
        noemer, year = r.get("noemer"), _int(r.get("noemer_jaar"))
        return f"Voorspeld bij de noemer van {year} ({format_number(noemer, 0)})."
    if code == "marge_laatste_jaar":
        last = _int(r.get("laatste_jaar"))
        return f"Als meetonzekerheid van een nieuwe meting is die van {last} genomen."
    raise ValueError(f"onbekende kanttekening-code: {code!r}")


def trend_caveats(record) -> str | None:
    """The caveats (``caveats`` codes) of a trend, projection or gap record as Dutch sentences,
    in the order of the codes; ``None`` when there are none."""
    r = _record_of(record)
    texts = [_caveat_text(code, r) for code in _codes(r.get("caveats"))]
    return " ".join(t for t in texts if t) or None


def add_trend_texts(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a trend table (``trends.fit_trends``) with the Dutch columns for readers:
    ``reden`` (why no trend; empty when there is one) and ``opmerking`` (the caveats)."""
    out = table.copy()
    records = out.to_dict("records")
    out["reden"] = [trend_reason(r) for r in records]
    out["opmerking"] = [trend_caveats(r) for r in records]
    return out


def interval_name(code: str | None) -> str | None:
    """'voorspelling' -> 'voorspellingsinterval', 'betrouwbaarheid' -> 'betrouwbaarheidsinterval'."""
    return None if not _is_set(code) else f"{code}sinterval"


def projection_reason(projection) -> str | None:
    """Why a projection has no numbers, in Dutch (``None`` when it has)."""
    reason = _reason_text(_record_of(projection))
    return None if reason is None else f"Geen trend om door te trekken: {reason}"


def projection_caveats(projection) -> str | None:
    """The caveats of a projection (extrapolation, denominator, indicative, ...) in Dutch."""
    return trend_caveats(projection)


def gap_reason(record) -> str | None:
    """Why no gap trend was estimated, in Dutch (``None`` when there is one)."""
    return _reason_text(_record_of(record), common=True)


def sentence_gap(record, subject: str, reeks_names: dict[str, str] | None = None) -> str:
    """A sentence about the gap between two groups (a ``GapResult`` or its record).

    ``subject`` names the gap, capitalised: "Het verschil in de werkloosheid tussen niet-westers
    en nederlands (Nederland)". The verdict reads "groeien naar elkaar toe" only when the absolute
    AND the relative gap shrink (``convergeert``); when the two scales disagree the sentence says
    which one shows what. Numbers: the change of the gap per year on both scales with their 95%
    intervals; caveats (autocorrelation) follow as a sentence.
    """
    r = _record_of(record)
    reason = gap_reason(r)
    if reason is not None:
        return f"{subject}: geen trend te schatten. {reason}"
    verdict = str(r["verdict"])
    relative_applies = r.get("richting_relatief") not in (None, "niet_van_toepassing") and _is_set(
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
    parts = [f"{r['eerste_jaar']}-{r['laatste_jaar']}, {r['n_jaren']} jaar met gegevens",
             f"verschil {format_difference(r['helling'], eenheid, 2)} per jaar (95%-interval "
             f"{format_number(r['helling_ondergrens'], 2)} tot {format_number(r['helling_bovengrens'], 2)})"]
    if _is_set(r.get("verhouding_verandering")):
        what = "odds ratio" if r.get("schaal_relatief") == "logit_verschil" else "verhouding"
        parts.append(f"{what} {format_number(r['verhouding_verandering'], 1)}% per jaar (95%-interval "
                     f"{format_number(r['verhouding_ondergrens'], 1)} tot "
                     f"{format_number(r['verhouding_bovengrens'], 1)})")
    if _is_true(r.get("indicatief")):
        parts.append("indicatief: weinig meetpunten")
    sentence = f"{subject} {phrase} ({'; '.join(parts)})."
    caveats = [_caveat_text(c, r) for c in _codes(r.get("caveats")) if c in ("autocorrelatie", "afronding_vloer")]
    if caveats:
        sentence += " " + " ".join(caveats)
    reeks_a, reeks_b = r.get("reeks_a"), r.get("reeks_b")
    if _is_set(reeks_a) and _is_set(reeks_b) and reeks_a != reeks_b:
        names = reeks_names or {}
        sentence += (f" Let op: de twee groepen komen uit verschillende reeksen ({names.get(reeks_a, reeks_a)}; "
                     f"{names.get(reeks_b, reeks_b)}).")
    return sentence


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


# ============================================================================ honest checks (issue 14)
# Dutch text for the reproduction register (analyse.register), the target monitor (analyse.monitor) and
# disclosure control (analyse.disclosure). Everything a reader sees from those modules is worded here.

REGISTER_STATUSES: dict[str, str] = {
    "klopt": "Onafhankelijk nagerekend: een herberekening uit andere getallen, een trend over de hele reeks of "
             "een cijfer uit een andere bron dan het document geeft het gedrukte getal of woord, binnen de "
             "afronding van het document.",
    "overgenomen": "Het enige bewijs is het getal van het document zelf: overgenomen, niet gecontroleerd. Geen "
                   "fout, maar ook geen controle.",
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
    "klopt": "klopt", "overgenomen": "overgenomen", "tekst_onjuist": "tekst onjuist", "wijkt_af": "wijkt af",
    "niet_aangetoond": "niet aangetoond", "geen_data": "geen data",
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
}
"""The monitor's verdict rules in Dutch (shown in the monitor notebook and the README)."""

MONITOR_LABELS: dict[str, str] = {
    "gehaald": "gehaald", "niet_gehaald": "niet gehaald", "op_koers": "op koers", "onzeker": "onzeker",
    "niet_op_koers": "niet op koers", "onvoldoende_data": "onvoldoende data",
}
"""The monitor verdicts as a reader sees them, in the order the publications count them."""

EVIDENCE_LABELS: dict[str, str] = {
    "herberekening": "herberekening", "andere_bron": "andere bron", "trend": "trend over de reeks",
    "twee_metingen": "twee metingen", "document": "alleen het document",
}
"""What a register statement rests on (column ``bewijs``), as a reader sees it."""

CODE_LABELS: dict[str, str] = {**REGISTER_LABELS, **MONITOR_LABELS, **EVIDENCE_LABELS}

CONTRACT_WORDS: dict[str, str] = {
    "jaar_tot": "eindjaar", "tekst_eenheid": "eenheid in de tekst", "tekst_jaren": "aantal jaren in de tekst",
    "noemer_indicator": "noemer", "noemer_groep": "groep van de noemer", **CODE_LABELS,
}
"""Column names and codes of the data contract that explanations may mention, in words."""
"""Codes that appear in published label columns (status, oordeel) and how a reader sees them."""


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


def claim_transcribed(bron: str, value, expected, decimals: int) -> str:
    text = (f"Overgenomen: het enige cijfer in de data is dat van het document zelf ({bron}: "
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


def claim_direction_trend(claimed: str, found: str, first: int, last: int, n: int, methode: str, helling,
                          lower, upper, eenheid: str, reeks: str, verdict: str) -> str:
    slope = format_difference(helling, eenheid, 2)
    interval = f"{format_number(lower, 2)} tot {format_number(upper, 2)}"
    head = (f"Trend {first}-{last} ({n} jaren, reeks {reeks}, methode {methode}): {slope} per jaar, "
            f"95%-interval {interval}.")
    if verdict == "klopt":
        return f"{head} Het hele interval ligt aan de kant van een {claimed}: de {claimed} is aangetoond."
    if verdict == "wijkt_af":
        return f"{head} Het hele interval wijst op een {found}, niet op de genoemde {claimed}."
    if claimed == "gelijk":
        return (f"{head} Het interval bevat nul: geen aantoonbare verandering, maar gelijkblijven is daarmee "
                "niet aangetoond (daarvoor zou een marge voor 'gelijk' nodig zijn).")
    return f"{head} Het interval bevat nul: de data tonen de genoemde {claimed} niet met 95% zekerheid aan."


def claim_direction_two_points(claimed: str, found: str, first: int, v0, last: int, v1, reeks: str,
                               verdict: str) -> str:
    head = f"Twee metingen (reeks {reeks}): {first}: {_nl_value(v0)}, {last}: {_nl_value(v1)}."
    if verdict == "wijkt_af":
        word = "geen verandering" if found == "gelijk" else f"een {found}"
        return f"{head} Die tonen {word}, niet de genoemde {claimed}."
    return (f"{head} Die wijzen op een {found}, maar twee metingen hebben geen onzekerheidsmarge en een trend "
            "vraagt minstens drie meetjaren: de richting is niet aangetoond.")


def claim_direction_refused(reason: str, claimed: str, found: str, reeks: str) -> str:
    return (f"Geen trend te schatten (reeks {reeks}): {reason.rstrip('.')}. Van de eerste naar de laatste meting "
            f"{'is het gelijk gebleven' if found == 'gelijk' else 'is het een ' + found}; zonder marge is de "
            f"genoemde {claimed} niet aangetoond.")


def claim_years_said(jaar: int | None, jaar_tot: int | None) -> str:
    if jaar and jaar_tot:
        return f"Periode {jaar}-{jaar_tot} zoals in het register."
    if jaar:
        return f"Het document noemt alleen het beginjaar {jaar}; de reeks loopt tot de laatste meting."
    if jaar_tot:
        return f"Het document noemt alleen het eindjaar {jaar_tot}; de reeks begint bij de eerste meting."
    return "Het document noemt geen jaren; de hele reeks is gebruikt."


# ---------------------------------------------------------------------------- monitor


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
    return (f"Trend {first}-{last}: {format_number(helling, 2)} per jaar "
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
    word = "de gewenste" if moved > 0 else "de verkeerde" if moved < 0 else "geen"
    return (f"Twee metingen ({first}: {format_published(v0)}; {last}: {format_published(v1)}) "
            f"wijzen in {word} richting, zonder onzekerheidsmarge.")


def monitor_other_series(others: list[str]) -> str:
    return f"Niet gebruikt voor het oordeel (andere reeks): {'; '.join(others)}."


# ---------------------------------------------------------------------------- disclosure


def disclosure_mark(threshold: int) -> str:
    """Shown instead of a count of persons below the threshold: '<10'."""
    return f"<{threshold}"


DISCLOSURE_HIDDEN = "×"
"""Shown instead of a share or rate resting on few persons, or a cell hidden to protect another (as CBS)."""


def disclosure_note_count(threshold: int) -> str:
    return (f"{disclosure_mark(threshold)}: minder dan {threshold} personen; zo'n klein aantal wordt niet als "
            "getal gepubliceerd, omdat het personen herkenbaar kan maken.")


def disclosure_note_share(threshold: int) -> str:
    return (f"{DISCLOSURE_HIDDEN}: niet gepubliceerd; het cijfer rust op minder dan {threshold} personen "
            "(teller of noemer).")


def disclosure_note_secondary() -> str:
    return (f"{DISCLOSURE_HIDDEN}: ook niet gepubliceerd, omdat een verborgen cel anders uit het totaal en de "
            "andere cellen terug te rekenen is.")


def disclosure_note_base(base_threshold: int, count: int) -> str:
    what = "percentage rust" if count == 1 else "percentages rusten"
    return (f"Let op: {count} {what} op minder dan {base_threshold} waarnemingen (noemer of respondenten); "
            "verschillen tussen jaren of groepen kunnen dan toeval zijn.")


def small_count_warning(label: str, group_label: str, regio: str, number, kind: str, small_count: int) -> str:
    """The warning for a figure resting on few cases, quoting the number that triggered it.

    ``kind`` is 'teller', 'noemer', 'n' or 'aantal'. A number of persons below ``small_count`` is never
    quoted as a number: it reads 'minder dan 10'.
    """
    words = {"teller": "teller", "noemer": "noemer", "n": "respondenten", "aantal": "aantal personen"}
    shown = (f"minder dan {small_count}" if number < small_count else format_number(number, 0))
    return (f"Het cijfer voor {label[0].lower() + label[1:] if label[1:2].islower() else label} ({group_label}, "
            f"{regio}) rust op weinig waarnemingen ({words[kind]}: {shown}): "
            "verschillen tussen jaren of groepen kunnen toeval zijn.")

# ============================================================================ end of honest checks (issue 14)


def outside_reports_line(theme: str, region: str, count: int, indicators: list[str]) -> str:
    """The validate warning for rows of ``data/raw`` that no report shows with the default parameters."""
    rows = f"{count} rij staat" if count == 1 else f"{count} rijen staan"
    names = ", ".join(indicators[:5]) + (f" en {len(indicators) - 5} meer" if len(indicators) > 5 else "")
    if not region:
        return f"Thema '{theme}': {rows} in geen rapport, want er is geen notebook voor dit thema ({names})."
    value = f"[{region!r}]" if '"' not in region and "'" not in region else "[...]"
    return (f"Thema '{theme}', {region}: {rows} in geen rapport met de standaardparameters ({names}); "
            f"toon ze met: analyse run --thema {theme} -p \"vergelijk_regios={value}\".")


# ---------------------------------------------------------------------------- dates and run progress

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def format_date(moment: datetime) -> str:
    """'29 november 2026'."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _run_moment(created: str) -> str:
    """'de run van 29 november 2026 om 14:02' for an ISO 8601 time; 'de vorige run' when there is none."""
    try:
        moment = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return "de vorige run"
    return f"de run van {format_date(moment)} om {moment:%H:%M}"


def taken_over(themes: tuple[str, ...] | list[str], created: str) -> list[str]:
    """The progress lines for themes not executed because nothing they are made from changed."""
    if not themes:
        return []
    return [f"Ongewijzigd sinds {_run_moment(created)}, overgenomen: {', '.join(themes)} "
            "(opnieuw uitvoeren: --opnieuw)."]


def nothing_changed(themes: tuple[str, ...] | list[str], created: str, seconds: float) -> str:
    """The closing line of a run that had nothing to do."""
    return (f"Niets veranderd sinds {_run_moment(created)} (data, notebooks, parameters, instellingen en code): "
            f"de rapporten van {', '.join(themes)} zijn actueel en blijven zoals ze zijn ({seconds:.0f} s). "
            "Toch opnieuw uitvoeren: analyse run --opnieuw.")


def count_noun(count: int, singular: str, plural: str) -> str:
    """'1 notebook', '3 notebooks'."""
    return f"{count} {singular if count == 1 else plural}"
