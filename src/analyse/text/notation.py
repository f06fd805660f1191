"""Dutch notation of numbers, values, years, dates and lists: the one place of the rounding rule.

Everything here is independent of the machine locale: the module never uses :mod:`locale`.
Numbers are rounded here, with :mod:`decimal` (the rule below); babel then writes the rounded number with the
separators of ``nl_NL``, never rounding again, and writes dates in Dutch (:func:`format_date`).

Number rules (see :func:`format_number`):

- decimal comma, thousands point: ``1234567.5`` -> ``"1.234.567,5"``;
- a plain hyphen-minus for negative numbers (``"-1,2"``), safe when pasted into Word or Excel;
- a missing value (``None``, NaN, ``pd.NA``) is shown as an en dash ``"–"`` ("geen gegevens");
- rounding is half away from zero on the decimal notation of the number (``2.25`` -> ``"2,3"``),
  the way a person rounds a printed figure; a value that rounds to zero shows no minus sign.

Years: ``2018`` (never ``2.018``); a range of years ``2009-2018``, one year alone ``2018``
(:func:`year_range`).
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from numbers import Integral

import babel.dates
import babel.numbers
import pandas as pd
from babel import Locale


LOCALE = Locale.parse("nl_NL")
"""The locale of the separators and month names (babel's data, not the machine's)."""
_LOCALE_MINUS = babel.numbers.get_minus_sign_symbol(LOCALE)

MISSING = "–"
"""Shown instead of a number when there is no value ("geen gegevens")."""
EN_DASH = "–"
"""The dash of a year range in the publications (Word note, workbook, index page): '2009–2018'."""


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
VALUE_UNITS = tuple(_VALUE_AFFIX)
"""Units understood by :func:`format_value`."""


# A difference between two values is expressed in another unit for these.
_DIFFERENCE_AFFIX: dict[str, tuple[str, str]] = {
    "procent": ("", " procentpunt"),
    "rapportcijfer": ("", " punt"),
    "score": ("", " punt"),
    "index": ("", " punt"),
}


def to_decimal(x) -> Decimal | None:
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


def rounded(d: Decimal, decimals: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round_as_shown(x, decimals: int) -> float:
    """``x`` rounded to ``decimals`` by the rule of this module, the number a reader sees: half away from zero on
    the decimal notation (``round_as_shown(0.125, 2) == 0.13`` where Python's ``round`` gives 0.12); NaN for a
    missing value. For computing with a shown number (does it reproduce a published one, is it drawn as shown)."""
    d = to_decimal(x)
    return math.nan if d is None else float(rounded(d, decimals))


def auto_decimals(d: Decimal) -> int:
    return 0 if d == d.to_integral_value() else 1


def published_decimals(x) -> int | None:
    """Decimals of a value as published: those of its shortest form, at most two (1.73 -> 2)."""
    d = to_decimal(x)
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
    d = to_decimal(x)
    if d is None:
        return MISSING
    if decimals is None:
        decimals = auto_decimals(d)
    if decimals < 0:
        raise ValueError("Het aantal decimalen kan niet negatief zijn.")
    q = rounded(d, decimals)
    if q == 0:
        q = q.copy_abs()  # no "-0,0"
    # q has exactly `decimals` decimals and decimal_quantization=False: babel only places the separators and never
    # rounds again (its own rounding is half-even)
    text = babel.numbers.format_decimal(q, format=_pattern(decimals), locale=LOCALE, decimal_quantization=False)
    return text.replace(_LOCALE_MINUS, "-")  # a plain hyphen-minus, whatever sign the locale data have


@lru_cache
def _pattern(decimals: int) -> babel.numbers.NumberPattern:
    """Grouped thousands and exactly ``decimals`` decimals: ``#,##0.0`` for one."""
    return babel.numbers.parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def _check_unit(eenheid: str) -> None:
    if eenheid not in _VALUE_AFFIX:
        raise ValueError(f"Onbekende eenheid {eenheid!r}; bekend zijn: {', '.join(VALUE_UNITS)}.")


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
    d = to_decimal(x)
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


def format_year(value) -> str:
    """A year as a label ('2018', never '2.018'); a period label as it is; missing as '–'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


def display_decimals(value, eenheid: str, derived: bool = False, fixed: int | None = None) -> int | None:
    """Decimals to show a measured value with, the one rule for sentences, key figures, tables and figures:
    ``fixed``, the indicator's fixed decimals (the catalogue's ``decimalen``), when it has them; else as
    published, or one for a share or rate we computed ourselves."""
    if fixed is not None and not pd.isna(fixed):
        return int(fixed)
    if derived and eenheid in ("procent", "per_100", "per_1000", "per_10000"):
        return 1
    return published_decimals(value)


def format_measure(value, eenheid: str, *, derived: bool = False, status: str = "", below: int | None = None,
                   decimals: int | None = None) -> str:
    """A measured value with its unit as a reader sees it: '26,9%', '35.832', 'ongeveer 250' (schatting);
    ``below``: a small count that is not published: 'minder dan 10'; ``decimals``: the indicator's fixed
    decimals (the catalogue's ``decimalen``), else as published."""
    if below is not None:
        return f"minder dan {format_number(below)}"
    shown = format_value(value, eenheid, display_decimals(value, eenheid, derived, decimals))
    if status == "schatting":
        return f"ongeveer {shown}"
    if status == "voorlopig":
        return f"{shown} (voorlopig)"
    return shown


def join_words(items) -> str:
    """``["a"]`` -> ``"a"``, ``["a", "b", "c"]`` -> ``"a, b en c"``; empty items are left out, none gives ``""``."""
    items = [str(i) for i in items if i != ""]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def years_text(years) -> str:
    """Years as a reader says them: ``[2016, 2017]`` -> ``"2016 en 2017"``."""
    return join_words(str(int(y)) for y in sorted(set(int(y) for y in years)))


def year_range(first, last, dash: str = "-") -> str:
    """``2009, 2018`` -> ``"2009-2018"``; one year -> ``"2018"``. The publications pass :data:`EN_DASH`
    (``"2009–2018"``); notebooks, figures and tables use the hyphen."""
    first, last = int(first), int(last)
    return str(first) if first == last else f"{first}{dash}{last}"


def value_text(x, eenheid: str) -> str:
    """A value as published, with its unit: ``26.9, "procent"`` -> ``"26,9%"``."""
    return format_value(x, eenheid, published_decimals(x))


def format_date(moment: datetime) -> str:
    """'29 november 2026'."""
    return babel.dates.format_date(moment, format="d MMMM y", locale=LOCALE)


def count_noun(count: int, singular: str, plural: str) -> str:
    """'1 notebook', '3 notebooks'."""
    return f"{count} {singular if count == 1 else plural}"
